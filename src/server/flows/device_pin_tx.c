/* The store side of changing a card's PIN; see device_pin_tx.h. */
#include "server/flows/device_pin_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"

#define EVENT "device.pin_change"

static int pin_fn(struct sls_db *db, void *arg)
{
    struct sls_device_pin_tx *t = arg;
    struct sls_device_rec d;
    char detail[96];
    int rc = SLS_DB(db, device_get, t->checked->id, &d);

    t->changed = false;
    if (rc != SLS_OK)
        return rc;
    /* The PIN checked must still be the one stored (no change in between). */
    if (d.state != t->checked->state || d.pin_len != t->checked->pin_len ||
        memcmp(d.pin, t->checked->pin, d.pin_len) != 0) {
        t->changed = true;
        sls_wipe(&d, sizeof(d));
        return SLS_OK;
    }
    if (t->pin_len > sizeof(d.pin)) {
        sls_wipe(&d, sizeof(d));
        return SLS_ERR_STORE;
    }
    memcpy(d.pin, t->pin, t->pin_len);
    d.pin_len = t->pin_len;
    rc = SLS_DB(db, device_update, &d, SLS_DEVICE_SET_PIN);
    snprintf(detail, sizeof(detail), "%s %s", d.id, sls_device_type_name(d.type));
    sls_wipe(&d, sizeof(d));
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->username, EVENT, "ok", detail);
}

int sls_device_pin_tx_apply(const struct sls_app *app, struct sls_device_pin_tx *t)
{
    return sls_store_write(app->store, pin_fn, t);
}
