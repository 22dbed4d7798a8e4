/* The store side of R21 DSC+ work at the service desk: shipping an order
 * (the card created shipped with the order's PIN, the order marked shipped)
 * and recording a returned device (it stops working, its sessions end, the
 * deposit of its order is released), each in one transaction audited with
 * the agent's name. */
#ifndef SLS_SERVER_DSC_PLUS_DESK_TX_H
#define SLS_SERVER_DSC_PLUS_DESK_TX_H

#include <stddef.h>

#include "core/dsc_plus.h"
#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

#define SLS_DSC_PLUS_DESK_ORDERS_MAX 100 /* orders of one user looked through */

/* What a desk transaction came to. */
enum sls_dsc_plus_desk_outcome {
    SLS_DSC_PLUS_DESK_DONE = 0,
    SLS_DSC_PLUS_DESK_NO_USER,   /* no user of that name */
    SLS_DSC_PLUS_DESK_NO_RECORD, /* no such order (device) of that user */
    SLS_DSC_PLUS_DESK_SHIPPED,   /* ship: the order was shipped already */
    SLS_DSC_PLUS_DESK_REFUSED,   /* returned: see `why` */
};

struct sls_dsc_ship_tx {
    /* in */
    sls_time now;
    const char *actor; /* "agent:<name>" */
    const char *username;
    const char *order_id;
    struct sls_device_rec device; /* id, serial, label and sealed secret */
    /* out */
    enum sls_dsc_plus_desk_outcome outcome;
    struct sls_user_rec user;
    struct sls_dsc_order_rec order; /* as shipped */
};

/* In one transaction: creates t->device as the shipped dsc_plus of the
 * user's order t->order_id with the PIN chosen with the order, marks the
 * order shipped and audits. Returns SLS_OK (t->outcome) or the store's
 * error. */
int sls_dsc_ship_tx_apply(const struct sls_app *app, struct sls_dsc_ship_tx *t);

struct sls_device_returned_tx {
    /* in */
    sls_time now;
    const char *actor; /* "agent:<name>" */
    const char *username;
    const char *device_id;
    /* out */
    enum sls_dsc_plus_desk_outcome outcome;
    enum sls_device_return why; /* REFUSED: why */
    struct sls_user_rec user;
    struct sls_device_rec device; /* as returned */
    struct sls_dsc_order_rec orders[SLS_DSC_PLUS_DESK_ORDERS_MAX];
    const struct sls_dsc_order_rec *order; /* the order that shipped the device, or NULL */
    size_t nsessions;                      /* sessions ended, shared ones too */
};

/* In one transaction: records the user's device t->device_id returned when
 * sls_device_return_check allows it, ends its sessions (those opened by
 * users it is shared with too), settles the order that shipped it and
 * audits. Returns SLS_OK (t->outcome) or the store's error. */
int sls_device_returned_tx_apply(const struct sls_app *app, struct sls_device_returned_tx *t);

#endif
