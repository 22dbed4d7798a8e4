/* The sls_db_ops of the SQLite store for short-lived proofs: challenges
 * waiting outside a login (R27 card activation, R28 reactivation) and
 * password reset codes (R3, R29). Taking a challenge or a code is a DELETE
 * that must change one row, so two racing requests never both use it. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

/* ---- challenges ---- */

#define CHALLENGE_COLS "key, user_id, device_id, kind, challenge, issued_at"

static int row_challenge(sqlite3_stmt *st, void *out)
{
    struct sls_challenge_rec *r = out;
    int64_t kind;

    memset(r, 0, sizeof *r);
    COLUMN_FIELD(st, 0, r->key);
    r->user_id = sqlite3_column_int64(st, 1);
    COLUMN_FIELD(st, 2, r->device_id);
    kind = sqlite3_column_int64(st, 3);
    if (kind < 0 || kind > SLS_CHALLENGE_STATIC)
        return SLS_ERR_STORE;
    r->kind = (enum sls_challenge_kind)kind;
    COLUMN_FIELD(st, 4, r->challenge);
    r->issued_at = sqlite3_column_int64(st, 5);
    return SLS_OK;
}

int sls_sqlite_challenge_put(struct sls_db *db, const struct sls_challenge_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_CHALLENGE_PUT,
                                           "INSERT OR REPLACE INTO challenges(" CHALLENGE_COLS
                                           ") VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, r->key);
    sqlite3_bind_int64(st, 2, r->user_id);
    BIND_FIELD(st, 3, r->device_id);
    sqlite3_bind_int(st, 4, (int)r->kind);
    BIND_FIELD(st, 5, r->challenge);
    sqlite3_bind_int64(st, 6, r->issued_at);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_CHALLENGE_PUT, st);
    return ret;
}

int sls_sqlite_challenge_get(struct sls_db *db, const char *key, struct sls_challenge_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_CHALLENGE_GET, "SELECT " CHALLENGE_COLS " FROM challenges WHERE key = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_CHALLENGE_GET, st, row_challenge, out);
}

int sls_sqlite_challenge_delete(struct sls_db *db, const char *key)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_CHALLENGE_DELETE, "DELETE FROM challenges WHERE key = ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_CHALLENGE_DELETE, st);
    return ret;
}

/* ---- password reset codes ---- */

#define RESET_COLS "user_id, issued_by, code, issued_at, expires_at, attempts"

static int row_reset(sqlite3_stmt *st, void *out)
{
    struct sls_reset_rec *r = out;

    memset(r, 0, sizeof *r);
    r->user_id = sqlite3_column_int64(st, 0);
    COLUMN_FIELD(st, 1, r->issued_by);
    if (sls_sqlite_column_blob(st, 2, r->code, sizeof r->code, &r->code_len) != SLS_OK)
        return SLS_ERR_STORE;
    r->issued_at = sqlite3_column_int64(st, 3);
    r->expires_at = sqlite3_column_int64(st, 4);
    r->attempts = sqlite3_column_int(st, 5);
    return SLS_OK;
}

int sls_sqlite_reset_put(struct sls_db *db, const struct sls_reset_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (r->code_len > sizeof r->code)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_RESET_PUT,
                             "INSERT OR REPLACE INTO password_resets(" RESET_COLS
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, r->user_id);
    BIND_FIELD(st, 2, r->issued_by);
    sqlite3_bind_blob(st, 3, r->code, (int)r->code_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->issued_at);
    sqlite3_bind_int64(st, 5, r->expires_at);
    sqlite3_bind_int(st, 6, r->attempts);
    ret = sls_sqlite_step_done(c, st);
out:
    sls_sqlite_stmt_put(c, SQ_RESET_PUT, st);
    return ret;
}

int sls_sqlite_reset_get(struct sls_db *db, int64_t user_id, struct sls_reset_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_RESET_GET, "SELECT " RESET_COLS " FROM password_resets WHERE user_id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    return sls_sqlite_get_row(c, SQ_RESET_GET, st, row_reset, out);
}

int sls_sqlite_reset_fail_cas(struct sls_db *db, int64_t user_id, int expected_attempts)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_RESET_FAIL,
                                           "UPDATE password_resets SET attempts = attempts + 1 "
                                           "WHERE user_id = ?1 AND attempts = ?2");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, expected_attempts);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_RESET_FAIL, st);
    return ret;
}

int sls_sqlite_reset_delete(struct sls_db *db, int64_t user_id)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_RESET_DELETE, "DELETE FROM password_resets WHERE user_id = ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_RESET_DELETE, st);
    return ret;
}
