/* The store side of changing a card's PIN kept on the server (POST
 * /v1/me/devices/{id}/pin): the new PIN, sealed, is written only while the
 * device is as it was when its current PIN was checked. */
#ifndef SLS_SERVER_DEVICE_PIN_TX_H
#define SLS_SERVER_DEVICE_PIN_TX_H

#include <stdbool.h>

#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

struct sls_device_pin_tx {
    /* in */
    sls_time now;
    const char *username;
    const struct sls_device_rec *checked; /* the device as read when its PIN was checked */
    const uint8_t *pin;                   /* the new PIN, sealed */
    size_t pin_len;
    /* out */
    bool changed; /* the device changed since it was read: nothing written */
};

/* In one transaction: sets the PIN of t->checked when its state and PIN are
 * still those read, and audits. Returns SLS_OK (t->changed) or the store's
 * error. */
int sls_device_pin_tx_apply(const struct sls_app *app, struct sls_device_pin_tx *t);

#endif
