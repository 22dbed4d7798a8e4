/* The store side of R30 SLS participation; see participation_tx.h. */
#include "server/flows/participation_tx.h"

#include "core/error.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"
#include "server/flows/session_challenge.h"

static int apply_fn(struct sls_db *db, void *arg)
{
    struct sls_participation_tx *t = arg;
    struct sls_user_rec w;
    int rc;

    t->taken = false;
    if (t->c != NULL) {
        rc = sls_session_challenge_take(db, t->c, &t->taken);
        if (rc != SLS_OK || t->taken)
            return rc;
    }
    w = *t->user;
    w.sls = t->participate;
    rc = sls_field_write_user(db, &w, SLS_USER_SET_SLS);
    if (rc == SLS_OK && !t->participate && t->user->sls)
        rc = sls_notice_queue(db, t->user, SLS_NOTICE_LEFT_SLS, NULL, t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username,
                                t->participate ? "sls.opt_in" : "sls.opt_out", "ok",
                                t->c != NULL ? t->c->device_id : NULL);
}

int sls_participation_tx_apply(const struct sls_app *app, struct sls_participation_tx *t)
{
    return sls_store_write(app->store, apply_fn, t);
}
