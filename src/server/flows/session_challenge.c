/* Challenges asked for inside a session (R28, R34): issued, read, answered
 * and taken the same way whatever the session wants them for; the verdict on
 * an answer is the core's (core/challenge_answer.h). */
#include "server/flows/session_challenge.h"
#include "server/app/app.h"

#include <stdio.h>
#include <string.h>

#include "server/flows/audit_event.h"
#include "core/device.h"
#include "core/challenge_answer.h"
#include "core/error.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/login_tx.h"
#include "server/flows/one_time_code.h"
#include "server/flows/push_send.h"

struct issue_tx {
    const struct sls_app *app;
    struct sls_secret_rec *c;
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
        /* One secret: the challenge and its code. */
        snprintf(t->c->challenge, sizeof(t->c->challenge), "sms");
        memset(&cs, 0, sizeof(cs));
        cs.key = t->c->key;
        cs.user_id = t->u->id;
        cs.data = t->d->id;
        cs.to = t->to;
        cs.channel = "sms";
        cs.purpose = "verification code";
        cs.ttl = t->app->cfg.sms_code_ttl;
        cs.challenge = t->c;
        return sls_code_send(t->app, db, &cs, t->now, &expires);
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
    return SLS_DB(db, secret_put, t->c);
}

int sls_session_challenge_issue(const struct sls_app *app, const char *key,
                                const struct sls_session_rec *s, const struct sls_user_rec *u,
                                const struct sls_device_rec *d, bool manual, const char *to,
                                sls_time now, struct sls_session_challenge_issued *out)
{
    enum sls_challenge_kind kind = sls_device_challenge_kind(d->type);
    struct sls_secret_rec c;
    struct issue_tx t;
    int rc = SLS_OK;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    snprintf(c.key, sizeof(c.key), "%s", key);
    c.user_id = u->id;
    snprintf(c.device_id, sizeof(c.device_id), "%s", d->id);
    c.issued_at = now;
    if (kind == SLS_CHALLENGE_CODE || (kind == SLS_CHALLENGE_PUSH && !manual))
        c.kind = kind;
    else if (manual)
        rc = sls_device_manual_challenge_new(app, d, c.challenge, sizeof(c.challenge), &c.kind);
    else
        rc = sls_device_challenge_new(app, d, c.challenge, sizeof(c.challenge), &c.kind);
    if (rc == SLS_OK && c.kind == SLS_CHALLENGE_CODE && (to == NULL || to[0] == '\0'))
        rc = SLS_ERR_NO_ACTIVE_DEVICE;
    if (rc == SLS_OK && c.kind == SLS_CHALLENGE_PUSH && s == NULL)
        rc = SLS_ERR_NO_ACTIVE_DEVICE; /* a push names the session's platform */
    if (rc != SLS_OK)
        return SLS_ERR_CONFLICT;
    memset(&t, 0, sizeof(t));
    t.app = app;
    t.c = &c;
    t.s = s;
    t.u = u;
    t.d = d;
    t.to = to;
    t.now = now;
    rc = sls_store_write(app->store, issue_fn, &t);
    if (rc == SLS_OK) {
        out->kind = c.kind;
        snprintf(out->challenge, sizeof(out->challenge), "%s", c.challenge);
        out->number = t.number;
        out->expires_at =
            now + sls_challenge_answer_ttl(c.kind, app->cfg.challenge_ttl, app->cfg.sms_code_ttl);
    }
    sls_wipe(&c, sizeof(c));
    return rc;
}

static int challenge_get_fn(struct sls_db *db, void *arg)
{
    struct sls_secret_rec *c = arg;
    return SLS_DB(db, secret_get, c->key, c);
}

int sls_session_challenge_read(const struct sls_app *app, const char *key, struct sls_secret_rec *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->key, sizeof(c->key), "%s", key);
    return sls_store_read(app->store, challenge_get_fn, c);
}

int sls_session_challenge_fail(struct sls_app *app, const struct sls_secret_rec *c,
                               const struct sls_session_challenge_who *who,
                               const struct sls_challenge_verdict *v, sls_time now,
                               struct sls_session_challenge_result *out)
{
    struct sls_challenge_verdict verdict = *v; /* v may be out->v */
    struct sls_attempt a;
    int rc;

    memset(out, 0, sizeof(*out));
    out->v = verdict;
    memset(&a, 0, sizeof(a));
    a.user_id = who->user->id;
    a.username = who->user->username;
    a.event = who->event;
    a.outcome = verdict.audit_outcome;
    a.detail = c->device_id;
    a.challenge_key = c->key;                     /* with its code, for an SMS device: one secret */
    a.client_token_hash = who->client_token_hash; /* §10.3: the session's counter */
    rc = sls_attempt_fail(app, &a, now);
    if (rc == SLS_OK && a.locked) {
        out->locked = true;
        out->locked_until = a.locked_until;
    }
    return rc;
}

struct code_io {
    const char *key;
    struct sls_secret_rec code;
};

static int code_get_fn(struct sls_db *db, void *arg)
{
    struct code_io *io = arg;
    return SLS_DB(db, secret_get, io->key, &io->code);
}

/* The code of an SMS challenge is used once: it is erased from the secret,
 * which stays (the challenge) for the caller's take. Nothing is written
 * when the secret is no longer the one checked (taken or issued anew). */
static int code_use_fn(struct sls_db *db, void *arg)
{
    struct code_io *io = arg;
    struct sls_secret_rec cur;
    int rc = SLS_DB(db, secret_get, io->key, &cur);

    if (rc == SLS_OK && cur.code_len == io->code.code_len &&
        memcmp(cur.code, io->code.code, cur.code_len) == 0) {
        sls_wipe(cur.code, sizeof(cur.code));
        cur.code_len = 0;
        rc = SLS_DB(db, secret_put, &cur);
    }
    sls_wipe(&cur, sizeof(cur));
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

/* Whether typed is the SMS code of challenge c, still valid, into *right,
 * with the secret read into io. A code gone counts as wrong; a store error
 * is returned as such. */
static int code_check(struct sls_app *app, const struct sls_secret_rec *c, const char *typed,
                      sls_time now, struct code_io *io, bool *right)
{
    int rc;

    *right = false;
    io->key = c->key;
    rc = sls_store_read(app->store, code_get_fn, io);
    if (rc == SLS_OK)
        *right = sls_code_usable(&io->code, 0, now) && sls_code_matches(app, &io->code, typed);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

int sls_session_challenge_answer(struct sls_app *app, const struct sls_secret_rec *c,
                                 const struct sls_session_challenge_who *who,
                                 const struct sls_device_rec *d, const char *response, sls_time now,
                                 struct sls_session_challenge_result *out)
{
    struct sls_challenge_facts f;
    struct code_io io;
    int rc = SLS_OK;

    memset(out, 0, sizeof(*out));
    memset(&f, 0, sizeof(f));
    memset(&io, 0, sizeof(io));
    f.now = now;
    f.lockout = &who->user->lockout;
    f.kind = c->kind;
    f.issued_at = c->issued_at;
    f.ttl = sls_challenge_answer_ttl(c->kind, app->cfg.challenge_ttl, app->cfg.sms_code_ttl);
    f.well_formed = sls_response_well_formed(d->type, response, strlen(response));
    if (sls_challenge_answer_checkable(&f)) {
        if (c->kind == SLS_CHALLENGE_CODE)
            rc = code_check(app, c, response, now, &io, &f.right);
        else /* an app's code: its step is spent here when right */
            rc = sls_device_answer_check(app, d, c->challenge, response, now, &f.right);
        if (rc != SLS_OK) {
            sls_wipe(&io, sizeof(io));
            return rc;
        }
    }
    out->v = sls_challenge_answer_decide(&f);
    switch (out->v.outcome) {
    case SLS_CHALLENGE_RIGHT:
        if (c->kind != SLS_CHALLENGE_CODE)
            return SLS_OK;
        /* The code is used now; its challenge with the caller's transaction. */
        rc = sls_store_write(app->store, code_use_fn, &io);
        sls_wipe(&io, sizeof(io));
        return rc;
    case SLS_CHALLENGE_LOCKED:
        sls_wipe(&io, sizeof(io));
        out->locked = true;
        out->locked_until = who->user->lockout.locked_until;
        return SLS_OK;
    default:
        sls_wipe(&io, sizeof(io));
        if (!out->v.counts)
            return SLS_OK;
        return sls_session_challenge_fail(app, c, who, &out->v, now, out);
    }
}

int sls_session_challenge_take(struct sls_db *db, const struct sls_secret_rec *c, bool *taken)
{
    struct sls_secret_rec cur;
    int rc = SLS_DB(db, secret_get, c->key, &cur);

    *taken = false;
    if (rc == SLS_OK &&
        (strcmp(cur.challenge, c->challenge) != 0 || strcmp(cur.device_id, c->device_id) != 0))
        rc = SLS_ERR_NOT_FOUND;
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_take, c->key);
    sls_wipe(&cur, sizeof(cur));
    if (rc == SLS_ERR_NOT_FOUND) {
        *taken = true;
        return SLS_OK;
    }
    return rc;
}
