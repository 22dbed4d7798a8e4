/* A new password for a user in the store; see password_tx.h. */
#include "server/flows/password_tx.h"

#include <stdio.h>

#include "core/error.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"

int sls_password_set(struct sls_db *db, sls_time now, const struct sls_user_rec *u,
                     const char *hash, const char *keep_token_hash, size_t *revoked)
{
    struct sls_user_rec w = *u;
    int rc = sls_field_write_text(w.password_hash, sizeof(w.password_hash), hash);

    *revoked = 0;
    if (rc == SLS_OK)
        rc = sls_field_write_user(db, &w, SLS_USER_SET_PASSWORD);
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_user, u->id, keep_token_hash, revoked);
    if (rc != SLS_OK)
        return rc;
    return sls_notice_queue(db, u, SLS_NOTICE_PASSWORD_CHANGED, NULL, now);
}

static int change_fn(struct sls_db *db, void *arg)
{
    struct sls_password_change_tx *t = arg;
    char detail[64];
    int rc = sls_password_set(db, t->now, t->user, t->hash, t->token_hash, &t->revoked);

    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "sessions_revoked=%zu", t->revoked);
    return sls_audit_write_user(db, t->now, t->user->username, "password.change", "ok", detail);
}

int sls_password_change_tx_apply(const struct sls_app *app, struct sls_password_change_tx *t)
{
    return sls_store_write(app->store, change_fn, t);
}
