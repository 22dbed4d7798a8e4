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
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/held_devices.h"
#include "server/flows/notice.h"
#include "server/flows/session.h"
#include "server/api/session_challenge_reply.h"
#include "server/flows/settings_tx.h"
#include "server/api/step_up.h"

struct sls_tx {
    sls_time now;
    const struct sls_user_rec *user;
    bool participate;
    const struct sls_challenge_rec *c; /* opt-in: the challenge answered */
    bool taken;
};

static int set_fn(struct sls_db *db, void *arg)
{
    struct sls_tx *t = arg;
    int rc;

    t->taken = false;
    if (t->c != NULL) {
        rc = sls_session_challenge_take(db, t->c, &t->taken);
        if (rc != SLS_OK || t->taken)
            return rc;
    }
    rc = SLS_DB(db, user_set_sls, t->user->id, t->participate);
    if (rc == SLS_OK && !t->participate && t->user->sls)
        rc = sls_notice_queue(db, t->user, SLS_NOTICE_LEFT_SLS, NULL, t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username,
                                t->participate ? "sls.opt_in" : "sls.opt_out", "ok",
                                t->c != NULL ? t->c->device_id : NULL);
}

static void answer(struct sls_resp *rs, bool sls, bool changed)
{
    sls_resp_json(rs, 200, json_pack("{s:b, s:b}", "sls", sls, "changed", changed));
}

static void opt_out(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u)
{
    struct sls_tx t;

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
    if (sls_store_write(rq->app->store, set_fn, &t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        answer(rs, false, true);
}

static int device_fn(struct sls_db *db, void *arg)
{
    struct sls_device_rec *d = arg;
    return SLS_DB(db, device_get, d->id, d);
}

static void opt_in_challenge(struct sls_req *rq, struct sls_resp *rs,
                             const struct sls_session_rec *s, const struct sls_user_rec *u,
                             const char *key)
{
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    int rc = d != NULL
                 ? sls_own_default_device_read(rq->app->store, u->id, sls_step_up_device_ok, d)
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
    struct sls_challenge_rec *c;
    struct sls_device_rec *d;
    struct sls_tx t;
    char key[128];
    int rc;

    snprintf(key, sizeof(key), "optin:%s", s->token_hash);
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
    snprintf(d->id, sizeof(d->id), "%s", c->device_id);
    rc = sls_store_read(rq->app->store, device_fn, d);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (rc == SLS_ERR_NOT_FOUND || d->user_id != u->id ||
        !sls_step_up_device_ok(d->type, d->state)) {
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
    if (sls_store_write(rq->app->store, set_fn, &t) != SLS_OK)
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
        !sls_body_str(rq, rs, "response", false, 64, &response))
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
