/* Helpers of the settings handlers: the primary-user rule (R30), e-mails in
 * the outbox, the shape of an e-mail address and the pending-review answer. */
#include "server/flows/settings_tx.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int primary_fn(struct sls_db *db, void *arg)
{
    struct sls_user_rec *p = arg;
    return SLS_DB(db, user_get_by_account, p->account_id, p);
}

bool sls_settings_require_primary(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_user_rec *u)
{
    struct sls_user_rec *p;
    char msg[160];
    int rc;

    if (u->primary && u->paper_of == 0)
        return true;
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    snprintf(p->account_id, sizeof(p->account_id), "%s", u->account_id);
    rc = u->account_id[0] ? sls_store_read(rq->app->store, primary_fn, p) : SLS_ERR_NOT_FOUND;
    if (rc == SLS_OK) {
        snprintf(msg, sizeof(msg),
                 "Only the primary user %s may change the security settings of this account",
                 p->username);
        sls_resp_error_msg(rs, SLS_ERR_NOT_PRIMARY_USER, msg, "Log in as that user");
    } else if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_NOT_PRIMARY_USER, "Call the service desk");
    } else {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    }
    free(p);
    return false;
}

int sls_settings_mail(struct sls_db *db, sls_time now, const char *to, const char *kind,
                      const char *body, const char *code)
{
    struct sls_outbox_rec m;

    memset(&m, 0, sizeof(m));
    snprintf(m.to, sizeof(m.to), "%s", to);
    snprintf(m.channel, sizeof(m.channel), "email");
    snprintf(m.body, sizeof(m.body), "%s", body);
    snprintf(m.kind, sizeof(m.kind), "%s", kind);
    if (code != NULL)
        snprintf(m.code, sizeof(m.code), "%s", code);
    m.at = now;
    return SLS_DB(db, outbox_insert, &m);
}

bool sls_settings_email_ok(const char *email)
{
    const char *at = strchr(email, '@');
    const unsigned char *p;

    if (at == NULL || at == email || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
        strlen(email) > 254)
        return false;
    for (p = (const unsigned char *)email; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

void sls_settings_answer_review(struct sls_resp *rs, int64_t review_id)
{
    sls_resp_json(
        rs, 202,
        json_pack("{s:s, s:I}", "status", "pending_review", "review_id", (json_int_t)review_id));
}
