/* The store side of activating the mobile authenticator; see
 * ibkey_activation_tx.h. */
#include "server/flows/ibkey_activation_tx.h"

#include <stdio.h>

#include "core/error.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/held_devices.h"
#include "server/flows/notice.h"

#define EVENT "ibkey.activation"

struct vouch_read {
    const char *key;
    int64_t user_id;
    struct sls_ibkey_vouch_read *r;
};

static int vouch_fn(struct sls_db *db, void *arg)
{
    struct vouch_read *v = arg;
    struct sls_ibkey_vouch_read *r = v->r;
    int rc = SLS_DB(db, user_get_by_id, v->user_id, &r->u);

    if (rc == SLS_OK)
        rc = sls_devices_held(db, v->user_id, r->devices, SLS_DEVICE_VIEW_MAX, &r->ndevices);
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_get, v->key, &r->c);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    /* The code's secret holds the device challenge when one was asked. */
    r->has_challenge = rc == SLS_OK && r->c.device_id[0] != '\0';
    if (rc == SLS_OK && !r->has_challenge)
        return SLS_OK;
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_get, r->c.device_id, &r->device);
    if (rc == SLS_OK)
        rc = sls_device_held_by(db, &r->device, v->user_id, &r->device_held);
    if (rc == SLS_ERR_NOT_FOUND)
        rc = SLS_OK;
    return rc;
}

int sls_ibkey_activation_tx_vouch_read(const struct sls_app *app, const char *key, int64_t user_id,
                                       struct sls_ibkey_vouch_read *r)
{
    struct vouch_read v = {key, user_id, r};

    r->ndevices = 0;
    r->has_challenge = false;
    r->device_held = false;
    return sls_store_read(app->store, vouch_fn, &v);
}

/* A new activation replaces the previous app; the app replaces SMS. */
static int retire_previous(struct sls_db *db, struct sls_ibkey_activation_tx *t)
{
    size_t i, n;
    int rc;

    for (i = 0; i < t->ndevices; i++) {
        const struct sls_device_rec *d = &t->devices[i];
        if (d->state != SLS_DEVSTATE_ACTIVE ||
            (d->type != SLS_DEVICE_IBKEY && d->type != SLS_DEVICE_SMS))
            continue;
        rc = sls_field_write_device_state(db, d->id, SLS_DEVSTATE_INACTIVE, t->now);
        if (rc == SLS_OK && d->type == SLS_DEVICE_IBKEY)
            rc = SLS_DB(db, session_revoke_by_device, t->u.id, d->id, &n);
        else
            n = 0;
        if (rc != SLS_OK)
            return rc;
        t->sessions += n;
        if (d->type == SLS_DEVICE_IBKEY)
            t->revoked++;
        else
            t->sms_removed++;
    }
    return SLS_OK;
}

static int apply_fn(struct sls_db *db, void *arg)
{
    struct sls_ibkey_activation_tx *t = arg;
    char detail[200];
    int rc;

    t->revoked = t->sms_removed = t->sessions = 0;
    t->taken = false;
    rc = SLS_DB(db, secret_take, t->key); /* the code, and the challenge in it */
    if (rc == SLS_ERR_NOT_FOUND) {
        t->taken = true;
        return SLS_ERR_CONFLICT; /* roll back: nothing of this activation was used */
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, t->user_id, &t->u);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->u.id, t->devices, SLS_DEVICE_VIEW_MAX, &t->ndevices);
    if (rc == SLS_OK)
        rc = retire_previous(db, t);
    if (rc != SLS_OK)
        return rc;
    t->device.user_id = t->u.id;
    t->device.created_at = t->now;
    t->device.state_changed_at = t->now;
    rc = SLS_DB(db, device_insert, &t->device);
    if (rc == SLS_OK)
        rc = SLS_DB(db, ibkey_key_put, t->device.id, t->public_key, t->mode);
    if (rc != SLS_OK)
        return rc;
    /* The code went to a phone on record (§10.3): the phones stay as they are. */
    rc = sls_notice_queue(db, &t->u, SLS_NOTICE_AUTHENTICATOR_ACTIVATED,
                          sls_notice_device_name(&t->device), t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s mode=%s revoked=%zu sms_removed=%zu sessions_revoked=%zu",
             t->device.id, t->mode == SLS_AUTH_BIOMETRIC ? "biometric" : "pin", t->revoked,
             t->sms_removed, t->sessions);
    return sls_audit_write_user(db, t->now, t->u.username, EVENT, "ok", detail);
}

int sls_ibkey_activation_tx_apply(const struct sls_app *app, struct sls_ibkey_activation_tx *t)
{
    int rc = sls_store_write(app->store, apply_fn, t);

    return t->taken ? SLS_OK : rc;
}
