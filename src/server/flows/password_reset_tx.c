/* The store side of completing a password reset; see password_reset_tx.h. */
#include "server/flows/password_reset_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/password_reset.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/password_tx.h"
#include "server/flows/secret_key.h"
#include "server/flows/session_challenge.h"

#define EVENT "password_reset.complete"

void sls_password_reset_challenge_key(char *out, size_t len, int64_t user_id)
{
    sls_secret_key_user(out, len, SLS_SECRET_RESET_CHALLENGE, user_id);
}

/* The key of user_id's reset code into key (128 bytes); returns key. */
static const char *code_key(int64_t user_id, char key[128])
{
    sls_secret_key_user(key, 128, SLS_SECRET_RESET_CODE, user_id);
    return key;
}

struct reset_read {
    const char *username;
    struct sls_user_rec *user;
    struct sls_secret_rec *reset;
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct reset_read *r = arg;
    char key[128];
    int rc = SLS_DB(db, user_get_by_name, r->username, r->user);

    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_get, code_key(r->user->id, key), r->reset);
    return rc;
}

int sls_password_reset_tx_read(const struct sls_app *app, const char *username,
                               struct sls_user_rec *user, struct sls_secret_rec *reset)
{
    struct reset_read r = {username, user, reset};
    return sls_store_read(app->store, read_fn, &r);
}

struct fail_tx {
    sls_time now;
    const struct sls_user_rec *user;
    const struct sls_secret_rec *read;
    const char *outcome;
    bool counts_code;
};

static int fail_fn(struct sls_db *db, void *arg)
{
    struct fail_tx *t = arg;
    struct sls_secret_rec now_r;
    char key[128];
    int rc = SLS_OK;

    if (t->counts_code) {
        rc = SLS_DB(db, secret_get, code_key(t->user->id, key), &now_r);
        if (rc == SLS_OK && now_r.code_len == t->read->code_len &&
            memcmp(now_r.code, t->read->code, now_r.code_len) == 0)
            rc = SLS_DB(db, secret_fail_cas, key, now_r.attempts);
        else if (rc == SLS_OK || rc == SLS_ERR_NOT_FOUND)
            rc = SLS_OK; /* replaced or used meanwhile: nothing left to count against */
        sls_wipe(&now_r, sizeof(now_r));
    }
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, EVENT, t->outcome, NULL);
}

int sls_password_reset_tx_fail(const struct sls_app *app, sls_time now,
                               const struct sls_user_rec *user, const struct sls_secret_rec *read,
                               const char *outcome, bool counts_code)
{
    struct fail_tx t = {now, user, read, outcome, counts_code};
    return sls_store_write(app->store, fail_fn, &t);
}

static int apply_fn(struct sls_db *db, void *arg)
{
    struct sls_password_reset_tx *t = arg;
    char detail[64];
    char key[128];
    int rc = SLS_DB(db, secret_get, code_key(t->user->id, key), &t->current);

    t->changed = false;
    if (rc == SLS_ERR_NOT_FOUND ||
        (rc == SLS_OK && (t->current.code_len != t->read->code_len ||
                          memcmp(t->current.code, t->read->code, t->read->code_len) != 0 ||
                          t->current.attempts >= SLS_RESET_CODE_MAX_ATTEMPTS))) {
        t->changed = true;
        return SLS_OK;
    }
    if (rc == SLS_OK && t->challenge != NULL) {
        /* The device challenge is taken with the code, once. */
        rc = sls_session_challenge_take(db, t->challenge, &t->changed);
        if (rc != SLS_OK || t->changed)
            return rc;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_take, key);
    if (rc == SLS_OK)
        rc = sls_password_set(db, t->now, t->user, t->password_hash, NULL, &t->nsessions);
    if (rc != SLS_OK)
        return rc;
    if (t->challenge != NULL)
        snprintf(detail, sizeof(detail), "sessions_revoked=%zu device=%s", t->nsessions,
                 t->challenge->device_id);
    else
        snprintf(detail, sizeof(detail), "sessions_revoked=%zu", t->nsessions);
    return sls_audit_write_user(db, t->now, t->user->username, EVENT, "ok", detail);
}

int sls_password_reset_tx_apply(const struct sls_app *app, struct sls_password_reset_tx *t)
{
    return sls_store_write(app->store, apply_fn, t);
}
