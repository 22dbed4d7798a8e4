/* A change that waits in the security review queue; see review_request.h. */
#include "server/flows/review_request.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "server/flows/audit_event.h"

int sls_review_request(struct sls_db *db, sls_time now, const struct sls_user_rec *u,
                       const char *kind, const json_t *payload, const uint8_t *secret,
                       size_t secret_len, const char *event, const char *detail,
                       struct sls_review_rec *r)
{
    size_t n;
    int rc;

    memset(r, 0, sizeof(*r));
    n = payload ? json_dumpb(payload, r->payload, sizeof(r->payload), JSON_COMPACT) : 0;
    if (n == 0 || n >= sizeof(r->payload) || secret_len > sizeof(r->secret))
        return SLS_ERR_NOMEM;
    r->payload[n] = '\0';
    r->user_id = u->id;
    snprintf(r->kind, sizeof(r->kind), "%s", kind);
    if (secret_len > 0)
        memcpy(r->secret, secret, secret_len);
    r->secret_len = secret_len;
    r->created_at = now;
    rc = SLS_DB(db, review_insert, r);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, now, u->username, event, "pending_review", detail);
}
