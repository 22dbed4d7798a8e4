/* R21 Digital Security Card+ on the user's side: ordering one
 * (POST /v1/me/dsc-plus), reading one's orders (GET /v1/me/dsc-plus) and
 * changing the PIN of a card (POST /v1/me/devices/{id}/pin).
 *
 * An order needs a step-up (R34) inside SLS; outside SLS it goes ahead,
 * since ordering a card is how an opted-out user comes back. The PIN chosen
 * with the order is sealed at once and given to the card when the desk ships
 * it. Eligibility, the open-order check and the insert run in one
 * transaction, so two orders sent at once give one order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/dsc_plus.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/lockout.h"
#include "core/pin_change.h"
#include "crypto/random.h"
#include "server/flows/device_auth.h"
#include "server/flows/device_pin_tx.h"
#include "server/flows/held_devices.h"
#include "server/flows/dsc_orders_read.h"
#include "server/flows/dsc_plus_order_tx.h"
#include "server/api/dsc_plus_order.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"

#define MAX_ORDERS 32 /* orders of one user read at once */

static bool four_digits(const char *s)
{
    return s != NULL && strlen(s) == 4 && strspn(s, "0123456789") == 4;
}

/* A shipping address: 5 to 500 bytes, no control characters. */
static bool address_ok(const char *s)
{
    size_t n = strlen(s);

    if (n < 5 || n > 500)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return false;
    return true;
}

void sls_api_dsc_plus_order(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_dsc_plus_order_tx *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_device_rec *sealed = sls_req_alloc(rq, sizeof(*sealed));
    const char *pin, *deposit, *address, *type;
    json_t *o;
    char date[16];
    int rc;

    if (t == NULL || sealed == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "pin", true, 16, &pin) ||
        !sls_body_str(rq, rs, "deposit_account", true, 16, &deposit) ||
        !sls_body_str(rq, rs, "address", false, 1024, &address) ||
        !sls_body_str(rq, rs, "type", false, 32, &type))
        return;
    /* Only the DSC+ is issued: dsc, platinum, gold and scc are legacy (SPEC §4). */
    if (type != NULL && strcmp(type, "dsc_plus") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Only the Digital Security Card+ (dsc_plus) is issued: legacy devices "
                           "are no longer ordered",
                           "Order a dsc_plus, or activate the mobile authenticator");
        return;
    }
    if (!four_digits(pin)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'pin' must be 4 digits", NULL);
        return;
    }
    if (strlen(deposit) != 8 || deposit[0] != 'U' || strspn(deposit + 1, "0123456789") != 7) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'deposit_account' must be an account id: U and 7 digits", NULL);
        return;
    }
    if (address != NULL && !address_ok(address)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'address' must be 5 to 500 characters without control "
                           "characters",
                           NULL);
        return;
    }
    /* The route's gate asked for the step-up; outside SLS there is none:
     * ordering a card is the way back in. */
    if (sls_device_seal(rq->app, sealed, true, (const uint8_t *)pin, 4) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    memcpy(t->order.pin, sealed->pin, sealed->pin_len);
    t->order.pin_len = sealed->pin_len;
    sls_random_hex(t->order.id, SLS_ID_LEN / 2);
    t->now = rq->now;
    t->user_id = u->id;
    t->address = address;
    t->deposit_account = deposit;
    rc = sls_dsc_plus_order_tx_apply(rq->app, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (t->v.err != SLS_OK) {
        if (t->v.message != NULL)
            sls_resp_error_msg(rs, t->v.err, t->v.message, t->v.hint);
        else
            sls_resp_error(rs, t->v.err, t->v.hint);
        return;
    }
    if (sls_time_format_date(t->order.estimated_ship_at, date, sizeof(date)) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "order_id", t->order.id, "estimated_ship_date",
                  date, "hold_cents", (json_int_t)t->order.hold_cents, "deposit_account",
                  t->order.deposit_account, "address", t->order.address, "reason", t->v.reason);
    sls_resp_json(rs, 201, o);
}

/* ---- reading one's orders ---- */

void sls_api_dsc_plus_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_dsc_orders_read *r = sls_req_alloc(rq, sizeof(*r));
    json_t *list;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    r->user_id = u->id;
    r->state = -1;
    r->max = MAX_ORDERS;
    if (sls_dsc_orders_read(rq->app, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    list = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(list,
                              sls_dsc_order_json(&r->rows[i].order,
                                                 r->rows[i].shipped ? &r->rows[i].device : NULL,
                                                 u->account_state, &rq->app->cfg.dsc_plus));
    sls_resp_json(rs, 200, json_pack("{s:o}", "orders", list));
}

/* ---- PIN change ---- */

#define EV_PIN        "device.pin_change"
#define MSG_NO_DEVICE "No such security device"

/* Any device of the user's own. */
static bool any_device(enum sls_device_type type, enum sls_device_state state)
{
    (void)type;
    (void)state;
    return true;
}

/* Why the PIN of d cannot be changed here (a 409 message), or NULL. */
static const char *pin_refusal(const struct sls_device_rec *d)
{
    switch (sls_pin_change_check(d->type, d->state)) {
    case SLS_PIN_CHANGE_ON_CARD:
        return "The PIN of this card is checked on the card only: change it on the device";
    case SLS_PIN_CHANGE_IN_APP:
        return "The PIN of the mobile authenticator is kept in the app: change it in the app";
    case SLS_PIN_CHANGE_NO_PIN:
        return "This device has no PIN";
    case SLS_PIN_CHANGE_LOST:
        return "The device is marked lost";
    case SLS_PIN_CHANGE_RETURNED:
        return "The device has been returned";
    case SLS_PIN_CHANGE_OK:
        break;
    }
    return NULL;
}

void sls_api_device_pin(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    struct sls_device_pin_tx *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_device_rec *sealed = sls_req_alloc(rq, sizeof(*sealed)); /* the new PIN */
    const char *current, *next, *refusal;
    struct sls_attempt a;
    int rc;

    if (d == NULL || t == NULL || sealed == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "current_pin", true, 16, &current) ||
        !sls_body_str(rq, rs, "new_pin", true, 16, &next))
        return;
    if (!sls_id_valid(rq->params[0])) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        return;
    }
    /* A device shared with this user (R32) keeps the owner's PIN: not found
     * here. Whether its PIN may be changed is answered below, with why. */
    rc = sls_own_device_read(rq->app->store, u->id, rq->params[0], any_device, d);
    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    refusal = pin_refusal(d);
    if (refusal != NULL) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, refusal, NULL);
        return;
    }
    if (!four_digits(current) || !four_digits(next)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Fields 'current_pin' and 'new_pin' must be 4 digits", NULL);
        return;
    }
    /* The route's gate asked for the step-up; outside SLS there is none:
     * the current PIN is the proof asked. */
    if (sls_lockout_is_locked(&u->lockout, rq->now)) {
        sls_login_answer_locked(rs, u->lockout.locked_until);
        return;
    }
    if (!sls_device_pin_matches(rq->app, d, current)) {
        /* A wrong PIN counts toward the lockout (R8): 4 digits are guessable. */
        memset(&a, 0, sizeof(a));
        a.user_id = u->id;
        a.username = u->username;
        a.event = EV_PIN;
        a.outcome = "wrong_pin";
        a.client_token_hash = rq->client_token_hash; /* §10.3: the session's counter */
        a.detail = d->id;
        sls_login_answer_fail(rq->app, rs, &a, rq->now, SLS_ERR_VERIFICATION_FAILED,
                              "Type the PIN the card uses now");
        return;
    }
    if (sls_device_seal(rq->app, sealed, true, (const uint8_t *)next, 4) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    t->now = rq->now;
    t->username = u->username;
    t->checked = d;
    t->pin = sealed->pin;
    t->pin_len = sealed->pin_len;
    rc = sls_device_pin_tx_apply(rq->app, t);
    if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (t->changed)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The device changed meanwhile", "Try again");
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:o}", "pin_changed", 1, "device", sls_device_json(d)));
}
