/* The store side of ordering a DSC+; see dsc_plus_order_tx.h. */
#include "server/flows/dsc_plus_order_tx.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "server/flows/audit_event.h"

/* Whether order o is open (R21), its card looked up among the user's devices. */
static bool order_open(const struct sls_dsc_order_rec *o, const struct sls_device_rec *devs,
                       size_t n)
{
    const struct sls_device_rec *card = NULL;

    for (size_t i = 0; card == NULL && o->state != SLS_DSC_ORDER_ORDERED && i < n; i++)
        if (strcmp(devs[i].id, o->device_id) == 0)
            card = &devs[i];
    return sls_dsc_plus_order_open(o->state != SLS_DSC_ORDER_ORDERED,
                                   o->state != SLS_DSC_ORDER_ORDERED &&
                                       o->state != SLS_DSC_ORDER_SHIPPED,
                                   card != NULL, card != NULL ? card->state : SLS_DEVSTATE_SHIPPED);
}

struct order_tx {
    const struct sls_app *app;
    struct sls_dsc_plus_order_tx *t;
};

static int order_fn(struct sls_db *db, void *arg)
{
    struct order_tx *x = arg;
    struct sls_dsc_plus_order_tx *t = x->t;
    const struct sls_dsc_plus_policy *policy = &x->app->cfg.dsc_plus;
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    struct sls_dsc_plus_order_facts f;
    const char *address = t->address;
    size_t ndev = 0, nord = 0, i;
    char detail[160];
    int rc;

    memset(&f, 0, sizeof(f));
    rc = SLS_DB(db, user_get_by_id, t->user_id, &t->user);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->user_id, t->devices, SLS_DEVICE_VIEW_MAX, &ndev);
    if (rc == SLS_OK)
        rc = SLS_DB(db, dsc_order_list, t->user_id, -1, t->orders, SLS_DSC_PLUS_ORDER_TX_ORDERS,
                    &nord);
    if (rc != SLS_OK)
        return rc;
    for (i = 0; i < ndev; i++) {
        briefs[i].type = t->devices[i].type;
        briefs[i].state = t->devices[i].state;
    }
    for (i = 0; i < nord; i++)
        f.open_order = f.open_order || order_open(&t->orders[i], t->devices, ndev);
    /* No address given: the one of the latest order (orders come oldest first). */
    if (address == NULL && nord > 0)
        address = t->orders[nord - 1].address;
    f.equity_cents = t->user.equity_cents;
    f.devices = briefs;
    f.ndevices = ndev;
    f.has_address = address != NULL;
    f.deposit_own = strcmp(t->deposit_account, t->user.account_id) == 0;
    /* Another account is read only when the rest would let the order through. */
    if (!f.deposit_own && sls_dsc_plus_order_decide(&f, policy, &t->v) == SLS_ERR_BAD_REQUEST &&
        f.has_address) {
        rc = SLS_DB(db, user_get_by_account, t->deposit_account, &t->other);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        f.deposit_same_identity = rc == SLS_OK && t->user.identity_json[0] != '\0' &&
                                  strcmp(t->user.identity_json, t->other.identity_json) == 0;
    }
    if (sls_dsc_plus_order_decide(&f, policy, &t->v) != SLS_OK)
        return SLS_OK;
    t->order.user_id = t->user_id;
    t->order.state = SLS_DSC_ORDER_ORDERED;
    snprintf(t->order.address, sizeof(t->order.address), "%s", address);
    snprintf(t->order.deposit_account, sizeof(t->order.deposit_account), "%s", t->deposit_account);
    t->order.hold_cents = policy->hold_cents;
    t->order.ordered_at = t->now;
    t->order.estimated_ship_at = sls_dsc_plus_estimated_ship(t->now);
    rc = SLS_DB(db, dsc_order_insert, &t->order);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s deposit=%s hold_cents=%lld", t->order.id, t->v.reason,
             t->order.deposit_account, (long long)t->order.hold_cents);
    return sls_audit_write_user(db, t->now, t->user.username, "dsc_plus.order", "ok", detail);
}

int sls_dsc_plus_order_tx_apply(const struct sls_app *app, struct sls_dsc_plus_order_tx *t)
{
    struct order_tx x = {app, t};
    return sls_store_write(app->store, order_fn, &x);
}
