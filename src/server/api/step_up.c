/* R34 step-up verification: POST /v1/me/verify. Without a response it issues
 * a challenge from one of the user's active devices (the one named by
 * device_id, else the strongest), bound to the session; with the response it
 * marks the session verified for step_up_ttl (default 5 minutes). A wrong or
 * expired answer consumes the challenge and counts toward the lockout (R8).
 * An SMS device gets a code by SMS; the mobile authenticator gets a push
 * (purpose step_up) that the app approves, and the front end polls GET
 * /v1/me/verify, whose answer marks the session verified once the push is
 * approved, exactly as a correct response does; `mode: challenge_response`
 * asks for the app's fallback challenge instead. The gate of the sensitive
 * routes is SLS_ROUTE_STEP_UP (server/api/gates.h). */
#include <stdio.h>
#include <string.h>

#include "server/api/step_up.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "server/flows/session.h"
#include "server/flows/step_up_tx.h"
#include "server/api/session_challenge_reply.h"
#include "server/flows/secret_key.h"

#define EVENT "session.step_up"

static void challenge_key(char *out, size_t len, const char *token_hash)
{
    sls_secret_key(out, len, SLS_SECRET_STEP_UP, token_hash);
}

/* Renders a store error, or a challenge used meanwhile; true when neither. */
static bool verified(struct sls_resp *rs, int rc, bool taken)
{
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (taken)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The challenge was already used",
                           "Ask for a new challenge");
    return rc == SLS_OK && !taken;
}

/* Step one: a challenge from the device named, else the strongest (R7). */
static void issue(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                  const struct sls_user_rec *u, const char *key, const char *device_id, bool manual)
{
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    int rc = d != NULL ? sls_step_up_tx_pick(rq->app, u->id, device_id, d) : SLS_ERR_NOMEM;

    if (rc == SLS_OK)
        sls_session_challenge_reply_issue(rq, rs, key, s, u, d, manual);
    else if (rc == SLS_ERR_NOT_FOUND)
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active security device", NULL);
    else if (rc == SLS_ERR_NO_ACTIVE_DEVICE || rc == SLS_ERR_NOMEM)
        sls_resp_error(rs, rc, NULL);
    else
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
}

/* Step two: the response to the challenge waiting for this session. */
static void complete(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                     const struct sls_user_rec *u, const char *key, const char *device_id,
                     const char *response)
{
    struct sls_secret_rec *c = sls_req_alloc(rq, sizeof(*c));
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    sls_time until;
    bool ok, taken;
    int rc;

    if (c == NULL || d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_session_challenge_reply_read(rq, rs, key, c))
        return;
    if (device_id != NULL && strcmp(device_id, c->device_id) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
        return;
    }
    rc = sls_step_up_tx_answerer(rq->app, c->device_id, u->id, d, &ok);
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (!ok) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device no longer answers for you",
                           "Ask for a new challenge");
        return;
    }
    if (!sls_session_challenge_reply_answer(rq, rs, c, u, d, response, EVENT))
        return;
    until = sls_step_up_until(rq->now, rq->app->cfg.step_up_ttl);
    rc = sls_step_up_tx_verify(rq->app, s->token_hash, u->username, c, until, rq->now, &taken);
    if (verified(rs, rc, taken))
        sls_resp_json(rs, 200,
                      json_pack("{s:o, s:s}", "verified_until", sls_time_json(until), "device_id",
                                c->device_id));
}

void sls_api_me_verify(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *device_id, *response, *mode;
    char key[128];

    if (!sls_body_str(rq, rs, "device_id", false, 64, &device_id) ||
        !sls_session_challenge_reply_body(rq, rs, &response) ||
        !sls_body_str(rq, rs, "mode", false, 32, &mode))
        return;
    if (mode != NULL && strcmp(mode, "challenge_response") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'mode' must be challenge_response",
                           "Leave it out for the device's own way (a push for the app)");
        return;
    }
    if (device_id != NULL && !sls_id_valid(device_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active security device", NULL);
        return;
    }
    if (sls_step_up_gate(u->sls, s.factor, 0, rq->now) == SLS_STEP_UP_OUTSIDE_SLS) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "No step-up outside the Secure Login System: sensitive changes go to "
                           "security review instead",
                           NULL);
        return;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    if (response != NULL)
        complete(rq, rs, &s, u, key, device_id, response);
    else
        issue(rq, rs, &s, u, key, device_id, mode != NULL);
}

/* ---- GET /v1/me/verify: the outcome of a push step-up ---- */

static void answer_status(struct sls_resp *rs, const char *status, sls_time until)
{
    json_t *o = json_pack("{s:s}", "status", status);

    if (until != 0)
        json_object_set_new(o, "verified_until", sls_time_json(until));
    sls_resp_json(rs, 200, o);
}

static const char *status_name(enum sls_step_up_poll_status st)
{
    switch (st) {
    case SLS_STEP_UP_POLL_VERIFIED:
    case SLS_STEP_UP_POLL_APPROVED:
        return "verified";
    case SLS_STEP_UP_POLL_CHALLENGE:
        return "challenge";
    case SLS_STEP_UP_POLL_PENDING:
        return "pending";
    case SLS_STEP_UP_POLL_EXPIRED:
        return "expired";
    default:
        return "none";
    }
}

void sls_api_me_verify_status(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_step_up_tx_poll *r = sls_req_alloc(rq, sizeof(*r));
    struct sls_step_up_poll_facts f;
    struct sls_step_up_poll p;
    char key[128];
    bool taken = false;
    int rc = SLS_OK;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    if (sls_step_up_tx_poll_read(rq->app, key, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    memset(&f, 0, sizeof(f));
    f.now = rq->now;
    f.sls_member = u->sls;
    f.factor = s.factor;
    f.verified_until = s.verified_until;
    f.step_up_ttl = rq->app->cfg.step_up_ttl;
    f.has_challenge = r->has_challenge;
    f.kind = r->c.kind;
    f.issued_at = r->c.issued_at;
    f.challenge_ttl = rq->app->cfg.challenge_ttl;
    f.has_push = r->has_push;
    f.push_state = r->push.state;
    f.wrong_number = r->push.wrong_number;
    f.push_created_at = r->push.created_at;
    f.push = &rq->app->cfg.push;
    p = sls_step_up_poll_decide(&f);
    switch (p.write) {
    case SLS_STEP_UP_WRITE_FAIL:
        /* Denied on the phone: the step-up failed, and counts as one (R8). */
        sls_session_challenge_reply_fail(rq, rs, &r->c, u, EVENT, &p.failure);
        return;
    case SLS_STEP_UP_WRITE_DROP:
        rc = sls_step_up_tx_drop(rq->app, key);
        break;
    case SLS_STEP_UP_WRITE_VERIFY:
        rc = sls_step_up_tx_verify(rq->app, s.token_hash, u->username, &r->c, p.until, rq->now,
                                   &taken);
        break;
    case SLS_STEP_UP_WRITE_NOTHING:
        break;
    }
    if (!verified(rs, rc, taken))
        return;
    if (p.status == SLS_STEP_UP_POLL_WRONG_NUMBER)
        /* §10.3: denied for a wrong number, counted with the denial already. */
        sls_resp_error_msg(rs, SLS_ERR_VERIFICATION_FAILED, NULL,
                           "A wrong number was typed in the app: the request was denied");
    else
        answer_status(rs, status_name(p.status), p.until);
}
