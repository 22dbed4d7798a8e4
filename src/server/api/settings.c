/* The signed-in user's settings (R3, R4): POST /v1/me/password, POST
 * /v1/me/email and POST /v1/me/bank-instructions.
 *
 * A password typed here is checked like a login's: a wrong one is a failed
 * attempt toward the lockout (R8), since a stolen session must not become a
 * way to guess it. E-mail and banking changes need a step-up inside SLS
 * (R34); outside SLS they wait in the security review queue (R4, R31). An
 * e-mail change is proven either by a confirmation number sent to the old
 * address or by the current password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/settings.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/lockout.h"
#include "core/password_policy.h"
#include "core/password_reset.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/notice.h"
#include "server/flows/sealed_digest.h"
#include "server/flows/session.h"
#include "server/flows/settings_tx.h"
#include "server/api/step_up.h"

/* Checks the current password of u; answers (403 locked, 403
 * verification_failed counting the failure) and returns false when it is not
 * right. */
static bool password_ok(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u,
                        const char *password, const char *event)
{
    struct sls_attempt a;

    if (sls_lockout_is_locked(&u->lockout, rq->now)) {
        sls_login_answer_locked(rs, u->lockout.locked_until);
        return false;
    }
    if (sls_password_verify(u->password_hash, password, strlen(password)) == 0)
        return true;
    memset(&a, 0, sizeof(a));
    a.user_id = u->id;
    a.username = u->username;
    a.event = event;
    a.outcome = "wrong_password";
    a.client_token_hash = rq->client_token_hash; /* §10.3: the session's counter */
    if (sls_attempt_fail(rq->app, &a, rq->now) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (a.locked)
        sls_login_answer_locked(rs, a.locked_until);
    else
        sls_resp_error_msg(rs, SLS_ERR_VERIFICATION_FAILED, "The current password is not correct",
                           NULL);
    return false;
}

/* ---- R3 password change ---- */

struct password_tx {
    sls_time now;
    const struct sls_user_rec *user;
    const char *token_hash; /* the session kept */
    const char *hash;
    size_t revoked;
};

static int password_fn(struct sls_db *db, void *arg)
{
    struct password_tx *t = arg;
    char detail[64];
    int rc = SLS_DB(db, user_set_password, t->user->id, t->hash);

    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_user, t->user->id, t->token_hash, &t->revoked);
    if (rc != SLS_OK)
        return rc;
    rc = sls_notice_queue(db, t->user, SLS_NOTICE_PASSWORD_CHANGED, NULL, t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "sessions_revoked=%zu", t->revoked);
    return sls_audit_write_user(db, t->now, t->user->username, "password.change", "ok", detail);
}

void sls_api_me_password(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *current, *next;
    char *hash = sls_req_alloc(rq, SLS_PASSWORD_HASH_MAX); /* wiped with the arena */
    struct password_tx t;

    if (hash == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "current_password", true, 1024, &current) ||
        !sls_body_str(rq, rs, "new_password", true, 1024, &next))
        return;
    if (sls_password_check(next, strlen(next)) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_WEAK_PASSWORD, NULL);
        return;
    }
    if (!password_ok(rq, rs, u, current, "password.change"))
        return;
    if (sls_password_hash(next, strlen(next), &rq->app->cfg.pwhash, hash) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    memset(&t, 0, sizeof(t));
    t.now = rq->now;
    t.user = u;
    t.token_hash = s.token_hash;
    t.hash = hash;
    if (sls_store_write(rq->app->store, password_fn, &t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:I}", "password_changed", 1, "sessions_revoked",
                                (json_int_t)t.revoked));
}

/* ---- R4 e-mail change ---- */

/* The confirmation number of a user is a one-time code under the key
 * "email:<user id>", the new address in its data; the code is kept as a
 * sealed digest bound to the user and the new address. */
static void email_code_key(char *out, size_t len, int64_t user_id)
{
    snprintf(out, len, "email:%lld", (long long)user_id);
}

static void email_binding(char *out, size_t len, int64_t user_id, const char *new_email)
{
    snprintf(out, len, "email:%lld:%s", (long long)user_id, new_email);
}

struct email_tx {
    sls_time now;
    const struct sls_user_rec *user;
    const char *new_email;
    bool outside_sls;
    const struct sls_code_rec *confirm; /* the confirmation used, or NULL */
    bool taken;                         /* used or replaced meanwhile */
    int64_t review_id;
    struct sls_review_rec review; /* outside SLS: the review asked for */
};

static int email_fn(struct sls_db *db, void *arg)
{
    struct email_tx *t = arg;
    struct sls_code_rec cur;
    struct sls_review_rec *r = &t->review;
    json_t *payload;
    size_t n;
    int rc;

    t->taken = false;
    if (t->confirm != NULL) {
        rc = SLS_DB(db, code_get, t->confirm->key, &cur);
        if (rc == SLS_OK && (cur.code_len != t->confirm->code_len ||
                             memcmp(cur.code, t->confirm->code, cur.code_len) != 0))
            rc = SLS_ERR_NOT_FOUND;
        if (rc == SLS_OK)
            rc = SLS_DB(db, code_delete, t->confirm->key);
        if (rc == SLS_ERR_NOT_FOUND) {
            t->taken = true;
            return SLS_OK;
        }
        if (rc != SLS_OK)
            return rc;
    }
    if (t->outside_sls) {
        memset(r, 0, sizeof(*r));
        payload = json_pack("{s:s, s:s}", "new_email", t->new_email, "old_email", t->user->email);
        n = payload ? json_dumpb(payload, r->payload, sizeof(r->payload), JSON_COMPACT) : 0;
        json_decref(payload);
        rc = SLS_ERR_NOMEM;
        if (n > 0 && n < sizeof(r->payload)) {
            r->payload[n] = '\0';
            r->user_id = t->user->id;
            snprintf(r->kind, sizeof(r->kind), "email");
            r->created_at = t->now;
            rc = SLS_DB(db, review_insert, r);
            t->review_id = r->id;
        }
        if (rc != SLS_OK)
            return rc;
        return sls_audit_write_user(db, t->now, t->user->username, "email.change", "pending_review",
                                    t->new_email);
    }
    rc = SLS_DB(db, user_set_email, t->user->id, t->new_email);
    if (rc != SLS_OK)
        return rc;
    /* To the old address: the one an attacker could not read. */
    rc = sls_notice_queue_to(db, t->user->email, SLS_NOTICE_EMAIL_CHANGED, t->new_email, t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, "email.change", "ok", t->new_email);
}

/* R4 outside SLS: answers 202 {status:"pending_review", review_id}. */
static void answer_review(struct sls_resp *rs, int64_t review_id)
{
    sls_resp_json(
        rs, 202,
        json_pack("{s:s, s:I}", "status", "pending_review", "review_id", (json_int_t)review_id));
}

static void email_apply(struct sls_req *rq, struct sls_resp *rs, struct email_tx *t)
{
    if (sls_store_write(rq->app->store, email_fn, t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t->taken)
        sls_resp_error(rs, SLS_ERR_INVALID_CODE, "Ask for a new confirmation number");
    else if (t->outside_sls)
        answer_review(rs, t->review_id);
    else
        sls_resp_json(rs, 200, json_pack("{s:s, s:s}", "status", "changed", "email", t->new_email));
}

struct confirm_tx {
    sls_time now;
    const struct sls_user_rec *user;
    const char *new_email;
    struct sls_code_rec rec; /* the code, the new address in its data */
    char code[SLS_RESET_CODE_LEN + 1];
};

static int confirm_send_fn(struct sls_db *db, void *arg)
{
    struct confirm_tx *t = arg;
    char body[640];
    int rc = SLS_DB(db, code_put, &t->rec);

    if (rc != SLS_OK)
        return rc;
    snprintf(body, sizeof(body),
             "Your confirmation number to change the e-mail address of user %s to %s is %s. If "
             "you did not ask for this, call our service desk.",
             t->user->username, t->new_email, t->code);
    rc = sls_settings_mail(db, t->now, t->user->email, "code.email_confirmation", body, t->code);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, "email.confirmation", "sent",
                                t->new_email);
}

static void email_send_confirmation(struct sls_req *rq, struct sls_resp *rs,
                                    const struct sls_user_rec *u, const char *new_email)
{
    struct confirm_tx *t = sls_req_alloc(rq, sizeof(*t));
    char binding[320], masked[256];

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->now = rq->now;
    t->user = u;
    t->new_email = new_email;
    sls_random_digits(t->code, SLS_RESET_CODE_LEN);
    email_code_key(t->rec.key, sizeof(t->rec.key), u->id);
    t->rec.user_id = u->id;
    snprintf(t->rec.data, sizeof(t->rec.data), "%s", new_email);
    t->rec.issued_at = rq->now;
    t->rec.expires_at = rq->now + rq->app->cfg.password_reset_ttl;
    email_binding(binding, sizeof(binding), u->id, new_email);
    if (sls_sealed_digest_make(&rq->app->key, binding, t->code, t->rec.code, sizeof(t->rec.code),
                               &t->rec.code_len) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
    } else if (sls_store_write(rq->app->store, confirm_send_fn, t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    } else {
        sls_email_mask(u->email, masked, sizeof(masked));
        sls_resp_json(rs, 202,
                      json_pack("{s:s, s:s}", "status", "confirmation_sent", "sent_to", masked));
    }
}

struct confirm_read {
    char key[sizeof(((struct sls_code_rec *)0)->key)];
    struct sls_code_rec rec;
};

static int confirm_read_fn(struct sls_db *db, void *arg)
{
    struct confirm_read *r = arg;
    return SLS_DB(db, code_get, r->key, &r->rec);
}

struct confirm_fail {
    const char *key;
    int attempts;
};

static int confirm_fail_fn(struct sls_db *db, void *arg)
{
    struct confirm_fail *f = arg;
    int rc = SLS_DB(db, code_fail_cas, f->key, f->attempts);
    return rc == SLS_ERR_CONFLICT ? SLS_OK : rc;
}

static void email_with_confirmation(struct sls_req *rq, struct sls_resp *rs, struct email_tx *t,
                                    const char *confirmation)
{
    struct confirm_read *r = sls_req_alloc(rq, sizeof(*r));
    struct confirm_fail f;
    char binding[320];
    int rc;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    email_code_key(r->key, sizeof(r->key), t->user->id);
    rc = sls_store_read(rq->app->store, confirm_read_fn, r);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    email_binding(binding, sizeof(binding), t->user->id, t->new_email);
    if (rc == SLS_ERR_NOT_FOUND ||
        sls_reset_code_check(r->rec.expires_at, r->rec.attempts, SLS_RESET_CODE_MAX_ATTEMPTS,
                             rq->now) != SLS_RESET_USABLE ||
        strcmp(r->rec.data, t->new_email) != 0 ||
        !sls_sealed_digest_matches(&rq->app->key, binding, confirmation, r->rec.code,
                                   r->rec.code_len)) {
        if (rc == SLS_OK) {
            f.key = r->key;
            f.attempts = r->rec.attempts;
            if (sls_store_write(rq->app->store, confirm_fail_fn, &f) != SLS_OK) {
                sls_resp_error(rs, SLS_ERR_STORE, NULL);
                return;
            }
        }
        sls_resp_error(rs, SLS_ERR_INVALID_CODE,
                       "Type the number sent to your old address, with the same new address");
        return;
    }
    t->confirm = &r->rec;
    email_apply(rq, rs, t);
}

void sls_api_me_email(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *new_email, *method, *confirmation, *password;
    struct email_tx *t = sls_req_alloc(rq, sizeof(*t));
    int ways;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }

    if (!sls_body_str(rq, rs, "new_email", true, 254, &new_email) ||
        !sls_body_str(rq, rs, "method", false, 32, &method) ||
        !sls_body_str(rq, rs, "confirmation", false, 64, &confirmation) ||
        !sls_body_str(rq, rs, "password", false, 1024, &password))
        return;
    ways = (method != NULL) + (confirmation != NULL) + (password != NULL);
    if (!sls_settings_email_ok(new_email)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'new_email' is not an e-mail address",
                           NULL);
        return;
    }
    if (ways != 1 || (method != NULL && strcmp(method, "old_email") != 0)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Give exactly one of method:\"old_email\", confirmation or password",
                           NULL);
        return;
    }
    if (strcmp(new_email, u->email) == 0) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This is already your e-mail address", NULL);
        return;
    }
    t->now = rq->now;
    t->user = u;
    t->new_email = new_email;
    t->outside_sls = sls_step_up_gate(u->sls, s.factor, 0, rq->now) == SLS_STEP_UP_OUTSIDE_SLS;
    if (confirmation != NULL) {
        /* The number proves the old mailbox; the step-up was asked when it was sent. */
        email_with_confirmation(rq, rs, t, confirmation);
        return;
    }
    /* The route's gate asked for the step-up (sls_api_me_email_sensitive):
     * a request here without one is a gate that let it through by mistake. */
    if (rq->step_up == SLS_STEP_UP_REQUIRED) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    if (method != NULL) {
        email_send_confirmation(rq, rs, u, new_email);
        return;
    }
    if (password_ok(rq, rs, u, password, "email.change"))
        email_apply(rq, rs, t);
}

bool sls_api_me_email_sensitive(const struct sls_req *rq)
{
    /* With a confirmation number the old mailbox is the proof: the step-up
     * was asked when the number was sent. Anything else goes on to the
     * step-up or to a 400. */
    return !json_is_string(json_object_get(rq->body, "confirmation"));
}

/* ---- R4 banking instructions ---- */

struct bank_tx {
    sls_time now;
    const struct sls_user_rec *user;
    struct sls_bank_rec bank;
    bool outside_sls;
    int64_t review_id;
    struct sls_review_rec review; /* outside SLS: the review asked for */
};

static int bank_fn(struct sls_db *db, void *arg)
{
    struct bank_tx *t = arg;
    struct sls_review_rec *r = &t->review;
    json_t *payload;
    size_t n;
    int rc;

    if (!t->outside_sls) {
        rc = SLS_DB(db, bank_put, &t->bank);
        if (rc == SLS_OK)
            rc = sls_notice_queue(db, t->user, SLS_NOTICE_BANK_CHANGED, NULL, t->now);
        if (rc != SLS_OK)
            return rc;
        return sls_audit_write_user(db, t->now, t->user->username, "bank.change", "ok",
                                    t->bank.account_last4);
    }
    memset(r, 0, sizeof(*r));
    payload = json_pack("{s:s, s:s, s:s}", "bank_name", t->bank.bank_name, "routing_number",
                        t->bank.routing_number, "account_number_last4", t->bank.account_last4);
    n = payload ? json_dumpb(payload, r->payload, sizeof(r->payload), JSON_COMPACT) : 0;
    json_decref(payload);
    rc = SLS_ERR_NOMEM;
    if (n > 0 && n < sizeof(r->payload) && t->bank.account_sealed_len <= sizeof(r->secret)) {
        r->payload[n] = '\0';
        r->user_id = t->user->id;
        snprintf(r->kind, sizeof(r->kind), "bank");
        memcpy(r->secret, t->bank.account_sealed, t->bank.account_sealed_len);
        r->secret_len = t->bank.account_sealed_len;
        r->created_at = t->now;
        rc = SLS_DB(db, review_insert, r);
        t->review_id = r->id;
    }
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, "bank.change", "pending_review",
                                t->bank.account_last4);
}

static bool digits_between(const char *s, size_t lo, size_t hi)
{
    size_t n = strlen(s);
    return n >= lo && n <= hi && strspn(s, "0123456789") == n;
}

void sls_api_me_bank(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *bank_name, *routing, *account;
    struct bank_tx *t = sls_req_alloc(rq, sizeof(*t));
    size_t n;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "bank_name", true, 100, &bank_name) ||
        !sls_body_str(rq, rs, "routing_number", true, 9, &routing) ||
        !sls_body_str(rq, rs, "account_number", true, 17, &account))
        return;
    if (bank_name[0] == '\0' || !digits_between(routing, 9, 9) || !digits_between(account, 4, 17)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Give bank_name, a 9-digit routing_number and an account_number of 4 "
                           "to 17 digits",
                           NULL);
        return;
    }
    t->now = rq->now;
    t->user = u;
    t->outside_sls = sls_step_up_gate(u->sls, s.factor, 0, rq->now) == SLS_STEP_UP_OUTSIDE_SLS;
    t->bank.user_id = u->id;
    snprintf(t->bank.bank_name, sizeof(t->bank.bank_name), "%s", bank_name);
    snprintf(t->bank.routing_number, sizeof(t->bank.routing_number), "%s", routing);
    n = strlen(account);
    snprintf(t->bank.account_last4, sizeof(t->bank.account_last4), "%s", account + n - 4);
    t->bank.updated_at = rq->now;
    if (sls_seal(&rq->app->key, (const uint8_t *)account, n, t->bank.account_sealed,
                 sizeof(t->bank.account_sealed), &t->bank.account_sealed_len) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    if (sls_store_write(rq->app->store, bank_fn, t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t->outside_sls)
        answer_review(rs, t->review_id);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:s, s:s, s:s, s:s}", "status", "changed", "bank_name",
                                t->bank.bank_name, "routing_number", t->bank.routing_number,
                                "account_number_last4", t->bank.account_last4));
}
