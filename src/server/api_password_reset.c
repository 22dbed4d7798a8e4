/* Completing a password reset (R3, R29): POST /v1/password-reset/complete
 * {username, code, new_password}. The code is the one the service desk had
 * sent to the e-mail on record after verifying the caller's identity; it
 * works once, until it expires, and dies after a few wrong guesses. Every
 * refusal answers the same 400 invalid_code, whether the user exists, has a
 * code, or typed it wrong, so the endpoint tells nobody who has an account.
 * A new password ends every session of the user and is confirmed by e-mail.
 *
 * Codes the user asks for without the service desk (R3 self-service) also
 * need a device response; they are not issued yet, and a code not issued by
 * an agent is refused here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit_event.h"
#include "body.h"
#include "core/error.h"
#include "core/password_policy.h"
#include "core/password_reset.h"
#include "core/username.h"
#include "crypto/password.h"
#include "crypto/secmem.h"
#include "reset_code.h"

#define EVENT        "password_reset.complete"
#define HINT_NEWCODE "Check the code in the e-mail, or call the service desk for a new one"

struct reset_read {
    const char *username;
    struct sls_user_rec user;
    struct sls_reset_rec reset;
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct reset_read *r = arg;
    int rc = SLS_DB(db, user_get_by_name, r->username, &r->user);

    if (rc == SLS_OK)
        rc = SLS_DB(db, reset_get, r->user.id, &r->reset);
    return rc;
}

struct fail_tx {
    sls_time now;
    const struct sls_user_rec *user;
    int attempts; /* as read */
    const char *outcome;
};

static int fail_fn(struct sls_db *db, void *arg)
{
    struct fail_tx *t = arg;
    int rc = SLS_OK;

    if (strcmp(t->outcome, "wrong_code") == 0) {
        rc = SLS_DB(db, reset_fail_cas, t->user->id, t->attempts);
        if (rc == SLS_ERR_CONFLICT)
            rc = SLS_OK; /* a racing guess counted first, or the code changed */
    }
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, EVENT, t->outcome, NULL);
}

struct done_tx {
    sls_time now;
    const struct sls_user_rec *user;
    const struct sls_reset_rec *read; /* the code that was checked */
    const char *password_hash;
    struct sls_reset_rec current;
    struct sls_outbox_rec msg;
    size_t nsessions;
    bool changed; /* used or replaced meanwhile */
};

static int done_fn(struct sls_db *db, void *arg)
{
    struct done_tx *t = arg;
    char detail[64];
    int rc = SLS_DB(db, reset_get, t->user->id, &t->current);

    t->changed = false;
    if (rc == SLS_ERR_NOT_FOUND ||
        (rc == SLS_OK && (t->current.code_len != t->read->code_len ||
                          memcmp(t->current.code, t->read->code, t->read->code_len) != 0))) {
        t->changed = true;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, reset_delete, t->user->id);
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_set_password, t->user->id, t->password_hash);
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_user, t->user->id, NULL, &t->nsessions);
    if (rc != SLS_OK)
        return rc;
    snprintf(t->msg.to, sizeof(t->msg.to), "%s", t->user->email);
    snprintf(t->msg.channel, sizeof(t->msg.channel), "email");
    snprintf(t->msg.body, sizeof(t->msg.body),
             "The password of user %s was changed with a reset code. If this was not you, call "
             "our service desk at once.",
             t->user->username);
    t->msg.at = t->now;
    rc = SLS_DB(db, outbox_insert, &t->msg);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "sessions_revoked=%zu", t->nsessions);
    return sls_audit_write_user(db, t->now, t->user->username, EVENT, "ok", detail);
}

static void refuse(struct sls_resp *rs)
{
    sls_resp_error(rs, SLS_ERR_INVALID_CODE, HINT_NEWCODE);
}

void sls_api_password_reset_complete(struct sls_req *rq, struct sls_resp *rs)
{
    const char *username, *code, *password;
    struct reset_read *r = NULL;
    struct fail_tx f;
    struct done_tx *d = NULL;
    char hash[SLS_PASSWORD_HASH_MAX];
    size_t ulen;
    int rc;

    memset(hash, 0, sizeof(hash));
    if (!sls_body_str(rq, rs, "username", true, 256, &username) ||
        !sls_body_str(rq, rs, "code", true, 64, &code) ||
        !sls_body_str(rq, rs, "new_password", true, 1024, &password))
        return;
    ulen = strlen(username);
    if (sls_username_check_chars(username, ulen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    if (sls_password_check(password, strlen(password)) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_WEAK_PASSWORD, NULL);
        return;
    }
    if (strlen(code) != SLS_RESET_CODE_LEN || strspn(code, "0123456789") != SLS_RESET_CODE_LEN ||
        !sls_username_could_exist(username, ulen)) {
        refuse(rs);
        return;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    r->username = username;
    rc = sls_store_read(rq->app->store, read_fn, r);
    if (rc == SLS_ERR_NOT_FOUND) {
        refuse(rs);
        goto out;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        goto out;
    }
    memset(&f, 0, sizeof(f));
    f.now = rq->now;
    f.user = &r->user;
    f.attempts = r->reset.attempts;
    switch (sls_reset_code_check(r->reset.expires_at, r->reset.attempts,
                                 SLS_RESET_CODE_MAX_ATTEMPTS, rq->now)) {
    case SLS_RESET_EXPIRED:
        f.outcome = "expired";
        break;
    case SLS_RESET_EXHAUSTED:
        f.outcome = "too_many_attempts";
        break;
    default:
        if (strncmp(r->reset.issued_by, "agent:", 6) != 0)
            f.outcome = "needs_device";
        else if (!sls_reset_code_matches(rq->app, &r->reset, code))
            f.outcome = "wrong_code";
        break;
    }
    if (f.outcome != NULL) {
        if (sls_store_write(rq->app->store, fail_fn, &f) != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            refuse(rs);
        goto out;
    }
    if (sls_password_hash(password, strlen(password), &rq->app->cfg.pwhash, hash) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        goto out;
    }
    d = calloc(1, sizeof(*d));
    if (d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        goto out;
    }
    d->now = rq->now;
    d->user = &r->user;
    d->read = &r->reset;
    d->password_hash = hash;
    rc = sls_store_write(rq->app->store, done_fn, d);
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (d->changed)
        refuse(rs);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:b, s:I}", "password_changed", 1, "sessions_revoked",
                                (json_int_t)d->nsessions));
out:
    sls_wipe(hash, sizeof(hash));
    if (d != NULL)
        sls_wipe(d, sizeof(*d));
    free(d);
    if (r != NULL)
        sls_wipe(r, sizeof(*r));
    free(r);
}
