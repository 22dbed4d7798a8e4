/* RADIUS mapped onto the login; see exchange.h. */
#include "server/radius/exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/username.h"
#include "crypto/secmem.h"
#include "server/app/metrics.h"
#include "server/flows/login_step.h"

#define HINT_CALL_DESK "Please call the service desk"
#define USERNAME_MAX   64

/* One exchange: the request, its client and the answer being built. */
struct ex {
    struct sls_app *app;
    const uint8_t *state_key;
    const struct sls_radius_client *client;
    const struct sls_radius_packet *p;
    struct sls_radius_builder *b;
    sls_time now;
    char via[96];
};

bool sls_radius_exchange_hashes(const struct sls_radius_packet *p)
{
    return sls_radius_find(p, SLS_RADIUS_STATE) == NULL;
}

static void text(struct sls_radius_builder *b, uint8_t type, const char *s)
{
    size_t n = strlen(s);
    sls_radius_build_attr(b, type, s, n > SLS_RADIUS_VALUE_MAX ? SLS_RADIUS_VALUE_MAX : n);
}

static bool finish(const struct sls_radius_client *client, const struct sls_radius_packet *p,
                   struct sls_radius_builder *b)
{
    return sls_radius_build_finish(b, p->auth, true, (const uint8_t *)client->secret,
                                   strlen(client->secret)) > 0;
}

bool sls_radius_exchange_reject(const struct sls_radius_client *client,
                                const struct sls_radius_packet *p, const char *message,
                                const char *hint, struct sls_radius_builder *b)
{
    sls_radius_build_start(b, SLS_RADIUS_ACCESS_REJECT, p->id);
    text(b, SLS_RADIUS_REPLY_MESSAGE, message);
    if (hint != NULL)
        text(b, SLS_RADIUS_REPLY_MESSAGE, hint);
    return finish(client, p, b);
}

static bool reject(struct ex *x, const char *message, const char *hint)
{
    return sls_radius_exchange_reject(x->client, x->p, message, hint, x->b);
}

static bool reject_err(struct ex *x, int err, const char *hint)
{
    return reject(x, sls_err_message(err), hint);
}

static bool login_failed(struct ex *x, enum sls_device_type t)
{
    sls_metrics_login(SLS_OUTCOME_LOGIN_FAILED);
    return reject_err(x, SLS_ERR_LOGIN_FAILED, sls_response_hint(t));
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

/* What to do to answer the challenge of the login l (Reply-Message). */
static void challenge_text(const struct sls_login_rec *l, int number, char *out, size_t len)
{
    unsigned a = 0, b = 0;

    switch (l->kind) {
    case SLS_CHALLENGE_CARD:
        if (sscanf(l->challenge, "%u,%u", &a, &b) == 2) {
            snprintf(out, len,
                     "Enter the values of your security card at indexes %u and %u, without "
                     "spaces",
                     a, b);
            return;
        }
        break;
    case SLS_CHALLENGE_CODE:
        snprintf(out, len, "Enter the code sent to your phone");
        return;
    case SLS_CHALLENGE_PUSH:
        if (number != 0)
            snprintf(out, len,
                     "Approve the notification in the app with the number %d, then press Enter",
                     number);
        else
            snprintf(out, len, "Approve the notification in the app, then press Enter");
        return;
    case SLS_CHALLENGE_STATIC:
        snprintf(out, len, "Enter your temporary passcode");
        return;
    default:
        break;
    }
    snprintf(out, len, "Challenge %s: enter the response of your security device", l->challenge);
}

/* Access-Challenge for the login l: its State and what to do. */
static bool challenge(struct ex *x, const struct sls_login_rec *l, int number)
{
    uint8_t state[SLS_RADIUS_STATE_LEN];
    char msg[200];

    if (sls_radius_state_make(x->state_key, x->client->name, l->id, state) != 0)
        return false;
    challenge_text(l, number, msg, sizeof(msg));
    sls_radius_build_start(x->b, SLS_RADIUS_ACCESS_CHALLENGE, x->p->id);
    sls_radius_build_attr(x->b, SLS_RADIUS_STATE, state, sizeof(state));
    text(x->b, SLS_RADIUS_REPLY_MESSAGE, msg);
    return finish(x->client, x->p, x->b);
}

static bool accept(struct ex *x, const struct sls_login_step *st)
{
    sls_time left = st->sess.expires_at - x->now;

    sls_metrics_login(SLS_OUTCOME_SUCCESS);
    sls_radius_build_start(x->b, SLS_RADIUS_ACCESS_ACCEPT, x->p->id);
    sls_radius_build_int(x->b, SLS_RADIUS_SESSION_TIMEOUT,
                         left <= 0           ? 1
                         : left > UINT32_MAX ? UINT32_MAX
                                             : (uint32_t)left);
    return finish(x->client, x->p, x->b);
}

/* The answer of a verdict applied, as the HTTP API renders it. */
static bool applied(struct ex *x, const struct sls_login_step *st, bool *drop)
{
    const struct sls_login_verdict *v = &st->v;
    char until[SLS_TIME_TEXT + 32], ts[SLS_TIME_TEXT];

    if (st->rc != SLS_OK) {
        *drop = true;
        return false;
    }
    if (st->a.locked) {
        sls_metrics_login(SLS_OUTCOME_LOCKED);
        sls_time_text(st->a.locked_until, ts);
        snprintf(until, sizeof(until), "Locked until %s", ts);
        sls_radius_build_start(x->b, SLS_RADIUS_ACCESS_REJECT, x->p->id);
        text(x->b, SLS_RADIUS_REPLY_MESSAGE, sls_err_message(SLS_ERR_LOCKED));
        text(x->b, SLS_RADIUS_REPLY_MESSAGE, HINT_CALL_DESK);
        text(x->b, SLS_RADIUS_REPLY_MESSAGE, until);
        return finish(x->client, x->p, x->b);
    }
    switch (v->outcome) {
    case SLS_LOGIN_OUT_SESSION:
        if (st->a.reused)
            return login_failed(x, st->f.device.type);
        return accept(x, st);
    case SLS_LOGIN_OUT_REFUSED:
        if (st->a.reused)
            return login_failed(x, st->f.device.type);
        sls_metrics_login(outcome_of(v->err));
        return reject(x, v->message ? v->message : sls_err_message(v->err), v->hint);
    case SLS_LOGIN_OUT_FAILED:
        sls_metrics_login(outcome_of(v->err));
        return reject(x, v->message ? v->message : sls_err_message(v->err), v->hint);
    case SLS_LOGIN_OUT_REJECTED:
    case SLS_LOGIN_OUT_SECOND_FACTOR:
        break;
    }
    return reject(x, v->message ? v->message : sls_err_message(v->err), v->hint);
}

/* The User-Name of the request as text into out; false when missing,
 * empty, too long or holding a NUL. */
static bool user_name(const struct sls_radius_packet *p, char out[USERNAME_MAX + 1])
{
    const struct sls_radius_attr *a = sls_radius_find(p, SLS_RADIUS_USER_NAME);

    if (a == NULL || a->len == 0 || a->len > USERNAME_MAX ||
        sls_radius_count(p, SLS_RADIUS_USER_NAME) != 1 || memchr(a->value, 0, a->len) != NULL)
        return false;
    memcpy(out, a->value, a->len);
    out[a->len] = '\0';
    return true;
}

/* The User-Password of p into out. With a State (stage 2) it may be
 * missing or empty: Enter pressed to poll a push. */
static bool password_of(const struct sls_radius_packet *p, const struct sls_radius_client *client,
                        bool stage2, char out[SLS_RADIUS_PASSWORD_MAX + 1])
{
    const struct sls_radius_attr *a = sls_radius_find(p, SLS_RADIUS_USER_PASSWORD);

    out[0] = '\0';
    if (stage2 && sls_radius_count(p, SLS_RADIUS_USER_PASSWORD) <= 1 && (a == NULL || a->len == 0))
        return true;
    return sls_radius_password_unhide(p, (const uint8_t *)client->secret, strlen(client->secret),
                                      out) >= 0;
}

static bool stage1(struct ex *x, struct sls_login_step *st, const char *username,
                   const char *password, bool *drop)
{
    struct sls_login_stage1_in in;
    enum sls_login_step_result r;

    if (sls_username_check_chars(username, strlen(username)) != SLS_OK)
        return reject(x, sls_err_message(SLS_ERR_BAD_CHARACTER),
                      "User names hold letters and digits only");
    memset(&in, 0, sizeof(in));
    in.username = username;
    in.password = password;
    in.platform = x->client->platform;
    r = sls_login_step_stage1(x->app, st, &in, x->now);
    switch (r) {
    case SLS_LOGIN_STEP_APPLIED:
        return applied(x, st, drop);
    case SLS_LOGIN_STEP_CHALLENGED:
        /* SPEC §10.5: RADIUS carries no WebAuthn ceremony; the login
         * written waits unanswered until it expires. */
        if (st->next.kind == SLS_CHALLENGE_WEBAUTHN)
            return reject(x, "A passkey cannot answer a login here",
                          "Sign in on the portal, or use another security device");
        sls_metrics_login(SLS_OUTCOME_SECOND_FACTOR);
        return challenge(x, &st->next, st->number);
    case SLS_LOGIN_STEP_NO_CHALLENGE:
        return reject_err(x, SLS_ERR_NO_ACTIVE_DEVICE, HINT_CALL_DESK);
    default:
        *drop = true;
        return false;
    }
}

/* A login no longer waiting, polled: why it ended. */
static bool ended(struct ex *x, const struct sls_login_step *st)
{
    const char *hint = sls_response_hint(st->f.device.type);

    if (st->f.login.state == SLS_LOGIN_DENIED)
        hint = "The notification was denied in the app";
    sls_metrics_login(SLS_OUTCOME_LOGIN_FAILED);
    return reject_err(x, SLS_ERR_LOGIN_FAILED, hint);
}

static bool stage2(struct ex *x, struct sls_login_step *st, const char *username,
                   const char *response, const struct sls_radius_attr *state, bool *drop)
{
    char login_id[SLS_ID_LEN + 1];
    enum sls_login_step_result r;

    if (!sls_radius_state_check(x->state_key, x->client->name, state->value, state->len, login_id))
        return login_failed(x, SLS_DEVICE_NONE);
    r = sls_login_step_load(x->app, st, login_id, NULL);
    if (r == SLS_LOGIN_STEP_NOT_FOUND)
        return login_failed(x, SLS_DEVICE_NONE);
    if (r != SLS_LOGIN_STEP_PENDING) {
        *drop = true;
        return false;
    }
    /* The State is the login of the user who started it, and no other's. */
    if (strcmp(st->f.user.username, username) != 0)
        return login_failed(x, SLS_DEVICE_NONE);
    if (st->f.login.kind != SLS_CHALLENGE_PUSH) {
        r = sls_login_step_answer(x->app, st, response, x->now);
        return r == SLS_LOGIN_STEP_APPLIED ? applied(x, st, drop) : (*drop = true, false);
    }
    if (sls_login_step_poll(x->app, st, x->now) == SLS_LOGIN_STEP_APPLIED)
        return applied(x, st, drop);
    if (sls_login_live(x->app, &st->f.login, x->now))
        return challenge(x, &st->f.login, st->f.push.number);
    return ended(x, st);
}

bool sls_radius_exchange(struct sls_app *app, const uint8_t state_key[SLS_RADIUS_STATE_KEY],
                         const struct sls_radius_client *client, const struct sls_radius_packet *p,
                         sls_time now, struct sls_radius_builder *b)
{
    const struct sls_radius_attr *state = sls_radius_find(p, SLS_RADIUS_STATE);
    char username[USERNAME_MAX + 1], password[SLS_RADIUS_PASSWORD_MAX + 1];
    struct sls_login_step *st;
    struct ex x = {app, state_key, client, p, b, now, {0}};
    bool ok, drop = false;

    if (!user_name(p, username) || !password_of(p, client, state != NULL, password) ||
        sls_radius_count(p, SLS_RADIUS_STATE) > 1)
        return reject_err(&x, SLS_ERR_INVALID_CREDENTIALS, NULL);
    st = calloc(1, sizeof(*st));
    /* Only stage 1 reads the user's devices. */
    if (st != NULL && state == NULL)
        st->f.devices = calloc(SLS_DEVICE_VIEW_MAX, sizeof(*st->f.devices));
    if (st == NULL || (state == NULL && st->f.devices == NULL)) {
        free(st);
        sls_wipe(password, sizeof(password));
        return false;
    }
    snprintf(x.via, sizeof(x.via), "radius client %s", client->name);
    st->via = x.via;
    ok = state == NULL ? stage1(&x, st, username, password, &drop)
                       : stage2(&x, st, username, password, state, &drop);
    sls_wipe(password, sizeof(password));
    if (st->f.devices != NULL) {
        sls_wipe(st->f.devices, SLS_DEVICE_VIEW_MAX * sizeof(*st->f.devices));
        free(st->f.devices);
    }
    sls_wipe(st, sizeof(*st));
    free(st);
    return ok && !drop;
}
