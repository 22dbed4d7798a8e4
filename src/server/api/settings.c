/* The signed-in user's settings (R3, R4): POST /v1/me/password, POST
 * /v1/me/email, POST /v1/me/bank-instructions and GET
 * /v1/me/bank-instructions (the instructions on record, the account number
 * shown by its last 4 digits only).
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
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/lockout.h"
#include "core/password_policy.h"
#include "core/password_reset.h"
#include "crypto/password.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/bank_read.h"
#include "server/flows/bank_tx.h"
#include "server/flows/email_change_tx.h"
#include "server/flows/password_tx.h"
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

void sls_api_me_password(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *current, *next;
    char *hash = sls_req_alloc(rq, SLS_PASSWORD_HASH_MAX); /* wiped with the arena */
    struct sls_password_change_tx t;

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
    if (sls_password_change_tx_apply(rq->app, &t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:I}", "password_changed", 1, "sessions_revoked",
                                (json_int_t)t.revoked));
}

/* ---- R4 e-mail change ---- */

/* R4 outside SLS: answers 202 {status:"pending_review", review_id}. */
static void answer_review(struct sls_resp *rs, int64_t review_id)
{
    sls_resp_json(
        rs, 202,
        json_pack("{s:s, s:I}", "status", "pending_review", "review_id", (json_int_t)review_id));
}

static void email_apply(struct sls_req *rq, struct sls_resp *rs, struct sls_email_change_tx *t)
{
    if (sls_email_change_tx_apply(rq->app, t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t->taken)
        sls_resp_error(rs, SLS_ERR_INVALID_CODE, "Ask for a new confirmation number");
    else if (t->outside_sls)
        answer_review(rs, t->review.id);
    else
        sls_resp_json(rs, 200, json_pack("{s:s, s:s}", "status", "changed", "email", t->new_email));
}

static void email_send_confirmation(struct sls_req *rq, struct sls_resp *rs,
                                    const struct sls_user_rec *u, const char *new_email)
{
    struct sls_email_confirm_tx *t = sls_req_alloc(rq, sizeof(*t)); /* wiped with the arena */
    char masked[256];
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->now = rq->now;
    t->user = u;
    t->new_email = new_email;
    rc = sls_email_confirm_send(rq->app, t, rq->app->cfg.password_reset_ttl);
    if (rc == SLS_ERR_INTERNAL) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
    } else if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    } else {
        sls_email_mask(u->email, masked, sizeof(masked));
        sls_resp_json(rs, 202,
                      json_pack("{s:s, s:s}", "status", "confirmation_sent", "sent_to", masked));
    }
}

static void email_with_confirmation(struct sls_req *rq, struct sls_resp *rs,
                                    struct sls_email_change_tx *t, const char *confirmation)
{
    struct sls_secret_rec *rec = sls_req_alloc(rq, sizeof(*rec));
    int rc;

    if (rec == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_email_confirm_read(rq->app, t->user->id, rec);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (rc == SLS_ERR_NOT_FOUND ||
        !sls_email_confirm_ok(rq->app, rec, t->user->id, t->new_email, confirmation, rq->now)) {
        if (rc == SLS_OK && sls_email_confirm_fail(rq->app, rec) != SLS_OK) {
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
            return;
        }
        sls_resp_error(rs, SLS_ERR_INVALID_CODE,
                       "Type the number sent to your old address, with the same new address");
        return;
    }
    t->confirm = rec;
    email_apply(rq, rs, t);
}

void sls_api_me_email(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    const char *new_email, *method, *confirmation, *password;
    struct sls_email_change_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    struct sls_bank_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    if (sls_bank_tx_apply(rq->app, t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t->outside_sls)
        answer_review(rs, t->review.id);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:s, s:s, s:s, s:s}", "status", "changed", "bank_name",
                                t->bank.bank_name, "routing_number", t->bank.routing_number,
                                "account_number_last4", t->bank.account_last4));
}

void sls_api_me_bank_get(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_bank_view *b = sls_req_alloc(rq, sizeof(*b));
    int rc;

    if (b == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_bank_read(rq->app, rq->user->id, b);
    if (rc == SLS_ERR_NOT_FOUND)
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No banking instructions on record", NULL);
    else if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:s, s:s, s:s, s:o}", "bank_name", b->bank_name, "routing_number",
                                b->routing_number, "account_number_last4", b->account_last4,
                                "updated_at", sls_time_json(b->updated_at)));
}
