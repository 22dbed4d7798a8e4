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
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/lockout.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/api/dsc_plus_order.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"

#define MAX_ORDERS 32 /* orders of one user read at once */

/* ---- ordering ---- */

struct order_tx {
    /* in */
    sls_time now;
    const struct sls_dsc_plus_policy *policy;
    int64_t user_id;
    const char *address;            /* NULL: the address of the latest order */
    const char *deposit_account;    /* U + 7 digits */
    struct sls_dsc_order_rec order; /* id, pin set by the handler */
    /* out */
    struct sls_user_rec user;
    struct sls_user_rec other; /* the holder of another deposit account */
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    struct sls_dsc_order_rec orders[MAX_ORDERS];
    int err; /* a refusal: SLS_ERR_NOT_ELIGIBLE, CONFLICT, BAD_REQUEST ... */
    const char *message;
    enum sls_dsc_plus_eligibility why;
};

static int refuse(struct order_tx *t, int err, const char *message)
{
    t->err = err;
    t->message = message;
    return SLS_OK;
}

/* Whether the user may put the deposit on account: their own, or an account
 * whose primary user has the same identification data on record. */
static int deposit_account_ok(struct sls_db *db, struct order_tx *t, bool *ok)
{
    int rc;

    *ok = strcmp(t->deposit_account, t->user.account_id) == 0;
    if (*ok)
        return SLS_OK;
    rc = SLS_DB(db, user_get_by_account, t->deposit_account, &t->other);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc != SLS_OK)
        return rc;
    *ok = t->user.identity_json[0] != '\0' &&
          strcmp(t->user.identity_json, t->other.identity_json) == 0;
    return SLS_OK;
}

/* An order is open while not shipped, or while its card is still shipped
 * (neither activated, lost nor returned). */
static bool order_open(const struct sls_dsc_order_rec *o, const struct sls_device_rec *devs,
                       size_t n)
{
    if (o->state == SLS_DSC_ORDER_ORDERED)
        return true;
    if (o->state != SLS_DSC_ORDER_SHIPPED)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(devs[i].id, o->device_id) == 0)
            return devs[i].state == SLS_DEVSTATE_SHIPPED;
    return false;
}

static int order_fn(struct sls_db *db, void *arg)
{
    struct order_tx *t = arg;
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    const char *address = t->address;
    size_t ndev = 0, nord = 0, i;
    bool open = false, deposit_ok;
    char detail[160];
    int rc;

    t->err = SLS_OK;
    rc = SLS_DB(db, user_get_by_id, t->user_id, &t->user);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->user_id, t->devices, SLS_DEVICE_VIEW_MAX, &ndev);
    if (rc == SLS_OK)
        rc = SLS_DB(db, dsc_order_list, t->user_id, -1, t->orders, MAX_ORDERS, &nord);
    if (rc != SLS_OK)
        return rc;
    for (i = 0; i < ndev; i++) {
        briefs[i].type = t->devices[i].type;
        briefs[i].state = t->devices[i].state;
    }
    for (i = 0; i < nord; i++)
        open = open || order_open(&t->orders[i], t->devices, ndev);
    /* No address given: the one of the latest order (orders come oldest first). */
    if (address == NULL && nord > 0)
        address = t->orders[nord - 1].address;
    t->why = sls_dsc_plus_eligibility(t->user.equity_cents, briefs, ndev, open, t->policy);
    if (t->why == SLS_DSC_PLUS_ORDER_OPEN)
        return refuse(t, SLS_ERR_CONFLICT,
                      "A Digital Security Card+ is already on order or waiting for activation");
    if (t->why == SLS_DSC_PLUS_NOT_ELIGIBLE)
        return refuse(t, SLS_ERR_NOT_ELIGIBLE, NULL);
    if (address == NULL)
        return refuse(t, SLS_ERR_BAD_REQUEST,
                      "Field 'address' is required: there is no shipping address on record");
    rc = deposit_account_ok(db, t, &deposit_ok);
    if (rc != SLS_OK)
        return rc;
    if (!deposit_ok)
        return refuse(t, SLS_ERR_BAD_REQUEST,
                      "Field 'deposit_account' must be your account or another account of yours");
    t->order.user_id = t->user_id;
    t->order.state = SLS_DSC_ORDER_ORDERED;
    snprintf(t->order.address, sizeof(t->order.address), "%s", address);
    snprintf(t->order.deposit_account, sizeof(t->order.deposit_account), "%s", t->deposit_account);
    t->order.hold_cents = t->policy->hold_cents;
    t->order.ordered_at = t->now;
    t->order.estimated_ship_at = sls_dsc_plus_estimated_ship(t->now);
    rc = SLS_DB(db, dsc_order_insert, &t->order);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s deposit=%s hold_cents=%lld", t->order.id,
             t->why == SLS_DSC_PLUS_ELIGIBLE_EQUITY ? "equity" : "replacement",
             t->order.deposit_account, (long long)t->order.hold_cents);
    return sls_audit_write_user(db, t->now, t->user.username, "dsc_plus.order", "ok", detail);
}

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
    struct order_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    t->policy = &rq->app->cfg.dsc_plus;
    t->user_id = u->id;
    t->address = address;
    t->deposit_account = deposit;
    rc = sls_store_write(rq->app->store, order_fn, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (t->err != SLS_OK) {
        if (t->message != NULL)
            sls_resp_error_msg(rs, t->err, t->message, NULL);
        else
            sls_resp_error(rs, t->err, "Call the service desk if your card was lost or broken");
        return;
    }
    if (sls_time_format_date(t->order.estimated_ship_at, date, sizeof(date)) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "order_id", t->order.id, "estimated_ship_date",
                  date, "hold_cents", (json_int_t)t->order.hold_cents, "deposit_account",
                  t->order.deposit_account, "address", t->order.address, "reason",
                  t->why == SLS_DSC_PLUS_ELIGIBLE_EQUITY ? "equity" : "replacement");
    sls_resp_json(rs, 201, o);
}

/* ---- reading one's orders ---- */

struct orders_read {
    int64_t user_id;
    struct sls_dsc_order_rec orders[MAX_ORDERS];
    struct sls_device_rec devices[MAX_ORDERS];
    bool shipped[MAX_ORDERS];
    size_t n;
};

static int orders_fn(struct sls_db *db, void *arg)
{
    struct orders_read *r = arg;
    int rc = SLS_DB(db, dsc_order_list, r->user_id, -1, r->orders, MAX_ORDERS, &r->n);

    for (size_t i = 0; rc == SLS_OK && i < r->n; i++) {
        r->shipped[i] = false;
        if (r->orders[i].state == SLS_DSC_ORDER_ORDERED)
            continue;
        rc = SLS_DB(db, device_get, r->orders[i].device_id, &r->devices[i]);
        r->shipped[i] = rc == SLS_OK;
        if (rc == SLS_ERR_NOT_FOUND)
            rc = SLS_OK;
    }
    return rc;
}

void sls_api_dsc_plus_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct orders_read *r = sls_req_alloc(rq, sizeof(*r));
    json_t *list;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    r->user_id = u->id;
    if (sls_store_read(rq->app->store, orders_fn, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    list = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(list, sls_dsc_order_json(&r->orders[i],
                                                       r->shipped[i] ? &r->devices[i] : NULL,
                                                       u->account_state, &rq->app->cfg.dsc_plus));
    sls_resp_json(rs, 200, json_pack("{s:o}", "orders", list));
}

/* ---- PIN change ---- */

#define EV_PIN        "device.pin_change"
#define MSG_NO_DEVICE "No such security device"

/* Why the PIN of d cannot be changed here (a 409 message), or NULL. */
static const char *pin_refusal(const struct sls_device_rec *d)
{
    if (d->type == SLS_DEVICE_PLATINUM || d->type == SLS_DEVICE_GOLD)
        return "The PIN of this card is checked on the card only: change it on the device";
    if (d->type == SLS_DEVICE_IBKEY)
        return "The PIN of the mobile authenticator is kept in the app: change it in the app";
    if (!sls_device_pin_on_server(d->type))
        return "This device has no PIN";
    if (d->state == SLS_DEVSTATE_LOST)
        return "The device is marked lost";
    if (d->state == SLS_DEVSTATE_RETURNED)
        return "The device has been returned";
    return NULL;
}

struct pin_tx {
    sls_time now;
    const char *username;
    const char *device_id;
    struct sls_device_rec sealed;         /* pin, pin_len: the new PIN */
    const struct sls_device_rec *checked; /* the device as read when the PIN was checked */
    bool changed;                         /* the device changed since it was read */
};

static int pin_fn(struct sls_db *db, void *arg)
{
    struct pin_tx *t = arg;
    struct sls_device_rec d;
    char detail[96];
    int rc = SLS_DB(db, device_get, t->device_id, &d);

    t->changed = false;
    if (rc != SLS_OK)
        return rc;
    /* The PIN checked must still be the one stored (no change in between). */
    if (d.state != t->checked->state || d.pin_len != t->checked->pin_len ||
        memcmp(d.pin, t->checked->pin, d.pin_len) != 0) {
        t->changed = true;
        sls_wipe(&d, sizeof(d));
        return SLS_OK;
    }
    rc = SLS_DB(db, device_set_pin, t->device_id, t->sealed.pin, t->sealed.pin_len);
    snprintf(detail, sizeof(detail), "%s %s", d.id, sls_device_type_name(d.type));
    sls_wipe(&d, sizeof(d));
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->username, EV_PIN, "ok", detail);
}

static int device_read_fn(struct sls_db *db, void *arg)
{
    struct sls_device_rec *d = arg;
    return SLS_DB(db, device_get, d->id, d);
}

void sls_api_device_pin(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    struct pin_tx *t = sls_req_alloc(rq, sizeof(*t));
    const char *current, *next, *refusal;
    struct sls_attempt a;
    int rc;

    if (d == NULL || t == NULL) {
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
    snprintf(d->id, sizeof(d->id), "%s", rq->params[0]);
    rc = sls_store_read(rq->app->store, device_read_fn, d);
    /* A device shared with this user (R32) keeps the owner's PIN: not found here. */
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && d->user_id != u->id)) {
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
    if (sls_device_seal(rq->app, &t->sealed, true, (const uint8_t *)next, 4) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    t->now = rq->now;
    t->username = u->username;
    t->device_id = d->id;
    t->checked = d;
    rc = sls_store_write(rq->app->store, pin_fn, t);
    if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (t->changed)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The device changed meanwhile", "Try again");
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:o}", "pin_changed", 1, "device", sls_device_json(d)));
}
