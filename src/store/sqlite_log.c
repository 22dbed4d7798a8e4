/* The sls_db_ops of the SQLite store for the tables that only grow or hold
 * small values: the hash-chained audit log (R41), identity verifications by
 * the service desk (R40), and meta. */
#include <string.h>

#include "../core/error.h"
#include "../crypto/hash.h"
#include "sqlite_records.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- audit ---- */

#define AUDIT_COLS "seq, at, actor, username, event, outcome, detail, prev_hash, hash"

/* Seq and hash of the newest record: (0, 64 '0') when the log is empty. */
static int audit_last(struct sls_sqlite_conn *c, int64_t *seq, char hash[65])
{
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_AUDIT_LAST,
                                           "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    int ret = SLS_OK;
    int rc;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        sls_sqlite_column_field(st, 1, hash, 65);
        if (strlen(hash) != 64)
            ret = SLS_ERR_STORE;
    } else if (rc == SQLITE_DONE) {
        *seq = 0;
        memcpy(hash, ZERO_HASH, 65);
    } else {
        ret = sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, SQ_AUDIT_LAST, st);
    return ret;
}

/* Cuts every text field of r to its size so the canonical text and the row
 * agree whatever the caller left in them. */
static void terminate_fields(struct sls_audit_rec *r)
{
    r->actor[sizeof r->actor - 1] = '\0';
    r->username[sizeof r->username - 1] = '\0';
    r->event[sizeof r->event - 1] = '\0';
    r->outcome[sizeof r->outcome - 1] = '\0';
    r->detail[sizeof r->detail - 1] = '\0';
}

int sls_sqlite_audit_append(struct sls_db *db, struct sls_audit_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    char buf[SLS_AUDIT_HASH_INPUT_MAX]; /* prev_hash hex, then the canonical text */
    sqlite3_stmt *st = NULL;
    int64_t last = 0;
    int ret, len;

    terminate_fields(r);
    if (c->audit_tail_known) {
        last = c->audit_tail_seq;
        memcpy(r->prev_hash, c->audit_tail_hash, sizeof c->audit_tail_hash);
    } else {
        ret = audit_last(c, &last, r->prev_hash);
        if (ret != SLS_OK)
            goto out;
    }
    c->audit_tail_known = false; /* until this append is in */
    r->seq = last + 1;
    len = sls_audit_hash_input(r, buf, sizeof buf);
    if (len < 0) {
        ret = SLS_ERR_STORE;
        goto out;
    }
    sls_sha256_hex(buf, (size_t)len, r->hash);
    st = sls_sqlite_stmt_get(c, SQ_AUDIT_INSERT,
                             "INSERT INTO audit(" AUDIT_COLS
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, r->seq);
    sqlite3_bind_int64(st, 2, r->at);
    BIND_FIELD(st, 3, r->actor);
    BIND_FIELD(st, 4, r->username);
    BIND_FIELD(st, 5, r->event);
    BIND_FIELD(st, 6, r->outcome);
    BIND_FIELD(st, 7, r->detail);
    BIND_FIELD(st, 8, r->prev_hash);
    BIND_FIELD(st, 9, r->hash);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK) {
        c->audit_tail_seq = r->seq;
        memcpy(c->audit_tail_hash, r->hash, sizeof c->audit_tail_hash);
        c->audit_tail_known = true;
    }
out:
    sls_sqlite_stmt_put(c, SQ_AUDIT_INSERT, st);
    return ret;
}

static void row_audit(sqlite3_stmt *st, struct sls_audit_rec *r)
{
    memset(r, 0, sizeof *r);
    r->seq = sqlite3_column_int64(st, 0);
    r->at = sqlite3_column_int64(st, 1);
    COLUMN_FIELD(st, 2, r->actor);
    COLUMN_FIELD(st, 3, r->username);
    COLUMN_FIELD(st, 4, r->event);
    COLUMN_FIELD(st, 5, r->outcome);
    COLUMN_FIELD(st, 6, r->detail);
    COLUMN_FIELD(st, 7, r->prev_hash);
    COLUMN_FIELD(st, 8, r->hash);
}

int sls_sqlite_audit_scan(struct sls_db *db, int64_t after_seq, const char *username,
                          sls_time since, size_t limit,
                          int (*cb)(const struct sls_audit_rec *r, void *arg), void *arg)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    enum sls_sqlite_slot slot = username ? SQ_AUDIT_SCAN_USER : SQ_AUDIT_SCAN_ALL;
    struct sls_audit_rec r;
    sqlite3_stmt *st;
    int ret = SLS_OK;
    int rc;

    if (username)
        st = sls_sqlite_stmt_get(c, slot,
                                 "SELECT " AUDIT_COLS " FROM audit WHERE username = ?4 AND "
                                 "seq > ?1 AND at >= ?2 ORDER BY seq LIMIT ?3");
    else
        st = sls_sqlite_stmt_get(c, slot,
                                 "SELECT " AUDIT_COLS " FROM audit WHERE seq > ?1 AND at >= ?2 "
                                 "ORDER BY seq LIMIT ?3");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, after_seq);
    sqlite3_bind_int64(st, 2, since ? since : INT64_MIN);
    sqlite3_bind_int64(st, 3, limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit);
    if (username)
        sqlite3_bind_text(st, 4, username, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_audit(st, &r);
        ret = cb(&r, arg);
        if (ret != 0)
            break;
    }
    if (ret == SLS_OK && rc != SQLITE_DONE)
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

/* ---- identity verifications ---- */

int sls_sqlite_identity_insert(struct sls_db *db, const char *agent, int64_t user_id,
                               const char *channel, sls_time at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_IDENTITY_INSERT,
        "INSERT INTO identity_verifications(agent, user_id, channel, at) VALUES(?1, ?2, ?3, ?4)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, at);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_IDENTITY_INSERT, st);
    return ret;
}

int sls_sqlite_identity_latest(struct sls_db *db, const char *agent, int64_t user_id, sls_time *at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_IDENTITY_LATEST,
                                           "SELECT at FROM identity_verifications "
                                           "WHERE agent = ?1 AND user_id = ?2 "
                                           "ORDER BY at DESC LIMIT 1");
    int ret, rc;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, agent, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *at = sqlite3_column_int64(st, 0);
        ret = SLS_OK;
    } else if (rc == SQLITE_DONE) {
        ret = SLS_ERR_NOT_FOUND;
    } else {
        ret = sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, SQ_IDENTITY_LATEST, st);
    return ret;
}

/* ---- meta ---- */

int sls_sqlite_meta_get(struct sls_db *db, const char *key, char *out, size_t outlen)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_META_GET, "SELECT value FROM meta WHERE key = ?1");
    int ret, rc;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (outlen > 0)
            sls_sqlite_column_field(st, 0, out, outlen);
        ret = SLS_OK;
    } else if (rc == SQLITE_DONE) {
        ret = SLS_ERR_NOT_FOUND;
    } else {
        ret = sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, SQ_META_GET, st);
    return ret;
}

int sls_sqlite_meta_set(struct sls_db *db, const char *key, const char *value)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_META_SET,
                                           "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_META_SET, st);
    return ret;
}
