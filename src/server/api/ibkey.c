/* The device side of the mobile authenticator (R20, SPEC §8): activation
 * with an SMS code, the list of pending pushes and their approval or
 * denial, every app request signed (signed_request.h).
 *
 * Activation: username + password (a wrong password counts toward R8), a
 * phone on record or a new one, a 6-digit code by SMS (single use, valid
 * [policy] activation_code_ttl, [policy] code_tries wrong codes), then the
 * app's Ed25519 public key and mode. A user holding a device other than SMS
 * answers its challenge too (device_response; a passkey its assertion,
 * device_credential, to the webauthn challenge rendered as at login). The same transaction creates
 * the ibkey device with a random OCRA secret (sealed), revokes the user's previous ibkey devices
 * and their sessions, and retires the user's SMS devices.
 *
 * Approval: the body signature covers PUSH_ID\nCHALLENGE\nDECISION, and
 * with number matching (SPEC §10.3, the push has a number) \nNUMBER, the
 * number the user typed (empty for a denial without one). The app must hold
 * the key of the device the push went to. An approval only marks the push
 * approved; the login's session is opened by the front end's next poll
 * (api/login.c), so the token never travels through the app. A denial ends
 * the login as denied and counts as a failed attempt (R8), in the
 * transaction that denies the push. An approval with
 * a wrong number is a denial too: the push denied, its login closed and the
 * failure counted in one transaction, audited as wrong_number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/ibkey.h"
#include "server/api/code_check.h"
#include "server/app/app.h"
#include "server/flows/ibkey_activation_tx.h"
#include "server/flows/login.h"
#include "server/flows/ibkey_push_tx.h"
#include "server/flows/signed_request_tx.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/activation.h"
#include "core/activation_answer.h"
#include "core/challenge.h"
#include "core/error.h"
#include "core/lockout.h"
#include "core/login.h"
#include "core/push_answer.h"
#include "core/username.h"
#include "crypto/encoding.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "crypto/sign.h"
#include "server/flows/device_auth.h"
#include "server/flows/held_devices.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/notice.h"
#include "server/flows/one_time_code.h"
#include "server/api/phone_body.h"
#include "server/flows/session.h"
#include "server/api/signed_request.h"
#include "server/flows/secret_key.h"

#define EVENT_ACTIVATION "ibkey.activation"
#define EVENT_PUSH       "ibkey.push"
#define OCRA_KEY_BYTES   32
#define SECRET_HEX_LEN   (2 * OCRA_KEY_BYTES + 1) /* the key in hex, with its NUL */
#define HINT_RESTART     "Start the activation again to get a new code"

static void activation_key(char *out, size_t len, const char *id)
{
    sls_secret_key(out, len, SLS_SECRET_ACTIVATION, id);
}

/* §10.3: the device that must vouch for an activation by this user (the
 * strongest active device other than SMS, R7 order), or NULL when none. */
static const struct sls_device_rec *vouching_device(const struct sls_device_rec *devs, size_t n)
{
    int i = sls_devices_pick_default(devs, n, sls_activation_vouches);
    return i < 0 ? NULL : &devs[i];
}

void sls_api_ibkey_activation(struct sls_req *rq, struct sls_resp *rs)
{
    const char *username, *password;
    const struct sls_device_rec *vouch;
    struct sls_phone phone;
    struct sls_login_facts *r; /* the user with the devices they hold, read as a login does */
    struct sls_secret_rec *c;
    struct sls_code_send cs;
    sls_time expires_at = 0;
    struct sls_attempt a;
    char id[SLS_ID_LEN + 1], key[128], data[128], mask[64];
    bool found = false, ok, first_on_record;
    size_t ulen;
    int rc;
    json_t *o, *ch;

    /* Without a phone the code goes to the first phone on record. */
    first_on_record = json_object_get(rq->body, "phone") == NULL;
    if (!sls_body_str(rq, rs, "username", true, 256, &username) ||
        !sls_body_str(rq, rs, "password", true, 1024, &password) ||
        (!first_on_record && !sls_body_phone(rq, rs, "phone", &phone)))
        return;
    ulen = strlen(username);
    if (sls_username_check_chars(username, ulen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    r = sls_req_alloc(rq, sizeof(*r));
    c = sls_req_alloc(rq, sizeof(*c)); /* wiped with the arena */
    if (r != NULL)
        r->devices = sls_req_alloc(rq, SLS_DEVICE_VIEW_MAX * sizeof(*r->devices));
    if (r == NULL || r->devices == NULL || c == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (sls_username_could_exist(username, ulen)) {
        r->username = username;
        rc = sls_login_read_user(rq->app, r);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
            return;
        }
        found = rc == SLS_OK;
    }
    /* R5: the same work and the same answer whether or not the user exists. */
    ok = sls_password_verify(found ? r->user.password_hash : rq->app->dummy_hash, password,
                             strlen(password)) == 0 &&
         found;
    if (!found) {
        if (sls_signed_request_tx_audit(rq->app, rq->now,
                                        sls_username_could_exist(username, ulen) ? username : "",
                                        EVENT_ACTIVATION, "unknown_user", NULL) != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            sls_resp_error(rs, SLS_ERR_INVALID_CREDENTIALS, NULL);
        return;
    }
    memset(&a, 0, sizeof(a));
    a.user_id = r->user.id;
    a.username = r->user.username;
    a.event = EVENT_ACTIVATION;
    if (!ok || sls_lockout_is_locked(&r->user.lockout, rq->now)) {
        a.outcome = ok ? "locked" : "wrong_password";
        sls_login_answer_fail(rq->app, rs, &a, rq->now, SLS_ERR_INVALID_CREDENTIALS, NULL);
        return;
    }
    /* §10.3: the code goes only to a number on record. Asked only once the
     * password is right, so nothing about the phones leaks before. */
    if (first_on_record ? sls_phone_on_record(r->user.phones_json, &phone) != 0
                        : !sls_phone_is_on_record(r->user.phones_json, &phone)) {
        if (sls_signed_request_tx_audit(rq->app, rq->now, r->user.username, EVENT_ACTIVATION,
                                        "phone_not_on_record",
                                        first_on_record ? NULL : phone.e164) != SLS_OK) {
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
            return;
        }
        sls_resp_error_msg(rs, SLS_ERR_PHONE_NOT_ON_RECORD,
                           first_on_record ? "No mobile number on record" : NULL,
                           "Add the number in the Client Portal (Mobile numbers), or call the "
                           "service desk");
        return;
    }
    sls_random_hex(id, SLS_ID_LEN / 2);
    activation_key(key, sizeof(key), id);
    /* §10.3: a user holding a device other than SMS answers it as well. */
    vouch = vouching_device(r->devices, r->ndevices);
    if (vouch != NULL) {
        snprintf(c->key, sizeof(c->key), "%s", key);
        c->user_id = r->user.id;
        snprintf(c->device_id, sizeof(c->device_id), "%s", vouch->id);
        c->issued_at = rq->now;
        if (sls_device_manual_challenge_new(rq->app, vouch, c->challenge, sizeof(c->challenge),
                                            &c->kind) != SLS_OK) {
            sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
            return;
        }
    }
    if (sls_phone_json_text(&phone, data, sizeof(data)) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    memset(&cs, 0, sizeof(cs));
    cs.key = key;
    cs.user_id = r->user.id;
    cs.data = data;
    cs.to = phone.e164;
    cs.channel = "sms";
    cs.purpose = "activation code";
    cs.ttl = rq->app->cfg.activation_code_ttl;
    if (sls_code_send_tx(rq->app, &cs, vouch != NULL ? c : NULL, r->user.username, EVENT_ACTIVATION,
                         rq->now, &expires_at) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    o = json_object();
    json_object_set_new(o, "activation_id", json_string(id));
    json_object_set_new(o, "expires_at", sls_time_json(expires_at));
    sls_phone_mask(&phone, mask, sizeof(mask));
    json_object_set_new(o, "sent_to", json_string(mask));
    if (vouch != NULL) {
        /* A passkey's challenge carries its request options, as at login. */
        ch = sls_device_challenge_json(rq->app, vouch, c->kind, c->challenge);
        json_object_set_new(ch, "device", sls_device_json(vouch));
        json_object_set_new(o, "challenge", ch);
    }
    sls_resp_json(rs, 202, o);
}

/* ---- completion ---- */

/* §10.3: checks the device response of an activation whose code was right.
 * True when none is needed or it is right (the challenge, kept in the
 * code's secret, goes with the completion). Otherwise answers: a missing, wrong
 * or expired response (or a device gone meanwhile) ends the activation (its
 * code and challenge consumed) and counts toward R8 in the same
 * transaction; 403 verification_failed or locked. */
static bool device_response_ok(struct sls_req *rq, struct sls_resp *rs, const char *key,
                               const struct sls_secret_rec *code, const char *response)
{
    struct sls_ibkey_vouch_read *r = sls_req_alloc(rq, sizeof(*r));
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    struct sls_activation_facts f;
    struct sls_activation_verdict v;
    struct sls_attempt a;
    size_t i;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    if (sls_ibkey_activation_tx_vouch_read(rq->app, key, code->user_id, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    for (i = 0; i < r->ndevices; i++) {
        briefs[i].type = r->devices[i].type;
        briefs[i].state = r->devices[i].state;
    }
    memset(&f, 0, sizeof(f));
    f.now = rq->now;
    f.lockout = &r->u.lockout;
    f.held = briefs;
    f.nheld = r->ndevices;
    f.has_challenge = r->has_challenge;
    f.issued_at = r->c.issued_at;
    f.ttl = rq->app->cfg.activation_code_ttl;
    f.device_active = r->device_held && r->device.state == SLS_DEVSTATE_ACTIVE;
    f.has_response = response != NULL;
    f.right = false;
    /* An authenticator app's code spends its step here when right. */
    if (sls_activation_answer_checkable(&f) &&
        sls_device_answer_check(rq->app, &r->device, r->c.challenge, response, rq->now, &f.right) !=
            SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    v = sls_activation_answer_decide(&f);
    switch (v.outcome) {
    case SLS_ACTIVATION_CODE_ALONE:
        return true; /* SMS only, or no device: the code alone, as before */
    case SLS_ACTIVATION_VOUCHED:
        return true;
    case SLS_ACTIVATION_START_AGAIN:
        /* A device came after the activation started: start again. */
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "A security device must confirm this activation: start again", NULL);
        return false;
    case SLS_ACTIVATION_FAILED:
        break;
    }
    memset(&a, 0, sizeof(a));
    a.user_id = r->u.id;
    a.username = r->u.username;
    a.event = EVENT_ACTIVATION;
    a.outcome = v.audit_outcome;
    a.detail = r->c.device_id;
    a.code_key = key; /* the code, with the device challenge: one secret */
    sls_login_answer_fail(rq->app, rs, &a, rq->now, SLS_ERR_VERIFICATION_FAILED,
                          response == NULL ? "Send device_response: the answer of your "
                                             "security device to the activation's challenge "
                                             "(device_credential: a passkey's assertion). "
                                             "Start the activation again"
                                           : HINT_RESTART);
    return false;
}

static bool parse_mode(const char *mode, int *out)
{
    if (strcmp(mode, "pin") == 0)
        *out = SLS_AUTH_PIN;
    else if (strcmp(mode, "biometric") == 0)
        *out = SLS_AUTH_BIOMETRIC;
    else
        return false;
    return true;
}

void sls_api_ibkey_activation_complete(struct sls_req *rq, struct sls_resp *rs)
{
    const char *id, *code, *pk_b64, *mode, *response, *credential;
    struct sls_ibkey_activation_tx *t;
    struct sls_secret_rec *c; /* the code checked */
    uint8_t *secret;          /* the app's OCRA key: wiped with the arena */
    char *secret_hex;         /* the same in hex */
    char key[128];
    size_t n = 0;
    json_t *o;
    int rc;

    if (!sls_body_str(rq, rs, "activation_id", true, 64, &id) ||
        !sls_body_str(rq, rs, "code", true, 32, &code) ||
        !sls_body_str(rq, rs, "public_key", true, 128, &pk_b64) ||
        !sls_body_str(rq, rs, "mode", true, 16, &mode) ||
        !sls_body_str(rq, rs, "device_response", false, 64, &response) ||
        !sls_body_object_text(rq, rs, "device_credential", false, SLS_PASSKEY_RESPONSE_MAX,
                              &credential))
        return;
    /* A passkey vouches with its assertion (SPEC §10.5), every other device
     * with its typed response; never both. */
    if (credential != NULL && response != NULL) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Send either 'device_response' or 'device_credential', not both", NULL);
        return;
    }
    if (credential != NULL)
        response = credential;
    t = sls_req_alloc(rq, sizeof(*t));
    c = sls_req_alloc(rq, sizeof(*c));
    secret = sls_req_alloc(rq, OCRA_KEY_BYTES);
    secret_hex = sls_req_alloc(rq, SECRET_HEX_LEN);
    if (t == NULL || c == NULL || secret == NULL || secret_hex == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!parse_mode(mode, &t->mode)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'mode' must be pin or biometric", NULL);
        return;
    }
    if (sls_base64_decode(pk_b64, strlen(pk_b64), 0, t->public_key, sizeof(t->public_key), &n) !=
            0 ||
        n != sizeof(t->public_key)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'public_key' must be the base64 of a 32-byte Ed25519 key", NULL);
        return;
    }
    /* §10.3: the all-zero key, small-order points and non-canonical
     * encodings would accept forged signatures or none. */
    if (sls_sign_public_key_check(t->public_key) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'public_key' is not a valid Ed25519 public key",
                           "Send the public key the app generated");
        return;
    }
    if (!sls_id_valid(id)) {
        sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code", HINT_RESTART);
        return;
    }
    activation_key(key, sizeof(key), id);
    if (sls_code_check_answer(rq, rs, key, code, EVENT_ACTIVATION, HINT_RESTART, c, NULL) != 0)
        return;
    if (!device_response_ok(rq, rs, key, c, response))
        return;
    t->key = key;
    t->user_id = c->user_id;
    t->now = rq->now;
    sls_random_hex(t->device.id, SLS_ID_LEN / 2);
    t->device.type = SLS_DEVICE_IBKEY;
    t->device.state = SLS_DEVSTATE_ACTIVE;
    snprintf(t->device.label, sizeof(t->device.label), "Mobile app");
    sls_random_bytes(secret, OCRA_KEY_BYTES);
    if (sls_device_seal(rq->app, &t->device, false, secret, OCRA_KEY_BYTES) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    rc = sls_ibkey_activation_tx_apply(rq->app, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (t->taken) {
        sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code", HINT_RESTART);
        return;
    }
    if (sls_hex_encode(secret, OCRA_KEY_BYTES, secret_hex, SECRET_HEX_LEN) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    o = json_object();
    json_object_set_new(o, "device_id", json_string(t->device.id));
    json_object_set_new(o, "username", json_string(t->u.username));
    json_object_set_new(o, "ocra_suite", json_string(sls_device_ocra_suite(SLS_DEVICE_IBKEY)));
    json_object_set_new(o, "ocra_secret_hex", json_string(secret_hex));
    json_object_set_new(o, "revoked", json_integer((json_int_t)t->revoked));
    json_object_set_new(o, "sms_removed", json_integer((json_int_t)t->sms_removed));
    sls_resp_json(rs, 200, o);
}

/* ---- pending pushes ---- */

void sls_api_ibkey_pending(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_app_caller caller;
    struct sls_ibkey_pending *r;
    json_t *arr;
    size_t i;

    if (!sls_signed_request_check(rq, rs, &caller))
        return;
    r = sls_req_alloc(rq, sizeof(*r));
    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (sls_ibkey_push_tx_pending(rq->app, caller.public_key, rq->now, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    arr = json_array();
    for (i = 0; i < r->n; i++) {
        const struct sls_push_rec *p = &r->pushes[i];
        /* §10.3: whether a number must be typed, never the number itself. */
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "push_id", p->id, "username",
                           r->usernames[i], "challenge", p->challenge, "platform",
                           sls_platform_name(p->platform), "purpose",
                           sls_push_purpose_name(p->purpose), "expires_at",
                           sls_time_json(p->expires_at), "number_required", p->number != 0));
    }
    sls_resp_json(rs, 200, arr);
}

/* ---- approval ---- */

static void refuse_push(struct sls_req *rq, struct sls_resp *rs, const char *username,
                        const char *outcome, int err, const char *message)
{
    /* A refusal that could not be audited is not answered as one. */
    if (sls_signed_request_tx_audit(rq->app, rq->now, username, EVENT_PUSH, outcome, NULL) !=
        SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_error_msg(rs, err, message, NULL);
}

/* §10.3: the push denied for a wrong number and the failure counted toward
 * R8 in one transaction (a login push closes its login as denied), audited
 * as wrong_number. Answers 403 wrong_number (or locked, or 409 when the push
 * was decided meanwhile). */
static void deny_wrong_number(struct sls_req *rq, struct sls_resp *rs,
                              const struct sls_ibkey_push_read *r)
{
    struct sls_login_verdict v;
    struct sls_attempt a;
    struct sls_login_rec next;
    int rc;

    sls_login_decide_push_refused(true, &v);
    memset(&a, 0, sizeof(a));
    a.user_id = r->u.id;
    a.username = r->u.username;
    a.event = EVENT_PUSH;
    a.detail = r->push.id;
    a.wrong_number_push = r->push.id;
    if (r->push.purpose == SLS_PUSH_LOGIN) {
        next = r->login;
        a.login = &next;
        a.login_seq = r->login.seq;
    }
    rc = sls_attempt_apply(rq->app, &v, &a, rq->now);
    if (rc == SLS_OK && a.reused && !a.counted)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This push request was already decided", NULL);
    else
        sls_login_answer_failed(rs, rc, &a, v.err, v.hint);
}

/* A login's push denied in the app: the login ends as denied and the
 * attempt counts toward R8, in one transaction with the denial. Answers 409
 * (or the store's error) and returns false when that could not be done. */
static bool deny_login(struct sls_req *rq, struct sls_resp *rs, const struct sls_ibkey_push_read *r)
{
    struct sls_login_verdict v;
    struct sls_attempt a;
    struct sls_login_rec next;

    sls_login_decide_push_refused(false, &v);
    memset(&a, 0, sizeof(a));
    next = r->login;
    a.user_id = r->u.id;
    a.username = r->u.username;
    a.detail = "ibkey push";
    a.login = &next;
    a.login_seq = r->login.seq;
    a.denied_push = r->push.id;
    if (sls_attempt_apply(rq->app, &v, &a, rq->now) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    if (a.push_decided) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This push request was already decided", NULL);
        return false;
    }
    return true;
}

/* The text the app signs: PUSH_ID\nCHALLENGE\nDECISION, and with number
 * matching (the push has a number) \nNUMBER: the number typed, empty when
 * none was (a denial). */
static void signed_text(char *out, size_t len, const struct sls_push_rec *p, const char *decision,
                        bool has_number, int64_t number)
{
    if (p->number == 0)
        snprintf(out, len, "%s\n%s\n%s", p->id, p->challenge, decision);
    else if (has_number)
        snprintf(out, len, "%s\n%s\n%s\n%lld", p->id, p->challenge, decision, (long long)number);
    else
        snprintf(out, len, "%s\n%s\n%s\n", p->id, p->challenge, decision);
}

void sls_api_ibkey_approve(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_app_caller caller;
    const char *push_id, *decision, *auth, *signature;
    struct sls_ibkey_push_read *r = NULL;
    struct sls_push_answer_facts f;
    struct sls_push_answer_verdict pv;
    bool conflict = false;
    char text[192];
    int mode = SLS_AUTH_NONE, rc;
    int64_t number = 0;
    bool approve, has_number;

    if (!sls_signed_request_check(rq, rs, &caller))
        return;
    if (!sls_body_str(rq, rs, "push_id", true, 64, &push_id) ||
        !sls_body_str(rq, rs, "decision", true, 16, &decision) ||
        !sls_body_str(rq, rs, "auth", false, 16, &auth) ||
        !sls_body_str(rq, rs, "signature", true, 128, &signature) ||
        !sls_body_int(rq, rs, "number", false, SLS_PUSH_NUMBER_MIN, SLS_PUSH_NUMBER_MAX, 0,
                      &number))
        return;
    has_number = json_object_get(rq->body, "number") != NULL &&
                 !json_is_null(json_object_get(rq->body, "number"));
    if (strcmp(decision, "approve") != 0 && strcmp(decision, "deny") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'decision' must be approve or deny",
                           NULL);
        return;
    }
    approve = strcmp(decision, "approve") == 0;
    if (approve && (auth == NULL || !parse_mode(auth, &mode))) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'auth' must be pin or biometric for an approval", NULL);
        return;
    }
    if (!sls_id_valid(push_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such push request", NULL);
        return;
    }
    r = sls_req_alloc(rq, sizeof(*r));
    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_ibkey_push_tx_read(rq->app, push_id, r);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    memset(&f, 0, sizeof(f));
    f.now = rq->now;
    f.policy = &rq->app->cfg.push;
    f.login_ttl = rq->app->cfg.login_ttl;
    f.found = rc == SLS_OK;
    f.same_key = f.found && sls_ct_equal(r->pk, caller.public_key, sizeof(r->pk));
    f.state = r->push.state;
    f.purpose = r->push.purpose;
    f.created_at = r->push.created_at;
    f.number = r->push.number;
    f.login_waits = r->login_found && r->login.state == SLS_LOGIN_PENDING &&
                    r->login.kind == SLS_CHALLENGE_PUSH &&
                    strcmp(r->login.challenge, r->push.id) == 0;
    f.login_created_at = r->login.created_at;
    f.approve = approve;
    f.number_given = has_number;
    f.number_typed = number;
    if (sls_push_answer_checkable(&f)) {
        signed_text(text, sizeof(text), &r->push, decision, has_number, number);
        f.signature_ok = sls_signature_ok(caller.public_key, signature, text);
    }
    pv = sls_push_answer_decide(&f);
    switch (pv.outcome) {
    case SLS_PUSH_ANSWER_UNKNOWN:
    case SLS_PUSH_ANSWER_OTHER_APP:
        /* Another app (another key) gets the same answer as an unknown push. */
        refuse_push(rq, rs, caller.username, pv.audit_outcome, SLS_ERR_NOT_FOUND,
                    "No such push request");
        return;
    case SLS_PUSH_ANSWER_BAD_SIGNATURE:
        refuse_push(rq, rs, r->u.username, pv.audit_outcome, SLS_ERR_UNAUTHORIZED,
                    "Invalid approval signature");
        return;
    case SLS_PUSH_ANSWER_ALREADY_DECIDED:
        refuse_push(rq, rs, r->u.username, pv.audit_outcome, SLS_ERR_CONFLICT,
                    "This push request was already decided");
        return;
    case SLS_PUSH_ANSWER_EXPIRED:
        refuse_push(rq, rs, r->u.username, pv.audit_outcome, SLS_ERR_CONFLICT,
                    "This push request has expired or its login has moved on");
        return;
    case SLS_PUSH_ANSWER_NUMBER_MISSING:
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'number' is required: type the number shown with the request",
                           "The two digits are shown where the login or verification started");
        return;
    case SLS_PUSH_ANSWER_WRONG_NUMBER:
        deny_wrong_number(rq, rs, r);
        return;
    case SLS_PUSH_ANSWER_DENY_LOGIN:
        if (!deny_login(rq, rs, r))
            return;
        break;
    case SLS_PUSH_ANSWER_DECIDE:
        if (sls_ibkey_push_tx_decide(
                rq->app, r->push.id, approve ? SLS_PUSH_APPROVED : SLS_PUSH_DENIED,
                (enum sls_auth_mode)mode, r->u.username, rq->now, &conflict) != SLS_OK) {
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
            return;
        }
        if (conflict) {
            refuse_push(rq, rs, r->u.username, "already_decided", SLS_ERR_CONFLICT,
                        "This push request was already decided");
            return;
        }
        break;
    }
    sls_resp_json(
        rs, 200,
        json_pack("{s:s, s:s}", "push_id", r->push.id, "status", approve ? "approved" : "denied"));
}
