/* The store side of R34 step-up verification; see step_up_tx.h. */
#include "server/flows/step_up_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/step_up.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/held_devices.h"
#include "server/flows/session_challenge.h"

#define EVENT "session.step_up"

struct held_read {
    int64_t user_id;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t n;
};

static int held_fn(struct sls_db *db, void *arg)
{
    struct held_read *r = arg;
    return sls_devices_held(db, r->user_id, r->devices, SLS_DEVICE_VIEW_MAX, &r->n);
}

int sls_step_up_tx_pick(const struct sls_app *app, int64_t user_id, const char *device_id,
                        struct sls_device_rec *out)
{
    struct held_read *r = calloc(1, sizeof(*r));
    int rc, i = -1;
    size_t k;

    if (r == NULL)
        return SLS_ERR_NOMEM;
    r->user_id = user_id;
    rc = sls_store_read(app->store, held_fn, r);
    if (rc == SLS_OK && device_id != NULL) {
        rc = SLS_ERR_NOT_FOUND;
        for (k = 0; k < r->n; k++) {
            if (strcmp(r->devices[k].id, device_id) == 0) {
                if (sls_step_up_device_ok(r->devices[k].type, r->devices[k].state)) {
                    i = (int)k;
                    rc = SLS_OK;
                }
                break;
            }
        }
    } else if (rc == SLS_OK) {
        i = sls_devices_pick_default(r->devices, r->n, sls_step_up_device_ok);
        if (i < 0)
            rc = SLS_ERR_NO_ACTIVE_DEVICE;
    }
    if (rc == SLS_OK)
        memcpy(out, &r->devices[i], sizeof(*out));
    sls_wipe(r, sizeof(*r));
    free(r);
    return rc;
}

struct answerer_read {
    struct sls_device_rec *d;
    int64_t user_id;
    bool held; /* the user's own, or shared with them (R32) */
};

static int answerer_fn(struct sls_db *db, void *arg)
{
    struct answerer_read *r = arg;
    int rc = SLS_DB(db, device_get, r->d->id, r->d);

    if (rc != SLS_OK)
        return rc;
    return sls_device_held_by(db, r->d, r->user_id, &r->held);
}

int sls_step_up_tx_answerer(const struct sls_app *app, const char *device_id, int64_t user_id,
                            struct sls_device_rec *d, bool *ok)
{
    struct answerer_read r;
    int rc;

    memset(d, 0, sizeof(*d));
    snprintf(d->id, sizeof(d->id), "%s", device_id);
    memset(&r, 0, sizeof(r));
    r.d = d;
    r.user_id = user_id;
    rc = sls_store_read(app->store, answerer_fn, &r);
    *ok = rc == SLS_OK && r.held && sls_step_up_device_ok(d->type, d->state);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

struct verify_tx {
    sls_time now;
    const char *username;
    const char *token_hash;
    const struct sls_secret_rec *c;
    sls_time until;
    bool taken;
};

static int verify_fn(struct sls_db *db, void *arg)
{
    struct verify_tx *t = arg;
    struct sls_session_rec s;
    int rc = sls_session_challenge_take(db, t->c, &t->taken);

    if (rc != SLS_OK || t->taken)
        return rc;
    rc = sls_field_write_session_key(&s, t->token_hash);
    s.verified_until = t->until;
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_update, &s, SLS_SESSION_SET_VERIFIED);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->username, EVENT, "ok", t->c->device_id);
}

int sls_step_up_tx_verify(const struct sls_app *app, const char *token_hash, const char *username,
                          const struct sls_secret_rec *c, sls_time until, sls_time now, bool *taken)
{
    struct verify_tx t;
    int rc;

    memset(&t, 0, sizeof(t));
    t.now = now;
    t.username = username;
    t.token_hash = token_hash;
    t.c = c;
    t.until = until;
    rc = sls_store_write(app->store, verify_fn, &t);
    *taken = t.taken;
    return rc;
}

struct poll_io {
    const char *key;
    struct sls_step_up_tx_poll *r;
};

static int poll_read_fn(struct sls_db *db, void *arg)
{
    struct poll_io *io = arg;
    struct sls_step_up_tx_poll *r = io->r;
    int rc = SLS_DB(db, secret_get, io->key, &r->c);

    r->has_challenge = false;
    r->has_push = false;
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    r->has_challenge = rc == SLS_OK;
    if (rc == SLS_OK && r->c.kind == SLS_CHALLENGE_PUSH) {
        rc = SLS_DB(db, push_get, r->c.challenge, &r->push);
        r->has_push = rc == SLS_OK;
        if (rc == SLS_ERR_NOT_FOUND)
            rc = SLS_OK;
    }
    return rc;
}

int sls_step_up_tx_poll_read(const struct sls_app *app, const char *key,
                             struct sls_step_up_tx_poll *r)
{
    struct poll_io io = {key, r};

    memset(r, 0, sizeof(*r));
    return sls_store_read(app->store, poll_read_fn, &io);
}

static int drop_fn(struct sls_db *db, void *arg)
{
    const struct poll_io *io = arg;
    int rc = SLS_DB(db, secret_take, io->key);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

int sls_step_up_tx_drop(const struct sls_app *app, const char *key)
{
    struct poll_io io = {key, NULL};

    return sls_store_write(app->store, drop_fn, &io);
}
