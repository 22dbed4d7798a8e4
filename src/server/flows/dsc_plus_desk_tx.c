/* The store side of R21 DSC+ work at the service desk; see
 * dsc_plus_desk_tx.h. */
#include "server/flows/dsc_plus_desk_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "server/flows/audit_event.h"
#include "server/flows/dsc_order_moves.h"
#include "server/flows/field_write.h"
#include "server/flows/held_devices.h"

/* Inside the transaction: the user named username, then their order
 * order_id (or else their device device_id). *outcome says which is missing
 * (a record of another user is missing too). Returns SLS_OK or the store's
 * error. */
static int desk_read(struct sls_db *db, const char *username, struct sls_user_rec *user,
                     const char *order_id, struct sls_dsc_order_rec *order, const char *device_id,
                     struct sls_device_rec *device, enum sls_dsc_plus_desk_outcome *outcome)
{
    int64_t owner = 0;
    int rc = SLS_DB(db, user_get_by_name, username, user);

    *outcome = SLS_DSC_PLUS_DESK_DONE;
    if (rc == SLS_ERR_NOT_FOUND) {
        *outcome = SLS_DSC_PLUS_DESK_NO_USER;
        return SLS_OK;
    }
    if (rc == SLS_OK && order_id != NULL) {
        rc = SLS_DB(db, dsc_order_get, order_id, order);
        owner = order->user_id;
    } else if (rc == SLS_OK) {
        rc = SLS_DB(db, device_get, device_id, device);
        owner = device->user_id;
    }
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && owner != user->id)) {
        *outcome = SLS_DSC_PLUS_DESK_NO_RECORD;
        return SLS_OK;
    }
    return rc;
}

static int ship_fn(struct sls_db *db, void *arg)
{
    struct sls_dsc_ship_tx *t = arg;
    char detail[200];
    int rc = desk_read(db, t->username, &t->user, t->order_id, &t->order, NULL, NULL, &t->outcome);

    if (rc != SLS_OK || t->outcome != SLS_DSC_PLUS_DESK_DONE)
        return rc;
    if (t->order.state != SLS_DSC_ORDER_ORDERED) {
        t->outcome = SLS_DSC_PLUS_DESK_SHIPPED;
        return SLS_OK;
    }
    t->device.user_id = t->user.id;
    t->device.type = SLS_DEVICE_DSC_PLUS;
    t->device.state = SLS_DEVSTATE_SHIPPED;
    memcpy(t->device.pin, t->order.pin, t->order.pin_len);
    t->device.pin_len = t->order.pin_len;
    t->device.created_at = t->now;
    t->device.state_changed_at = t->now;
    rc = SLS_DB(db, device_insert, &t->device);
    if (rc == SLS_OK)
        rc = sls_dsc_order_ship(db, &t->order, t->device.id, t->now);
    if (rc != SLS_OK)
        return rc;
    t->order.state = SLS_DSC_ORDER_SHIPPED;
    t->order.shipped_at = t->now;
    snprintf(t->order.device_id, sizeof(t->order.device_id), "%s", t->device.id);
    snprintf(detail, sizeof(detail), "%s order=%s serial=%s", t->device.id, t->order.id,
             t->device.serial);
    return sls_audit_write(db, t->now, t->actor, t->user.username, "dsc_plus.ship", "ok", detail);
}

int sls_dsc_ship_tx_apply(const struct sls_app *app, struct sls_dsc_ship_tx *t)
{
    return sls_store_write(app->store, ship_fn, t);
}

static int returned_fn(struct sls_db *db, void *arg)
{
    struct sls_device_returned_tx *t = arg;
    size_t n = 0, shared = 0;
    char detail[200];
    int rc;

    t->order = NULL;
    t->nsessions = 0;
    rc = desk_read(db, t->username, &t->user, NULL, NULL, t->device_id, &t->device, &t->outcome);
    if (rc != SLS_OK || t->outcome != SLS_DSC_PLUS_DESK_DONE)
        return rc;
    t->why = sls_device_return_check(t->device.type, t->device.state);
    if (t->why != SLS_DEVICE_RETURN_OK) {
        t->outcome = SLS_DSC_PLUS_DESK_REFUSED;
        return SLS_OK;
    }
    rc = sls_field_write_device_state(db, t->device.id, SLS_DEVSTATE_RETURNED, t->now);
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_device, t->user.id, t->device.id, &t->nsessions);
    if (rc == SLS_OK)
        rc = sls_shared_sessions_revoke(db, t->device.id, &shared);
    t->nsessions += shared;
    if (rc == SLS_OK)
        rc =
            SLS_DB(db, dsc_order_list, t->user.id, -1, t->orders, SLS_DSC_PLUS_DESK_ORDERS_MAX, &n);
    if (rc != SLS_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (t->orders[i].state != SLS_DSC_ORDER_ORDERED &&
            strcmp(t->orders[i].device_id, t->device.id) == 0)
            t->order = &t->orders[i];
    if (t->order != NULL && t->order->state == SLS_DSC_ORDER_SHIPPED) {
        rc = sls_dsc_order_settle(db, t->order, t->now);
        if (rc != SLS_OK)
            return rc;
    }
    snprintf(detail, sizeof(detail), "%s %s was=%s order=%s sessions_revoked=%zu", t->device.id,
             sls_device_type_name(t->device.type), sls_device_state_name(t->device.state),
             t->order ? t->order->id : "-", t->nsessions);
    t->device.state = SLS_DEVSTATE_RETURNED;
    t->device.state_changed_at = t->now;
    return sls_audit_write(db, t->now, t->actor, t->user.username, "device.returned", "ok", detail);
}

int sls_device_returned_tx_apply(const struct sls_app *app, struct sls_device_returned_tx *t)
{
    return sls_store_write(app->store, returned_fn, t);
}
