/* Audit record helpers: fill and append, inside the caller's transaction. */
#include "server/flows/audit_event.h"

#include <stdio.h>
#include <string.h>

void sls_audit_event(struct sls_audit_rec *r, sls_time at, const char *actor, const char *username,
                     const char *event, const char *outcome, const char *detail)
{
    memset(r, 0, sizeof(*r));
    r->at = at;
    snprintf(r->actor, sizeof(r->actor), "%s", actor ? actor : "system");
    snprintf(r->username, sizeof(r->username), "%s", username ? username : "");
    snprintf(r->event, sizeof(r->event), "%s", event);
    snprintf(r->outcome, sizeof(r->outcome), "%s", outcome ? outcome : "ok");
    snprintf(r->detail, sizeof(r->detail), "%s", detail ? detail : "");
}

int sls_audit_write(struct sls_db *db, sls_time at, const char *actor, const char *username,
                    const char *event, const char *outcome, const char *detail)
{
    struct sls_audit_rec r;

    sls_audit_event(&r, at, actor, username, event, outcome, detail);
    return SLS_DB(db, audit_append, &r);
}

int sls_audit_write_user(struct sls_db *db, sls_time at, const char *username, const char *event,
                         const char *outcome, const char *detail)
{
    char actor[64];

    snprintf(actor, sizeof(actor), "user:%s", username);
    return sls_audit_write(db, at, actor, username, event, outcome, detail);
}
