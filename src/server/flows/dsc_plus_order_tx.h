/* The store side of ordering an R21 Digital Security Card+ (POST
 * /v1/me/dsc-plus): one transaction reads what the order is decided on
 * (the user, their devices, their orders, the deposit account's holder),
 * asks core/dsc_plus.h, and places the order when it may be placed, so two
 * orders sent at once give one order. */
#ifndef SLS_SERVER_DSC_PLUS_ORDER_TX_H
#define SLS_SERVER_DSC_PLUS_ORDER_TX_H

#include <stdint.h>

#include "core/dsc_plus.h"
#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

#define SLS_DSC_PLUS_ORDER_TX_ORDERS 32 /* orders of the user read at once */

struct sls_dsc_plus_order_tx {
    /* in */
    sls_time now;
    int64_t user_id;
    const char *address;            /* NULL: the address of the latest order */
    const char *deposit_account;    /* U + 7 digits */
    struct sls_dsc_order_rec order; /* id and sealed pin set by the caller */
    /* out */
    struct sls_dsc_plus_order_verdict v; /* v.err SLS_OK: order placed */
    /* scratch */
    struct sls_user_rec user;
    struct sls_user_rec other; /* the holder of another deposit account */
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    struct sls_dsc_order_rec orders[SLS_DSC_PLUS_ORDER_TX_ORDERS];
};

/* In one transaction: decides the order (sls_dsc_plus_order_decide) and,
 * when it may be placed, inserts t->order (completed: address, deposit, hold
 * and estimated ship date) and audits. Returns SLS_OK (t->v says what was
 * decided) or the store's error. */
int sls_dsc_plus_order_tx_apply(const struct sls_app *app, struct sls_dsc_plus_order_tx *t);

#endif
