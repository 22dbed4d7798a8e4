/* The login API (SPEC §3): stage 1 with user name and password, stage 2
 * with a device's answer, switching devices and polling. In [lockout] mode
 * client (SPEC §10.3) stage 1 takes the client token a browser kept, which
 * decides the R8 counter of the login, and every success hands out a new one.
 *
 * Each step has one shape: parse the request, read its facts
 * (server/flows/login.h), let the core decide (core/login.h), apply the
 * verdict in one transaction (server/flows/login_tx.h), render. */
#include <stdio.h>
#include <string.h>

#include "server/api/login.h"
#include "core/access.h"
#include "core/challenge.h"
#include "core/client_lockout.h"
#include "core/error.h"
#include "core/login.h"
#include "core/username.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "server/api/login_answer.h"
#include "server/api/phone_body.h"
#include "server/app/app.h"
#include "server/app/metrics.h"
#include "server/flows/client_token.h"
#include "server/flows/device_auth.h"
#include "server/flows/login.h"
#include "server/flows/login_tx.h"
#include "server/flows/one_time_code.h"
#include "server/flows/session.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "server/api/session_json.h"

#define HINT_CALL_DESK "Please call the service desk"

/* §10.3 mode client: the client token a successful login hands out. */
struct issue {
    struct sls_client_token_rec rec;
    char token[SLS_CLIENT_TOKEN_LEN + 1];
};

/* One login step: its facts, its verdict and what applying it takes. Lives
 * in the request's arena, wiped when the request ends (tokens included). */
struct step {
    struct sls_login_facts f;
    struct sls_login_verdict v;
    struct sls_attempt a;
    struct sls_login_rec next;
    struct sls_session_rec sess;
    char token[65];
    struct issue is;
    char code_key[128];
    char to[64];
};

static struct step *step_new(struct sls_req *rq, struct sls_resp *rs)
{
    struct step *st = sls_req_alloc(rq, sizeof(*st));

    if (st == NULL)
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
    return st;
}

static bool usable(const struct sls_device_rec *d)
{
    return d->state == SLS_DEVSTATE_ACTIVE && d->type != SLS_DEVICE_NONE;
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

static void answer_store_error(struct sls_resp *rs)
{
    sls_resp_error(rs, SLS_ERR_STORE, NULL);
}

static void answer_login_failed(struct sls_resp *rs, enum sls_device_type t)
{
    sls_resp_error(rs, SLS_ERR_LOGIN_FAILED, sls_response_hint(t));
    sls_metrics_login(SLS_OUTCOME_LOGIN_FAILED);
}

static enum sls_login_outcome outcome_of(int err)
{
    switch (err) {
    case SLS_ERR_LOGIN_FAILED:
        return SLS_OUTCOME_LOGIN_FAILED;
    case SLS_ERR_PLATFORM_NOT_ALLOWED:
        return SLS_OUTCOME_PLATFORM_NOT_ALLOWED;
    case SLS_ERR_NO_ACTIVE_DEVICE:
        return SLS_OUTCOME_NO_ACTIVE_DEVICE;
    default:
        return SLS_OUTCOME_INVALID_CREDENTIALS;
    }
}

/* Prepares the session a session verdict opens, and in mode client the new
 * client token that goes with it (§10.3). */
static void prepare_session(struct sls_req *rq, struct step *st, const char *device_id,
                            enum sls_auth_mode mode)
{
    sls_session_new(rq->app, &st->sess, st->token, &st->f.user, st->f.login.platform, st->v.factor,
                    device_id, st->v.access, mode, st->f.login.paper, rq->now);
    st->a.session = &st->sess;
    if (rq->app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT) {
        sls_client_token_new(rq->app, &st->is.rec, st->is.token, st->f.user.id, rq->now);
        st->a.issue = &st->is.rec;
    }
}

/* Answers the session; with client_token in mode client (§10.3). */
static void answer_authenticated(struct sls_resp *rs, const struct step *st)
{
    json_t *o = json_object();
    json_t *session = sls_session_json(&st->sess, st->token, st->f.user.sls);

    if (st->is.token[0] != '\0')
        json_object_set_new(session, "client_token", json_string(st->is.token));
    json_object_set_new(o, "status", json_string("authenticated"));
    json_object_set_new(o, "session", session);
    sls_resp_json(rs, 200, o);
    sls_metrics_login(SLS_OUTCOME_SUCCESS);
}

/* Renders the verdict of st as applied (rc: what sls_attempt_apply
 * returned). A login decided meanwhile by another request answers as
 * failed, or for a push poll as authenticated without the token. */
static void render(struct sls_resp *rs, const struct step *st, int rc, bool push_poll)
{
    const struct sls_login_verdict *v = &st->v;
    const struct sls_attempt *a = &st->a;

    if (rc != SLS_OK) {
        answer_store_error(rs);
        return;
    }
    if (a->locked) {
        sls_login_answer_locked(rs, a->locked_until);
        sls_metrics_login(SLS_OUTCOME_LOCKED);
        return;
    }
    switch (v->outcome) {
    case SLS_LOGIN_OUT_SESSION:
        if (!a->reused)
            answer_authenticated(rs, st);
        else if (push_poll)
            sls_resp_json(rs, 200, json_pack("{s:s}", "status", "authenticated"));
        else
            answer_login_failed(rs, st->f.device.type);
        return;
    case SLS_LOGIN_OUT_REFUSED:
        if (a->reused) {
            answer_login_failed(rs, st->f.device.type);
            return;
        }
        sls_resp_error_msg(rs, v->err, v->message, v->hint);
        sls_metrics_login(outcome_of(v->err));
        return;
    case SLS_LOGIN_OUT_FAILED:
        sls_resp_error_msg(rs, v->err, v->message, v->hint);
        sls_metrics_login(outcome_of(v->err));
        return;
    case SLS_LOGIN_OUT_REJECTED:
    case SLS_LOGIN_OUT_SECOND_FACTOR:
        sls_resp_error_msg(rs, v->err, v->message, v->hint);
        return;
    }
}

static json_t *devices_json(const struct sls_login_facts *f, int dflt)
{
    json_t *arr = json_array();
    size_t i;

    for (i = 0; i < f->ndevices; i++) {
        const struct sls_device_rec *d = &f->devices[i];
        if (!usable(d))
            continue;
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "id", d->id, "type",
                                             sls_device_type_name(d->type), "label", d->label,
                                             "default", (int)i == dflt));
    }
    return arr;
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

/* Stage 1 passed: the login is written with the challenge of the default
 * device (R7) and answered with the devices to choose from. */
static void ask_second_factor(struct sls_req *rq, struct sls_resp *rs, struct step *st,
                              enum sls_platform platform, bool paper, bool has_client)
{
    const struct sls_device_rec *d = &st->f.devices[st->v.device];
    struct sls_login_rec *l = &st->next;
    struct sls_login_challenge c;
    char ts[SLS_TIME_TEXT];
    json_t *o, *ch;

    sls_random_hex(l->id, SLS_ID_LEN / 2);
    l->user_id = st->f.user.id;
    l->platform = platform;
    l->paper = paper;
    l->created_at = rq->now;
    l->state = SLS_LOGIN_PENDING;
    if (has_client)
        snprintf(l->client_token_hash, sizeof(l->client_token_hash), "%s", st->f.client_hash);
    snprintf(l->device_id, sizeof(l->device_id), "%s", d->id);
    l->challenge_at = rq->now;
    if (!prepare_challenge(rq, rs, d, &st->f.user, false, l, st->to, sizeof(st->to)))
        return;
    memset(&c, 0, sizeof(c));
    c.login = l;
    c.insert = true;
    c.user = &st->f.user;
    c.device = d;
    c.channel = "sms";
    c.to = st->to;
    if (sls_login_challenge_issue(rq->app, &c, rq->now) != SLS_OK) {
        answer_store_error(rs);
        return;
    }
    o = json_object();
    json_object_set_new(o, "status", json_string("second_factor"));
    json_object_set_new(o, "login_id", json_string(l->id));
    sls_time_text(l->created_at + rq->app->cfg.login_ttl, ts);
    json_object_set_new(o, "expires_at", json_string(ts));
    json_object_set_new(o, "devices", devices_json(&st->f, st->v.device));
    ch = sls_challenge_json(l->kind, l->challenge);
    sls_challenge_json_number(ch, c.number);
    json_object_set_new(o, "challenge", ch);
    sls_resp_json(rs, 200, o);
    sls_metrics_login(SLS_OUTCOME_SECOND_FACTOR);
}

void sls_api_login(struct sls_req *rq, struct sls_resp *rs)
{
    const char *username, *password, *platform_name, *client_token;
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    struct sls_login_stage1 facts;
    struct sls_counters counters;
    enum sls_platform platform;
    struct step *st;
    bool paper, found = false, could_exist;
    size_t i, ulen;
    int rc;

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
    st = step_new(rq, rs);
    if (st == NULL)
        return;
    st->f.username = username;
    /* §10.3: text that cannot be one of our tokens is no token, like an unknown one. */
    if (rq->app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT && client_token != NULL)
        sls_client_token_hash(client_token, st->f.client_hash);
    could_exist = sls_username_could_exist(username, ulen);
    if (could_exist) {
        rc = sls_login_read_user(rq->app, &st->f);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
            answer_store_error(rs);
            return;
        }
        found = rc == SLS_OK;
    }
    /* R8, §10.3: the counter this login counts against. An unknown or
     * expired token, or another user's, is no token. */
    memset(&counters, 0, sizeof(counters));
    counters.user = st->f.user.lockout;
    counters.has_client = found && st->f.client_found &&
                          sls_client_token_valid(st->f.client.user_id, st->f.client.expires_at,
                                                 st->f.user.id, rq->now);
    if (counters.has_client)
        counters.client = st->f.client.lockout;
    memset(&facts, 0, sizeof(facts));
    facts.user_found = found;
    /* R5: the same Argon2id work whether or not the user exists. */
    facts.password_ok = sls_password_verify(found ? st->f.user.password_hash : rq->app->dummy_hash,
                                            password, strlen(password)) == 0 &&
                        found;
    facts.locked = found && sls_counters_locked(&counters, rq->now, NULL);
    facts.account = account_view(&st->f.user);
    facts.platform = platform;
    facts.paper = paper;
    for (i = 0; i < st->f.ndevices; i++) {
        briefs[i].type = st->f.devices[i].type;
        briefs[i].state = usable(&st->f.devices[i]) ? SLS_DEVSTATE_ACTIVE : SLS_DEVSTATE_INACTIVE;
    }
    facts.devices = briefs;
    facts.ndevices = st->f.ndevices;
    sls_login_decide_stage1(&facts, &rq->app->cfg.access, rq->now, &st->v);
    if (st->v.outcome == SLS_LOGIN_OUT_SECOND_FACTOR) {
        ask_second_factor(rq, rs, st, platform, paper, counters.has_client);
        return;
    }
    st->a.user_id = st->f.user.id;
    st->a.username = found ? st->f.user.username : could_exist ? username : "";
    st->a.client_token_hash = counters.has_client ? st->f.client_hash : NULL;
    st->a.detail = st->v.outcome == SLS_LOGIN_OUT_REFUSED ? st->v.message : NULL;
    if (st->v.outcome == SLS_LOGIN_OUT_SESSION) {
        /* Stage 2 is skipped (closed accounts, SLS opt-out). */
        st->f.login.platform = platform;
        st->f.login.paper = paper;
        prepare_session(rq, st, NULL, SLS_AUTH_NONE);
        st->a.detail = "factor=none";
    }
    rc = sls_attempt_apply(rq->app, &st->v, &st->a, rq->now);
    render(rs, st, rc, false);
}

static bool login_live(const struct sls_app *app, const struct sls_login_rec *l, sls_time now)
{
    return l->state == SLS_LOGIN_PENDING &&
           sls_challenge_valid(l->created_at, app->cfg.login_ttl, now);
}

/* Reads the login named in the path (and a device); NULL after answering. */
static struct step *load_login(struct sls_req *rq, struct sls_resp *rs, const char *device_id)
{
    struct step *st;
    int rc;

    if (!sls_id_valid(rq->params[0])) {
        answer_login_failed(rs, SLS_DEVICE_NONE);
        return NULL;
    }
    st = step_new(rq, rs);
    if (st == NULL)
        return NULL;
    st->f.login_id = rq->params[0];
    st->f.device_id = device_id;
    rc = sls_login_read_login(rq->app, &st->f);
    if (rc == SLS_ERR_NOT_FOUND) {
        answer_login_failed(rs, SLS_DEVICE_NONE);
        return NULL;
    }
    if (rc != SLS_OK) {
        answer_store_error(rs);
        return NULL;
    }
    return st;
}

void sls_api_login_device(struct sls_req *rq, struct sls_resp *rs)
{
    const char *device_id, *mode, *channel;
    struct sls_login_switch sw;
    struct sls_login_challenge c;
    struct step *st;
    bool manual;
    int rc;
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
    st = load_login(rq, rs, device_id);
    if (st == NULL)
        return;
    sw.pending = st->f.login.state == SLS_LOGIN_PENDING;
    sw.created_at = st->f.login.created_at;
    sw.device_held = st->f.device_found && st->f.device_held;
    sw.device_active = st->f.device.state == SLS_DEVSTATE_ACTIVE;
    sw.type = st->f.device.type;
    sw.manual = manual;
    sw.channel = channel != NULL;
    if (sls_login_decide_switch(&sw, rq->app->cfg.login_ttl, rq->now, &st->v) !=
        SLS_LOGIN_OUT_SECOND_FACTOR) {
        render(rs, st, SLS_OK, false);
        return;
    }
    st->next = st->f.login;
    st->next.challenge_at = rq->now;
    if (!prepare_challenge(rq, rs, &st->f.device, &st->f.user, manual, &st->next, st->to,
                           sizeof(st->to)))
        return;
    memset(&c, 0, sizeof(c));
    c.login = &st->next;
    c.seq = st->f.login.seq;
    c.user = &st->f.user;
    c.device = &st->f.device;
    c.channel = channel != NULL ? channel : "sms";
    c.to = st->to;
    rc = sls_login_challenge_issue(rq->app, &c, rq->now);
    if (rc == SLS_ERR_CONFLICT) {
        answer_login_failed(rs, st->f.device.type);
        return;
    }
    if (rc != SLS_OK) {
        answer_store_error(rs);
        return;
    }
    o = json_object();
    json_object_set_new(o, "device_id", json_string(st->next.device_id));
    ch = sls_challenge_json(st->next.kind, st->next.challenge);
    sls_challenge_json_number(ch, c.number);
    json_object_set_new(o, "challenge", ch);
    sls_resp_json(rs, 200, o);
}

/* The facts of stage 2 that do not depend on how the factor was given. */
static void stage2_facts(const struct sls_login_facts *f, enum sls_login_proof proof,
                         struct sls_login_stage2 *out)
{
    memset(out, 0, sizeof(*out));
    out->proof = proof;
    out->pending = f->login.state == SLS_LOGIN_PENDING;
    out->waits_for_push = f->login.kind == SLS_CHALLENGE_PUSH;
    out->created_at = f->login.created_at;
    out->challenge_at = f->login.challenge_at;
    out->is_code = f->login.kind == SLS_CHALLENGE_CODE;
    out->code_found = f->code_found;
    out->code_expires_at = f->code.expires_at;
    out->device_found = f->device_found;
    out->device_active = f->device_found && usable(&f->device);
    out->factor = f->device.type;
    out->factor_since = f->device.state_changed_at;
    out->account = account_view(&f->user);
    out->platform = f->login.platform;
    out->paper = f->login.paper;
}

/* The attempt that applies a stage-2 verdict to the login of st. */
static void stage2_attempt(struct step *st, const char *detail)
{
    st->next = st->f.login;
    st->a.user_id = st->f.user.id;
    st->a.username = st->f.user.username;
    st->a.login = &st->next;
    st->a.login_seq = st->f.login.seq;
    st->a.detail = st->v.outcome == SLS_LOGIN_OUT_REFUSED ? st->v.message : detail;
}

/* Whether the typed response answers the login's challenge (its code, R25,
 * its device's challenge, or an app's current code, whose step is spent when
 * right) into *right. Returns SLS_OK or the store's error. */
static int typed_answer_check(struct sls_req *rq, const struct step *st, const char *response,
                              bool *right)
{
    const struct sls_login_facts *f = &st->f;

    if (f->login.kind == SLS_CHALLENGE_CODE) {
        *right = f->code.user_id == f->user.id && strcmp(f->code.data, f->device.id) == 0 &&
                 sls_response_well_formed(f->device.type, response, strlen(response)) &&
                 sls_code_matches(rq->app, &f->code, response);
        return SLS_OK;
    }
    return sls_device_answer_check(rq->app, &f->device, f->login.challenge, response, rq->now,
                                   right);
}

void sls_api_login_response(struct sls_req *rq, struct sls_resp *rs)
{
    const struct sls_login_ttl ttl = {rq->app->cfg.login_ttl, rq->app->cfg.challenge_ttl};
    struct sls_login_stage2 facts;
    const char *response;
    struct step *st;
    int rc;

    if (!sls_body_str(rq, rs, "response", true, 256, &response))
        return;
    st = load_login(rq, rs, NULL);
    if (st == NULL)
        return;
    stage2_facts(&st->f, SLS_LOGIN_PROOF_TYPED, &facts);
    /* The answer is checked only when it could count. */
    facts.answer_ok = false;
    if (facts.pending && !facts.waits_for_push && facts.device_active &&
        !sls_login_answer_expired(&facts, &ttl, rq->now) &&
        typed_answer_check(rq, st, response, &facts.answer_ok) != SLS_OK) {
        answer_store_error(rs);
        return;
    }
    sls_login_decide_stage2(&facts, &ttl, &rq->app->cfg.access, rq->now, &st->v);
    if (st->v.outcome == SLS_LOGIN_OUT_REJECTED) {
        render(rs, st, SLS_OK, false);
        return;
    }
    stage2_attempt(st, st->v.audit_outcome != NULL && strcmp(st->v.audit_outcome, "reused") == 0
                           ? NULL
                           : sls_device_type_name(st->f.device.type));
    if (facts.pending && facts.is_code) {
        /* R25: the code of this login is used once, whatever the answer. */
        sls_login_code_key(st->code_key, sizeof(st->code_key), st->f.login.id);
        st->a.code_key = st->code_key;
    }
    if (st->v.outcome == SLS_LOGIN_OUT_SESSION)
        /* R10: the app's manual mode is unlocked like its approvals (its mode). */
        prepare_session(rq, st, st->f.device.id,
                        st->f.device.type == SLS_DEVICE_IBKEY ? (enum sls_auth_mode)st->f.ibkey_mode
                                                              : SLS_AUTH_NONE);
    rc = sls_attempt_apply(rq->app, &st->v, &st->a, rq->now);
    render(rs, st, rc, false);
}

/* A push approved in the app: the first poll after the approval opens the
 * session and hands its token over (it exists nowhere else: only its hash
 * is stored). The login is closed by compare-and-swap, so of two polls only
 * one gets the token; later polls see "authenticated" without it. */
static void complete_push(struct sls_req *rq, struct sls_resp *rs, struct step *st)
{
    const struct sls_login_ttl ttl = {rq->app->cfg.login_ttl, rq->app->cfg.challenge_ttl};
    struct sls_login_stage2 facts;
    int rc;

    stage2_facts(&st->f, SLS_LOGIN_PROOF_PUSH, &facts);
    facts.answer_ok = true; /* approved, signed by the app that holds the device */
    sls_login_decide_stage2(&facts, &ttl, &rq->app->cfg.access, rq->now, &st->v);
    stage2_attempt(st, "ibkey push");
    if (st->v.outcome == SLS_LOGIN_OUT_SESSION)
        prepare_session(rq, st, st->f.device.id, st->f.push.auth_mode);
    rc = sls_attempt_apply(rq->app, &st->v, &st->a, rq->now);
    render(rs, st, rc, true);
}

void sls_api_login_status(struct sls_req *rq, struct sls_resp *rs)
{
    const struct sls_login_facts *f;
    struct step *st;
    const char *status;

    st = load_login(rq, rs, NULL);
    if (st == NULL)
        return;
    f = &st->f;
    switch (f->login.state) {
    case SLS_LOGIN_PENDING:
        if (f->device_found && f->login.kind == SLS_CHALLENGE_PUSH && f->push_found &&
            f->push.state == SLS_PUSH_APPROVED && strcmp(f->push.subject, f->login.id) == 0 &&
            sls_challenge_valid(f->push.decided_at, rq->app->cfg.login_ttl, rq->now)) {
            complete_push(rq, rs, st);
            return;
        }
        status = login_live(rq->app, &f->login, rq->now) ? "pending" : "expired";
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
}
