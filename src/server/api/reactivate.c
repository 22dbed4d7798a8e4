/* R28 reactivation: POST /v1/me/devices/{id}/reactivate. Without a response
 * it issues a challenge from that device, bound to the session; with the
 * response it (re)activates the device and, in the same transaction, revokes
 * every temporary passcode and online card of the user and the sessions they
 * opened. The session making the request survives: it is bound to the
 * reactivated device from then on.
 *
 * The challenge is a session challenge (session_challenge.h): used once, a
 * wrong answer consumes it and counts toward the lockout (R8) like a wrong
 * login answer. The ibkey answers its challenge/response fallback; an SMS
 * device a code sent to it by SMS. */
#include <stdio.h>
#include <string.h>

#include "server/api/reactivate.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/reactivation.h"
#include "server/flows/device_auth.h"
#include "server/flows/reactivation_tx.h"
#include "server/flows/session.h"
#include "server/api/session_challenge_reply.h"
#include "server/flows/secret_key.h"

#define MSG_NO_DEVICE "No such security device"
#define EVENT         "device.reactivate"

static void challenge_key(char *out, size_t len, const char *token_hash)
{
    sls_secret_key(out, len, SLS_SECRET_REACTIVATE, token_hash);
}

/* Answers why a device cannot be reactivated (v not ALLOWED). */
static void refuse(struct sls_resp *rs, enum sls_reactivation_verdict v)
{
    switch (v) {
    case SLS_REACTIVATION_NOT_PERMANENT:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "Temporary passcodes and online cards are not reactivated", NULL);
        break;
    case SLS_REACTIVATION_LOST:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This device is marked lost and cannot be reactivated",
                           "Order a replacement, or call the service desk");
        break;
    case SLS_REACTIVATION_RETURNED:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device has been returned", NULL);
        break;
    case SLS_REACTIVATION_SHARED_AWAY:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This device is inactive while you share another user's device",
                           "Cancel the sharing (DELETE /v1/me/share-device) to get it back");
        break;
    default:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This kind of device is not reactivated here: log in with it instead",
                           NULL);
        break;
    }
}

static void render(struct sls_resp *rs, const struct sls_reactivation_tx *t)
{
    json_t *o = json_object(), *revoked = json_array();
    size_t i;

    for (i = 0; i < t->nrevoked; i++)
        json_array_append_new(revoked, json_string(t->revoked[i]));
    json_object_set_new(o, "device", sls_device_json(&t->device));
    json_object_set_new(o, "revoked", revoked);
    json_object_set_new(o, "sessions_revoked", json_integer((json_int_t)t->nsessions));
    sls_resp_json(rs, 200, o);
}

/* Step two: the response. */
static void complete(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                     const struct sls_user_rec *u, const struct sls_device_rec *d,
                     const char *response)
{
    struct sls_secret_rec *c = sls_req_alloc(rq, sizeof(*c));
    struct sls_reactivation_tx *t = sls_req_alloc(rq, sizeof(*t));
    char key[128];
    int rc;

    if (c == NULL || t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    challenge_key(key, sizeof(key), s->token_hash);
    if (!sls_session_challenge_reply_read(rq, rs, key, c))
        return;
    if (strcmp(c->device_id, d->id) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
        return;
    }
    if (!sls_session_challenge_reply_answer(rq, rs, c, u, d, response, EVENT))
        return;
    t->now = rq->now;
    t->user = u;
    t->c = c;
    t->token_hash = s->token_hash;
    t->access = sls_access_for_factor(d->type, s->platform, rq->now, &rq->app->cfg.access, rq->now);
    rc = sls_reactivation_tx_apply(rq->app, t);
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t->changed)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "The challenge was already used, or the device changed meanwhile",
                           "Ask for a new challenge");
    else
        render(rs, t);
}

void sls_api_device_reactivate(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    enum sls_reactivation_verdict v;
    const char *response;
    bool shared_away;
    char key[128];
    int rc;

    if (d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_session_challenge_reply_body(rq, rs, &response))
        return;
    if (!sls_id_valid(rq->params[0])) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        return;
    }
    rc = sls_reactivation_tx_read(rq->app, rq->params[0], d, &shared_away);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && d->user_id != u->id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    v = sls_reactivation_request(d->type, d->state, shared_away);
    if (v != SLS_REACTIVATION_ALLOWED) {
        refuse(rs, v);
        return;
    }
    if (response != NULL) {
        complete(rq, rs, &s, u, d, response);
        return;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    /* The ibkey answers its challenge/response fallback, not a push. */
    sls_session_challenge_reply_issue(rq, rs, key, &s, u, d, true);
}
