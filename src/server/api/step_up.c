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
#include <stdlib.h>
#include <string.h>

#include "server/api/step_up.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/body.h"
#include "core/challenge.h"
#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/held_devices.h"
#include "server/flows/session.h"
#include "server/flows/session_challenge.h"
#include "server/api/step_up.h"

#define EVENT "session.step_up"

static void challenge_key(char *out, size_t len, const char *token_hash)
{
    snprintf(out, len, "verify:%s", token_hash);
}

struct verify_read {
    int64_t user_id;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t n;
};

static int devices_fn(struct sls_db *db, void *arg)
{
    struct verify_read *r = arg;
    return sls_devices_held(db, r->user_id, r->devices, SLS_DEVICE_VIEW_MAX, &r->n);
}

/* The device to challenge: the one named, else the strongest active one
 * (R7); NULL when there is none (answered). */
static const struct sls_device_rec *pick(struct sls_resp *rs, const struct verify_read *r,
                                         const char *device_id)
{
    size_t i;
    int dflt;

    if (device_id != NULL) {
        for (i = 0; i < r->n; i++) {
            const struct sls_device_rec *d = &r->devices[i];
            if (strcmp(d->id, device_id) == 0) {
                if (sls_step_up_device_ok(d->type, d->state))
                    return d;
                break;
            }
        }
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active security device", NULL);
        return NULL;
    }
    dflt = sls_devices_pick_default(r->devices, r->n, sls_step_up_device_ok);
    if (dflt < 0) {
        sls_resp_error(rs, SLS_ERR_NO_ACTIVE_DEVICE, NULL);
        return NULL;
    }
    return &r->devices[dflt];
}

struct verify_tx {
    sls_time now;
    const char *username;
    const char *token_hash;
    const struct sls_challenge_rec *c;
    sls_time until;
    bool taken; /* the challenge was used by another request meanwhile */
};

static int verify_fn(struct sls_db *db, void *arg)
{
    struct verify_tx *t = arg;
    struct sls_challenge_rec now_c;
    int rc;

    t->taken = false;
    rc = SLS_DB(db, challenge_get, t->c->key, &now_c);
    if (rc == SLS_OK && (strcmp(now_c.challenge, t->c->challenge) != 0 ||
                         strcmp(now_c.device_id, t->c->device_id) != 0))
        rc = SLS_ERR_NOT_FOUND;
    if (rc == SLS_OK)
        rc = SLS_DB(db, challenge_delete, t->c->key);
    if (rc == SLS_ERR_NOT_FOUND) {
        t->taken = true;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_set_verified, t->token_hash, t->until);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->username, EVENT, "ok", t->c->device_id);
}

/* Takes challenge c, answered, and marks session s verified until *until.
 * False when it has answered (a store error, or c used meanwhile). */
static bool mark_verified(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                          const struct sls_user_rec *u, const struct sls_challenge_rec *c,
                          sls_time *until)
{
    struct verify_tx t;

    memset(&t, 0, sizeof(t));
    t.now = rq->now;
    t.username = u->username;
    t.token_hash = s->token_hash;
    t.c = c;
    t.until = sls_step_up_until(rq->now, rq->app->cfg.step_up_ttl);
    if (sls_store_write(rq->app->store, verify_fn, &t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    if (t.taken) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The challenge was already used",
                           "Ask for a new challenge");
        return false;
    }
    *until = t.until;
    return true;
}

struct device_read {
    struct sls_device_rec d;
    int64_t user_id;
    bool held; /* the user's own, or shared with them (R32) */
};

static int device_fn(struct sls_db *db, void *arg)
{
    struct device_read *r = arg;
    int rc = SLS_DB(db, device_get, r->d.id, &r->d);

    if (rc != SLS_OK)
        return rc;
    return sls_device_held_by(db, &r->d, r->user_id, &r->held);
}

/* Step two: the response to the challenge waiting for this session. */
static void complete(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                     const struct sls_user_rec *u, const char *key, const char *device_id,
                     const char *response)
{
    struct sls_challenge_rec c;
    struct device_read *r = calloc(1, sizeof(*r));
    struct sls_device_rec *d = r ? &r->d : NULL;
    sls_time until;
    int rc;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_session_challenge_read(rq, rs, key, &c))
        goto out;
    if (device_id != NULL && strcmp(device_id, c.device_id) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
        goto out;
    }
    snprintf(d->id, sizeof(d->id), "%s", c.device_id);
    r->user_id = u->id;
    rc = sls_store_read(rq->app->store, device_fn, r);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        goto out;
    }
    if (rc == SLS_ERR_NOT_FOUND || !r->held || !sls_step_up_device_ok(d->type, d->state)) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device no longer answers for you",
                           "Ask for a new challenge");
        goto out;
    }
    if (!sls_session_challenge_answer(rq, rs, &c, u, d, response, EVENT) ||
        !mark_verified(rq, rs, s, u, &c, &until))
        goto out;
    sls_resp_json(
        rs, 200,
        json_pack("{s:o, s:s}", "verified_until", sls_time_json(until), "device_id", c.device_id));
out:
    sls_wipe(&c, sizeof(c));
    if (r != NULL)
        sls_wipe(r, sizeof(*r));
    free(r);
}

void sls_api_me_verify(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct verify_read *r = calloc(1, sizeof(*r));
    const struct sls_device_rec *d;
    const char *device_id, *response, *mode;
    bool manual = false;
    char key[128];

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        goto out;
    }
    if (!sls_body_str(rq, rs, "device_id", false, 64, &device_id) ||
        !sls_body_str(rq, rs, "response", false, 64, &response) ||
        !sls_body_str(rq, rs, "mode", false, 32, &mode))
        goto out;
    if (mode != NULL && strcmp(mode, "challenge_response") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'mode' must be challenge_response",
                           "Leave it out for the device's own way (a push for the app)");
        goto out;
    }
    manual = mode != NULL;
    if (device_id != NULL && !sls_id_valid(device_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active security device", NULL);
        goto out;
    }
    if (sls_step_up_gate(u->sls, s.factor, 0, rq->now) == SLS_STEP_UP_OUTSIDE_SLS) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "No step-up outside the Secure Login System: sensitive changes go to "
                           "security review instead",
                           NULL);
        goto out;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    if (response != NULL) {
        complete(rq, rs, &s, u, key, device_id, response);
        goto out;
    }
    r->user_id = u->id;
    if (sls_store_read(rq->app->store, devices_fn, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        goto out;
    }
    d = pick(rs, r, device_id);
    if (d != NULL)
        sls_session_challenge_issue(rq, rs, key, &s, u, d, manual);
out:
    if (r != NULL)
        sls_wipe(r, sizeof(*r));
    free(r);
}

/* ---- GET /v1/me/verify: the outcome of a push step-up ---- */

struct poll_read {
    const char *key;
    struct sls_challenge_rec c;
    bool has_challenge;
    struct sls_push_rec push;
    bool has_push;
};

static int poll_read_fn(struct sls_db *db, void *arg)
{
    struct poll_read *r = arg;
    int rc = SLS_DB(db, challenge_get, r->key, &r->c);

    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    r->has_challenge = rc == SLS_OK;
    if (rc == SLS_OK && r->c.kind == SLS_CHALLENGE_PUSH) {
        rc = SLS_DB(db, push_get, r->c.challenge, &r->push);
        r->has_push = rc == SLS_OK;
        if (rc == SLS_ERR_NOT_FOUND)
            rc = SLS_OK;
    }
    return rc;
}

static int drop_fn(struct sls_db *db, void *arg)
{
    int rc = SLS_DB(db, challenge_delete, (const char *)arg);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

static void answer_status(struct sls_resp *rs, const char *status, sls_time until)
{
    json_t *o = json_pack("{s:s}", "status", status);

    if (until != 0)
        json_object_set_new(o, "verified_until", sls_time_json(until));
    sls_resp_json(rs, 200, o);
}

void sls_api_me_verify_status(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct poll_read *r = calloc(1, sizeof(*r));
    char key[128];
    sls_time fresh, until;
    bool live;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        goto out;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    r->key = key;
    if (sls_store_read(rq->app->store, poll_read_fn, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        goto out;
    }
    fresh = sls_step_up_gate(u->sls, s.factor, s.verified_until, rq->now) == SLS_STEP_UP_PASS
                ? s.verified_until
                : 0;
    if (!r->has_challenge) {
        answer_status(rs, fresh != 0 ? "verified" : "none", fresh);
        goto out;
    }
    if (r->c.kind != SLS_CHALLENGE_PUSH) {
        answer_status(rs, "challenge", 0);
        goto out;
    }
    live = r->has_push && sls_push_live(&rq->app->cfg.push, r->push.created_at, rq->now) &&
           sls_challenge_valid(r->c.issued_at, rq->app->cfg.challenge_ttl, rq->now);
    if (!r->has_push || (r->push.state == SLS_PUSH_PENDING && !live)) {
        /* Unanswered in time: gone, like a login push that expired. */
        if (sls_store_write(rq->app->store, drop_fn, key) != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            answer_status(rs, "expired", 0);
        goto out;
    }
    if (r->push.state == SLS_PUSH_PENDING) {
        answer_status(rs, "pending", 0);
        goto out;
    }
    if (r->push.state == SLS_PUSH_DENIED && r->push.wrong_number) {
        /* §10.3: denied for a wrong number, counted with the denial already. */
        if (sls_store_write(rq->app->store, drop_fn, key) != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            sls_resp_error_msg(rs, SLS_ERR_VERIFICATION_FAILED, NULL,
                               "A wrong number was typed in the app: the request was denied");
        goto out;
    }
    if (r->push.state == SLS_PUSH_DENIED) {
        /* Denied on the phone: the step-up failed, and counts as one (R8). */
        sls_session_challenge_fail(rq, rs, &r->c, u, EVENT, "denied",
                                   "The request was denied in the app");
        goto out;
    }
    if (mark_verified(rq, rs, &s, u, &r->c, &until))
        answer_status(rs, "verified", until);
out:
    free(r);
}
