/* The sls_db_ops of the SQLite store for client tokens (SPEC §10.3 [lockout]
 * mode client): each token's own R8 counter is written by compare-and-swap
 * on its lock_version, never read then written. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

#define CLIENT_TOKEN_COLS "token_hash, id, user_id, created_at, expires_at, lockout, lock_version"

/* A counter that holds nothing (sls_lockout_encode of the clear state). */
#define CLEAR_LOCKOUT "0;"

static int row_client_token(sqlite3_stmt *st, void *out)
{
    struct sls_client_token_rec *t = out;

    memset(t, 0, sizeof *t);
    COLUMN_FIELD(st, 0, t->token_hash);
    COLUMN_FIELD(st, 1, t->id);
    t->user_id = sqlite3_column_int64(st, 2);
    t->created_at = sqlite3_column_int64(st, 3);
    t->expires_at = sqlite3_column_int64(st, 4);
    if (sls_lockout_decode((const char *)sqlite3_column_text(st, 5), &t->lockout) != 0)
        return SLS_ERR_STORE;
    t->lock_version = sqlite3_column_int64(st, 6);
    return SLS_OK;
}

int sls_sqlite_client_token_insert(struct sls_db *db, const struct sls_client_token_rec *t)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    char lockout[SLS_SQLITE_LOCKOUT_TEXT];
    sqlite3_stmt *st;
    int ret;

    if (sls_lockout_encode(&t->lockout, lockout, sizeof lockout) != 0)
        return SLS_ERR_STORE;
    st = sls_sqlite_stmt_get(c, SQ_CLIENT_TOKEN_PRUNE,
                             "DELETE FROM client_tokens WHERE user_id = ?1 AND expires_at <= ?2");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, t->user_id);
    sqlite3_bind_int64(st, 2, t->created_at);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_CLIENT_TOKEN_PRUNE, st);
    if (ret != SLS_OK)
        return ret;
    st = sls_sqlite_stmt_get(c, SQ_CLIENT_TOKEN_INSERT,
                             "INSERT INTO client_tokens(" CLIENT_TOKEN_COLS
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, t->token_hash);
    BIND_FIELD(st, 2, t->id);
    sqlite3_bind_int64(st, 3, t->user_id);
    sqlite3_bind_int64(st, 4, t->created_at);
    sqlite3_bind_int64(st, 5, t->expires_at);
    sqlite3_bind_text(st, 6, lockout, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, t->lock_version);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_CLIENT_TOKEN_INSERT, st);
    return ret;
}

int sls_sqlite_client_token_get(struct sls_db *db, const char *token_hash,
                                struct sls_client_token_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_CLIENT_TOKEN_GET,
                                           "SELECT " CLIENT_TOKEN_COLS
                                           " FROM client_tokens WHERE token_hash = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_CLIENT_TOKEN_GET, st, row_client_token, out);
}

int sls_sqlite_client_token_lockout_cas(struct sls_db *db, const char *token_hash,
                                        int64_t expected_version,
                                        const struct sls_lockout_state *next)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    char lockout[SLS_SQLITE_LOCKOUT_TEXT];
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (sls_lockout_encode(next, lockout, sizeof lockout) != 0)
        goto out;
    st = sls_sqlite_stmt_get(
        c, SQ_CLIENT_TOKEN_CAS,
        "UPDATE client_tokens SET lockout = ?1, lock_version = lock_version + 1 "
        "WHERE token_hash = ?2 AND lock_version = ?3");
    if (!st)
        goto out;
    sqlite3_bind_text(st, 1, lockout, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, expected_version);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
out:
    sls_sqlite_stmt_put(c, SQ_CLIENT_TOKEN_CAS, st);
    return ret;
}

int sls_sqlite_client_token_delete(struct sls_db *db, const char *token_hash)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_CLIENT_TOKEN_DELETE,
                                           "DELETE FROM client_tokens WHERE token_hash = ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_CLIENT_TOKEN_DELETE, st);
    return ret;
}

int sls_sqlite_client_token_list_counted(struct sls_db *db, int64_t user_id, sls_time now,
                                         struct sls_client_token_rec *out, size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_stmt_get(
        c, SQ_CLIENT_TOKEN_LIST,
        "SELECT " CLIENT_TOKEN_COLS " FROM client_tokens "
        "WHERE user_id = ?1 AND expires_at > ?2 AND lockout NOT IN ('', '" CLEAR_LOCKOUT
        "') ORDER BY created_at DESC, id LIMIT ?3");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, sls_sqlite_limit(max));
    ret = sls_sqlite_get_rows(c, st, row_client_token, out, sizeof *out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_CLIENT_TOKEN_LIST, st);
    return ret;
}

int sls_sqlite_client_token_unlock_user(struct sls_db *db, int64_t user_id, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_CLIENT_TOKEN_UNLOCK,
        "UPDATE client_tokens SET lockout = '" CLEAR_LOCKOUT "', lock_version = lock_version + 1 "
        "WHERE user_id = ?1 AND lockout NOT IN ('', '" CLEAR_LOCKOUT "')");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_CLIENT_TOKEN_UNLOCK, st);
    return ret;
}
