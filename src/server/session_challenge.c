/* Challenges asked for inside a session (R28, R34): issued, read and checked
 * the same way whatever the session wants them for. */
#include "session_challenge.h"

#include <stdio.h>
#include <string.h>

#include "core/challenge.h"
#include "core/device.h"
#include "core/error.h"
#include "core/lockout.h"
#include "device_auth.h"
#include "login_tx.h"

static int challenge_put_fn(struct sls_db *db, void *arg)
{
    return SLS_DB(db, challenge_put, arg);
}

void sls_session_challenge_issue(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                 int64_t user_id, const struct sls_device_rec *d)
{
    struct sls_challenge_rec c;
    char ts[32];
    json_t *o;

    memset(&c, 0, sizeof(c));
    snprintf(c.key, sizeof(c.key), "%s", key);
    c.user_id = user_id;
    snprintf(c.device_id, sizeof(c.device_id), "%s", d->id);
    c.issued_at = rq->now;
    /* Nobody is waiting on a push here: the ibkey answers by its
     * challenge/response fallback. */
    if (sls_device_manual_challenge_new(rq->app, d, c.challenge, sizeof(c.challenge), &c.kind) !=
        SLS_OK) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device cannot be challenged", NULL);
        return;
    }
    if (sls_store_write(rq->app->store, challenge_put_fn, &c) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    o = json_object();
    json_object_set_new(o, "device_id", json_string(d->id));
    json_object_set_new(o, "challenge", sls_challenge_json(c.kind, c.challenge));
    sls_time_format(rq->now + rq->app->cfg.challenge_ttl, ts, sizeof(ts));
    json_object_set_new(o, "expires_at", json_string(ts));
    sls_resp_json(rs, 200, o);
}

static int challenge_get_fn(struct sls_db *db, void *arg)
{
    struct sls_challenge_rec *c = arg;
    return SLS_DB(db, challenge_get, c->key, c);
}

bool sls_session_challenge_read(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                struct sls_challenge_rec *c)
{
    int rc;

    memset(c, 0, sizeof(*c));
    snprintf(c->key, sizeof(c->key), "%s", key);
    rc = sls_store_read(rq->app->store, challenge_get_fn, c);
    if (rc == SLS_OK)
        return true;
    if (rc == SLS_ERR_NOT_FOUND)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
    else
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    return false;
}

/* A wrong or expired answer: the challenge is gone, the failure counted. */
static void answer_failed(struct sls_req *rq, struct sls_resp *rs,
                          const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                          const char *event, const char *outcome)
{
    struct sls_attempt a;

    memset(&a, 0, sizeof(a));
    a.user_id = u->id;
    a.username = u->username;
    a.event = event;
    a.outcome = outcome;
    a.detail = c->device_id;
    a.challenge_key = c->key;
    sls_attempt_fail_answer(rq->app, rs, &a, rq->now, SLS_ERR_VERIFICATION_FAILED,
                            "Ask for a new challenge and type the response your device shows");
}

bool sls_session_challenge_answer(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                                  const struct sls_device_rec *d, const char *response,
                                  const char *event)
{
    if (sls_lockout_is_locked(&u->lockout, rq->now)) {
        sls_answer_locked(rs, u->lockout.locked_until);
        return false;
    }
    if (!sls_response_well_formed(d->type, response, strlen(response))) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'response' is not shaped as this device's answers",
                           sls_response_hint(d->type));
        return false;
    }
    if (!sls_challenge_valid(c->issued_at, rq->app->cfg.challenge_ttl, rq->now)) {
        answer_failed(rq, rs, c, u, event, "expired");
        return false;
    }
    if (!sls_device_response_ok(rq->app, d, c->challenge, response)) {
        answer_failed(rq, rs, c, u, event, "wrong_response");
        return false;
    }
    return true;
}
