/* Login attempt transactions (R8, R9, R10, R41); see login_tx.h. */
#include "server/flows/login_tx.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/flows/audit_event.h"
#include "core/error.h"
#include "core/client_lockout.h"
#include "core/lockout.h"
#include "core/push.h"
#include "server/app/metrics.h"
#include "server/flows/notice.h"

struct tx {
    struct sls_app *app;
    struct sls_attempt *a;
    sls_time now;
    bool success;
    bool newly_locked;
    struct sls_user_rec u;          /* scratch, kept off the writer's stack */
    struct sls_client_token_rec ct; /* the client token counted against (c.has_client) */
    struct sls_counters c;          /* the counters as read in this transaction */
    struct sls_device_rec d;        /* §10.5: a passkey as stored, read when its move lost */
};

/* Reads the user and, in mode client, the client token the attempt counts
 * against (one gone meanwhile, or of another user, is no token). */
static int load_counters(struct sls_db *db, struct tx *t)
{
    const struct sls_attempt *a = t->a;
    const char *hash = a->login != NULL ? a->login->client_token_hash : a->client_token_hash;
    int rc = SLS_DB(db, user_get_by_id, a->user_id, &t->u);

    memset(&t->c, 0, sizeof(t->c));
    if (rc != SLS_OK)
        return rc;
    t->c.user = t->u.lockout;
    if (t->app->cfg.lockout_mode != SLS_LOCKOUT_MODE_CLIENT || hash == NULL || hash[0] == '\0')
        return SLS_OK;
    rc = SLS_DB(db, client_token_get, hash, &t->ct);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc != SLS_OK)
        return rc;
    if (t->ct.user_id == t->u.id) {
        t->c.client = t->ct.lockout;
        t->c.has_client = true;
    }
    return SLS_OK;
}

/* Writes the counter the attempt counts against back, by compare-and-swap. */
static int store_counter(struct sls_db *db, struct tx *t)
{
    if (t->c.has_client)
        return SLS_DB(db, client_token_lockout_cas, t->ct.token_hash, t->ct.lock_version,
                      &t->c.client);
    t->u.lockout = t->c.user;
    return SLS_DB(db, user_update, &t->u, SLS_USER_SET_LOCKOUT, t->u.version);
}

/* Names the counter of the attempt in the audit record of a lock. */
static const char *counter_detail(const struct tx *t, char *buf, size_t len)
{
    if (t->c.has_client) {
        snprintf(buf, len, "client_token %s", t->ct.id);
        return buf;
    }
    return t->app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT ? "unknown_clients" : NULL;
}

/* Counts a failed attempt against its counter (R8, §10.3), audited as
 * event (NULL: "login.failure") and outcome. This is the one place where a
 * lock begins, for every counter. */
static int count_failure_as(struct sls_db *db, struct tx *t, const char *event, const char *outcome)
{
    struct sls_attempt *a = t->a;
    char buf[64];
    bool newly = false;
    int rc;

    a->locked = sls_counters_fail(&t->c, &t->app->cfg.lockout, t->now, &newly);
    sls_counters_locked(&t->c, t->now, &a->locked_until);
    rc = store_counter(db, t);
    if (rc != SLS_OK)
        return rc;
    a->counted = true;
    rc = sls_audit_write_user(db, t->now, a->username, event ? event : "login.failure", outcome,
                              a->detail);
    if (rc == SLS_OK && newly) {
        t->newly_locked = true;
        rc = sls_audit_write(db, t->now, "system", a->username, "lock", "ok",
                             counter_detail(t, buf, sizeof(buf)));
        /* §10.3: the one place a lock begins (either counter) tells the account holder. */
        if (rc == SLS_OK)
            rc = sls_notice_queue(db, &t->u, SLS_NOTICE_ACCOUNT_LOCKED, NULL, t->now);
    }
    return rc;
}

static int count_failure(struct sls_db *db, struct tx *t, const char *outcome)
{
    return count_failure_as(db, t, t->a->event, outcome);
}

/* §10.5: a passkey's counter that went back, audited (a clone shows that way). */
static int audit_went_back(struct sls_db *db, const struct tx *t)
{
    const struct sls_passkey_move *p = t->a->passkey;
    char detail[96];

    snprintf(detail, sizeof(detail), "%s counter %lld", p->device_id, (long long)p->count);
    return sls_audit_write_user(db, t->now, t->a->username, "passkey.counter", "went_back", detail);
}

/* §10.5: moves the passkey's counter forward (login_tx.h); sets went_back
 * when a later assertion moved it meanwhile. */
static int passkey_move(struct sls_db *db, struct tx *t)
{
    struct sls_passkey_move *p = t->a->passkey;
    int rc;

    if (!p->move)
        return SLS_OK;
    rc = SLS_DB(db, device_passkey_count_cas, p->device_id, p->count);
    if (rc != SLS_ERR_CONFLICT)
        return rc;
    rc = SLS_DB(db, device_get, p->device_id, &t->d);
    if (rc == SLS_ERR_NOT_FOUND) {
        p->went_back = true; /* no device to move: not a success either */
        return SLS_OK;
    }
    if (rc == SLS_OK)
        p->went_back = t->d.passkey_count != p->count;
    return rc;
}

/* Closes the login with `state`; reports reuse when someone else closed it. */
static int close_login(struct sls_db *db, struct tx *t, enum sls_login_state state)
{
    struct sls_attempt *a = t->a;
    int rc;

    if (a->login == NULL)
        return SLS_OK;
    a->login->state = state;
    rc = SLS_DB(db, login_update_cas, a->login, a->login_seq);
    if (rc == SLS_ERR_CONFLICT) {
        a->reused = true;
        return SLS_OK;
    }
    return rc;
}

/* Deletes the one-time code the attempt used, if any: it is single use. */
static int drop_code(struct sls_db *db, const struct sls_attempt *a)
{
    int rc;

    if (a->code_key == NULL)
        return SLS_OK;
    rc = SLS_DB(db, secret_take, a->code_key);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

static int fail_fn(struct sls_db *db, void *arg)
{
    struct tx *t = arg;
    int rc;

    t->a->counted = t->a->reused = t->a->locked = t->a->push_decided = false;
    t->newly_locked = false;
    rc = load_counters(db, t);
    if (rc != SLS_OK)
        return rc;
    if (t->a->wrong_number_push != NULL || t->a->denied_push != NULL) {
        /* §10.3: the denial and its count are one transaction. */
        const char *push = t->a->wrong_number_push ? t->a->wrong_number_push : t->a->denied_push;

        rc = SLS_DB(db, push_decide_cas, push, SLS_PUSH_DENIED, SLS_AUTH_NONE,
                    t->a->wrong_number_push != NULL, t->now);
        if (rc == SLS_ERR_CONFLICT) {
            t->a->reused = t->a->push_decided = true;
            t->a->locked = sls_lockout_is_locked(&t->u.lockout, t->now);
            t->a->locked_until = t->u.lockout.locked_until;
            return sls_audit_write_user(db, t->now, t->a->username, "ibkey.push", "already_decided",
                                        push);
        }
        if (rc == SLS_OK && t->a->denied_push != NULL)
            rc = sls_audit_write_user(db, t->now, t->a->username, "ibkey.push",
                                      sls_push_state_name(SLS_PUSH_DENIED), push);
        if (rc != SLS_OK)
            return rc;
    }
    rc = close_login(db, t, t->a->denied ? SLS_LOGIN_DENIED : SLS_LOGIN_FAILED);
    if (rc == SLS_OK)
        rc = drop_code(db, t->a);
    if (rc == SLS_OK && t->a->challenge_key != NULL) {
        rc = SLS_DB(db, secret_take, t->a->challenge_key);
        if (rc == SLS_ERR_NOT_FOUND)
            rc = SLS_OK; /* taken by a racing request: this failure still counts */
    }
    if (rc == SLS_OK && t->a->passkey != NULL && t->a->passkey->went_back_before)
        rc = audit_went_back(db, t);
    if (rc != SLS_OK)
        return rc;
    if (t->a->reused) {
        t->a->locked = sls_counters_locked(&t->c, t->now, &t->a->locked_until);
        return sls_audit_write_user(db, t->now, t->a->username, "login.failure", "reused",
                                    t->a->detail);
    }
    return count_failure(db, t, t->a->outcome);
}

/* R10: a new login with the mobile authenticator on the trading platform
 * extends the user's live trading sessions of the same device to the end of
 * the new one (now + the period of its approval), audited when any was. */
static int extend_sessions(struct sls_db *db, struct tx *t, const struct sls_session_rec *s)
{
    char detail[64];
    size_t n = 0;
    int rc;

    if (!sls_session_reauth_extends(s->platform, s->factor))
        return SLS_OK;
    rc = SLS_DB(db, session_extend_by_device, s->user_id, s->device_id, s->platform, t->now,
                s->expires_at, s->token_hash, &n);
    if (rc != SLS_OK || n == 0)
        return rc;
    snprintf(detail, sizeof(detail), "%s sessions=%zu", s->device_id, n);
    return sls_audit_write_user(db, t->now, t->a->username, "session.extended", "reauth", detail);
}

static int succeed_fn(struct sls_db *db, void *arg)
{
    struct tx *t = arg;
    struct sls_attempt *a = t->a;
    int rc;

    a->counted = a->reused = a->locked = false;
    t->success = false;
    t->newly_locked = false;
    if (a->passkey != NULL)
        a->passkey->went_back = false;
    rc = load_counters(db, t);
    if (rc != SLS_OK)
        return rc;
    if (sls_counters_locked(&t->c, t->now, NULL)) {
        rc = close_login(db, t, SLS_LOGIN_FAILED);
        if (rc != SLS_OK || a->reused)
            return rc;
        return count_failure(db, t, "locked");
    }
    if (a->passkey != NULL) {
        rc = passkey_move(db, t);
        if (rc != SLS_OK)
            return rc;
        if (a->passkey->went_back) {
            /* The login fails in this same transaction, counted (R8). */
            rc = close_login(db, t, SLS_LOGIN_FAILED);
            if (rc != SLS_OK || a->reused)
                return rc;
            rc = audit_went_back(db, t);
            if (rc != SLS_OK)
                return rc;
            return count_failure_as(db, t, a->passkey->fail_event, a->passkey->fail_outcome);
        }
    }
    if (a->login != NULL)
        memcpy(a->login->session_hash, a->session->token_hash, sizeof(a->login->session_hash));
    rc = close_login(db, t, SLS_LOGIN_AUTHENTICATED);
    if (rc != SLS_OK || a->reused)
        return rc;
    rc = drop_code(db, a);
    if (rc != SLS_OK)
        return rc;
    if (t->c.has_client) {
        /* §10.3: the token presented is replaced by a->issue; its counter
         * goes with it. The unknown-clients counter is left as it is. */
        rc = SLS_DB(db, client_token_delete, t->ct.token_hash);
        if (rc != SLS_OK)
            return rc;
    } else if (t->c.user.nfail != 0 || t->c.user.locked_until != 0) {
        sls_counters_succeed(&t->c);
        rc = store_counter(db, t);
        if (rc != SLS_OK)
            return rc;
    }
    if (a->issue != NULL) {
        rc = SLS_DB(db, client_token_insert, a->issue);
        if (rc != SLS_OK)
            return rc;
        /* The session's own checks count against the token it hands out. */
        snprintf(a->session->client_token_hash, sizeof(a->session->client_token_hash), "%s",
                 a->issue->token_hash);
    }
    rc = SLS_DB(db, session_insert, a->session);
    if (rc != SLS_OK)
        return rc;
    rc = extend_sessions(db, t, a->session);
    if (rc != SLS_OK)
        return rc;
    rc = sls_audit_write_user(db, t->now, a->username, "login.success", "ok", a->detail);
    if (rc == SLS_OK)
        t->success = true;
    return rc;
}

/* Runs fn, retrying when a compare-and-swap lost to a concurrent writer. */
static int run(struct sls_app *app, sls_store_fn fn, struct sls_attempt *a, sls_time now)
{
    struct tx *t = calloc(1, sizeof(*t));
    int rc = SLS_ERR_NOMEM, tries;

    if (t == NULL)
        return rc;
    t->app = app;
    t->a = a;
    t->now = now;
    for (tries = 0; tries < 8; tries++) {
        rc = sls_store_write(app->store, fn, t);
        if (rc != SLS_ERR_CONFLICT)
            break;
    }
    if (rc == SLS_OK && t->newly_locked)
        sls_metrics_lockout();
    free(t);
    return rc;
}

int sls_attempt_fail(struct sls_app *app, struct sls_attempt *a, sls_time now)
{
    return run(app, fail_fn, a, now);
}

int sls_attempt_succeed(struct sls_app *app, struct sls_attempt *a, sls_time now)
{
    return run(app, succeed_fn, a, now);
}

static int refuse_fn(struct sls_db *db, void *arg)
{
    struct tx *t = arg;
    struct sls_attempt *a = t->a;
    int rc;

    a->counted = a->reused = a->locked = false;
    rc = close_login(db, t, SLS_LOGIN_FAILED);
    if (rc != SLS_OK || a->reused)
        return rc;
    rc = drop_code(db, a);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, a->username, a->event ? a->event : "login.refused",
                                a->outcome, a->detail);
}

int sls_attempt_refuse(struct sls_app *app, struct sls_attempt *a, sls_time now)
{
    return run(app, refuse_fn, a, now);
}

int sls_attempt_apply(struct sls_app *app, const struct sls_login_verdict *v, struct sls_attempt *a,
                      sls_time now)
{
    if (a->event == NULL)
        a->event = v->audit_event;
    a->outcome = v->audit_outcome;
    a->denied = v->next == SLS_LOGIN_NEXT_DENIED;
    switch (v->outcome) {
    case SLS_LOGIN_OUT_FAILED:
        return v->counts ? sls_attempt_fail(app, a, now) : sls_attempt_refuse(app, a, now);
    case SLS_LOGIN_OUT_REFUSED:
        return sls_attempt_refuse(app, a, now);
    case SLS_LOGIN_OUT_SESSION:
        return sls_attempt_succeed(app, a, now);
    case SLS_LOGIN_OUT_SECOND_FACTOR:
    case SLS_LOGIN_OUT_REJECTED:
        break;
    }
    return SLS_OK;
}
