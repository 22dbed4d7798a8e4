/* The sls_db_ops of the SQLite store for the mobile authenticator: the app's
 * public keys, push requests (decided by one compare-and-swap UPDATE) and the
 * signed requests already seen (a replay is an INSERT that hits the primary
 * key). */
#include <string.h>

#include "../core/error.h"
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

#define PUSH_COLS                                                                                  \
    "p.id, p.purpose, p.subject, p.user_id, p.device_id, p.platform, p.challenge, p.state, "       \
    "p.auth_mode, p.created_at, p.expires_at, p.decided_at, p.number, p.wrong_number"

static int row_push(sqlite3_stmt *st, void *out)
{
    struct sls_push_rec *p = out;
    int64_t purpose, platform, state, mode;

    memset(p, 0, sizeof *p);
    COLUMN_FIELD(st, 0, p->id);
    purpose = sqlite3_column_int64(st, 1);
    COLUMN_FIELD(st, 2, p->subject);
    p->user_id = sqlite3_column_int64(st, 3);
    COLUMN_FIELD(st, 4, p->device_id);
    platform = sqlite3_column_int64(st, 5);
    COLUMN_FIELD(st, 6, p->challenge);
    state = sqlite3_column_int64(st, 7);
    mode = sqlite3_column_int64(st, 8);
    if (purpose < 0 || purpose >= SLS_PUSH_PURPOSE__COUNT || platform < 0 ||
        platform > SLS_PLATFORM_TRADING || state < 0 || state >= SLS_PUSH__COUNT || mode < 0 ||
        mode > SLS_AUTH_BIOMETRIC)
        return SLS_ERR_STORE;
    p->purpose = (enum sls_push_purpose)purpose;
    p->platform = (enum sls_platform)platform;
    p->state = (enum sls_push_state)state;
    p->auth_mode = (enum sls_auth_mode)mode;
    p->created_at = sqlite3_column_int64(st, 9);
    p->expires_at = sqlite3_column_int64(st, 10);
    p->decided_at = sqlite3_column_int64(st, 11);
    p->number = sqlite3_column_int(st, 12);
    p->wrong_number = sqlite3_column_int(st, 13) != 0;
    return SLS_OK;
}

int sls_sqlite_push_insert(struct sls_db *db, const struct sls_push_rec *p)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_PUSH_INSERT,
        "INSERT INTO pushes(id, purpose, subject, user_id, device_id, platform, challenge, state, "
        "auth_mode, created_at, expires_at, decided_at, number, wrong_number) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, p->id);
    sqlite3_bind_int(st, 2, (int)p->purpose);
    BIND_FIELD(st, 3, p->subject);
    sqlite3_bind_int64(st, 4, p->user_id);
    BIND_FIELD(st, 5, p->device_id);
    sqlite3_bind_int(st, 6, (int)p->platform);
    BIND_FIELD(st, 7, p->challenge);
    sqlite3_bind_int(st, 8, (int)p->state);
    sqlite3_bind_int(st, 9, (int)p->auth_mode);
    sqlite3_bind_int64(st, 10, p->created_at);
    sqlite3_bind_int64(st, 11, p->expires_at);
    sqlite3_bind_int64(st, 12, p->decided_at);
    sqlite3_bind_int(st, 13, p->number);
    sqlite3_bind_int(st, 14, p->wrong_number ? 1 : 0);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_PUSH_INSERT, st);
    return ret;
}

int sls_sqlite_push_get(struct sls_db *db, const char *id, struct sls_push_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_PUSH_GET, "SELECT " PUSH_COLS " FROM pushes p WHERE p.id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_PUSH_GET, st, row_push, out);
}

int sls_sqlite_push_decide_cas(struct sls_db *db, const char *id, enum sls_push_state state,
                               enum sls_auth_mode auth_mode, bool wrong_number, sls_time at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_PUSH_DECIDE,
                                           "UPDATE pushes SET state = ?2, auth_mode = ?3, "
                                           "wrong_number = ?5, decided_at = ?4 "
                                           "WHERE id = ?1 AND state = 0");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)state);
    sqlite3_bind_int(st, 3, (int)auth_mode);
    sqlite3_bind_int64(st, 4, at);
    sqlite3_bind_int(st, 5, wrong_number ? 1 : 0);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_PUSH_DECIDE, st);
    return ret;
}

int sls_sqlite_push_list_for_key(struct sls_db *db, const uint8_t public_key[32], sls_time now,
                                 struct sls_push_rec *out, size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_PUSH_LIST_KEY,
        "SELECT " PUSH_COLS " FROM pushes p JOIN ibkey_keys k ON k.device_id = p.device_id "
        "WHERE k.public_key = ?1 AND p.state = 0 AND p.expires_at >= ?2 "
        "ORDER BY p.created_at, p.id");
    int ret = SLS_OK;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_blob(st, 1, public_key, PK_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    ret = sls_sqlite_get_rows(c, st, row_push, out, sizeof *out, max, n);
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
