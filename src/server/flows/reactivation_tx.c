/* The store side of R28 reactivation; see reactivation_tx.h. */
#include "server/flows/reactivation_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/reactivation.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/device_auth.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"
#include "server/flows/session_challenge.h"

#define EVENT "device.reactivate"

struct device_read {
    const char *id;
    struct sls_device_rec *d;
    bool shared_away;
};

static int device_read_fn(struct sls_db *db, void *arg)
{
    struct device_read *r = arg;
    struct sls_sharing_rec sharing;
    int rc = SLS_DB(db, device_get, r->id, r->d);

    r->shared_away = false;
    if (rc != SLS_OK || r->d->state != SLS_DEVSTATE_INACTIVE)
        return rc;
    rc = SLS_DB(db, sharing_get_open, r->d->user_id, &sharing);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    r->shared_away = rc == SLS_OK && sharing.state == SLS_SHARING_STATE_ACTIVE &&
                     strstr(sharing.inactivated, r->d->id) != NULL;
    return rc;
}

int sls_reactivation_tx_read(const struct sls_app *app, const char *id, struct sls_device_rec *d,
                             bool *shared_away)
{
    struct device_read r = {id, d, false};
    int rc = sls_store_read(app->store, device_read_fn, &r);

    *shared_away = r.shared_away;
    return rc;
}

struct apply_tx {
    struct sls_reactivation_tx *t;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t ndevices;
};

/* Binds the asking session to the reactivated device, with its access. */
static int rebind(struct sls_db *db, const struct sls_reactivation_tx *t)
{
    struct sls_session_rec s;
    int rc = sls_field_write_session_key(&s, t->token_hash);

    if (rc != SLS_OK)
        return rc;
    s.factor = t->device.type;
    s.access = t->access;
    rc = sls_field_write_text(s.device_id, sizeof(s.device_id), t->device.id);
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_update, &s, SLS_SESSION_SET_FACTOR);
    return rc;
}

/* Revokes every temporary credential of the user (R28) with its sessions. */
static int revoke_temporary(struct sls_db *db, struct apply_tx *x)
{
    struct sls_reactivation_tx *t = x->t;
    char key[128];
    size_t i, n;
    int rc;

    for (i = 0; i < x->ndevices; i++) {
        const struct sls_device_rec *d = &x->devices[i];
        if (!sls_reactivation_revokes(d->type, d->state))
            continue;
        n = 0;
        rc = sls_field_write_device_state(db, d->id, SLS_DEVSTATE_INACTIVE, t->now);
        if (rc == SLS_OK)
            rc = SLS_DB(db, session_revoke_by_device, t->user->id, d->id, &n);
        sls_card_activation_key(key, sizeof(key), d->id);
        if (rc == SLS_OK && d->state == SLS_DEVSTATE_SHIPPED) {
            rc = SLS_DB(db, secret_take, key);
            if (rc == SLS_ERR_NOT_FOUND)
                rc = SLS_OK;
        }
        if (rc != SLS_OK)
            return rc;
        t->nsessions += n;
        snprintf(t->revoked[t->nrevoked], sizeof(t->revoked[0]), "%s", d->id);
        t->nrevoked++;
    }
    return SLS_OK;
}

static int apply_fn(struct sls_db *db, void *arg)
{
    struct apply_tx *x = arg;
    struct sls_reactivation_tx *t = x->t;
    char detail[300];
    bool taken;
    int rc;

    t->changed = false;
    t->nsessions = 0;
    t->nrevoked = 0;
    rc = sls_session_challenge_take(db, t->c, &taken);
    if (rc != SLS_OK)
        return rc;
    if (!taken)
        rc = SLS_DB(db, device_get, t->c->device_id, &t->device);
    if (taken || rc == SLS_ERR_NOT_FOUND ||
        (rc == SLS_OK &&
         (t->device.user_id != t->user->id ||
          sls_reactivation_check(t->device.type, t->device.state) != SLS_REACTIVATION_ALLOWED))) {
        t->changed = true;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = sls_field_write_device_state(db, t->device.id, SLS_DEVSTATE_ACTIVE, t->now);
    /* The asking session now stands on the device, so revoking the temporary
     * credentials below does not end it. */
    if (rc == SLS_OK)
        rc = rebind(db, t);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->user->id, x->devices, SLS_DEVICE_VIEW_MAX, &x->ndevices);
    if (rc == SLS_OK)
        rc = revoke_temporary(db, x);
    if (rc != SLS_OK)
        return rc;
    t->device.state = SLS_DEVSTATE_ACTIVE;
    rc = sls_notice_queue_id(db, t->user->id, SLS_NOTICE_DEVICE_ACTIVATED,
                             sls_notice_device_name(&t->device), t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s revoked=%zu sessions_revoked=%zu", t->device.id,
             sls_device_type_name(t->device.type), t->nrevoked, t->nsessions);
    return sls_audit_write_user(db, t->now, t->user->username, EVENT, "ok", detail);
}

int sls_reactivation_tx_apply(const struct sls_app *app, struct sls_reactivation_tx *t)
{
    struct apply_tx *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return SLS_ERR_NOMEM;
    x->t = t;
    rc = sls_store_write(app->store, apply_fn, x);
    sls_wipe(x, sizeof(*x));
    free(x);
    return rc;
}
