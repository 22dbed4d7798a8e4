/* Reading R21 DSC+ orders as they are shown, to the user and to the desk:
 * each order with its card (once shipped) and, for the desk, its user. */
#ifndef SLS_SERVER_DSC_ORDERS_READ_H
#define SLS_SERVER_DSC_ORDERS_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_DSC_ORDERS_READ_MAX 100 /* orders read at once, at most */

/* One order as shown. */
struct sls_dsc_order_row {
    struct sls_dsc_order_rec order;
    struct sls_device_rec device; /* its card, when shipped */
    bool shipped;                 /* the card was found */
    struct sls_user_rec user;     /* with_users: the ordering user */
};

struct sls_dsc_orders_read {
    /* in */
    int64_t user_id;      /* the orders of this user; 0: every user's */
    const char *username; /* not NULL: of the user so named instead */
    int state;            /* an enum sls_dsc_order_state; -1: any */
    size_t max;           /* at most this many (up to SLS_DSC_ORDERS_READ_MAX) */
    bool with_users;      /* read each order's user */
    /* out */
    struct sls_dsc_order_row rows[SLS_DSC_ORDERS_READ_MAX];
    size_t n;
};

/* Reads the orders asked for, oldest first, into r->rows. Returns SLS_OK,
 * SLS_ERR_NOT_FOUND when r->username names nobody, or the store's error. */
int sls_dsc_orders_read(const struct sls_app *app, struct sls_dsc_orders_read *r);

#endif
