/* Challenges asked for inside a session (R28, R34): issued, read and checked
 * the same way whatever the session wants them for. */
#include "session_challenge.h"

#include <stdio.h>
#include <string.h>

#include "audit_event.h"
#include "body.h"
#include "core/challenge.h"
#include "core/device.h"
#include "core/error.h"
#include "core/lockout.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "device_auth.h"
#include "login_tx.h"
#include "one_time_code.h"
#include "phone_body.h"
#include "push_send.h"

#define HINT_RETRY "Ask for a new challenge and type the response your device shows"

struct issue_tx {
    const struct sls_app *app;
    struct sls_challenge_rec *c;
    const struct sls_session_rec *s;
    const struct sls_user_rec *u;
    const struct sls_device_rec *d;
    const char *to; /* code: the phone */
    sls_time now;
    int number; /* out: the push's number to type (§10.3), 0: none */
};

/* Writes the challenge, with its SMS code or its push. */
static int issue_fn(struct sls_db *db, void *arg)
{
    struct issue_tx *t = arg;
    struct sls_push_request pr;
    struct sls_push_rec push;
    struct sls_code_send cs;
    sls_time expires = 0;
    bool capped = false;
    int rc = SLS_OK;

    if (t->c->kind == SLS_CHALLENGE_CODE) {
        memset(&cs, 0, sizeof(cs));
        cs.key = t->c->key;
        cs.user_id = t->u->id;
        cs.data = t->d->id;
        cs.to = t->to;
        cs.channel = "sms";
        cs.purpose = "verification code";
        cs.ttl = t->app->cfg.sms_code_ttl;
        rc = sls_code_send(t->app, db, &cs, t->now, &expires);
        snprintf(t->c->challenge, sizeof(t->c->challenge), "sms");
    } else if (t->c->kind == SLS_CHALLENGE_PUSH) {
        memset(&pr, 0, sizeof(pr));
        pr.user = t->u;
        pr.device = t->d;
        pr.purpose = SLS_PUSH_STEP_UP;
        pr.subject = "";
        pr.platform = t->s->platform;
        rc = sls_push_send(t->app, db, &pr, t->now, &push, &capped);
        if (rc == SLS_OK && capped) {
            /* No more notifications: the app's manual challenge still works. */
            t->c->kind = SLS_CHALLENGE_RESPONSE;
            sls_random_digits(t->c->challenge, 6);
            rc = sls_audit_write_user(db, t->now, t->u->username, "ibkey.push", "capped", t->d->id);
        } else if (rc == SLS_OK) {
            snprintf(t->c->challenge, sizeof(t->c->challenge), "%s", push.id);
            t->number = push.number;
        }
    }
    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, challenge_put, t->c);
}

void sls_session_challenge_issue(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                 const struct sls_session_rec *s, const struct sls_user_rec *u,
                                 const struct sls_device_rec *d, bool manual)
{
    enum sls_challenge_kind kind = sls_device_challenge_kind(d->type);
    struct sls_challenge_rec c;
    struct issue_tx t;
    char ts[32], to[64];
    int rc = SLS_OK;
    json_t *o, *ch;

    memset(&c, 0, sizeof(c));
    snprintf(c.key, sizeof(c.key), "%s", key);
    c.user_id = u->id;
    snprintf(c.device_id, sizeof(c.device_id), "%s", d->id);
    c.issued_at = rq->now;
    to[0] = '\0';
    if (kind == SLS_CHALLENGE_CODE || (kind == SLS_CHALLENGE_PUSH && !manual))
        c.kind = kind;
    else if (manual)
        rc = sls_device_manual_challenge_new(rq->app, d, c.challenge, sizeof(c.challenge), &c.kind);
    else
        rc = sls_device_challenge_new(rq->app, d, c.challenge, sizeof(c.challenge), &c.kind);
    if (rc == SLS_OK && c.kind == SLS_CHALLENGE_CODE &&
        sls_sms_address(d, u->phones_json, to, sizeof(to)) != 0)
        rc = SLS_ERR_NO_ACTIVE_DEVICE;
    if (rc != SLS_OK) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device cannot be challenged", NULL);
        return;
    }
    memset(&t, 0, sizeof(t));
    t.app = rq->app;
    t.c = &c;
    t.s = s;
    t.u = u;
    t.d = d;
    t.to = to;
    t.now = rq->now;
    if (sls_store_write(rq->app->store, issue_fn, &t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    o = json_object();
    json_object_set_new(o, "device_id", json_string(d->id));
    ch = sls_challenge_json(c.kind, c.challenge);
    sls_challenge_json_number(ch, t.number);
    json_object_set_new(o, "challenge", ch);
    sls_time_text(rq->now + (c.kind == SLS_CHALLENGE_CODE ? rq->app->cfg.sms_code_ttl
                                                          : rq->app->cfg.challenge_ttl),
                  ts);
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

void sls_session_challenge_fail(struct sls_req *rq, struct sls_resp *rs,
                                const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                                const char *event, const char *outcome, const char *hint)
{
    struct sls_attempt a;

    memset(&a, 0, sizeof(a));
    a.user_id = u->id;
    a.username = u->username;
    a.event = event;
    a.outcome = outcome;
    a.detail = c->device_id;
    a.challenge_key = c->key;
    a.client_token_hash = rq->client_token_hash; /* §10.3: the session's counter */
    if (c->kind == SLS_CHALLENGE_CODE)
        a.code_key = c->key;
    sls_attempt_fail_answer(rq->app, rs, &a, rq->now, SLS_ERR_VERIFICATION_FAILED,
                            hint != NULL ? hint : HINT_RETRY);
}

struct code_io {
    const char *key;
    struct sls_code_rec code;
};

static int code_get_fn(struct sls_db *db, void *arg)
{
    struct code_io *io = arg;
    return SLS_DB(db, code_get, io->key, &io->code);
}

static int code_delete_fn(struct sls_db *db, void *arg)
{
    struct code_io *io = arg;
    int rc = SLS_DB(db, code_delete, io->key);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

/* Whether typed is the SMS code of challenge c, still valid. The code is
 * deleted when it is right (its challenge goes in the caller's transaction;
 * a wrong one goes with the failure). */
static bool code_ok(struct sls_req *rq, const struct sls_challenge_rec *c, const char *typed)
{
    struct code_io io;
    bool ok;

    memset(&io, 0, sizeof(io));
    io.key = c->key;
    if (sls_store_read(rq->app->store, code_get_fn, &io) != SLS_OK)
        return false;
    ok = sls_code_usable(&io.code, 0, rq->now) && sls_code_matches(rq->app, &io.code, typed);
    sls_wipe(&io.code, sizeof(io.code));
    if (ok)
        (void)sls_store_write(rq->app->store, code_delete_fn, &io);
    return ok;
}

bool sls_session_challenge_answer(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                                  const struct sls_device_rec *d, const char *response,
                                  const char *event)
{
    bool right;

    if (sls_lockout_is_locked(&u->lockout, rq->now)) {
        sls_answer_locked(rs, u->lockout.locked_until);
        return false;
    }
    if (c->kind == SLS_CHALLENGE_PUSH) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This challenge is a push request: approve it in the app",
                           "Or ask again with mode challenge_response for the app's fallback");
        return false;
    }
    if (!sls_response_well_formed(d->type, response, strlen(response))) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'response' is not shaped as this device's answers",
                           sls_response_hint(d->type));
        return false;
    }
    if (!sls_challenge_valid(c->issued_at,
                             c->kind == SLS_CHALLENGE_CODE ? rq->app->cfg.sms_code_ttl
                                                           : rq->app->cfg.challenge_ttl,
                             rq->now)) {
        sls_session_challenge_fail(rq, rs, c, u, event, "expired", NULL);
        return false;
    }
    if (c->kind == SLS_CHALLENGE_CODE)
        right = code_ok(rq, c, response);
    else
        right = sls_device_response_ok(rq->app, d, c->challenge, response);
    if (!right) {
        sls_session_challenge_fail(rq, rs, c, u, event, "wrong_response", NULL);
        return false;
    }
    return true;
}
