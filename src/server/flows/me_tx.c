/* The store side of the signed-in user's own API; see me_tx.h. */
#include "server/flows/me_tx.h"

#include "core/error.h"
#include "server/flows/field_write.h"
#include "server/flows/held_devices.h"

static int read_fn(struct sls_db *db, void *arg)
{
    struct sls_me_tx_read *r = arg;
    int rc = sls_devices_held(db, r->user_id, r->devices, SLS_DEVICE_VIEW_MAX, &r->n);

    if (rc == SLS_OK)
        rc = sls_limits_read(db, &r->limits);
    return rc;
}

int sls_me_tx_read(const struct sls_app *app, struct sls_me_tx_read *r)
{
    return sls_store_read(app->store, read_fn, r);
}

struct logout {
    const char *token_hash;
};

static int logout_fn(struct sls_db *db, void *arg)
{
    struct logout *l = arg;
    struct sls_session_rec s;
    int rc = sls_field_write_session_key(&s, l->token_hash);

    if (rc != SLS_OK)
        return rc;
    s.revoked = true;
    return SLS_DB(db, session_update, &s, SLS_SESSION_SET_REVOKED);
}

int sls_me_tx_logout(const struct sls_app *app, const char *token_hash)
{
    struct logout l = {token_hash};

    return sls_store_write(app->store, logout_fn, &l);
}
