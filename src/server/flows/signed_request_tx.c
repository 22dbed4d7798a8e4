/* The store side of signed app requests; see signed_request_tx.h. */
#include "server/flows/signed_request_tx.h"

#include <stdio.h>

#include "core/error.h"
#include "server/flows/audit_event.h"

struct caller_read {
    const char *device_id;
    struct sls_device_rec *d;
    struct sls_user_rec *u;
    uint8_t *public_key;
    int *mode;
};

static int caller_fn(struct sls_db *db, void *arg)
{
    struct caller_read *r = arg;
    int rc = SLS_DB(db, device_get, r->device_id, r->d);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, r->d->user_id, r->u);
    if (rc == SLS_OK)
        rc = SLS_DB(db, ibkey_key_get, r->device_id, r->public_key, r->mode);
    return rc;
}

int sls_signed_request_tx_read(const struct sls_app *app, const char *device_id,
                               struct sls_device_rec *d, struct sls_user_rec *u,
                               uint8_t public_key[32], int *mode)
{
    struct caller_read r = {device_id, d, u, public_key, mode};

    return sls_store_read(app->store, caller_fn, &r);
}

struct mark {
    const char *device_id;
    sls_time ts;
    const char *signature;
    sls_time prune_before;
};

static int mark_fn(struct sls_db *db, void *arg)
{
    struct mark *m = arg;
    return SLS_DB(db, signed_request_mark, m->device_id, m->ts, m->signature, m->prune_before);
}

int sls_signed_request_tx_mark(const struct sls_app *app, const char *device_id, sls_time ts,
                               const char *signature, sls_time prune_before)
{
    struct mark m = {device_id, ts, signature, prune_before};

    return sls_store_write(app->store, mark_fn, &m);
}

struct audit {
    sls_time now;
    const char *actor;
    const char *username;
    const char *event;
    const char *outcome;
    const char *detail;
};

static int audit_fn(struct sls_db *db, void *arg)
{
    struct audit *a = arg;
    return sls_audit_write(db, a->now, a->actor, a->username, a->event, a->outcome, a->detail);
}

int sls_signed_request_tx_audit(const struct sls_app *app, sls_time now, const char *username,
                                const char *event, const char *outcome, const char *detail)
{
    char actor[64];
    struct audit a = {now, actor, username, event, outcome, detail};

    snprintf(actor, sizeof(actor), "%s%s", username[0] ? "user:" : "app",
             username[0] ? username : "");
    return sls_store_write(app->store, audit_fn, &a);
}
