/* The login API (SPEC §3): stage 1 with user name and password, stage 2
 * with a device's answer, switching devices and polling. In [lockout] mode
 * client (SPEC §10.3) stage 1 takes the client token a browser kept, which
 * decides the R8 counter of the login, and every success hands out a new one.
 *
 * Each step has one shape: parse the request, let the step of
 * server/flows/login_step.h read its facts, have the core decide and apply
 * the verdict (shared with the RADIUS front end), then render. */
#include <string.h>

#include "server/api/login.h"
#include "core/error.h"
#include "core/login.h"
#include "core/username.h"
#include "server/api/login_answer.h"
#include "server/app/app.h"
#include "server/app/metrics.h"
#include "server/flows/device_auth.h"
#include "server/flows/login.h"
#include "server/flows/login_step.h"
#include "server/flows/login_tx.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "server/api/session_json.h"

#define HINT_CALL_DESK "Please call the service desk"

static struct sls_login_step *step_new(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_login_step *st = sls_req_alloc(rq, sizeof(*st));

    if (st == NULL)
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
    return st;
}

static bool usable(const struct sls_device_rec *d)
{
    return d->state == SLS_DEVSTATE_ACTIVE && d->type != SLS_DEVICE_NONE;
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

/* Answers the session; with client_token in mode client (§10.3). */
static void answer_authenticated(struct sls_resp *rs, const struct sls_login_step *st)
{
    json_t *o = json_object();
    json_t *session = sls_session_json(&st->sess, st->token, st->f.user.sls);

    if (st->issue_token[0] != '\0')
        json_object_set_new(session, "client_token", json_string(st->issue_token));
    json_object_set_new(o, "status", json_string("authenticated"));
    json_object_set_new(o, "session", session);
    sls_resp_json(rs, 200, o);
    sls_metrics_login(SLS_OUTCOME_SUCCESS);
}

/* Renders the verdict of st as applied (rc: what sls_attempt_apply
 * returned). A login decided meanwhile by another request answers as
 * failed, or for a push poll as authenticated without the token. */
static void render(struct sls_resp *rs, const struct sls_login_step *st, int rc, bool push_poll)
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

/* Answers that the device chosen cannot be challenged here. */
static void answer_no_challenge(struct sls_resp *rs)
{
    sls_resp_error_msg(rs, SLS_ERR_NO_ACTIVE_DEVICE, "This device cannot answer a login here",
                       HINT_CALL_DESK);
}

/* Stage 1 passed: the login written with the challenge of the default
 * device (R7) is answered with the devices to choose from. */
static void answer_second_factor(struct sls_req *rq, struct sls_resp *rs,
                                 const struct sls_login_step *st)
{
    const struct sls_login_rec *l = &st->next;
    char ts[SLS_TIME_TEXT];
    json_t *o, *ch;

    o = json_object();
    json_object_set_new(o, "status", json_string("second_factor"));
    json_object_set_new(o, "login_id", json_string(l->id));
    sls_time_text(l->created_at + rq->app->cfg.login_ttl, ts);
    json_object_set_new(o, "expires_at", json_string(ts));
    json_object_set_new(o, "devices", devices_json(&st->f, st->v.device));
    ch = sls_device_challenge_json(rq->app, &st->f.devices[st->v.device], l->kind, l->challenge);
    sls_challenge_json_number(ch, st->number);
    json_object_set_new(o, "challenge", ch);
    sls_resp_json(rs, 200, o);
    sls_metrics_login(SLS_OUTCOME_SECOND_FACTOR);
}

/* Renders what a step came to; push_poll as for render(). */
static void render_step(struct sls_req *rq, struct sls_resp *rs, const struct sls_login_step *st,
                        enum sls_login_step_result r, bool push_poll)
{
    switch (r) {
    case SLS_LOGIN_STEP_APPLIED:
        render(rs, st, st->rc, push_poll);
        return;
    case SLS_LOGIN_STEP_CHALLENGED:
        answer_second_factor(rq, rs, st);
        return;
    case SLS_LOGIN_STEP_NO_CHALLENGE:
        answer_no_challenge(rs);
        return;
    case SLS_LOGIN_STEP_NOT_FOUND:
        answer_login_failed(rs, SLS_DEVICE_NONE);
        return;
    case SLS_LOGIN_STEP_PENDING:
    case SLS_LOGIN_STEP_STORE_ERROR:
        answer_store_error(rs);
        return;
    }
}

void sls_api_login(struct sls_req *rq, struct sls_resp *rs)
{
    const char *username, *platform_name;
    struct sls_login_stage1_in in;
    struct sls_login_step *st;

    memset(&in, 0, sizeof(in));
    if (!sls_body_str(rq, rs, "username", true, 256, &username) ||
        !sls_body_str(rq, rs, "password", true, 1024, &in.password) ||
        !sls_body_str(rq, rs, "platform", true, 32, &platform_name) ||
        !sls_body_bool(rq, rs, "paper", false, &in.paper) ||
        !sls_body_str(rq, rs, "client_token", false, 256, &in.client_token))
        return;
    if (sls_username_check_chars(username, strlen(username)) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    if (sls_platform_parse(platform_name, &in.platform) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'platform' must be portal or trading",
                           NULL);
        return;
    }
    in.username = username;
    st = step_new(rq, rs);
    if (st == NULL)
        return;
    /* Only stage 1 reads the user's devices: stage 2 needs none of this room. */
    st->f.devices = sls_req_alloc(rq, SLS_DEVICE_VIEW_MAX * sizeof(*st->f.devices));
    if (st->f.devices == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    render_step(rq, rs, st, sls_login_step_stage1(rq->app, st, &in, rq->now), false);
}

/* Reads the login named in the path (and a device); NULL after answering. */
static struct sls_login_step *load_login(struct sls_req *rq, struct sls_resp *rs,
                                         const char *device_id)
{
    struct sls_login_step *st = step_new(rq, rs);
    enum sls_login_step_result r;

    if (st == NULL)
        return NULL;
    r = sls_login_step_load(rq->app, st, rq->params[0], device_id);
    if (r != SLS_LOGIN_STEP_PENDING) {
        render_step(rq, rs, st, r, false);
        return NULL;
    }
    return st;
}

void sls_api_login_device(struct sls_req *rq, struct sls_resp *rs)
{
    const char *device_id, *mode, *channel;
    struct sls_login_switch sw;
    struct sls_login_challenge c;
    struct sls_login_step *st;
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
    if (!sls_login_step_prepare_challenge(rq->app, &st->f.device, &st->f.user, manual, &st->next,
                                          st->to, sizeof(st->to))) {
        answer_no_challenge(rs);
        return;
    }
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
    ch = sls_device_challenge_json(rq->app, &st->f.device, st->next.kind, st->next.challenge);
    sls_challenge_json_number(ch, c.number);
    json_object_set_new(o, "challenge", ch);
    sls_resp_json(rs, 200, o);
}

void sls_api_login_response(struct sls_req *rq, struct sls_resp *rs)
{
    const char *response;
    struct sls_login_step *st;

    const char *credential;

    /* A passkey answers with {credential} (SPEC §10.5), every other device
     * with {response}. */
    if (!sls_body_object_text(rq, rs, "credential", false, SLS_PASSKEY_RESPONSE_MAX, &credential) ||
        !sls_body_str(rq, rs, "response", credential == NULL, 256, &response))
        return;
    if (credential != NULL)
        response = credential;
    st = load_login(rq, rs, NULL);
    if (st == NULL)
        return;
    render_step(rq, rs, st, sls_login_step_answer(rq->app, st, response, rq->now), false);
}

/* A push approved in the app: the first poll after the approval opens the
 * session and hands its token over (it exists nowhere else: only its hash
 * is stored). Of two polls only one gets the token; later polls see
 * "authenticated" without it. */
void sls_api_login_status(struct sls_req *rq, struct sls_resp *rs)
{
    const struct sls_login_facts *f;
    struct sls_login_step *st;
    const char *status;

    st = load_login(rq, rs, NULL);
    if (st == NULL)
        return;
    if (sls_login_step_poll(rq->app, st, rq->now) == SLS_LOGIN_STEP_APPLIED) {
        render(rs, st, st->rc, true);
        return;
    }
    f = &st->f;
    switch (f->login.state) {
    case SLS_LOGIN_PENDING:
        status = sls_login_live(rq->app, &f->login, rq->now) ? "pending" : "expired";
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
