/* The sls_db_ops of the SQLite store for the mobile authenticator: the app's
 * public keys, push requests (read and written through their column table,
 * columns.c, and decided by one compare-and-swap UPDATE) and the
 * signed requests already seen (a replay is an INSERT that hits the primary
 * key). */
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

#define PK_BYTES 32

/* ---- ibkey keys ---- */

int sls_sqlite_ibkey_key_put(struct sls_db *db, const char *device_id, const uint8_t public_key[32],
                             int mode)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_IBKEY_KEY_PUT,
        "INSERT OR REPLACE INTO ibkey_keys(device_id, public_key, mode) VALUES(?1, ?2, ?3)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, public_key, PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, mode);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_IBKEY_KEY_PUT, st);
    return ret;
}

struct key_out {
    uint8_t *pk;
    int *mode;
};

static int row_key(sqlite3_stmt *st, void *out)
{
    struct key_out *k = out;
    size_t n = 0;

    if (sls_sqlite_column_blob(st, 0, k->pk, PK_BYTES, &n) != SLS_OK || n != PK_BYTES)
        return SLS_ERR_STORE;
    *k->mode = sqlite3_column_int(st, 1);
    return SLS_OK;
}

int sls_sqlite_ibkey_key_get(struct sls_db *db, const char *device_id, uint8_t public_key[32],
                             int *mode)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_IBKEY_KEY_GET, "SELECT public_key, mode FROM ibkey_keys WHERE device_id = ?1");
    struct key_out k = {public_key, mode};

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_IBKEY_KEY_GET, st, row_key, &k);
}

/* ---- pushes ---- */

int sls_sqlite_push_insert(struct sls_db *db, const struct sls_push_rec *p)
{
    struct sls_push_rec w = *p;

    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_PUSH_INSERT,
                                     &sls_columns_push, &w);
}

int sls_sqlite_push_get(struct sls_db *db, const char *id, struct sls_push_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_PUSH_GET, &sls_columns_push, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_PUSH_GET, &sls_columns_push, st, out);
}

int sls_sqlite_push_decide_cas(struct sls_db *db, const char *id, enum sls_push_state state,
                               enum sls_auth_mode auth_mode, bool wrong_number, sls_time at)
{
    struct sls_push_rec w;
    int ret;

    /* An id too long for the field names no stored push: nothing is decided. */
    memset(&w, 0, sizeof w);
    if (strlen(id) >= sizeof w.id)
        return SLS_ERR_CONFLICT;
    memcpy(w.id, id, strlen(id) + 1);
    w.state = state;
    w.auth_mode = auth_mode;
    w.wrong_number = wrong_number;
    w.decided_at = at;
    /* Only while pending: the WHERE sees the stored state, before the SET. */
    ret = sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_PUSH_DECIDE, SQ_PUSH_GET,
                                    &sls_columns_push, &w, SLS_PUSH_SET_DECISION, 0, "state = 0");
    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

int sls_sqlite_push_list_for_key(struct sls_db *db, const uint8_t public_key[32], sls_time now,
                                 struct sls_push_rec *out, size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    /* The devices holding the key (device_id is the key of ibkey_keys, so a
     * push is listed once, as with a join). */
    sqlite3_stmt *st = sls_sqlite_columns_stmt(
        c, SQ_PUSH_LIST_KEY, &sls_columns_push, SLS_SQLITE_SQL_SELECT,
        "device_id IN (SELECT device_id FROM ibkey_keys WHERE public_key = ?1) "
        "AND state = 0 AND expires_at >= ?2 ORDER BY created_at, id");
    int ret = SLS_OK;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_blob(st, 1, public_key, PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    ret = sls_sqlite_columns_list(c, st, &sls_columns_push, out, max, n);
    sls_sqlite_stmt_put(c, SQ_PUSH_LIST_KEY, st);
    return ret;
}

int sls_sqlite_push_count_since(struct sls_db *db, int64_t user_id, sls_time since, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_PUSH_COUNT, "SELECT COUNT(*) FROM pushes WHERE user_id = ?1 AND created_at >= ?2");
    int rc, ret = SLS_OK;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, since);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = (size_t)sqlite3_column_int64(st, 0);
    else
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, SQ_PUSH_COUNT, st);
    return ret;
}

/* ---- signed requests (replay) ---- */

int sls_sqlite_signed_request_mark(struct sls_db *db, const char *device_id, sls_time ts,
                                   const char *signature, sls_time prune_before)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_SIGNED_PRUNE, "DELETE FROM signed_requests WHERE ts < ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, prune_before);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_SIGNED_PRUNE, st);
    if (ret != SLS_OK)
        return ret;
    st = sls_sqlite_stmt_get(c, SQ_SIGNED_MARK,
                             "INSERT INTO signed_requests(device_id, ts, signature) "
                             "VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ts);
    sqlite3_bind_text(st, 3, signature, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_SIGNED_MARK, st);
    return ret;
}
