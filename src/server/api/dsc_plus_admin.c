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
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/username.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "server/flows/device_auth.h"
#include "server/api/dsc_plus_order.h"
#include "server/flows/dsc_orders_read.h"
#include "server/flows/dsc_plus_desk_tx.h"

#define MAX_ORDERS    100 /* orders listed at once */
#define SECRET_MAX    64  /* bytes of a card secret decoded from hex */
#define MSG_NO_USER   "No such user"
#define MSG_NO_ORDER  "No such order for this user"
#define MSG_NO_DEVICE "No such device for this user"

static void agent_actor(const struct sls_req *rq, char *out, size_t len)
{
    snprintf(out, len, "agent:%s", rq->agent);
}

/* Answers a desk transaction that did not happen: 404 or 409, with why. */
static void refuse(struct sls_resp *rs, enum sls_dsc_plus_desk_outcome outcome,
                   enum sls_device_return why, const char *no_record)
{
    switch (outcome) {
    case SLS_DSC_PLUS_DESK_NO_USER:
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_USER, NULL);
        break;
    case SLS_DSC_PLUS_DESK_NO_RECORD:
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, no_record, NULL);
        break;
    case SLS_DSC_PLUS_DESK_SHIPPED:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This order has already been shipped", NULL);
        break;
    default:
        /* A card reported lost keeps its deposit even when found later (R21). */
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           why == SLS_DEVICE_RETURN_NOT_PHYSICAL
                               ? "Only physical devices are returned"
                           : why == SLS_DEVICE_RETURN_LOST ? "The device is marked lost"
                                                           : "The device was already returned",
                           NULL);
        break;
    }
}

/* ---- shipping an order ---- */

void sls_api_admin_dsc_plus_ship(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_dsc_ship_tx *t;
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
    rc = sls_dsc_ship_tx_apply(rq->app, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (t->outcome != SLS_DSC_PLUS_DESK_DONE) {
        refuse(rs, t->outcome, SLS_DEVICE_RETURN_OK, MSG_NO_ORDER);
        return;
    }
    o = json_pack("{s:s, s:s, s:s}", "id", t->device.id, "order_id", t->order.id, "state",
                  "shipped");
    json_object_set_new(o, "shipped_at", sls_time_json(t->now));
    json_object_set_new(
        o, "auto_activation_at",
        sls_time_json(sls_dsc_plus_auto_activation_at(t->now, &rq->app->cfg.dsc_plus)));
    sls_resp_json(rs, 201, o);
}

/* ---- a returned device ---- */

void sls_api_admin_device_returned(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_device_returned_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    rc = sls_device_returned_tx_apply(rq->app, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (t->outcome != SLS_DSC_PLUS_DESK_DONE) {
        refuse(rs, t->outcome, t->why, MSG_NO_DEVICE);
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

void sls_api_admin_dsc_plus_orders(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_dsc_orders_read *r = sls_req_alloc(rq, sizeof(*r));
    const char *user = sls_req_query(rq, "user");
    const char *state = sls_req_query(rq, "state");
    json_t *out;
    int rc;

    if (r == NULL || (out = sls_req_json(rq, json_array())) == NULL) {
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
    r->max = MAX_ORDERS;
    r->with_users = true;
    rc = sls_dsc_orders_read(rq->app, r);
    if (rc == SLS_ERR_NOT_FOUND && user != NULL) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_USER, NULL);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        const struct sls_dsc_order_row *row = &r->rows[i];
        json_t *j = sls_dsc_order_json(&row->order, row->shipped ? &row->device : NULL,
                                       row->user.account_state, &rq->app->cfg.dsc_plus);
        json_object_set_new(j, "username", json_string(row->user.username));
        json_array_append_new(out, j);
    }
    sls_resp_json(rs, 200, json_pack("{s:O}", "orders", out));
}
