/* Reading R21 DSC+ orders as they are shown; see dsc_orders_read.h. */
#include "server/flows/dsc_orders_read.h"

#include <stdlib.h>

#include "core/error.h"
#include "crypto/secmem.h"

struct orders_read {
    struct sls_dsc_orders_read *r;
    struct sls_dsc_order_rec orders[SLS_DSC_ORDERS_READ_MAX];
    struct sls_user_rec user; /* scratch */
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct orders_read *x = arg;
    struct sls_dsc_orders_read *r = x->r;
    int64_t user_id = r->user_id;
    size_t max = r->max < SLS_DSC_ORDERS_READ_MAX ? r->max : SLS_DSC_ORDERS_READ_MAX;
    int rc = SLS_OK;

    r->n = 0;
    if (r->username != NULL) {
        rc = SLS_DB(db, user_get_by_name, r->username, &x->user);
        if (rc != SLS_OK)
            return rc;
        user_id = x->user.id;
    }
    rc = SLS_DB(db, dsc_order_list, user_id, r->state, x->orders, max, &r->n);
    for (size_t i = 0; rc == SLS_OK && i < r->n; i++) {
        struct sls_dsc_order_row *row = &r->rows[i];
        row->order = x->orders[i];
        row->shipped = false;
        if (r->with_users)
            rc = SLS_DB(db, user_get_by_id, row->order.user_id, &row->user);
        if (rc == SLS_OK && row->order.state != SLS_DSC_ORDER_ORDERED) {
            rc = SLS_DB(db, device_get, row->order.device_id, &row->device);
            row->shipped = rc == SLS_OK;
            if (rc == SLS_ERR_NOT_FOUND)
                rc = SLS_OK;
        }
    }
    return rc;
}

int sls_dsc_orders_read(const struct sls_app *app, struct sls_dsc_orders_read *r)
{
    struct orders_read *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return SLS_ERR_NOMEM;
    x->r = r;
    rc = sls_store_read(app->store, read_fn, x);
    sls_wipe(x, sizeof(*x));
    free(x);
    return rc;
}
