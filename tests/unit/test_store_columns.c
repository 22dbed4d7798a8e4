/* Tests of the column tables (src/store/columns.c) and their SQLite side
 * (src/store/sqlite_columns.c, and the SQL text of src/store/pg_columns.c): a record with a column
 * of every type goes in and comes back whole; a text too long for its field, a blob too long, an
 * enum out of range and a lockout that does not decode are refused both ways,
 * never cut; an update writes the groups named and nothing else, compares and
 * bumps the version, and writes a once-column only while it is 0; the tables
 * of the store's records agree with their structs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "temp_store.h"
#include "core/error.h"
#include "store/columns.h"
#include "store/pg_columns.h"
#include "store/sqlite_columns.h"
#include "store/sqlite_store.h"

enum color { RED, GREEN, BLUE, COLOR__COUNT };

struct rec {
    int64_t id;
    char name[8];
    int small;
    bool flag;
    enum color color;
    sls_time at;
    uint8_t blob[16];
    size_t blob_len;
    struct sls_lockout_state lockout;
    int64_t ref;
    int64_t version;
    sls_time first;
};

#define G_NAME  1u
#define G_FLAGS 2u
#define G_DATA  4u
#define G_LOCK  8u
#define G_FIRST 16u

#define R struct rec
static const struct sls_column cols[] = {
    SLS_COL(R, id, "id", SLS_COL_INT64, SLS_COL_KEY | SLS_COL_GENERATED, 0),
    SLS_COL(R, name, "name", SLS_COL_TEXT, 0, G_NAME),
    SLS_COL(R, small, "small", SLS_COL_INT, 0, G_NAME),
    SLS_COL(R, flag, "flag", SLS_COL_BOOL, 0, G_FLAGS),
    SLS_COL_ENUM_OF(R, color, "color", COLOR__COUNT, 0, G_FLAGS),
    SLS_COL(R, at, "at", SLS_COL_TIME, 0, G_DATA),
    SLS_COL_BLOB_OF(R, blob, blob_len, "blob", 0, G_DATA),
    SLS_COL(R, lockout, "lockout", SLS_COL_LOCKOUT, 0, G_LOCK),
    SLS_COL(R, ref, "ref", SLS_COL_INT64, SLS_COL_ZERO_NULL, 0),
    SLS_COL(R, version, "version", SLS_COL_INT64, SLS_COL_VERSION, 0),
    SLS_COL(R, first, "first", SLS_COL_TIME, SLS_COL_ONCE, G_FIRST),
};
#undef R
static const struct sls_columns table = {"things", sizeof(struct rec), cols,
                                         sizeof cols / sizeof cols[0]};

/* The same table for the SQLite tests' statements: its slots are borrowed
 * from the store's list (they are only names for the cache here). */
#define S_INSERT SQ_USER_INSERT
#define S_GET    SQ_USER_BY_ID
#define S_UPDATE SQ_USER_UPDATE

struct fixture {
    struct temp_store t;
    struct sls_sqlite_conn *c;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    if (temp_store_make(&f->t, "columns", "c.db") != 0) {
        free(f);
        return -1;
    }
    if (sls_sqlite_conn_open(f->t.path, false, 0, &f->c, NULL, 0) != SLS_OK)
        return -1;
    if (sqlite3_exec(f->c->h,
                     "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "small INTEGER NOT NULL, flag INTEGER NOT NULL, color INTEGER NOT NULL, "
                     "at INTEGER NOT NULL, blob BLOB NOT NULL, lockout TEXT NOT NULL, ref INTEGER, "
                     "version INTEGER NOT NULL, first INTEGER NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    sls_sqlite_conn_close(f->c);
    temp_store_remove(&f->t);
    free(f);
    return 0;
}

static void make(struct rec *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "seven!!"); /* 7 bytes: the most that fits */
    r->small = -123456;
    r->flag = true;
    r->color = BLUE;
    r->at = 1700000000123;
    r->blob_len = sizeof r->blob;
    for (size_t i = 0; i < sizeof r->blob; i++)
        r->blob[i] = (uint8_t)(i * 17); /* includes 0x00 */
    r->lockout.nfail = 2;
    r->lockout.fail_at[0] = 1700000001;
    r->lockout.fail_at[1] = 1700000002;
    r->lockout.locked_until = 1700086402;
    r->ref = 0;
    r->version = 4;
    r->first = 0;
}

static void assert_rec_equal(const struct rec *a, const struct rec *b)
{
    assert_int_equal(a->id, b->id);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->small, b->small);
    assert_int_equal(a->flag, b->flag);
    assert_int_equal(a->color, b->color);
    assert_int_equal(a->at, b->at);
    assert_int_equal(a->blob_len, b->blob_len);
    assert_memory_equal(a->blob, b->blob, a->blob_len);
    assert_int_equal(a->lockout.nfail, b->lockout.nfail);
    for (int i = 0; i < a->lockout.nfail; i++)
        assert_int_equal(a->lockout.fail_at[i], b->lockout.fail_at[i]);
    assert_int_equal(a->lockout.locked_until, b->lockout.locked_until);
    assert_int_equal(a->ref, b->ref);
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->first, b->first);
}

static int get(struct fixture *f, int64_t id, struct rec *out)
{
    sqlite3_stmt *st = sls_sqlite_columns_stmt(f->c, S_GET, &table, SLS_SQLITE_SQL_GET, NULL);

    assert_non_null(st);
    sqlite3_bind_int64(st, 1, id);
    return sls_sqlite_columns_get(f->c, S_GET, &table, st, out);
}

static int insert(struct fixture *f, struct rec *r)
{
    return sls_sqlite_columns_insert(f->c, S_INSERT, &table, r);
}

static int update(struct fixture *f, const struct rec *r, unsigned groups, int64_t expected)
{
    return sls_sqlite_columns_update(f->c, S_UPDATE, S_GET, &table, r, groups, expected, NULL);
}

static void raw(struct fixture *f, const char *sql)
{
    assert_int_equal(sqlite3_exec(f->c->h, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* ---- the tables ---- */

static void test_tables_match_their_structs(void **state)
{
    (void)state;
    assert_int_equal(sls_columns_check(&table), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_user), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_device), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_login), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_session), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_client_token), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_push), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_dsc_order), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_sharing), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_review), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_bank), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_secret), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_outbox), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_withdrawal), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_deposit), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_document), SLS_OK);
    assert_int_equal(sls_columns_check(&sls_columns_document_rejection), SLS_OK);
}

static void test_check_refuses_bad_tables(void **state)
{
    struct sls_column bad[sizeof cols / sizeof cols[0]];
    struct sls_columns t = table;

    (void)state;
    t.cols = bad;
    /* An int field described as int64. */
    memcpy(bad, cols, sizeof cols);
    bad[2].type = SLS_COL_INT64;
    assert_int_equal(sls_columns_check(&t), SLS_ERR_STORE);
    /* Two keys. */
    memcpy(bad, cols, sizeof cols);
    bad[1].flags |= SLS_COL_KEY;
    assert_int_equal(sls_columns_check(&t), SLS_ERR_STORE);
    /* No key. */
    memcpy(bad, cols, sizeof cols);
    bad[0].flags &= ~(unsigned)SLS_COL_KEY;
    assert_int_equal(sls_columns_check(&t), SLS_ERR_STORE);
    /* An enum without its count. */
    memcpy(bad, cols, sizeof cols);
    bad[4].count = 0;
    assert_int_equal(sls_columns_check(&t), SLS_ERR_STORE);
    /* A field past the end of the record. */
    memcpy(bad, cols, sizeof cols);
    bad[1].offset = sizeof(struct rec);
    assert_int_equal(sls_columns_check(&t), SLS_ERR_STORE);
    /* A version some update would write. */
    memcpy(bad, cols, sizeof cols);
    bad[9].group = G_NAME;
    assert_int_equal(sls_columns_check(&t), SLS_ERR_STORE);
}

static void test_sql_text(void **state)
{
    char sql[2048];

    (void)state;
    assert_int_equal(sls_sqlite_columns_sql(&table, SLS_SQLITE_SQL_INSERT, NULL, sql, sizeof sql),
                     SLS_OK);
    assert_string_equal(sql, "INSERT INTO things(name, small, flag, color, at, blob, lockout, ref, "
                             "version, first) VALUES(?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    assert_int_equal(sls_sqlite_columns_sql(&table, SLS_SQLITE_SQL_PUT, NULL, sql, sizeof sql),
                     SLS_OK);
    assert_string_equal(sql, "INSERT OR REPLACE INTO things(name, small, flag, color, at, blob, "
                             "lockout, ref, version, first) VALUES(?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                             "?10, ?11, ?12)");
    assert_int_equal(sls_sqlite_columns_sql(&table, SLS_SQLITE_SQL_GET, NULL, sql, sizeof sql),
                     SLS_OK);
    assert_string_equal(sql, "SELECT id, name, small, flag, color, at, blob, lockout, ref, "
                             "version, first FROM things WHERE id = ?1");
    assert_int_equal(
        sls_sqlite_columns_sql(&table, SLS_SQLITE_SQL_UPDATE, "flag = 1", sql, sizeof sql), SLS_OK);
    assert_string_equal(sql, "UPDATE things SET name = CASE WHEN (?1 & 1) <> 0 THEN ?3 ELSE name "
                             "END, small = CASE WHEN (?1 & 1) <> 0 THEN ?4 ELSE small END, "
                             "flag = CASE WHEN (?1 & 2) <> 0 THEN ?5 ELSE flag END, "
                             "color = CASE WHEN (?1 & 2) <> 0 THEN ?6 ELSE color END, "
                             "at = CASE WHEN (?1 & 4) <> 0 THEN ?7 ELSE at END, "
                             "blob = CASE WHEN (?1 & 4) <> 0 THEN ?8 ELSE blob END, "
                             "lockout = CASE WHEN (?1 & 8) <> 0 THEN ?9 ELSE lockout END, "
                             "first = CASE WHEN (?1 & 16) <> 0 AND first = 0 THEN ?12 ELSE first "
                             "END, version = version + 1 WHERE id = ?2 AND version = ?13 "
                             "AND (flag = 1)");
    /* SELECT needs its condition; a buffer too small is an error, not a cut. */
    assert_int_equal(sls_sqlite_columns_sql(&table, SLS_SQLITE_SQL_SELECT, NULL, sql, sizeof sql),
                     SLS_ERR_STORE);
    assert_int_equal(sls_sqlite_columns_sql(&table, SLS_SQLITE_SQL_GET, NULL, sql, 40),
                     SLS_ERR_STORE);
}

/* The PostgreSQL text of the same table: the same columns and parameter
 * numbers with $ marks; an insert ignores a taken key and answers the id, a
 * put replaces the row of its key. */
static void test_sql_text_pg(void **state)
{
    char sql[2048];

    (void)state;
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_INSERT, NULL, sql, sizeof sql), SLS_OK);
    assert_string_equal(sql, "INSERT INTO things(name, small, flag, color, at, blob, lockout, ref, "
                             "version, first) VALUES($3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                             "ON CONFLICT DO NOTHING RETURNING id");
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_PUT, NULL, sql, sizeof sql), SLS_OK);
    assert_string_equal(sql,
                        "INSERT INTO things(name, small, flag, color, at, blob, lockout, ref, "
                        "version, first) VALUES($3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                        "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
                        "small = EXCLUDED.small, flag = EXCLUDED.flag, color = EXCLUDED.color, "
                        "at = EXCLUDED.at, blob = EXCLUDED.blob, lockout = EXCLUDED.lockout, "
                        "ref = EXCLUDED.ref, version = EXCLUDED.version, "
                        "first = EXCLUDED.first RETURNING id");
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_GET, NULL, sql, sizeof sql), SLS_OK);
    assert_string_equal(sql, "SELECT id, name, small, flag, color, at, blob, lockout, ref, "
                             "version, first FROM things WHERE id = $1");
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_SELECT, "ref = $101", sql, sizeof sql),
                     SLS_OK);
    assert_string_equal(sql, "SELECT id, name, small, flag, color, at, blob, lockout, ref, "
                             "version, first FROM things WHERE ref = $101");
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_UPDATE, "flag = 1", sql, sizeof sql),
                     SLS_OK);
    assert_string_equal(sql, "UPDATE things SET name = CASE WHEN ($1 & 1) <> 0 THEN $3 ELSE name "
                             "END, small = CASE WHEN ($1 & 1) <> 0 THEN $4 ELSE small END, "
                             "flag = CASE WHEN ($1 & 2) <> 0 THEN $5 ELSE flag END, "
                             "color = CASE WHEN ($1 & 2) <> 0 THEN $6 ELSE color END, "
                             "at = CASE WHEN ($1 & 4) <> 0 THEN $7 ELSE at END, "
                             "blob = CASE WHEN ($1 & 4) <> 0 THEN $8 ELSE blob END, "
                             "lockout = CASE WHEN ($1 & 8) <> 0 THEN $9 ELSE lockout END, "
                             "first = CASE WHEN ($1 & 16) <> 0 AND first = 0 THEN $12 ELSE first "
                             "END, version = version + 1 WHERE id = $2 AND version = $13 "
                             "AND (flag = 1)");
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_SELECT, NULL, sql, sizeof sql),
                     SLS_ERR_STORE);
    assert_int_equal(sls_pg_columns_sql(&table, SLS_PG_SQL_PUT, NULL, sql, 120), SLS_ERR_STORE);
}

/* ---- round trip ---- */

static void test_round_trip_every_type(void **state)
{
    struct fixture *f = *state;
    struct rec r, got;
    sqlite3_stmt *st;

    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    assert_true(r.id > 0);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&r, &got);

    /* The other values: empty text, false, the first enum value, an empty
     * blob, the clear lockout, a reference, extreme integers. */
    memset(&r, 0, sizeof r);
    r.small = INT32_MAX;
    r.at = INT64_MIN;
    r.ref = 77;
    r.version = INT64_MAX;
    r.first = -1;
    assert_int_equal(insert(f, &r), SLS_OK);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&r, &got);

    /* 0 in a ZERO_NULL column is stored as NULL, and reads back as 0. */
    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    {
        char sql[96];
        sqlite3_stmt *q;

        snprintf(sql, sizeof sql, "SELECT ref IS NULL FROM things WHERE id = %lld",
                 (long long)r.id);
        assert_int_equal(sqlite3_prepare_v2(f->c->h, sql, -1, &q, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 1);
        sqlite3_finalize(q);
    }

    assert_int_equal(get(f, 999999, &got), SLS_ERR_NOT_FOUND);

    /* A list reads rows into an array. */
    st = sls_sqlite_columns_stmt(f->c, SQ_DEVICE_LIST, &table, SLS_SQLITE_SQL_SELECT,
                                 "flag = ?1 ORDER BY id");
    assert_non_null(st);
    {
        struct rec list[4];
        size_t n = 0;

        sqlite3_bind_int(st, 1, 1);
        assert_int_equal(sls_sqlite_columns_list(f->c, st, &table, list, 4, &n), SLS_OK);
        assert_int_equal(n, 2);
        assert_string_equal(list[1].name, "seven!!");
        assert_int_equal(list[1].id, r.id);
        sls_sqlite_stmt_put(f->c, SQ_DEVICE_LIST, st);
    }
}

/* ---- bounds, both ways ---- */

static void test_too_long_text_refused(void **state)
{
    struct fixture *f = *state;
    struct rec r, got;
    char sql[128];

    /* On the way in: a field without its NUL. */
    make(&r);
    memset(r.name, 'x', sizeof r.name);
    assert_int_equal(insert(f, &r), SLS_ERR_STORE);
    raw(f, "SELECT 1"); /* the connection is still usable */

    /* On the way out: a stored text one byte too long is an error, not cut. */
    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    snprintf(sql, sizeof sql, "UPDATE things SET name = 'eight!!!' WHERE id = %lld",
             (long long)r.id);
    raw(f, sql);
    memset(&got, 0x55, sizeof got);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
    /* Exactly the most that fits reads back. */
    snprintf(sql, sizeof sql, "UPDATE things SET name = 'seven!!' WHERE id = %lld",
             (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_string_equal(got.name, "seven!!");
    /* A NUL inside the stored text would cut it: refused too. */
    snprintf(sql, sizeof sql, "UPDATE things SET name = CAST(x'610062' AS TEXT) WHERE id = %lld",
             (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
}

static void test_enum_out_of_range_refused(void **state)
{
    struct fixture *f = *state;
    struct rec r, got;
    char sql[128];

    make(&r);
    r.color = COLOR__COUNT;
    assert_int_equal(insert(f, &r), SLS_ERR_STORE);
    r.color = (enum color) - 1;
    assert_int_equal(insert(f, &r), SLS_ERR_STORE);

    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    snprintf(sql, sizeof sql, "UPDATE things SET color = 3 WHERE id = %lld", (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
    snprintf(sql, sizeof sql, "UPDATE things SET color = -1 WHERE id = %lld", (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
    snprintf(sql, sizeof sql, "UPDATE things SET color = 2 WHERE id = %lld", (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_int_equal(got.color, BLUE);
    /* An int column out of the range of int. */
    snprintf(sql, sizeof sql, "UPDATE things SET small = 4294967296 WHERE id = %lld",
             (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
}

static void test_blob_and_lockout_bounds(void **state)
{
    struct fixture *f = *state;
    struct rec r, got;
    char sql[128];

    make(&r);
    r.blob_len = sizeof r.blob + 1;
    assert_int_equal(insert(f, &r), SLS_ERR_STORE);

    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    snprintf(sql, sizeof sql, "UPDATE things SET blob = zeroblob(17) WHERE id = %lld",
             (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
    snprintf(sql, sizeof sql,
             "UPDATE things SET blob = zeroblob(16), lockout = 'garbage' "
             "WHERE id = %lld",
             (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_ERR_STORE);
    snprintf(sql, sizeof sql, "UPDATE things SET lockout = '' WHERE id = %lld", (long long)r.id);
    raw(f, sql);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_int_equal(got.lockout.nfail, 0);
    assert_int_equal(got.blob_len, 16);
}

/* ---- updates ---- */

static void test_update_writes_named_groups_only(void **state)
{
    struct fixture *f = *state;
    struct rec r, w, got, want;

    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    want = r;

    /* A record where every field differs; each group in turn. */
    memset(&w, 0, sizeof w);
    w.id = r.id;
    snprintf(w.name, sizeof w.name, "other");
    w.small = 9;
    w.flag = false;
    w.color = GREEN;
    w.at = 5;
    w.blob_len = 3;
    w.lockout.nfail = 1;
    w.lockout.fail_at[0] = 11;
    w.ref = 999;    /* no group: never written */
    w.version = 77; /* not read: the expected version is the argument */
    w.first = 1234;

    assert_int_equal(update(f, &w, G_NAME, 4), SLS_OK);
    snprintf(want.name, sizeof want.name, "other");
    want.small = 9;
    want.version = 5;
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&want, &got);

    assert_int_equal(update(f, &w, G_FLAGS | G_LOCK, 5), SLS_OK);
    want.flag = false;
    want.color = GREEN;
    want.lockout = w.lockout;
    want.version = 6;
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&want, &got);

    /* A stale version changes nothing. */
    assert_int_equal(update(f, &w, G_DATA, 5), SLS_ERR_CONFLICT);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&want, &got);

    /* No group named: only the version moves. */
    assert_int_equal(update(f, &w, 0, 6), SLS_OK);
    want.version = 7;
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&want, &got);

    /* A once-column is written while 0, then kept. */
    assert_int_equal(update(f, &w, G_FIRST, 7), SLS_OK);
    w.first = 5678;
    assert_int_equal(update(f, &w, G_FIRST, 8), SLS_OK);
    want.first = 1234;
    want.version = 9;
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&want, &got);

    /* An unknown key is not found, whatever the version. */
    w.id = r.id + 1000;
    assert_int_equal(update(f, &w, G_NAME, 9), SLS_ERR_NOT_FOUND);
    assert_int_equal(update(f, &w, G_NAME, 0), SLS_ERR_NOT_FOUND);

    /* A value out of bounds in a named group is refused, nothing written. */
    w.id = r.id;
    memset(w.name, 'y', sizeof w.name);
    assert_int_equal(update(f, &w, G_NAME, 9), SLS_ERR_STORE);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_rec_equal(&want, &got);
    /* ... but a bad value in a group not named is not even read. */
    assert_int_equal(update(f, &w, G_DATA, 9), SLS_OK);
}

/* An extra condition of the update: a miss on it is a conflict. */
static void test_put_and_cas(void **state)
{
    struct fixture *f = *state;
    struct rec r, got;
    const int64_t args[] = {1};

    make(&r);
    assert_int_equal(insert(f, &r), SLS_OK);
    /* PUT replaces the row of the same key whole. */
    snprintf(r.name, sizeof r.name, "put");
    r.version = 9;
    assert_int_equal(sls_sqlite_columns_put(f->c, SQ_BANK_PUT, &table, &r), SLS_OK);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_string_equal(got.name, "put");
    assert_int_equal(got.version, 9);
    /* The caller's CAS is for tables without a version: this one is refused. */
    assert_int_equal(sls_sqlite_columns_cas(f->c, SQ_DSC_ORDER_UPDATE, &table, &r, G_NAME,
                                            "small = ?101", args, 1),
                     SLS_ERR_STORE);
}

static void test_update_condition(void **state)
{
    struct fixture *f = *state;
    struct rec r, got;

    make(&r);
    r.flag = false;
    assert_int_equal(insert(f, &r), SLS_OK);
    snprintf(r.name, sizeof r.name, "cond");
    assert_int_equal(
        sls_sqlite_columns_update(f->c, SQ_LOGIN_CAS, S_GET, &table, &r, G_NAME, 4, "flag = 1"),
        SLS_ERR_CONFLICT);
    assert_int_equal(get(f, r.id, &got), SLS_OK);
    assert_string_equal(got.name, "seven!!");
    assert_int_equal(got.version, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_match_their_structs),
        cmocka_unit_test(test_check_refuses_bad_tables),
        cmocka_unit_test(test_sql_text),
        cmocka_unit_test(test_sql_text_pg),
        cmocka_unit_test_setup_teardown(test_round_trip_every_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_long_text_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enum_out_of_range_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blob_and_lockout_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_writes_named_groups_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_and_cas, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
