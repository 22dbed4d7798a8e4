/* The service desk's admin API (SPEC §6, §8): users, devices, identity
 * verifications (R40), account state (R12) and the audit log and its chain
 * check (R41). Every change is audited with the acting agent's name (the
 * transactions are flows/admin_tx.h's). Unlocking a user, which needs an
 * identity verification, is the desk's assistance (assist.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/admin.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/audit_chain.h"
#include "core/client_lockout.h"
#include "core/error.h"
#include "core/password_policy.h"
#include "core/username.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/admin_tx.h"
#include "server/flows/audit_read.h"
#include "server/flows/device_auth.h"
#include "server/flows/stock_tx.h"

static void agent_actor(const struct sls_req *rq, char *out, size_t len)
{
    snprintf(out, len, "agent:%s", rq->agent);
}

static json_t *time_or_null(sls_time t)
{
    char ts[32];

    if (t == 0 || sls_time_format(t, ts, sizeof(ts)) != 0)
        return json_null();
    return json_string(ts);
}

static json_t *parse_stored_json(const char *text, json_t *dflt)
{
    json_t *v = text[0] ? json_loads(text, 0, NULL) : NULL;

    if (v == NULL)
        return dflt;
    json_decref(dflt);
    return v;
}

/* ---- reading a user with devices ---- */

/* R8 and §10.3: one counter as {locked, locked_until, failures}. */
static json_t *counter_json(const struct sls_lockout_state *l, sls_time now)
{
    bool locked = sls_lockout_is_locked(l, now);

    return json_pack("{s:b, s:o, s:i}", "locked", locked, "locked_until",
                     locked ? time_or_null(l->locked_until) : json_null(), "failures", l->nfail);
}

/* The lock state: the user's counter (the account in mode account, unknown
 * clients in mode client) and, §10.3, each client token with failures. */
static json_t *lock_json(const struct sls_admin_user_view *v, enum sls_lockout_mode mode,
                         sls_time now)
{
    json_t *o = counter_json(&v->user.lockout, now);
    json_t *tokens = json_array();
    size_t i;

    json_object_set_new(o, "mode", json_string(sls_lockout_mode_name(mode)));
    json_object_set_new(
        o, "counter", json_string(mode == SLS_LOCKOUT_MODE_CLIENT ? "unknown_clients" : "account"));
    for (i = 0; i < v->ntokens; i++) {
        json_t *t = counter_json(&v->tokens[i].lockout, now);
        json_object_set_new(t, "id", json_string(v->tokens[i].id));
        json_object_set_new(t, "expires_at", time_or_null(v->tokens[i].expires_at));
        json_array_append_new(tokens, t);
    }
    json_object_set_new(o, "client_tokens", tokens);
    return o;
}

static json_t *user_json(const struct sls_admin_user_view *v, enum sls_lockout_mode mode,
                         sls_time now, bool with_devices)
{
    const struct sls_user_rec *u = &v->user;
    json_t *o = json_object();
    size_t i;

    json_object_set_new(o, "username", json_string(u->username));
    json_object_set_new(o, "email", json_string(u->email));
    json_object_set_new(o, "phones", parse_stored_json(u->phones_json, json_array()));
    json_object_set_new(o, "account_id", json_string(u->account_id));
    json_object_set_new(o, "account_state", json_string(sls_account_state_name(u->account_state)));
    json_object_set_new(o, "approved_at", time_or_null(u->approved_at));
    json_object_set_new(o, "equity_cents", json_integer(u->equity_cents));
    json_object_set_new(o, "primary", json_boolean(u->primary));
    json_object_set_new(o, "identity", parse_stored_json(u->identity_json, json_object()));
    json_object_set_new(o, "sls", json_boolean(u->sls));
    json_object_set_new(o, "paper_of", v->paper_of[0] ? json_string(v->paper_of) : json_null());
    if (with_devices) {
        json_t *devs = json_array();
        for (i = 0; i < v->ndevices; i++) {
            const struct sls_device_rec *d = &v->devices[i];
            json_array_append_new(
                devs, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "id", d->id, "type",
                                sls_device_type_name(d->type), "label", d->label, "state",
                                sls_device_state_name(d->state), "strength",
                                sls_device_strength(d->type), "serial", d->serial,
                                "state_changed_at", time_or_null(d->state_changed_at)));
        }
        json_object_set_new(o, "devices", devs);
        json_object_set_new(o, "lock", lock_json(v, mode, now));
    }
    return o;
}

/* Loads the user named in the path; answers 404 and returns NULL if absent. */
static struct sls_admin_user_view *load_user(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_admin_user_view *v = sls_req_alloc(rq, sizeof(*v));
    int rc;

    if (v == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return NULL;
    }
    v->username = rq->params[0];
    v->now = rq->now;
    rc = sls_admin_tx_user_view(rq->app, v);
    if (rc != SLS_OK) {
        if (rc == SLS_ERR_NOT_FOUND)
            sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such user", NULL);
        else
            sls_resp_error(rs, rc, NULL);
        return NULL;
    }
    return v;
}

void sls_api_admin_user_get(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_admin_user_view *v = load_user(rq, rs);

    if (v == NULL)
        return;
    sls_resp_json(rs, 200, user_json(v, rq->app->cfg.lockout_mode, rq->now, true));
}

/* ---- creating a user ---- */

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

bool sls_api_admin_phones_parse(struct sls_req *rq, struct sls_resp *rs, struct sls_user_rec *u)
{
    json_t *phones = json_object_get(rq->body, "phones");
    json_t *p;
    size_t i;
    char *text;

    if (phones == NULL || json_is_null(phones))
        return true;
    if (!json_is_array(phones) || json_array_size(phones) > 8)
        goto bad;
    json_array_foreach(phones, i, p)
    {
        json_t *c = json_object_get(p, "country"), *n = json_object_get(p, "number");
        if (!json_is_object(p) || json_object_size(p) != 2 || !json_is_string(c) ||
            !json_is_string(n) || json_string_length(c) < 1 || json_string_length(c) > 8 ||
            !all_digits(json_string_value(n), 4, 15))
            goto bad;
    }
    text = json_dumps(phones, JSON_COMPACT);
    if (text == NULL || !sls_req_defer(rq, free, text) ||
        !sls_copy(u->phones_json, sizeof(u->phones_json), text))
        goto bad;
    return true;
bad:
    sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                       "Field 'phones' must be a list of {country, number} with the number in "
                       "digits only (no spaces, no trunk prefix)",
                       NULL);
    return false;
}

static bool parse_identity(struct sls_req *rq, struct sls_resp *rs, struct sls_user_rec *u)
{
    static const char *const keys[] = {"dob",     "citizenship", "residence",
                                       "id_type", "id_number",   "ssn"};
    json_t *id = json_object_get(rq->body, "identity");
    const char *k;
    json_t *v;
    char *text;
    size_t i;

    if (id == NULL || json_is_null(id))
        return true;
    if (!json_is_object(id))
        goto bad;
    json_object_foreach(id, k, v)
    {
        bool known = false;
        for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            known = known || strcmp(k, keys[i]) == 0;
        if (!known || !json_is_string(v) || json_string_length(v) > 64)
            goto bad;
    }
    text = json_dumps(id, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL || !sls_req_defer(rq, free, text) ||
        !sls_copy(u->identity_json, sizeof(u->identity_json), text))
        goto bad;
    return true;
bad:
    sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                       "Field 'identity' takes strings dob, citizenship, residence, id_type, "
                       "id_number, ssn",
                       NULL);
    return false;
}

void sls_api_admin_user_create(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = sls_req_alloc(rq, sizeof(*u));
    struct sls_admin_user_view *v;
    struct sls_admin_create_tx *t = sls_req_alloc(rq, sizeof(*t));
    const char *username, *password, *email, *account_id, *state, *paper_of;
    char actor[80];
    int64_t equity;
    bool primary, sls;
    int rc, err;

    if (u == NULL || t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "username", true, 256, &username) ||
        !sls_body_str(rq, rs, "password", true, 1024, &password) ||
        !sls_body_str(rq, rs, "email", true, 254, &email) ||
        !sls_body_str(rq, rs, "account_id", false, 8, &account_id) ||
        !sls_body_str(rq, rs, "account_state", false, 16, &state) ||
        !sls_body_str(rq, rs, "paper_of", false, SLS_USERNAME_MAX, &paper_of) ||
        !sls_body_int(rq, rs, "equity_cents", false, 0, INT64_MAX / 2, 0, &equity) ||
        !sls_body_bool(rq, rs, "primary", true, &primary) ||
        !sls_body_bool(rq, rs, "sls", true, &sls) || !sls_api_admin_phones_parse(rq, rs, u) ||
        !parse_identity(rq, rs, u))
        return;
    err = sls_username_check_new(username, strlen(username));
    if (err != SLS_OK) {
        sls_resp_error(rs, err, "User names are 3 to 32 lower-case letters and digits");
        return;
    }
    if (sls_password_check(password, strlen(password)) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_WEAK_PASSWORD,
                       "6 to 40 characters with at least one letter and one digit");
        return;
    }
    if (strchr(email, '@') == NULL || strpbrk(email, " \t\r\n") != NULL) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'email' is not an e-mail address", NULL);
        return;
    }
    if (account_id != NULL && (account_id[0] != 'U' || !all_digits(account_id + 1, 7, 7))) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'account_id' must be U and 7 digits",
                           NULL);
        return;
    }
    u->account_state = SLS_ACCOUNT_APPROVED;
    if (state != NULL && sls_account_state_parse(state, &u->account_state) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'account_state' must be pending, approved or closed", NULL);
        return;
    }
    snprintf(u->username, sizeof(u->username), "%s", username);
    snprintf(u->email, sizeof(u->email), "%s", email);
    u->approved_at = u->account_state == SLS_ACCOUNT_APPROVED ? rq->now : 0;
    u->equity_cents = equity;
    u->primary = primary;
    u->sls = sls;
    u->created_at = rq->now;
    if (sls_password_hash(password, strlen(password), &rq->app->cfg.pwhash, u->password_hash) !=
        0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    agent_actor(rq, actor, sizeof(actor));
    t->u = u;
    t->account_id = account_id;
    t->paper_of = paper_of;
    t->actor = actor;
    t->now = rq->now;
    rc = sls_admin_tx_create(rq->app, t);
    if (t->paper_missing) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'paper_of' names no user", NULL);
        return;
    }
    if (rc == SLS_ERR_CONFLICT) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "User name or account id already exists", NULL);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    v = sls_req_alloc(rq, sizeof(*v));
    if (v == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    v->user = *u;
    if (paper_of != NULL)
        snprintf(v->paper_of, sizeof(v->paper_of), "%s", paper_of);
    sls_resp_json(rs, 201, user_json(v, rq->app->cfg.lockout_mode, rq->now, false));
}

/* ---- devices ---- */

/* Card cells {"1":"123",...,"N":"ddd"} -> "123...ddd"; returns length or 0. */
static size_t parse_cells(json_t *cells, char *out, size_t outlen)
{
    size_t n, i;
    char key[8];

    if (!json_is_object(cells))
        return 0;
    n = json_object_size(cells);
    if (n < 2 || n > SLS_CARD_MAX_CELLS || 3 * n >= outlen)
        return 0;
    for (i = 1; i <= n; i++) {
        json_t *v;
        snprintf(key, sizeof(key), "%zu", i);
        v = json_object_get(cells, key);
        if (!json_is_string(v) || !all_digits(json_string_value(v), 3, 3))
            return 0;
        memcpy(out + 3 * (i - 1), json_string_value(v), 3);
    }
    out[3 * n] = '\0';
    return 3 * n;
}

static bool device_bad(struct sls_resp *rs, const char *msg)
{
    sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, msg, NULL);
    return false;
}

/* Fills d's secret and PIN from the body for its type. */
static bool device_secrets(struct sls_req *rq, struct sls_resp *rs, struct sls_device_rec *d)
{
    const char *secret_hex, *pin;
    uint8_t key[64];
    char cells[3 * SLS_CARD_MAX_CELLS + 1];
    size_t klen = 0, clen;
    bool ok = false;

    if (!sls_body_str(rq, rs, "secret_hex", false, 128, &secret_hex) ||
        !sls_body_str(rq, rs, "pin", false, 16, &pin))
        return false;
    if (d->type == SLS_DEVICE_SCC) {
        clen = parse_cells(json_object_get(rq->body, "cells"), cells, sizeof(cells));
        if (clen == 0)
            return device_bad(rs, "Field 'cells' must map every index 1..N (N <= 100) to 3 digits");
        ok = sls_device_seal(rq->app, d, false, (const uint8_t *)cells, clen) == SLS_OK;
        sls_wipe(cells, sizeof(cells));
        return ok || device_bad(rs, "Cannot seal the card");
    }
    /* The cards compute HMAC-SHA1: their secrets are 20 bytes (RFC 6287 App. C). */
    if (secret_hex == NULL ||
        sls_hex_decode(secret_hex, strlen(secret_hex), key, sizeof(key), &klen) != 0 ||
        klen != 20) {
        sls_wipe(key, sizeof(key));
        return device_bad(rs, "Field 'secret_hex' must be 20 bytes in hex (40 characters)");
    }
    if (sls_device_pin_on_server(d->type)) {
        if (pin == NULL || !all_digits(pin, 4, 4)) {
            sls_wipe(key, sizeof(key));
            return device_bad(rs, "Field 'pin' must be 4 digits for this device");
        }
        if (sls_device_seal(rq->app, d, true, (const uint8_t *)pin, 4) != SLS_OK) {
            sls_wipe(key, sizeof(key));
            return device_bad(rs, "Cannot seal the PIN");
        }
    } else if (pin != NULL) {
        sls_wipe(key, sizeof(key));
        return device_bad(rs, "This device keeps its PIN on the device only");
    }
    ok = sls_device_seal(rq->app, d, false, key, klen) == SLS_OK;
    sls_wipe(key, sizeof(key));
    return ok || device_bad(rs, "Cannot seal the secret");
}

/* The state a new device starts in: active, or shipped when asked. */
static bool device_state(struct sls_resp *rs, const char *state, struct sls_device_rec *d)
{
    d->state = SLS_DEVSTATE_ACTIVE;
    if (state != NULL && (sls_device_state_parse(state, &d->state) != 0 ||
                          (d->state != SLS_DEVSTATE_ACTIVE && d->state != SLS_DEVSTATE_SHIPPED)))
        return device_bad(rs, "Field 'state' must be active or shipped");
    return true;
}

/* SPEC §10.4: a device that names a stock serial and no secret takes the
 * vendor token's key from stock (stock_tx.h), in its own transaction. */
static void device_from_stock(struct sls_req *rq, struct sls_resp *rs,
                              const struct sls_admin_user_view *v, struct sls_device_rec *d,
                              const char *type, const char *serial, const char *label,
                              const char *state)
{
    struct sls_stock_register *t = sls_req_alloc(rq, sizeof(*t));
    const char *pin;
    char actor[80];
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (sls_device_type_parse(type, &d->type) != 0 ||
        (d->type != SLS_DEVICE_TOTP && d->type != SLS_DEVICE_DSC_PLUS &&
         d->type != SLS_DEVICE_DSC && d->type != SLS_DEVICE_PLATINUM &&
         d->type != SLS_DEVICE_GOLD)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "A token from stock becomes a totp, dsc_plus, dsc, platinum or gold "
                           "device (field 'type')",
                           NULL);
        return;
    }
    if (!device_state(rs, state, d) || !sls_body_str(rq, rs, "pin", false, 16, &pin))
        return;
    if (sls_device_pin_on_server(d->type)) {
        if (pin == NULL || !all_digits(pin, 4, 4)) {
            device_bad(rs, "Field 'pin' must be 4 digits for this device");
            return;
        }
        if (sls_device_seal(rq->app, d, true, (const uint8_t *)pin, 4) != SLS_OK) {
            device_bad(rs, "Cannot seal the PIN");
            return;
        }
    } else if (pin != NULL) {
        device_bad(rs, "This device keeps its PIN on the device only");
        return;
    }
    sls_random_hex(d->id, SLS_ID_LEN / 2);
    d->user_id = v->user.id;
    if (label != NULL)
        snprintf(d->label, sizeof(d->label), "%s", label);
    else
        snprintf(d->label, sizeof(d->label), "%s %s", sls_device_type_name(d->type), serial);
    d->created_at = rq->now;
    d->state_changed_at = rq->now;
    agent_actor(rq, actor, sizeof(actor));
    t->serial = serial;
    t->device = d;
    t->actor = actor;
    t->username = v->user.username;
    t->now = rq->now;
    rc = sls_stock_tx_register(rq->app, t);
    if (rc == SLS_ERR_NOT_FOUND)
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No token with this serial in stock", NULL);
    else if (rc == SLS_ERR_CONFLICT && t->refusal != NULL)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, t->refusal, NULL);
    else if (rc == SLS_ERR_CONFLICT)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This token is assigned to a device already",
                           NULL);
    else if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else
        sls_resp_json(rs, 201, json_pack("{s:s}", "id", d->id));
}

bool sls_api_admin_device_parse(struct sls_req *rq, struct sls_resp *rs, struct sls_device_rec *d)
{
    const char *type, *serial, *label, *state;

    if (!sls_body_str(rq, rs, "type", true, 32, &type) ||
        !sls_body_str(rq, rs, "serial", false, sizeof(d->serial) - 1, &serial) ||
        !sls_body_str(rq, rs, "label", false, sizeof(d->label) - 1, &label) ||
        !sls_body_str(rq, rs, "state", false, 16, &state))
        return false;
    if (sls_device_type_parse(type, &d->type) != 0 ||
        (d->type != SLS_DEVICE_DSC_PLUS && d->type != SLS_DEVICE_DSC &&
         d->type != SLS_DEVICE_PLATINUM && d->type != SLS_DEVICE_GOLD && d->type != SLS_DEVICE_SCC))
        return device_bad(rs, "Field 'type' must be dsc_plus, dsc, platinum, gold or scc");
    if (!device_state(rs, state, d))
        return false;
    if (!device_secrets(rq, rs, d))
        return false;
    sls_random_hex(d->id, SLS_ID_LEN / 2);
    snprintf(d->serial, sizeof(d->serial), "%s", serial ? serial : "");
    if (label != NULL)
        snprintf(d->label, sizeof(d->label), "%s", label);
    else
        snprintf(d->label, sizeof(d->label), "%s%s%s", sls_device_type_name(d->type),
                 serial ? " " : "", serial ? serial : "");
    d->created_at = rq->now;
    d->state_changed_at = rq->now;
    return true;
}

void sls_api_admin_device_add(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_admin_user_view *v;
    struct sls_device_rec *d;
    const char *type, *serial, *label, *state;
    char actor[80];
    int rc;

    v = load_user(rq, rs);
    if (v == NULL)
        return;
    d = sls_req_alloc(rq, sizeof(*d));
    if (d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    /* SPEC §10.4: a serial with no secret names a token in stock. */
    if (!sls_body_str(rq, rs, "serial", false, sizeof(d->serial) - 1, &serial))
        return;
    if (serial != NULL && json_object_get(rq->body, "secret_hex") == NULL &&
        json_object_get(rq->body, "cells") == NULL) {
        if (!sls_body_str(rq, rs, "type", true, 32, &type) ||
            !sls_body_str(rq, rs, "label", false, sizeof(d->label) - 1, &label) ||
            !sls_body_str(rq, rs, "state", false, 16, &state))
            return;
        device_from_stock(rq, rs, v, d, type, serial, label, state);
        return;
    }
    if (!sls_api_admin_device_parse(rq, rs, d))
        return;
    d->user_id = v->user.id;
    agent_actor(rq, actor, sizeof(actor));
    rc = sls_admin_tx_device_add(rq->app, d, actor, v->user.username, rq->now);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    sls_resp_json(rs, 201, json_pack("{s:s}", "id", d->id));
}

/* ---- R40 identity verification ---- */

void sls_api_admin_identity_verify(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_admin_user_view *v = load_user(rq, rs);
    const char *channel;
    char actor[80], ts[32];
    int rc;

    if (v == NULL)
        return;
    if (!sls_body_str(rq, rs, "channel", true, 16, &channel))
        return;
    if (strcmp(channel, "phone") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Identity is verified by telephone only: channel must be phone", NULL);
        return;
    }
    agent_actor(rq, actor, sizeof(actor));
    rc = sls_admin_tx_identity_verify(rq->app, rq->agent, actor, &v->user, channel, rq->now);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    sls_time_text(rq->now + rq->app->cfg.identity_ttl, ts);
    sls_resp_json(rs, 201, json_pack("{s:s, s:s}", "valid_until", ts, "channel", channel));
}

/* ---- R12 account state ---- */

void sls_api_admin_account(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_admin_user_view *v = load_user(rq, rs);
    enum sls_account_state st;
    sls_time approved_at;
    const char *state;
    char actor[80];
    int rc;

    if (v == NULL)
        return;
    if (!sls_body_str(rq, rs, "state", true, 16, &state))
        return;
    if (sls_account_state_parse(state, &st) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'state' must be pending, approved or closed", NULL);
        return;
    }
    agent_actor(rq, actor, sizeof(actor));
    approved_at = v->user.approved_at;
    if (st == SLS_ACCOUNT_APPROVED && v->user.account_state != SLS_ACCOUNT_APPROVED)
        approved_at = rq->now;
    rc = sls_admin_tx_account(rq->app, &v->user, st, approved_at, actor, rq->now);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    sls_resp_json(rs, 200,
                  json_pack("{s:s, s:o}", "account_state", sls_account_state_name(st),
                            "approved_at", time_or_null(approved_at)));
}

/* ---- R41 audit ---- */

struct audit_scan {
    const char *user;
    sls_time since;
    int64_t after;
    size_t limit;
    json_t *records;
};

static int audit_cb(const struct sls_audit_rec *r, void *arg)
{
    struct audit_scan *a = arg;
    char ts[32];

    sls_time_text(r->at, ts);
    json_array_append_new(a->records,
                          json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq",
                                    (json_int_t)r->seq, "at", ts, "at_unix", (json_int_t)r->at,
                                    "actor", r->actor, "user", r->username, "event", r->event,
                                    "outcome", r->outcome, "detail", r->detail, "prev_hash",
                                    r->prev_hash, "hash", r->hash));
    return 0;
}

void sls_api_admin_audit(struct sls_req *rq, struct sls_resp *rs)
{
    struct audit_scan a;
    const char *since = sls_req_query(rq, "since");
    const char *limit = sls_req_query(rq, "limit");
    const char *after = sls_req_query(rq, "after");
    int rc;

    memset(&a, 0, sizeof(a));
    a.user = sls_req_query(rq, "user");
    if (a.user != NULL && (a.user[0] == '\0' || strlen(a.user) > SLS_USERNAME_MAX))
        a.user = a.user[0] == '\0' ? NULL : "\x01";
    a.limit = 1000;
    if (since != NULL && since[0] != '\0' && sls_time_parse(since, &a.since) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'since' must be RFC 3339", NULL);
        return;
    }
    if (limit != NULL && (!all_digits(limit, 1, 5) || atoi(limit) < 1 || atoi(limit) > 10000)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'limit' must be 1 to 10000", NULL);
        return;
    }
    if (limit != NULL)
        a.limit = (size_t)atoi(limit);
    if (after != NULL && !all_digits(after, 1, 18)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'after' must be a sequence number",
                           NULL);
        return;
    }
    if (after != NULL)
        a.after = atoll(after);
    a.records = sls_req_json(rq, json_array());
    rc = a.records != NULL
             ? sls_audit_read_scan(rq->app, a.after, a.user, a.since, a.limit, audit_cb, &a)
             : SLS_ERR_NOMEM;
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    sls_resp_json(rs, 200, json_pack("{s:O}", "records", a.records));
}

/* Reading the log changes nothing and is not audited, like GET /v1/admin/audit. */
void sls_api_admin_audit_verify(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_audit_chain *c = sls_req_alloc(rq, sizeof(*c));
    int rc;

    if (c == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    sls_audit_chain_init(c, sls_sha256_hex);
    rc = sls_audit_read_verify(rq->app, c);
    if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (sls_audit_chain_intact(c))
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:I, s:I, s:s}", "ok", 1, "records", (json_int_t)c->records,
                                "last_seq", (json_int_t)c->last_seq, "last_hash", c->last_hash));
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:I, s:I, s:s}", "ok", 0, "records_checked",
                                (json_int_t)c->records, "first_broken_seq",
                                (json_int_t)c->broken_seq, "reason",
                                sls_audit_chain_reason(c->verdict)));
}
