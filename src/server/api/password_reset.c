/* Completing a password reset (R3, R29): POST /v1/password-reset/complete.
 *
 * A code the service desk had sent to the e-mail on record after verifying
 * the caller's identity needs nothing more: {username, code, new_password}.
 * A code the user asked for (POST /v1/password-reset) also needs a response
 * from the user's security device, in two steps: {username, code} proves the
 * code and answers a challenge from the strongest device that can answer
 * one, bound to the reset; {username, code, response, new_password} then
 * sets the password. A wrong response uses the challenge up and counts
 * toward the lockout (R8), as a wrong login answer does.
 *
 * A code works once, until it expires, and dies after a few wrong guesses.
 * Every refusal before the code is proven answers the same 400 invalid_code,
 * whether the user exists, has a code, or typed it wrong, so the endpoint
 * tells nobody who has an account. A new password ends every session of the
 * user and is confirmed by e-mail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/password_reset.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/password_policy.h"
#include "core/password_reset.h"
#include "core/username.h"
#include "crypto/password.h"
#include "server/flows/device_auth.h"
#include "server/flows/held_devices.h"
#include "server/flows/password_reset_tx.h"
#include "server/flows/reset_code.h"
#include "server/api/session_challenge_reply.h"

#define EVENT        "password_reset.complete" /* as flows/password_reset_tx.c audits it */
#define HINT_NEWCODE "Check the code in the e-mail, or call the service desk for a new one"
#define HINT_DEVICE  "Call the service desk if you cannot answer with your security device"

static void refuse(struct sls_resp *rs)
{
    sls_resp_error(rs, SLS_ERR_INVALID_CODE, HINT_NEWCODE);
}

/* Step one of a self-service code, the code proven: a challenge from the
 * user's strongest device that answers one, bound to the reset. */
static void issue_challenge(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u)
{
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    char key[128];
    int rc = d != NULL ? sls_own_default_device_read(rq->app->store, u->id, sls_reset_device_ok, d)
                       : SLS_ERR_NOMEM;

    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_NO_ACTIVE_DEVICE, HINT_DEVICE);
    } else if (rc != SLS_OK) {
        sls_resp_error(rs, rc == SLS_ERR_NOMEM ? SLS_ERR_NOMEM : SLS_ERR_STORE, NULL);
    } else {
        sls_password_reset_challenge_key(key, sizeof(key), u->id);
        /* No session: typed responses only (sls_reset_device_ok leaves SMS out). */
        if (sls_session_challenge_reply_issue(rq, rs, key, NULL, u, d, true) && rs->json != NULL)
            json_object_set_new(rs->json, "response_required", json_true());
    }
}

/* Step two of a self-service code, the code proven: checks the response to
 * the reset's challenge into c. False when it has answered (no challenge
 * waiting, the device gone, locked, or a wrong response, counted). */
static bool check_response(struct sls_req *rq, struct sls_resp *rs, const struct sls_user_rec *u,
                           const char *response, struct sls_secret_rec *c)
{
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    char key[128];
    int rc;

    if (d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    sls_password_reset_challenge_key(key, sizeof(key), u->id);
    if (!sls_session_challenge_reply_read(rq, rs, key, c))
        return false;
    /* Still the user's own, and still one that answers a reset. */
    rc = sls_own_device_read(rq->app->store, u->id, c->device_id, sls_reset_device_ok, d);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device no longer answers for you",
                           "Ask for a new challenge: the same call without a response");
        return false;
    }
    return sls_session_challenge_reply_answer(rq, rs, c, u, d, response, EVENT);
}

/* The user and their code as read, in the arena (wiped with it). */
struct reset_read {
    struct sls_user_rec user;
    struct sls_secret_rec reset;
};

void sls_api_password_reset_complete(struct sls_req *rq, struct sls_resp *rs)
{
    const char *username, *code, *password, *response;
    struct reset_read *r;
    struct sls_secret_rec *c;
    struct sls_reset_complete_facts f;
    struct sls_reset_complete_verdict v;
    struct sls_password_reset_tx *d;
    char *hash;
    size_t ulen;
    int rc;

    if (!sls_body_str(rq, rs, "username", true, 256, &username) ||
        !sls_body_str(rq, rs, "code", true, 64, &code) ||
        !sls_body_str(rq, rs, "new_password", false, 1024, &password) ||
        !sls_body_str(rq, rs, "response", false, 64, &response))
        return;
    if (response != NULL && password == NULL) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'new_password' is required",
                           "Send the response together with the new password");
        return;
    }
    ulen = strlen(username);
    if (sls_username_check_chars(username, ulen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    if (password != NULL && sls_password_check(password, strlen(password)) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_WEAK_PASSWORD, NULL);
        return;
    }
    if (strlen(code) != SLS_RESET_CODE_LEN || strspn(code, "0123456789") != SLS_RESET_CODE_LEN ||
        !sls_username_could_exist(username, ulen)) {
        refuse(rs);
        return;
    }
    /* The challenge and the new hash are wiped with the arena. */
    r = sls_req_alloc(rq, sizeof(*r));
    c = sls_req_alloc(rq, sizeof(*c));
    hash = sls_req_alloc(rq, SLS_PASSWORD_HASH_MAX);
    if (r == NULL || c == NULL || hash == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_password_reset_tx_read(rq->app, username, &r->user, &r->reset);
    if (rc == SLS_ERR_NOT_FOUND) {
        refuse(rs);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    f.expires_at = r->reset.expires_at;
    f.attempts = r->reset.attempts;
    f.code_matches = sls_reset_code_matches(rq->app, &r->reset, code);
    f.by_desk = strncmp(r->reset.issued_by, "agent:", 6) == 0;
    f.has_password = password != NULL;
    f.has_response = response != NULL;
    switch (sls_reset_complete_decide(&f, SLS_RESET_CODE_MAX_ATTEMPTS, rq->now, &v)) {
    case SLS_RESET_STEP_REFUSE:
        if (sls_password_reset_tx_fail(rq->app, rq->now, &r->user, &r->reset, v.audit_outcome,
                                       v.counts_code) != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            refuse(rs);
        return;
    /* The code is proven: from here on answers may say more. */
    case SLS_RESET_STEP_CHALLENGE:
        issue_challenge(rq, rs, &r->user);
        return;
    case SLS_RESET_STEP_DESK_PROVEN:
        sls_resp_json(rs, 200, json_pack("{s:b}", "response_required", 0));
        return;
    case SLS_RESET_STEP_NEED_RESPONSE:
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "This code also needs a response from your security device",
                           "Send the user name and code alone for a challenge, then the response "
                           "with the new password");
        return;
    case SLS_RESET_STEP_RESPONSE:
        if (!check_response(rq, rs, &r->user, response, c))
            return;
        break;
    case SLS_RESET_STEP_SET:
        break;
    }
    if (sls_password_hash(password, strlen(password), &rq->app->cfg.pwhash, hash) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    d = sls_req_alloc(rq, sizeof(*d));
    if (d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    d->now = rq->now;
    d->user = &r->user;
    d->read = &r->reset;
    d->password_hash = hash;
    d->challenge = v.step == SLS_RESET_STEP_RESPONSE ? c : NULL;
    rc = sls_password_reset_tx_apply(rq->app, d);
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (d->changed)
        refuse(rs);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:I}", "password_changed", 1, "sessions_revoked",
                                (json_int_t)d->nsessions));
}
