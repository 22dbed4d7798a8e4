/* The login API (SPEC §3): stage 1 with user name and password, stage 2
 * with a device's answer, switching devices and polling. In [lockout] mode
 * client (SPEC §10.3) stage 1 takes the client token a browser kept, which
 * decides the R8 counter of the login, and every success hands out a new one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/login.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/body.h"
#include "server/flows/client_token.h"
#include "core/client_lockout.h"
#include "core/access.h"
#include "core/challenge.h"
#include "core/error.h"
#include "core/password_policy.h"
#include "core/username.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/held_devices.h"
#include "server/flows/login_tx.h"
#include "server/app/metrics.h"
#include "server/flows/one_time_code.h"
#include "server/api/phone_body.h"
#include "server/flows/push_send.h"
#include "server/flows/session.h"
#include "server/api/session_json.h"

#define HINT_CALL_DESK "Please call the service desk"

/* Everything a login step reads, in one snapshot. */
struct snapshot {
    const char *username; /* stage 1 */
    const char *login_id; /* stage 2 */
    const char *device_id;
    int rc;
    struct sls_user_rec user;
    struct sls_login_rec login;
    struct sls_device_rec device;
    bool device_held; /* stage 2: device answers for the user (theirs or shared, R32) */
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t ndevices;
    struct sls_code_rec code; /* an SMS login: its code */
    bool code_found;
    struct sls_push_rec push; /* a push login: its push */
    bool push_found;
    int ibkey_mode;                     /* an ibkey device: the mode chosen at activation */
    char client_hash[65];               /* stage 1, mode client: the token presented, hashed */
    struct sls_client_token_rec client; /* its record */
    bool client_found;
};

static void login_code_key(char *out, size_t len, const char *login_id)
{
    snprintf(out, len, "login:%s", login_id);
}

static int read_user_fn(struct sls_db *db, void *arg)
{
    struct snapshot *s = arg;
    int rc;

    /* §10.3: looked up whenever one is presented, before the user, so that an
     * unknown user or token costs the same work as a known one. */
    if (s->client_hash[0] != '\0') {
        rc = SLS_DB(db, client_token_get, s->client_hash, &s->client);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        s->client_found = rc == SLS_OK;
    }
    rc = SLS_DB(db, user_get_by_name, s->username, &s->user);
    if (rc != SLS_OK)
        return rc;
    return sls_devices_held(db, s->user.id, s->devices, SLS_DEVICE_VIEW_MAX, &s->ndevices);
}

static int read_login_fn(struct sls_db *db, void *arg)
{
    struct snapshot *s = arg;
    int rc = SLS_DB(db, login_get, s->login_id, &s->login);

    if (rc != SLS_OK)
        return rc;
    char key[128];
    uint8_t pk[32];

    rc = SLS_DB(db, user_get_by_id, s->login.user_id, &s->user);
    if (rc != SLS_OK)
        return rc;
    if (s->login.kind == SLS_CHALLENGE_CODE) {
        login_code_key(key, sizeof(key), s->login.id);
        rc = SLS_DB(db, code_get, key, &s->code);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        s->code_found = rc == SLS_OK;
    }
    if (s->login.kind == SLS_CHALLENGE_PUSH) {
        rc = SLS_DB(db, push_get, s->login.challenge, &s->push);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        s->push_found = rc == SLS_OK;
    }
    rc = SLS_DB(db, device_get, s->device_id ? s->device_id : s->login.device_id, &s->device);
    if (rc == SLS_OK)
        rc = sls_device_held_by(db, &s->device, s->user.id, &s->device_held);
    if (rc != SLS_OK || s->device.type != SLS_DEVICE_IBKEY)
        return rc;
    rc = SLS_DB(db, ibkey_key_get, s->device.id, pk, &s->ibkey_mode);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

static struct snapshot *snapshot_new(void)
{
    return calloc(1, sizeof(struct snapshot));
}

static bool usable(const struct sls_device_rec *d)
{
    return d->state == SLS_DEVSTATE_ACTIVE && d->type != SLS_DEVICE_NONE;
}

static void answer_locked(struct sls_resp *rs, sls_time until)
{
    sls_answer_locked(rs, until);
    sls_metrics_login(SLS_OUTCOME_LOCKED);
}

static void answer_store_error(struct sls_resp *rs)
{
    sls_resp_error(rs, SLS_ERR_STORE, NULL);
}

static int audit_fn_write(struct sls_db *db, void *arg)
{
    struct sls_audit_rec *r = arg;
    return SLS_DB(db, audit_append, r);
}

/* Appends one audit record in a transaction of its own. */
static int audit_alone(struct sls_app *app, sls_time now, const char *username, const char *event,
                       const char *outcome, const char *detail)
{
    struct sls_audit_rec r;
    char actor[64];

    snprintf(actor, sizeof(actor), "user:%s", username);
    sls_audit_event(&r, now, actor, username, event, outcome, detail);
    return sls_store_write(app->store, audit_fn_write, &r);
}

/* §10.3 mode client: the client token a successful login hands out. */
struct issue {
    struct sls_client_token_rec rec;
    char token[SLS_CLIENT_TOKEN_LEN + 1];
};

/* Prepares a new client token for user_id in mode client (NULL otherwise). */
static const struct sls_client_token_rec *prepare_issue(const struct sls_req *rq, struct issue *is,
                                                        int64_t user_id)
{
    memset(is, 0, sizeof(*is));
    if (rq->app->cfg.lockout_mode != SLS_LOCKOUT_MODE_CLIENT)
        return NULL;
    sls_client_token_new(rq->app, &is->rec, is->token, user_id, rq->now);
    return &is->rec;
}

/* Answers the session; with client_token in mode client (§10.3). */
static void answer_authenticated(struct sls_resp *rs, const struct sls_session_rec *s,
                                 const char *token, bool sls_member, const struct issue *is)
{
    json_t *o = json_object();
    json_t *session = sls_session_json(s, token, sls_member);

    if (is != NULL && is->token[0] != '\0')
        json_object_set_new(session, "client_token", json_string(is->token));
    json_object_set_new(o, "status", json_string("authenticated"));
    json_object_set_new(o, "session", session);
    sls_resp_json(rs, 200, o);
    sls_metrics_login(SLS_OUTCOME_SUCCESS);
}

/* A failed attempt against a known user: count it (R8) and answer. */
static void fail_attempt(struct sls_req *rq, struct sls_resp *rs, struct sls_attempt *a, int err,
                         const char *hint)
{
    if (sls_attempt_fail(rq->app, a, rq->now) != SLS_OK) {
        answer_store_error(rs);
        return;
    }
    if (a->locked) {
        answer_locked(rs, a->locked_until);
        return;
    }
    sls_resp_error(rs, err, hint);
    sls_metrics_login(err == SLS_ERR_LOGIN_FAILED ? SLS_OUTCOME_LOGIN_FAILED
                                                  : SLS_OUTCOME_INVALID_CREDENTIALS);
}

static struct sls_account_view account_view(const struct sls_user_rec *u)
{
    struct sls_account_view v;

    v.state = u->account_state;
    v.approved_at = u->approved_at;
    v.is_paper = u->paper_of != 0;
    v.sls = u->sls;
    return v;
}

static json_t *devices_json(const struct snapshot *s, int dflt)
{
    json_t *arr = json_array();
    size_t i;

    for (i = 0; i < s->ndevices; i++) {
        const struct sls_device_rec *d = &s->devices[i];
        if (!usable(d))
            continue;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "id", d->id, "type",
                                             sls_device_type_name(d->type), "label", d->label,
                                             "default", (int)i == dflt));
    }
    return arr;
}

/* Stage 2 is skipped (closed accounts, SLS opt-out): open the session now. */
static void login_without_device(struct sls_req *rq, struct sls_resp *rs, struct snapshot *s,
                                 enum sls_platform platform, bool paper, enum sls_access access,
                                 const char *client_hash)
{
    struct sls_session_rec sess;
    char token[65];
    struct sls_attempt a;
    struct issue is;

    memset(&a, 0, sizeof(a));
    a.client_token_hash = client_hash;
    a.issue = prepare_issue(rq, &is, s->user.id);
    sls_session_new(rq->app, &sess, token, &s->user, platform, SLS_DEVICE_NONE, NULL, access,
                    SLS_AUTH_NONE, paper, rq->now);
    a.user_id = s->user.id;
    a.username = s->user.username;
    a.session = &sess;
    a.detail = "factor=none";
    if (sls_attempt_succeed(rq->app, &a, rq->now) != SLS_OK)
        answer_store_error(rs);
    else if (a.locked)
        answer_locked(rs, a.locked_until);
    else
        answer_authenticated(rs, &sess, token, s->user.sls, &is);
    sls_wipe(token, sizeof(token));
    sls_wipe(&is, sizeof(is));
}

/* Issuing the challenge of a login and writing the login, in one
 * transaction: a push goes out with it (or, past the cap, the manual
 * challenge of the app instead), an SMS or voice code with it. */
struct challenge_tx {
    const struct sls_app *app;
    struct sls_login_rec *login; /* kind and challenge set, except push / code */
    bool insert;                 /* a new login; else CAS on seq */
    int seq;
    const struct sls_user_rec *user;
    const struct sls_device_rec *device;
    const char *channel; /* code: "sms" or "voice" */
    const char *to;      /* code: the phone */
    sls_time now;
    bool capped; /* out: the push cap was reached */
    int number;  /* out: the push's number to type (§10.3), 0: none */
};

static int challenge_fn(struct sls_db *db, void *arg)
{
    struct challenge_tx *t = arg;
    struct sls_login_rec *l = t->login;
    struct sls_push_rec push;
    struct sls_push_request pr;
    struct sls_code_send cs;
    char key[128];
    sls_time expires = 0;
    int rc = SLS_OK;

    t->capped = false;
    if (l->kind == SLS_CHALLENGE_PUSH) {
        memset(&pr, 0, sizeof(pr));
        pr.user = t->user;
        pr.device = t->device;
        pr.purpose = SLS_PUSH_LOGIN;
        pr.subject = l->id;
        pr.platform = l->platform;
        rc = sls_push_send(t->app, db, &pr, t->now, &push, &t->capped);
        if (rc != SLS_OK)
            return rc;
        if (t->capped) {
            /* No more notifications: the app's manual challenge still works. */
            l->kind = SLS_CHALLENGE_RESPONSE;
            sls_random_digits(l->challenge, 6);
            rc = sls_audit_write_user(db, t->now, t->user->username, "ibkey.push", "capped",
                                      t->device->id);
        } else {
            snprintf(l->challenge, sizeof(l->challenge), "%s", push.id);
            t->number = push.number;
        }
    } else if (l->kind == SLS_CHALLENGE_CODE) {
        login_code_key(key, sizeof(key), l->id);
        memset(&cs, 0, sizeof(cs));
        cs.key = key;
        cs.user_id = t->user->id;
        cs.data = t->device->id;
        cs.to = t->to;
        cs.channel = t->channel;
        cs.purpose = "login code";
        cs.ttl = t->app->cfg.sms_code_ttl;
        /* A resend or a voice call repeats the same code with its expiry. */
        cs.reuse = strcmp(l->device_id, t->device->id) == 0 && !t->insert;
        rc = sls_code_send(t->app, db, &cs, t->now, &expires);
        if (rc != SLS_OK)
            return rc;
        snprintf(l->challenge, sizeof(l->challenge), "%s", t->channel);
        l->challenge_at = expires - t->app->cfg.sms_code_ttl;
    }
    if (rc != SLS_OK)
        return rc;
    snprintf(l->device_id, sizeof(l->device_id), "%s", t->device->id);
    if (t->insert)
        return SLS_DB(db, login_insert, l);
    return SLS_DB(db, login_update_cas, l, t->seq);
}

/* Prepares the challenge of device d (manual: the ibkey's challenge/response
 * fallback) in l, and for SMS its address into to. Answers and returns false
 * when d cannot be challenged. */
static bool prepare_challenge(struct sls_req *rq, struct sls_resp *rs,
                              const struct sls_device_rec *d, const struct sls_user_rec *u,
                              bool manual, struct sls_login_rec *l, char *to, size_t tolen)
{
    enum sls_challenge_kind kind = sls_device_challenge_kind(d->type);
    int rc = SLS_OK;

    if (manual)
        rc = sls_device_manual_challenge_new(rq->app, d, l->challenge, sizeof(l->challenge),
                                             &l->kind);
    else if (kind == SLS_CHALLENGE_PUSH || kind == SLS_CHALLENGE_CODE)
        l->kind = kind;
    else
        rc = sls_device_challenge_new(rq->app, d, l->challenge, sizeof(l->challenge), &l->kind);
    if (rc == SLS_OK && l->kind == SLS_CHALLENGE_CODE &&
        sls_sms_address(d, u->phones_json, to, tolen) != 0)
        rc = SLS_ERR_NO_ACTIVE_DEVICE;
    if (rc != SLS_OK) {
        sls_resp_error_msg(rs, SLS_ERR_NO_ACTIVE_DEVICE, "This device cannot answer a login here",
                           HINT_CALL_DESK);
        return false;
    }
    return true;
}

void sls_api_login(struct sls_req *rq, struct sls_resp *rs)
{
    struct snapshot *s = NULL;
    const char *username, *password, *platform_name;
    bool paper, found = false, password_ok;
    enum sls_platform platform;
    struct sls_platform_verdict gate;
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    struct sls_attempt a;
    struct sls_counters counters;
    const char *client_token;
    struct sls_login_rec login;
    struct challenge_tx ct;
    char ts[32], to[64];
    int dflt, rc;
    size_t i, ulen;
    json_t *o, *ch;

    if (!sls_body_str(rq, rs, "username", true, 256, &username) ||
        !sls_body_str(rq, rs, "password", true, 1024, &password) ||
        !sls_body_str(rq, rs, "platform", true, 32, &platform_name) ||
        !sls_body_bool(rq, rs, "paper", false, &paper) ||
        !sls_body_str(rq, rs, "client_token", false, 256, &client_token))
        return;
    ulen = strlen(username);
    if (sls_username_check_chars(username, ulen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    if (sls_platform_parse(platform_name, &platform) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'platform' must be portal or trading",
                           NULL);
        return;
    }
    s = snapshot_new();
    if (s == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    s->username = username;
    /* §10.3: text that cannot be one of our tokens is no token, like an unknown one. */
    if (rq->app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT && client_token != NULL)
        sls_client_token_hash(client_token, s->client_hash);
    if (sls_username_could_exist(username, ulen)) {
        rc = sls_store_read(rq->app->store, read_user_fn, s);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
            answer_store_error(rs);
            goto out;
        }
        found = rc == SLS_OK;
    }
    /* R5: the same Argon2id work whether or not the user exists. */
    password_ok = sls_password_verify(found ? s->user.password_hash : rq->app->dummy_hash, password,
                                      strlen(password)) == 0 &&
                  found;
    if (!found) {
        if (audit_alone(rq->app, rq->now, sls_username_could_exist(username, ulen) ? username : "",
                        "login.failure", "unknown_user", NULL) != SLS_OK) {
            answer_store_error(rs);
            goto out;
        }
        sls_resp_error(rs, SLS_ERR_INVALID_CREDENTIALS, NULL);
        sls_metrics_login(SLS_OUTCOME_INVALID_CREDENTIALS);
        goto out;
    }
    /* R8, §10.3: the counter this login counts against. An unknown or
     * expired token, or another user's, is no token. */
    memset(&counters, 0, sizeof(counters));
    counters.user = s->user.lockout;
    counters.has_client =
        s->client_found &&
        sls_client_token_valid(s->client.user_id, s->client.expires_at, s->user.id, rq->now);
    if (counters.has_client)
        counters.client = s->client.lockout;
    memset(&a, 0, sizeof(a));
    a.user_id = s->user.id;
    a.username = s->user.username;
    a.client_token_hash = counters.has_client ? s->client_hash : NULL;
    if (!password_ok || sls_counters_locked(&counters, rq->now, NULL)) {
        a.outcome = password_ok ? "locked" : "wrong_password";
        fail_attempt(rq, rs, &a, SLS_ERR_INVALID_CREDENTIALS, NULL);
        goto out;
    }
    /* R12: account state, approval cut-off, paper trading. */
    struct sls_account_view view = account_view(&s->user);
    sls_access_platform(&view, platform, paper, &rq->app->cfg.access, rq->now, &gate);
    if (gate.err != SLS_OK) {
        audit_alone(rq->app, rq->now, s->user.username, "login.refused", "platform_not_allowed",
                    gate.message);
        sls_resp_error_msg(rs, SLS_ERR_PLATFORM_NOT_ALLOWED, gate.message, NULL);
        sls_metrics_login(SLS_OUTCOME_PLATFORM_NOT_ALLOWED);
        goto out;
    }
    if (!gate.second_factor) {
        login_without_device(rq, rs, s, platform, paper, gate.access, a.client_token_hash);
        goto out;
    }
    /* R7: the active devices, strongest first by default. */
    for (i = 0; i < s->ndevices; i++) {
        briefs[i].type = s->devices[i].type;
        briefs[i].state = usable(&s->devices[i]) ? SLS_DEVSTATE_ACTIVE : SLS_DEVSTATE_INACTIVE;
    }
    dflt = sls_device_pick_default(briefs, s->ndevices);
    if (dflt < 0) {
        audit_alone(rq->app, rq->now, s->user.username, "login.refused", "no_active_device", NULL);
        sls_resp_error(rs, SLS_ERR_NO_ACTIVE_DEVICE, HINT_CALL_DESK);
        sls_metrics_login(SLS_OUTCOME_NO_ACTIVE_DEVICE);
        goto out;
    }
    memset(&login, 0, sizeof(login));
    sls_random_hex(login.id, SLS_ID_LEN / 2);
    login.user_id = s->user.id;
    login.platform = platform;
    login.paper = paper;
    login.created_at = rq->now;
    login.state = SLS_LOGIN_PENDING;
    if (counters.has_client)
        snprintf(login.client_token_hash, sizeof(login.client_token_hash), "%s", s->client_hash);
    snprintf(login.device_id, sizeof(login.device_id), "%s", s->devices[dflt].id);
    login.challenge_at = rq->now;
    if (!prepare_challenge(rq, rs, &s->devices[dflt], &s->user, false, &login, to, sizeof(to)))
        goto out;
    memset(&ct, 0, sizeof(ct));
    ct.app = rq->app;
    ct.login = &login;
    ct.insert = true;
    ct.user = &s->user;
    ct.device = &s->devices[dflt];
    ct.channel = "sms";
    ct.to = to;
    ct.now = rq->now;
    if (sls_store_write(rq->app->store, challenge_fn, &ct) != SLS_OK) {
        answer_store_error(rs);
        goto out;
    }
    o = json_object();
    json_object_set_new(o, "status", json_string("second_factor"));
    json_object_set_new(o, "login_id", json_string(login.id));
    sls_time_format(login.created_at + rq->app->cfg.login_ttl, ts, sizeof(ts));
    json_object_set_new(o, "expires_at", json_string(ts));
    json_object_set_new(o, "devices", devices_json(s, dflt));
    ch = sls_challenge_json(login.kind, login.challenge);
    sls_challenge_json_number(ch, ct.number);
    json_object_set_new(o, "challenge", ch);
    sls_resp_json(rs, 200, o);
    sls_metrics_login(SLS_OUTCOME_SECOND_FACTOR);
out:
    free(s);
}

static bool login_live(const struct sls_app *app, const struct sls_login_rec *l, sls_time now)
{
    return l->state == SLS_LOGIN_PENDING &&
           sls_challenge_valid(l->created_at, app->cfg.login_ttl, now);
}

struct login_cas {
    struct sls_login_rec *next;
    int seq;
};

static int login_cas_fn(struct sls_db *db, void *arg)
{
    struct login_cas *c = arg;
    return SLS_DB(db, login_update_cas, c->next, c->seq);
}

static void answer_login_failed(struct sls_resp *rs, enum sls_device_type t)
{
    sls_resp_error(rs, SLS_ERR_LOGIN_FAILED, sls_response_hint(t));
    sls_metrics_login(SLS_OUTCOME_LOGIN_FAILED);
}

/* Reads the login named in the path (and a device); NULL after answering. */
static struct snapshot *load_login(struct sls_req *rq, struct sls_resp *rs, const char *device_id,
                                   int *rc)
{
    struct snapshot *s;

    if (!sls_id_valid(rq->params[0])) {
        answer_login_failed(rs, SLS_DEVICE_NONE);
        return NULL;
    }
    s = snapshot_new();
    if (s == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return NULL;
    }
    s->login_id = rq->params[0];
    s->device_id = device_id;
    *rc = sls_store_read(rq->app->store, read_login_fn, s);
    if (*rc != SLS_OK && s->user.id == 0) {
        if (*rc == SLS_ERR_NOT_FOUND)
            answer_login_failed(rs, SLS_DEVICE_NONE);
        else
            answer_store_error(rs);
        free(s);
        return NULL;
    }
    return s;
}

void sls_api_login_device(struct sls_req *rq, struct sls_resp *rs)
{
    struct snapshot *s;
    const char *device_id, *mode, *channel;
    struct challenge_tx ct;
    struct sls_login_rec next;
    char to[64];
    bool manual;
    int rc = SLS_OK;
    json_t *o, *ch;

    if (!sls_body_str(rq, rs, "device_id", true, 64, &device_id) ||
        !sls_body_str(rq, rs, "mode", false, 32, &mode) ||
        !sls_body_str(rq, rs, "channel", false, 16, &channel))
        return;
    if (mode != NULL && strcmp(mode, "challenge_response") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'mode' must be challenge_response",
                           NULL);
        return;
    }
    if (channel != NULL && strcmp(channel, "sms") != 0 && strcmp(channel, "voice") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'channel' must be sms or voice", NULL);
        return;
    }
    manual = mode != NULL;
    s = load_login(rq, rs, device_id, &rc);
    if (s == NULL)
        return;
    if (!login_live(rq->app, &s->login, rq->now)) {
        answer_login_failed(rs, SLS_DEVICE_NONE);
        goto out;
    }
    if (rc != SLS_OK || !s->device_held || !usable(&s->device)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Unknown device for this login", NULL);
        goto out;
    }
    if ((manual && s->device.type != SLS_DEVICE_IBKEY) ||
        (channel != NULL && s->device.type != SLS_DEVICE_SMS)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           manual ? "Only the mobile authenticator has a challenge_response mode"
                                  : "Only SMS devices take a channel",
                           NULL);
        goto out;
    }
    next = s->login;
    next.challenge_at = rq->now;
    if (!prepare_challenge(rq, rs, &s->device, &s->user, manual, &next, to, sizeof(to)))
        goto out;
    memset(&ct, 0, sizeof(ct));
    ct.app = rq->app;
    ct.login = &next;
    ct.seq = s->login.seq;
    ct.user = &s->user;
    ct.device = &s->device;
    ct.channel = channel != NULL ? channel : "sms";
    ct.to = to;
    ct.now = rq->now;
    rc = sls_store_write(rq->app->store, challenge_fn, &ct);
    if (rc == SLS_ERR_CONFLICT) {
        answer_login_failed(rs, s->device.type);
        goto out;
    }
    if (rc != SLS_OK) {
        answer_store_error(rs);
        goto out;
    }
    o = json_object();
    json_object_set_new(o, "device_id", json_string(next.device_id));
    ch = sls_challenge_json(next.kind, next.challenge);
    sls_challenge_json_number(ch, ct.number);
    json_object_set_new(o, "challenge", ch);
    sls_resp_json(rs, 200, o);
out:
    free(s);
}

void sls_api_login_response(struct sls_req *rq, struct sls_resp *rs)
{
    struct snapshot *s;
    const char *response;
    struct sls_attempt a;
    struct sls_login_rec next;
    struct sls_session_rec sess;
    struct sls_platform_verdict gate;
    struct sls_account_view view;
    enum sls_access access;
    char token[65] = {0};
    char code_key[128];
    struct issue is;
    bool expired, ok;
    int rc = SLS_OK;

    memset(&is, 0, sizeof(is));
    if (!sls_body_str(rq, rs, "response", true, 256, &response))
        return;
    s = load_login(rq, rs, NULL, &rc);
    if (s == NULL)
        return;
    memset(&a, 0, sizeof(a));
    a.user_id = s->user.id;
    a.username = s->user.username;
    next = s->login;
    a.login = &next;
    a.login_seq = s->login.seq;
    if (s->login.state != SLS_LOGIN_PENDING) {
        /* R9: single use. Decided logins answer as failed, counted once only. */
        a.outcome = "reused";
        fail_attempt(rq, rs, &a, SLS_ERR_LOGIN_FAILED, sls_response_hint(s->device.type));
        goto out;
    }
    if (s->login.kind == SLS_CHALLENGE_PUSH) {
        /* Nothing to type: the app approves, or the user asks for the fallback. */
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "This login waits for approval in the app",
                           "If no notification arrives, ask for a challenge "
                           "(mode challenge_response)");
        goto out;
    }
    expired = !sls_challenge_valid(s->login.created_at, rq->app->cfg.login_ttl, rq->now) ||
              !sls_challenge_valid(s->login.challenge_at, rq->app->cfg.challenge_ttl, rq->now);
    if (s->login.kind == SLS_CHALLENGE_CODE) {
        /* R25: the code of this login, valid until its expiry, used once. */
        login_code_key(code_key, sizeof(code_key), s->login.id);
        a.code_key = code_key;
        expired = expired || !s->code_found || rq->now > s->code.expires_at;
        ok = rc == SLS_OK && !expired && usable(&s->device) && s->code.user_id == s->user.id &&
             strcmp(s->code.data, s->device.id) == 0 &&
             sls_response_well_formed(s->device.type, response, strlen(response)) &&
             sls_code_matches(rq->app, &s->code, response);
    } else {
        ok = rc == SLS_OK && !expired && usable(&s->device) &&
             sls_device_response_ok(rq->app, &s->device, s->login.challenge, response);
    }
    if (!ok) {
        /* R29: a device marked lost (or revoked) since stage 1 fails the login. */
        a.outcome = expired                               ? "expired"
                    : rc == SLS_OK && !usable(&s->device) ? "device_not_active"
                                                          : "wrong_response";
        a.detail = sls_device_type_name(s->device.type);
        fail_attempt(rq, rs, &a, SLS_ERR_LOGIN_FAILED, sls_response_hint(s->device.type));
        goto out;
    }
    /* R12 again: the account may have changed since stage 1. */
    view = account_view(&s->user);
    sls_access_platform(&view, s->login.platform, s->login.paper, &rq->app->cfg.access, rq->now,
                        &gate);
    /* R11: what this factor grants on this platform now. */
    access = sls_access_for_factor(s->device.type, s->login.platform, s->device.state_changed_at,
                                   &rq->app->cfg.access, rq->now);
    if (gate.err != SLS_OK) {
        /* The credentials were right: the login ends, nothing counts toward R8. */
        struct login_cas cas = {&next, s->login.seq};
        next.state = SLS_LOGIN_FAILED;
        if (sls_store_write(rq->app->store, login_cas_fn, &cas) == SLS_ERR_CONFLICT) {
            answer_login_failed(rs, s->device.type);
            goto out;
        }
        audit_alone(rq->app, rq->now, s->user.username, "login.refused", "platform_not_allowed",
                    gate.message);
        sls_resp_error_msg(rs, SLS_ERR_PLATFORM_NOT_ALLOWED, gate.message, NULL);
        sls_metrics_login(SLS_OUTCOME_PLATFORM_NOT_ALLOWED);
        goto out;
    }
    if (access == SLS_ACCESS_REFUSED) {
        a.outcome = "factor_refused";
        a.detail = sls_device_type_name(s->device.type);
        fail_attempt(rq, rs, &a, SLS_ERR_LOGIN_FAILED,
                     sls_access_refusal_hint(s->device.type, s->login.platform,
                                             s->device.state_changed_at, &rq->app->cfg.access,
                                             rq->now));
        goto out;
    }
    /* R10: the app's manual mode is unlocked like its approvals (its mode). */
    sls_session_new(
        rq->app, &sess, token, &s->user, s->login.platform, s->device.type, s->device.id, access,
        s->device.type == SLS_DEVICE_IBKEY ? (enum sls_auth_mode)s->ibkey_mode : SLS_AUTH_NONE,
        s->login.paper, rq->now);
    a.session = &sess;
    a.detail = sls_device_type_name(s->device.type);
    a.issue = prepare_issue(rq, &is, s->user.id);
    if (sls_attempt_succeed(rq->app, &a, rq->now) != SLS_OK)
        answer_store_error(rs);
    else if (a.locked)
        answer_locked(rs, a.locked_until);
    else if (a.reused)
        answer_login_failed(rs, s->device.type);
    else
        answer_authenticated(rs, &sess, token, s->user.sls, &is);
out:
    sls_wipe(token, sizeof(token));
    sls_wipe(&is, sizeof(is));
    free(s);
}

/* A push approved in the app: the first poll after the approval opens the
 * session and hands its token over (it exists nowhere else: only its hash
 * is stored). The login is closed by compare-and-swap, so of two polls only
 * one gets the token; later polls see "authenticated" without it. */
static void complete_push(struct sls_req *rq, struct sls_resp *rs, struct snapshot *s)
{
    struct sls_attempt a;
    struct sls_login_rec next = s->login;
    struct sls_session_rec sess;
    struct sls_platform_verdict gate;
    struct sls_account_view view = account_view(&s->user);
    enum sls_access access;
    char token[65] = {0};
    struct issue is;

    memset(&a, 0, sizeof(a));
    a.user_id = s->user.id;
    a.username = s->user.username;
    a.login = &next;
    a.login_seq = s->login.seq;
    a.detail = "ibkey push";
    sls_access_platform(&view, s->login.platform, s->login.paper, &rq->app->cfg.access, rq->now,
                        &gate);
    access = sls_access_for_factor(s->device.type, s->login.platform, s->device.state_changed_at,
                                   &rq->app->cfg.access, rq->now);
    if (gate.err != SLS_OK || access == SLS_ACCESS_REFUSED || !usable(&s->device)) {
        a.outcome = gate.err != SLS_OK ? "platform_not_allowed" : "device_not_active";
        fail_attempt(rq, rs, &a, SLS_ERR_LOGIN_FAILED, sls_response_hint(s->device.type));
        return;
    }
    sls_session_new(rq->app, &sess, token, &s->user, s->login.platform, s->device.type,
                    s->device.id, access, s->push.auth_mode, s->login.paper, rq->now);
    a.session = &sess;
    a.issue = prepare_issue(rq, &is, s->user.id);
    if (sls_attempt_succeed(rq->app, &a, rq->now) != SLS_OK)
        answer_store_error(rs);
    else if (a.locked)
        answer_locked(rs, a.locked_until);
    else if (a.reused)
        sls_resp_json(rs, 200, json_pack("{s:s}", "status", "authenticated"));
    else
        answer_authenticated(rs, &sess, token, s->user.sls, &is);
    sls_wipe(token, sizeof(token));
    sls_wipe(&is, sizeof(is));
}

void sls_api_login_status(struct sls_req *rq, struct sls_resp *rs)
{
    struct snapshot *s;
    const char *status;
    int rc = SLS_OK;

    s = load_login(rq, rs, NULL, &rc);
    if (s == NULL)
        return;
    switch (s->login.state) {
    case SLS_LOGIN_PENDING:
        if (rc == SLS_OK && s->login.kind == SLS_CHALLENGE_PUSH && s->push_found &&
            s->push.state == SLS_PUSH_APPROVED && strcmp(s->push.subject, s->login.id) == 0 &&
            sls_challenge_valid(s->push.decided_at, rq->app->cfg.login_ttl, rq->now)) {
            complete_push(rq, rs, s);
            free(s);
            return;
        }
        status = login_live(rq->app, &s->login, rq->now) ? "pending" : "expired";
        break;
    case SLS_LOGIN_AUTHENTICATED:
        status = "authenticated";
        break;
    case SLS_LOGIN_DENIED:
        status = "denied";
        break;
    default:
        status = "failed";
        break;
    }
    sls_resp_json(rs, 200, json_pack("{s:s}", "status", status));
    free(s);
}
