/* The sls_db_ops of the SQLite store for one-time secrets: device challenges
 * waiting for their answer and sealed codes, one row per key. A wrong code
 * is counted by a compare-and-swap UPDATE on attempts; taking a secret is a
 * DELETE that must change one row, so two racing requests never both use
 * it. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

#define SECRET_COLS                                                                                \
    "key, user_id, device_id, kind, challenge, code, data, issued_by, issued_at, expires_at, "     \
    "attempts"

static int row_secret(sqlite3_stmt *st, void *out)
{
    struct sls_secret_rec *r = out;
    int64_t kind;

    memset(r, 0, sizeof *r);
    COLUMN_FIELD(st, 0, r->key);
    r->user_id = sqlite3_column_int64(st, 1);
    COLUMN_FIELD(st, 2, r->device_id);
    kind = sqlite3_column_int64(st, 3);
    if (kind < 0 || kind >= SLS_CHALLENGE__COUNT)
        return SLS_ERR_STORE;
    r->kind = (enum sls_challenge_kind)kind;
    COLUMN_FIELD(st, 4, r->challenge);
    if (sls_sqlite_column_blob(st, 5, r->code, sizeof r->code, &r->code_len) != SLS_OK)
        return SLS_ERR_STORE;
    COLUMN_FIELD(st, 6, r->data);
    COLUMN_FIELD(st, 7, r->issued_by);
    r->issued_at = sqlite3_column_int64(st, 8);
    r->expires_at = sqlite3_column_int64(st, 9);
    r->attempts = sqlite3_column_int(st, 10);
    return SLS_OK;
}

int sls_sqlite_secret_put(struct sls_db *db, const struct sls_secret_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (r->code_len > sizeof r->code || (int)r->kind < 0 || r->kind >= SLS_CHALLENGE__COUNT)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_SECRET_PUT,
                             "INSERT OR REPLACE INTO secrets(" SECRET_COLS
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    BIND_FIELD(st, 1, r->key);
    sqlite3_bind_int64(st, 2, r->user_id);
    BIND_FIELD(st, 3, r->device_id);
    sqlite3_bind_int(st, 4, (int)r->kind);
    BIND_FIELD(st, 5, r->challenge);
    sqlite3_bind_blob(st, 6, r->code, (int)r->code_len, SQLITE_STATIC);
    BIND_FIELD(st, 7, r->data);
    BIND_FIELD(st, 8, r->issued_by);
    sqlite3_bind_int64(st, 9, r->issued_at);
    sqlite3_bind_int64(st, 10, r->expires_at);
    sqlite3_bind_int(st, 11, r->attempts);
    ret = sls_sqlite_step_done(c, st);
out:
    sls_sqlite_stmt_put(c, SQ_SECRET_PUT, st);
    return ret;
}

int sls_sqlite_secret_get(struct sls_db *db, const char *key, struct sls_secret_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_SECRET_GET, "SELECT " SECRET_COLS " FROM secrets WHERE key = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_SECRET_GET, st, row_secret, out);
}

int sls_sqlite_secret_fail_cas(struct sls_db *db, const char *key, int expected_attempts)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SECRET_FAIL,
                                           "UPDATE secrets SET attempts = attempts + 1 "
                                           "WHERE key = ?1 AND attempts = ?2");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, expected_attempts);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_SECRET_FAIL, st);
    return ret;
}

int sls_sqlite_secret_take(struct sls_db *db, const char *key)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SECRET_TAKE, "DELETE FROM secrets WHERE key = ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_SECRET_TAKE, st);
    return ret;
}
