/* The sls_db_ops of the SQLite store for client tokens (SPEC §10.3 [lockout]
 * mode client): the record read and written through its column table
 * (columns.c), and each token's own R8 counter written by compare-and-swap
 * on its lock_version, never read then written. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

/* A counter that holds nothing (sls_lockout_encode of the clear state). */
#define CLEAR_LOCKOUT "0;"

int sls_sqlite_client_token_insert(struct sls_db *db, const struct sls_client_token_rec *t)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    struct sls_client_token_rec w = *t;
    sqlite3_stmt *st;
    int ret;

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
    return sls_sqlite_columns_insert(c, SQ_CLIENT_TOKEN_INSERT, &sls_columns_client_token, &w);
}

int sls_sqlite_client_token_get(struct sls_db *db, const char *token_hash,
                                struct sls_client_token_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_columns_stmt(c, SQ_CLIENT_TOKEN_GET, &sls_columns_client_token,
                                               SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_CLIENT_TOKEN_GET, &sls_columns_client_token, st, out);
}

int sls_sqlite_client_token_lockout_cas(struct sls_db *db, const char *token_hash,
                                        int64_t expected_version,
                                        const struct sls_lockout_state *next)
{
    struct sls_client_token_rec w;
    int ret;

    /* A hash too long for the field names no stored token: as a version that
     * differs, nothing is written. */
    memset(&w, 0, sizeof w);
    if (strlen(token_hash) >= sizeof w.token_hash)
        return SLS_ERR_CONFLICT;
    memcpy(w.token_hash, token_hash, strlen(token_hash) + 1);
    w.lockout = *next;
    ret = sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_CLIENT_TOKEN_CAS,
                                    SQ_CLIENT_TOKEN_GET, &sls_columns_client_token, &w,
                                    SLS_CLIENT_TOKEN_SET_LOCKOUT, expected_version, NULL);
    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
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
    st = sls_sqlite_columns_stmt(
        c, SQ_CLIENT_TOKEN_LIST, &sls_columns_client_token, SLS_SQLITE_SQL_SELECT,
        "user_id = ?1 AND expires_at > ?2 AND lockout NOT IN ('', '" CLEAR_LOCKOUT
        "') ORDER BY created_at DESC, id LIMIT ?3");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_client_token, out, max, n);
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
