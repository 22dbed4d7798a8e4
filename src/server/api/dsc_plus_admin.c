/* R21 Digital Security Card+ at the service desk: shipping an order
 * (POST /v1/admin/users/{u}/devices with order_id), recording a returned
 * device (POST /v1/admin/users/{u}/devices/{id}/returned) and listing orders
 * (GET /v1/admin/dsc-plus-orders?user=&state=).
 *
 * Shipping creates the card in state shipped with the serial and secret
 * given and the PIN chosen with the order, and marks the order shipped, in
 * one transaction: the auto-activation clock (21 days) starts then. A return
 * makes the device `returned` (it stops working, its sessions end) and
 * releases the deposit of its order. These are not login assistance: no
 * identity verification is needed (SPEC §6), but every one is audited with
 * the agent's name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/dsc_plus_admin.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/username.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/api/dsc_plus_order.h"
#include "server/flows/held_devices.h"

#define MAX_ORDERS    100 /* orders listed at once */
#define SECRET_MAX    64  /* bytes of a card secret decoded from hex */
#define MSG_NO_USER   "No such user"
#define MSG_NO_ORDER  "No such order for this user"
#define MSG_NO_DEVICE "No such device for this user"

static void agent_actor(const struct sls_req *rq, char *out, size_t len)
{
    snprintf(out, len, "agent:%s", rq->agent);
}

/* ---- shipping an order ---- */

struct ship_tx {
    /* in */
    sls_time now;
    const char *actor;
    const char *username;
    const char *order_id;
    struct sls_device_rec device; /* id, serial, label, secret set by the handler */
    const struct sls_dsc_plus_policy *policy;
    /* out */
    struct sls_user_rec user;
    struct sls_dsc_order_rec order;
    int err;
    const char *message;
};

static int ship_fn(struct sls_db *db, void *arg)
{
    struct ship_tx *t = arg;
    char detail[200];
    int rc;

    t->err = SLS_OK;
    rc = SLS_DB(db, user_get_by_name, t->username, &t->user);
    if (rc == SLS_ERR_NOT_FOUND) {
        t->err = SLS_ERR_NOT_FOUND;
        t->message = MSG_NO_USER;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, dsc_order_get, t->order_id, &t->order);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && t->order.user_id != t->user.id)) {
        t->err = SLS_ERR_NOT_FOUND;
        t->message = MSG_NO_ORDER;
        return SLS_OK;
    }
    if (rc != SLS_OK)
        return rc;
    if (t->order.state != SLS_DSC_ORDER_ORDERED) {
        t->err = SLS_ERR_CONFLICT;
        t->message = "This order has already been shipped";
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
        rc = SLS_DB(db, dsc_order_ship, t->order.id, t->device.id, t->now);
    if (rc != SLS_OK)
        return rc;
    t->order.state = SLS_DSC_ORDER_SHIPPED;
    t->order.shipped_at = t->now;
    snprintf(t->order.device_id, sizeof(t->order.device_id), "%s", t->device.id);
    snprintf(detail, sizeof(detail), "%s order=%s serial=%s", t->device.id, t->order.id,
             t->device.serial);
    return sls_audit_write(db, t->now, t->actor, t->user.username, "dsc_plus.ship", "ok", detail);
}

void sls_api_admin_dsc_plus_ship(struct sls_req *rq, struct sls_resp *rs)
{
    struct ship_tx *t;
    const char *order_id, *type, *serial, *secret_hex, *label, *pin, *state;
    uint8_t *key = sls_req_alloc(rq, SECRET_MAX); /* the card's secret: wiped with the arena */
    size_t klen = 0;
    char actor[80];
    json_t *o;
    int rc;

    t = sls_req_alloc(rq, sizeof(*t));
    if (t == NULL || key == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "order_id", true, 64, &order_id) ||
        !sls_body_str(rq, rs, "type", false, 32, &type) ||
        !sls_body_str(rq, rs, "serial", true, sizeof(t->device.serial) - 1, &serial) ||
        !sls_body_str(rq, rs, "secret_hex", true, 128, &secret_hex) ||
        !sls_body_str(rq, rs, "label", false, sizeof(t->device.label) - 1, &label) ||
        !sls_body_str(rq, rs, "pin", false, 16, &pin) ||
        !sls_body_str(rq, rs, "state", false, 16, &state))
        return;
    if (type != NULL && strcmp(type, "dsc_plus") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "An order ships a dsc_plus", NULL);
        return;
    }
    if (pin != NULL || (state != NULL && strcmp(state, "shipped") != 0)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "A shipped order takes the PIN chosen with it and starts shipped", NULL);
        return;
    }
    if (strlen(rq->params[0]) > SLS_USERNAME_MAX) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_USER, NULL);
        return;
    }
    if (!sls_id_valid(order_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_ORDER, NULL);
        return;
    }
    if (serial[0] == '\0') {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'serial' must not be empty", NULL);
        return;
    }
    /* The card computes HMAC-SHA1: 20-byte secrets (RFC 6287 App. C). */
    if (sls_hex_decode(secret_hex, strlen(secret_hex), key, SECRET_MAX, &klen) != 0 || klen != 20) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'secret_hex' must be 20 bytes in hex (40 characters)", NULL);
        return;
    }
    if (sls_device_seal(rq->app, &t->device, false, key, klen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    sls_random_hex(t->device.id, SLS_ID_LEN / 2);
    snprintf(t->device.serial, sizeof(t->device.serial), "%s", serial);
    if (label != NULL)
        snprintf(t->device.label, sizeof(t->device.label), "%s", label);
    else
        snprintf(t->device.label, sizeof(t->device.label), "dsc_plus %s", serial);
    agent_actor(rq, actor, sizeof(actor));
    t->now = rq->now;
    t->actor = actor;
    t->username = rq->params[0];
    t->order_id = order_id;
    t->policy = &rq->app->cfg.dsc_plus;
    rc = sls_store_write(rq->app->store, ship_fn, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (t->err != SLS_OK) {
        sls_resp_error_msg(rs, t->err, t->message, NULL);
        return;
    }
    o = json_pack("{s:s, s:s, s:s}", "id", t->device.id, "order_id", t->order.id, "state",
                  "shipped");
    json_object_set_new(o, "shipped_at", sls_time_json(t->now));
    json_object_set_new(o, "auto_activation_at",
                        sls_time_json(sls_dsc_plus_auto_activation_at(t->now, t->policy)));
    sls_resp_json(rs, 201, o);
}

/* ---- a returned device ---- */

struct returned_tx {
    /* in */
    sls_time now;
    const char *actor;
    const char *username;
    const char *device_id;
    /* out */
    struct sls_user_rec user;
    struct sls_device_rec device;
    struct sls_dsc_order_rec orders[MAX_ORDERS];
    const struct sls_dsc_order_rec *order; /* the order that shipped the device, or NULL */
    size_t nsessions;
    int err;
    const char *message;
};

static int returned_fn(struct sls_db *db, void *arg)
{
    struct returned_tx *t = arg;
    size_t n = 0, shared = 0;
    char detail[200];
    int rc;

    t->err = SLS_OK;
    t->order = NULL;
    rc = SLS_DB(db, user_get_by_name, t->username, &t->user);
    if (rc == SLS_ERR_NOT_FOUND) {
        t->err = SLS_ERR_NOT_FOUND;
        t->message = MSG_NO_USER;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_get, t->device_id, &t->device);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && t->device.user_id != t->user.id)) {
        t->err = SLS_ERR_NOT_FOUND;
        t->message = MSG_NO_DEVICE;
        return SLS_OK;
    }
    if (rc != SLS_OK)
        return rc;
    if (!sls_device_is_permanent(t->device.type) || t->device.type == SLS_DEVICE_SMS ||
        t->device.type == SLS_DEVICE_IBKEY) {
        t->err = SLS_ERR_CONFLICT;
        t->message = "Only physical devices are returned";
        return SLS_OK;
    }
    if (t->device.state == SLS_DEVSTATE_RETURNED || t->device.state == SLS_DEVSTATE_LOST) {
        /* A card reported lost keeps its deposit even when found later (R21). */
        t->err = SLS_ERR_CONFLICT;
        t->message = t->device.state == SLS_DEVSTATE_LOST ? "The device is marked lost"
                                                          : "The device was already returned";
        return SLS_OK;
    }
    rc = SLS_DB(db, device_set_state, t->device.id, SLS_DEVSTATE_RETURNED, t->now);
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_device, t->user.id, t->device.id, &t->nsessions);
    if (rc == SLS_OK)
        rc = sls_shared_sessions_revoke(db, t->device.id, &shared);
    t->nsessions += shared;
    if (rc == SLS_OK)
        rc = SLS_DB(db, dsc_order_list, t->user.id, -1, t->orders, MAX_ORDERS, &n);
    if (rc != SLS_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (t->orders[i].state != SLS_DSC_ORDER_ORDERED &&
            strcmp(t->orders[i].device_id, t->device.id) == 0)
            t->order = &t->orders[i];
    if (t->order != NULL && t->order->state == SLS_DSC_ORDER_SHIPPED) {
        rc = SLS_DB(db, dsc_order_settle, t->order->id, t->now);
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

void sls_api_admin_device_returned(struct sls_req *rq, struct sls_resp *rs)
{
    struct returned_tx *t = sls_req_alloc(rq, sizeof(*t));
    char actor[80];
    json_t *o;
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (strlen(rq->params[0]) > SLS_USERNAME_MAX) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_USER, NULL);
        return;
    }
    if (!sls_id_valid(rq->params[1])) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        return;
    }
    agent_actor(rq, actor, sizeof(actor));
    t->now = rq->now;
    t->actor = actor;
    t->username = rq->params[0];
    t->device_id = rq->params[1];
    rc = sls_store_write(rq->app->store, returned_fn, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (t->err != SLS_OK) {
        sls_resp_error_msg(rs, t->err, t->message, NULL);
        return;
    }
    o = json_object();
    json_object_set_new(o, "device", sls_device_json(&t->device));
    json_object_set_new(o, "sessions_revoked", json_integer((json_int_t)t->nsessions));
    json_object_set_new(o, "order_id", t->order ? json_string(t->order->id) : json_null());
    json_object_set_new(o, "hold",
                        t->order ? json_string(sls_dsc_plus_hold_name(SLS_DSC_PLUS_HOLD_RELEASED))
                                 : json_null());
    sls_resp_json(rs, 200, o);
}

/* ---- listing orders ---- */

struct list_read {
    const char *username; /* NULL: every user */
    int state;
    int64_t user_id;
    struct sls_dsc_order_rec orders[MAX_ORDERS];
    struct sls_device_rec device; /* scratch */
    struct sls_user_rec user;     /* scratch */
    json_t *out;
    const struct sls_dsc_plus_policy *policy;
    bool no_user;
};

static int list_fn(struct sls_db *db, void *arg)
{
    struct list_read *r = arg;
    struct sls_user_rec *u = &r->user;
    size_t n = 0;
    int rc = SLS_OK;

    r->no_user = false;
    r->user_id = 0;
    json_array_clear(r->out);
    if (rc == SLS_OK && r->username != NULL) {
        rc = SLS_DB(db, user_get_by_name, r->username, u);
        if (rc == SLS_ERR_NOT_FOUND) {
            r->no_user = true;
            return SLS_OK;
        }
        r->user_id = u->id;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, dsc_order_list, r->user_id, r->state, r->orders, MAX_ORDERS, &n);
    for (size_t i = 0; rc == SLS_OK && i < n; i++) {
        const struct sls_dsc_order_rec *o = &r->orders[i];
        bool shipped = false;
        json_t *j;
        rc = SLS_DB(db, user_get_by_id, o->user_id, u);
        if (rc == SLS_OK && o->state != SLS_DSC_ORDER_ORDERED) {
            rc = SLS_DB(db, device_get, o->device_id, &r->device);
            shipped = rc == SLS_OK;
            if (rc == SLS_ERR_NOT_FOUND)
                rc = SLS_OK;
        }
        if (rc != SLS_OK)
            break;
        j = sls_dsc_order_json(o, shipped ? &r->device : NULL, u->account_state, r->policy);
        json_object_set_new(j, "username", json_string(u->username));
        json_array_append_new(r->out, j);
    }
    return rc;
}

void sls_api_admin_dsc_plus_orders(struct sls_req *rq, struct sls_resp *rs)
{
    struct list_read *r = sls_req_alloc(rq, sizeof(*r));
    const char *user = sls_req_query(rq, "user");
    const char *state = sls_req_query(rq, "state");
    int rc;

    if (r == NULL || (r->out = sls_req_json(rq, json_array())) == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    r->state = -1;
    if (state != NULL) {
        for (int i = 0; i < SLS_DSC_ORDER__COUNT; i++)
            if (strcmp(state, sls_dsc_order_state_name((enum sls_dsc_order_state)i)) == 0)
                r->state = i;
        if (r->state < 0) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                               "Query 'state' must be ordered, shipped or settled", NULL);
            return;
        }
    }
    if (user != NULL && strlen(user) > SLS_USERNAME_MAX) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_USER, NULL);
        return;
    }
    r->username = user;
    r->policy = &rq->app->cfg.dsc_plus;
    rc = sls_store_read(rq->app->store, list_fn, r);
    if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (r->no_user)
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_USER, NULL);
    else
        sls_resp_json(rs, 200, json_pack("{s:O}", "orders", r->out));
}
