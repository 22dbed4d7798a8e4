/* R30 SLS participation: POST /v1/me/sls {participate}. Only the account's
 * primary user may change it. Opting out needs a step-up (R34); the devices
 * stay recorded and logins then ask for no second factor (R31 restrictions
 * apply). Opting in needs a device response: without `response` the call
 * issues a challenge from the user's strongest active device, with it the
 * answer is checked (a wrong one counts toward the lockout, R8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/sls.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/held_devices.h"
#include "server/flows/participation_tx.h"
#include "server/flows/session.h"
#include "server/api/session_challenge_reply.h"
#include "server/flows/settings_tx.h"
#include "server/api/step_up.h"
#include "server/flows/secret_key.h"

static void answer(struct sls_resp *rs, bool sls, bool changed)
{
    sls_resp_json(rs, 200, json_pack("{s:b, s:b}", "sls", sls, "changed", changed));
}

static void opt_out(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u)
{
    struct sls_participation_tx t;

    switch (rq->step_up) { /* the route's gate asked for the step-up */
    case SLS_STEP_UP_REQUIRED:
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    case SLS_STEP_UP_OUTSIDE_SLS:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This session was opened without a security device",
                           "Log in with your security device first");
        return;
    default:
        break;
    }
    memset(&t, 0, sizeof(t));
    t.now = rq->now;
    t.user = u;
    t.participate = false;
    if (sls_participation_tx_apply(rq->app, &t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        answer(rs, false, true);
}

static void opt_in_challenge(struct sls_req *rq, struct sls_resp *rs,
                             const struct sls_session_rec *s, const struct sls_user_rec *u,
                             const char *key)
{
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    int rc = d != NULL ? sls_own_device_read(rq->app->store, u->id, NULL, sls_step_up_device_ok, d)
                       : SLS_ERR_NOMEM;

    if (rc == SLS_ERR_NOT_FOUND)
        sls_resp_error(rs, SLS_ERR_NO_ACTIVE_DEVICE, NULL);
    else if (rc != SLS_OK)
        sls_resp_error(rs, rc == SLS_ERR_NOMEM ? SLS_ERR_NOMEM : SLS_ERR_STORE, NULL);
    else
        /* A response typed in: an ibkey answers with its challenge/response
         * fallback here, not a push. */
        sls_session_challenge_reply_issue(rq, rs, key, s, u, d, true);
}

static void opt_in(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                   const struct sls_user_rec *u, const char *response)
{
    struct sls_secret_rec *c;
    struct sls_device_rec *d;
    struct sls_participation_tx t;
    char key[128];
    int rc;

    sls_secret_key(key, sizeof(key), SLS_SECRET_OPT_IN, s->token_hash);
    if (response == NULL) {
        opt_in_challenge(rq, rs, s, u, key);
        return;
    }
    d = sls_req_alloc(rq, sizeof(*d));
    c = sls_req_alloc(rq, sizeof(*c));
    if (d == NULL || c == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_session_challenge_reply_read(rq, rs, key, c))
        return;
    rc = sls_own_device_read(rq->app->store, u->id, c->device_id, sls_step_up_device_ok, d);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device no longer answers for you",
                           "Ask for a new challenge");
        return;
    }
    if (!sls_session_challenge_reply_answer(rq, rs, c, u, d, response, "sls.opt_in"))
        return;
    memset(&t, 0, sizeof(t));
    t.now = rq->now;
    t.user = u;
    t.participate = true;
    t.c = c;
    if (sls_participation_tx_apply(rq->app, &t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t.taken)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The challenge was already used",
                           "Ask for a new challenge");
    else
        answer(rs, true, true);
}

void sls_api_me_sls(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *response;
    bool participate;

    /* The route's gates: the primary user (R30), and the step-up for an
     * opt-out (sls_api_me_sls_sensitive). */
    if (!json_is_boolean(json_object_get(rq->body, "participate"))) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'participate' must be true or false",
                           NULL);
        return;
    }
    if (!sls_body_bool(rq, rs, "participate", false, &participate) ||
        !sls_session_challenge_reply_body(rq, rs, &response))
        return;
    if (participate == u->sls)
        answer(rs, u->sls, false);
    else if (participate)
        opt_in(rq, rs, &s, u, response);
    else
        opt_out(rq, rs, u);
}

bool sls_api_me_sls_sensitive(const struct sls_req *rq)
{
    /* Opting out is the sensitive change; opting in is proven by its own
     * challenge, and asking for what one has changes nothing. */
    return json_is_false(json_object_get(rq->body, "participate")) && rq->user->sls;
}
