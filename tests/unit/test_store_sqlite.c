/* Tests of the SQLite backend of the store (src/store/sqlite_*.c) that only
 * make sense for it: the URL forms of a file, the schema and its migrations
 * from v1, the append-only audit table, group commit and its batches, what
 * the WAL keeps until a scrub, and a throughput print. The store contract
 * itself (every operation, conflicts, races) is test_store_conformance.c,
 * run against SQLite and PostgreSQL alike. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "temp_store.h"
#include "core/audit.h"
#include "core/error.h"
#include "core/lockout.h"
#include "crypto/hash.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store_calls.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- fixture: a fresh directory and store URL per test ---- */

static int setup(void **state)
{
    return temp_store_setup(state, "store");
}

static int teardown(void **state)
{
    return temp_store_teardown(state);
}

static struct sls_store *open_store(const char *url)
{
    struct sls_store *s = NULL;

    assert_int_equal(sls_store_open(url, &s), SLS_OK);
    assert_non_null(s);
    return s;
}

#define MARK_DELIVERED 0
#define MARK_RETRY     1
#define MARK_FAILED    2

/* Whether the file at path (missing: no) holds the bytes of needle. */
static bool file_holds(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    size_t n = strlen(needle), len = 0, cap = 0;
    char *data = NULL, buf[4096];
    size_t got;
    bool found = false;

    if (fp == NULL)
        return false;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
        if (len + got > cap) {
            cap = (len + got) * 2;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        memcpy(data + len, buf, got);
        len += got;
    }
    fclose(fp);
    for (size_t i = 0; !found && len >= n && i <= len - n; i++)
        found = memcmp(data + i, needle, n) == 0;
    free(data);
    return found;
}

/* §10.3: after a message settles and the store is scrubbed, neither the
 * database file nor its WAL holds the body or code it carried. Before the
 * scrub the WAL still does: the old page images are what it is made of. */
static void test_outbox_erased_bytes_leave_the_files(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    struct sls_outbox_rec m = {0};
    struct args a = {.out = &m};
    char wal[sizeof f->path + 8];

    snprintf(wal, sizeof wal, "%s-wal", f->path);
    snprintf(m.to, sizeof m.to, "carol@example.com");
    snprintf(m.channel, sizeof m.channel, "email");
    snprintf(m.body, sizeof m.body, "Your reset code is 73815264, valid until noon");
    snprintf(m.code, sizeof m.code, "73815264");
    snprintf(m.kind, sizeof m.kind, "code.password_reset");
    m.at = 1700000000;
    assert_int_equal(sls_store_write(s, f_outbox_insert, &a), SLS_OK);
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, m.id, 0, 1700000001, 0, NULL), SLS_OK);
    assert_true(file_holds(wal, "73815264"));
    assert_int_equal(sls_store_scrub(s), SLS_OK);
    assert_false(file_holds(f->path, "73815264"));
    assert_false(file_holds(f->path, "valid until noon"));
    assert_false(file_holds(f->path, "carol@"));
    assert_false(file_holds(wal, "73815264"));
    assert_string_equal(outbox_get(s, m.id).to, "c***@example.com");
    assert_string_equal(outbox_get(s, m.id).kind, "code.password_reset");
    /* Deleted rows go the same way. */
    assert_int_equal(outbox_purge(s, INT64_MAX), 1);
    assert_int_equal(sls_store_scrub(s), SLS_OK);
    assert_false(file_holds(f->path, "c***@example.com"));
    assert_false(file_holds(wal, "c***@example.com"));
    sls_store_close(s);
}

static void conf_bad_urls(const char *dir)
{
    static const char *const bad[] = {
        "postgresql://", /* a URL with nothing after the scheme */
        "postgres://",   "mysql:x.db", "file:x.db", "", "sqlite:", "sqlite://",
    };
    struct sls_store *s;
    char url[256];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = (struct sls_store *)&s; /* anything not NULL */
        assert_int_equal(sls_store_open(bad[i], &s), SLS_ERR_BAD_REQUEST);
        assert_null(s);
    }
    sls_store_close(NULL);

    /* A bare path, and sqlite:// followed by an absolute path. */
    snprintf(url, sizeof url, "%s/bare.db", dir);
    s = open_store(url);
    add_user(s, "nina", "U9100001");
    sls_store_close(s);
    snprintf(url, sizeof url, "sqlite://%s/bare.db", dir);
    s = open_store(url);
    {
        struct sls_user_rec got;
        assert_int_equal(user_by_name(s, "nina", &got), SLS_OK);
    }
    sls_store_close(s);
}

static void test_bad_urls(void **state)
{
    conf_bad_urls(((struct temp_store *)*state)->dir);
}

/* ==== SQLite only ==== */

static void test_sqlite_schema(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char v[16];
    struct args a = {.str = "schema_version", .out = v, .max = sizeof v};
    char want[16];

    snprintf(want, sizeof want, "%d", sls_sqlite_schema_version());
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(v, want);

    assert_int_equal(sqlite3_open_v2(f->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), sls_sqlite_schema_version());
    sqlite3_finalize(st);
    sqlite3_close(h);
    sls_store_close(s);

    /* A file from a newer sls is left alone. */
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    s = NULL;
    assert_int_equal(sls_store_open(f->url, &s), SLS_ERR_STORE);
    assert_null(s);
}

/* True when the SQLite file at path has an index of that name. */
static bool has_index(const char *path, const char *name)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    bool found;

    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT 1 FROM sqlite_master WHERE type = 'index' "
                                        "AND name = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    sqlite3_close(h);
    return found;
}

static bool has_table(const char *path, const char *name)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    bool found;

    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                        "AND name = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    sqlite3_close(h);
    return found;
}

/* A file of schema version 1 (before the sessions-by-device index) is
 * brought up to date when opened, its rows kept. */
/* SQL that takes a database of the newest schema back to an older version,
 * as if it had been made by an older sls. */
#define REWIND_TO_V16                                                                              \
    "CREATE INDEX sessions_user_device ON sessions(user_id, device_id);"                           \
    "PRAGMA user_version = 16;"                                                                    \
    "UPDATE meta SET value = '16' WHERE key = 'schema_version';"
#define REWIND_TO_V15                                                                              \
    "DROP INDEX devices_passkey;"                                                                  \
    "ALTER TABLE devices DROP COLUMN passkey_count;"                                               \
    "ALTER TABLE devices DROP COLUMN passkey_key;"                                                 \
    "ALTER TABLE devices DROP COLUMN passkey_alg;"                                                 \
    "ALTER TABLE devices DROP COLUMN passkey_id;"                                                  \
    "PRAGMA user_version = 15;"                                                                    \
    "UPDATE meta SET value = '15' WHERE key = 'schema_version';"
#define REWIND_TO_V14                                                                              \
    "DROP INDEX devices_serial;"                                                                   \
    "DROP TABLE device_stock;"                                                                     \
    "PRAGMA user_version = 14;"                                                                    \
    "UPDATE meta SET value = '14' WHERE key = 'schema_version';"
#define REWIND_TO_V13                                                                              \
    "ALTER TABLE devices DROP COLUMN totp_step;"                                                   \
    "PRAGMA user_version = 13;"                                                                    \
    "UPDATE meta SET value = '13' WHERE key = 'schema_version';"
#define REWIND_TO_V12                                                                              \
    "DROP TABLE secrets;"                                                                          \
    "CREATE TABLE challenges (key TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES "          \
    "users(id),"                                                                                   \
    " device_id TEXT NOT NULL, kind INTEGER NOT NULL, challenge TEXT NOT NULL,"                    \
    " issued_at INTEGER NOT NULL) WITHOUT ROWID;"                                                  \
    "CREATE TABLE password_resets (user_id INTEGER PRIMARY KEY REFERENCES users(id),"              \
    " issued_by TEXT NOT NULL, code BLOB NOT NULL, issued_at INTEGER NOT NULL,"                    \
    " expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL);"                                    \
    "CREATE TABLE one_time_codes (key TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"                 \
    " code BLOB NOT NULL, data TEXT NOT NULL, issued_at INTEGER NOT NULL,"                         \
    " expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL);"                                    \
    "PRAGMA user_version = 12;"                                                                    \
    "UPDATE meta SET value = '12' WHERE key = 'schema_version';"
#define REWIND_TO_V11                                                                              \
    "ALTER TABLE pushes DROP COLUMN number; ALTER TABLE pushes DROP COLUMN wrong_number;"          \
    "PRAGMA user_version = 11;"                                                                    \
    "UPDATE meta SET value = '11' WHERE key = 'schema_version';"
#define REWIND_TO_V10                                                                              \
    "DROP INDEX outbox_settled; ALTER TABLE outbox DROP COLUMN kind;"                              \
    "PRAGMA user_version = 10;"                                                                    \
    "UPDATE meta SET value = '10' WHERE key = 'schema_version';"
#define REWIND_TO_V9                                                                               \
    "DROP TABLE client_tokens; ALTER TABLE logins DROP COLUMN client_token_hash;"                  \
    "ALTER TABLE sessions DROP COLUMN client_token_hash;"                                          \
    "PRAGMA user_version = 9;"                                                                     \
    "UPDATE meta SET value = '9' WHERE key = 'schema_version';"
#define REWIND_TO_V8                                                                               \
    "DROP TABLE dsc_plus_orders; DROP TABLE sharing_requests;"                                     \
    "PRAGMA user_version = 8;"                                                                     \
    "UPDATE meta SET value = '8' WHERE key = 'schema_version';"
#define REWIND_TO_V7                                                                               \
    "DROP TABLE withdrawals; DROP TABLE deposits; DROP TABLE reviews;"                             \
    "DROP TABLE bank_instructions;"                                                                \
    "PRAGMA user_version = 7;"                                                                     \
    "UPDATE meta SET value = '7' WHERE key = 'schema_version';"
#define REWIND_TO_V6                                                                               \
    "DROP TABLE ibkey_keys; DROP TABLE pushes; DROP TABLE signed_requests;"                        \
    "DROP TABLE one_time_codes;"                                                                   \
    "PRAGMA user_version = 6;"                                                                     \
    "UPDATE meta SET value = '6' WHERE key = 'schema_version';"
#define REWIND_TO_V5                                                                               \
    "ALTER TABLE sessions DROP COLUMN verified_until;"                                             \
    "PRAGMA user_version = 5;"                                                                     \
    "UPDATE meta SET value = '5' WHERE key = 'schema_version';"
#define REWIND_TO_V4                                                                               \
    "DROP TABLE documents; DROP TABLE document_blobs; DROP TABLE document_rejections;"             \
    "PRAGMA user_version = 4;"                                                                     \
    "UPDATE meta SET value = '4' WHERE key = 'schema_version';"
#define REWIND_TO_V3                                                                               \
    "DROP INDEX outbox_due;"                                                                       \
    "ALTER TABLE outbox DROP COLUMN state;"                                                        \
    "ALTER TABLE outbox DROP COLUMN attempts;"                                                     \
    "ALTER TABLE outbox DROP COLUMN next_attempt_at;"                                              \
    "ALTER TABLE outbox DROP COLUMN done_at;"                                                      \
    "ALTER TABLE outbox DROP COLUMN last_error;"                                                   \
    "PRAGMA user_version = 3;"                                                                     \
    "UPDATE meta SET value = '3' WHERE key = 'schema_version';"
#define REWIND_TO_V2                                                                               \
    "DROP INDEX sessions_user; DROP TABLE challenges; DROP TABLE password_resets;"                 \
    "ALTER TABLE devices DROP COLUMN activated_at;"                                                \
    "PRAGMA user_version = 2;"                                                                     \
    "UPDATE meta SET value = '2' WHERE key = 'schema_version';"
#define REWIND_TO_V1                                                                               \
    "DROP INDEX sessions_user_device; PRAGMA user_version = 1;"                                    \
    "UPDATE meta SET value = '1' WHERE key = 'schema_version';"

/* Messages written before delivery existed become pending and due at once. */
static void test_sqlite_migrates_outbox_from_v3(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    struct sls_outbox_rec box[2];
    struct args a = {.t = 1700000000, .out = box, .max = 2};
    sqlite3 *h = NULL;

    sls_store_close(s);
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     REWIND_TO_V16 REWIND_TO_V15 REWIND_TO_V14 REWIND_TO_V13 REWIND_TO_V12
                         REWIND_TO_V11 REWIND_TO_V10 REWIND_TO_V9 REWIND_TO_V8 REWIND_TO_V7
                             REWIND_TO_V6 REWIND_TO_V5 REWIND_TO_V4 REWIND_TO_V3
                     "INSERT INTO outbox(recipient, channel, body, code, "
                     "at) VALUES('+41791234567', 'sms', 'Code 654321', "
                     "'654321', 1690000000);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);

    s = open_store(f->url);
    assert_int_equal(sls_store_read(s, f_outbox_due, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_string_equal(box[0].code, "654321");
    assert_int_equal(box[0].at, 1690000000);
    assert_int_equal(box[0].state, SLS_OUTBOX_PENDING);
    assert_int_equal(box[0].attempts, 0);
    assert_int_equal(box[0].done_at, 0);
    assert_string_equal(box[0].last_error, "");
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, box[0].id, 0, 1700000000, 0, NULL), SLS_OK);
    sls_store_close(s);
}

/* Version 13 moves the live challenges, codes and reset codes into one
 * table of secrets: a code being typed still works after the upgrade, and a
 * code kept under the key of a challenge joins it. */
static void test_sqlite_migrates_secrets_from_v12(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    int64_t uid = add_user(s, "upgrader", "U7000002");
    struct sls_secret_rec got;
    struct args a = {.out = &got};
    char sql[2048], key[64];
    sqlite3 *h = NULL;

    sls_store_close(s);
    snprintf(sql, sizeof sql,
             REWIND_TO_V16 REWIND_TO_V15 REWIND_TO_V14 REWIND_TO_V13 REWIND_TO_V12
             "INSERT INTO challenges VALUES('activate:c1', %lld, 'c1', 1, '12,47', 1700000000);"
             "INSERT INTO challenges VALUES('verify:aa', %lld, 'd1', 2, 'sms', 1700000001);"
             "INSERT INTO one_time_codes VALUES('verify:aa', %lld, X'0102', 'd1', 1700000002,"
             " 1700000302, 1);"
             "INSERT INTO one_time_codes VALUES('login:l1', %lld, X'0a0b0c', '', 1700000003,"
             " 1700000303, 2);"
             "INSERT INTO password_resets VALUES(%lld, 'agent:desk1', X'ff00ff', 1700000004,"
             " 1700001804, 3);",
             (long long)uid, (long long)uid, (long long)uid, (long long)uid, (long long)uid);
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);

    s = open_store(f->url);
    a.str = "activate:c1";
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.user_id, uid);
    assert_string_equal(got.device_id, "c1");
    assert_int_equal(got.kind, SLS_CHALLENGE_CARD);
    assert_string_equal(got.challenge, "12,47");
    assert_int_equal(got.issued_at, 1700000000);
    assert_int_equal(got.code_len, 0);
    assert_int_equal(got.expires_at, 0);
    /* The challenge and its code: one secret. */
    a.str = "verify:aa";
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_string_equal(got.device_id, "d1");
    assert_int_equal(got.kind, SLS_CHALLENGE_CODE);
    assert_string_equal(got.challenge, "sms");
    assert_int_equal(got.issued_at, 1700000001);
    assert_int_equal(got.code_len, 2);
    assert_memory_equal(got.code, "\x01\x02", 2);
    assert_string_equal(got.data, "d1");
    assert_int_equal(got.expires_at, 1700000302);
    assert_int_equal(got.attempts, 1);
    a.str = "login:l1";
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.user_id, uid);
    assert_string_equal(got.device_id, "");
    assert_int_equal(got.code_len, 3);
    assert_memory_equal(got.code, "\x0a\x0b\x0c", 3);
    assert_int_equal(got.issued_at, 1700000003);
    assert_int_equal(got.expires_at, 1700000303);
    assert_int_equal(got.attempts, 2);
    snprintf(key, sizeof key, "reset-code:%lld", (long long)uid);
    a.str = key;
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.user_id, uid);
    assert_string_equal(got.issued_by, "agent:desk1");
    assert_int_equal(got.code_len, 3);
    assert_memory_equal(got.code, "\xff\x00\xff", 3);
    assert_int_equal(got.issued_at, 1700000004);
    assert_int_equal(got.expires_at, 1700001804);
    assert_int_equal(got.attempts, 3);
    /* Still used once, counted by CAS. */
    a.i = 3;
    assert_int_equal(sls_store_write(s, f_secret_fail_cas, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
    assert_false(has_table(f->path, "challenges"));
    assert_false(has_table(f->path, "one_time_codes"));
    assert_false(has_table(f->path, "password_resets"));
}

static void test_sqlite_migrates_from_v1(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    struct sls_user_rec got;
    sqlite3 *h = NULL;
    char v[16], want[16];
    struct args a = {.str = "schema_version", .out = v, .max = sizeof v};

    add_user(s, "old", "U7000001");
    sls_store_close(s);
    assert_false(has_index(f->path, "sessions_user_device")); /* dropped by version 17 */
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            h,
            REWIND_TO_V16 REWIND_TO_V15 REWIND_TO_V14 REWIND_TO_V13 REWIND_TO_V12 REWIND_TO_V11
                REWIND_TO_V10 REWIND_TO_V9 REWIND_TO_V8 REWIND_TO_V7 REWIND_TO_V6 REWIND_TO_V5
                    REWIND_TO_V4 REWIND_TO_V3 REWIND_TO_V2 REWIND_TO_V1,
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    assert_false(has_index(f->path, "sessions_user_device"));
    assert_false(has_index(f->path, "outbox_due"));

    s = open_store(f->url);
    assert_false(has_index(f->path, "sessions_user_device"));
    assert_true(has_index(f->path, "sessions_user"));
    assert_true(has_index(f->path, "outbox_due"));
    assert_true(has_index(f->path, "documents_user"));
    assert_true(has_index(f->path, "withdrawals_user_day"));
    assert_true(has_index(f->path, "client_tokens_user"));
    snprintf(want, sizeof want, "%d", sls_sqlite_schema_version());
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(v, want);
    assert_int_equal(user_by_name(s, "old", &got), SLS_OK);
    sls_store_close(s);
}

static void test_sqlite_audit_append_only(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    struct sls_audit_rec r;
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;

    make_audit(&r, 1700000000, "olga", "login.success");
    assert_int_equal(audit_append(s, &r), SLS_OK);
    make_audit(&r, 1700000001, "olga", "logout");
    assert_int_equal(audit_append(s, &r), SLS_OK);

    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    assert_int_not_equal(
        sqlite3_exec(h, "UPDATE audit SET outcome = 'forged' WHERE seq = 1", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT count(*), min(outcome) FROM audit", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "ok");
    sqlite3_finalize(st);
    sqlite3_close(h);
    sls_store_close(s);
}

/* Group commit: a job failing inside a batch takes only its own changes along. */
struct holder {
    struct sls_store *s;
    atomic_int running;
    int waited_ok;
};

static int f_hold(struct sls_db *db, void *p)
{
    struct holder *hd = p;
    struct sls_sqlite_stats st;
    struct sls_audit_rec r;

    make_audit(&r, 1700000000, "first", "hold");
    if (SLS_DB(db, audit_append, &r) != SLS_OK)
        return SLS_ERR_STORE;
    atomic_store(&hd->running, 1);
    /* Keep the writer busy until both other jobs wait in the queue. */
    for (int i = 0; i < 10000; i++) {
        sls_sqlite_stats(hd->s, &st);
        if (st.queued == 2) {
            hd->waited_ok = 1;
            break;
        }
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    return SLS_OK;
}

struct job_thread {
    struct sls_store *s;
    sls_store_fn fn;
    void *arg;
    int rc;
};

static void *job_body(void *p)
{
    struct job_thread *j = p;

    j->rc = sls_store_write(j->s, j->fn, j->arg);
    return NULL;
}

/* The store's threads (the writer, the checkpointer) block every signal:
 * slsd's SIGTERM must reach the thread that waits for it, never a store
 * thread whose default action would end the process. */
static void test_sqlite_threads_block_signals(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    char path[320], line[256];
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int others = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        unsigned long long blocked = 0;
        FILE *st;

        if (e->d_name[0] == '.' || atoi(e->d_name) == (int)getpid())
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
        st = fopen(path, "r");
        if (st == NULL)
            continue; /* a thread that ended meanwhile */
        while (fgets(line, sizeof line, st) != NULL)
            if (sscanf(line, "SigBlk: %llx", &blocked) == 1)
                break;
        fclose(st);
        assert_true(blocked & (1ull << (SIGTERM - 1)));
        assert_true(blocked & (1ull << (SIGINT - 1)));
        others++;
    }
    closedir(d);
    assert_true(others >= 2); /* the writer and the checkpointer */
    sls_store_close(s);
}

/* A commit that leaves the WAL past SLS_SQLITE_CHECKPOINT_PAGES hands a
 * checkpoint to the store's checkpoint thread (the writer's COMMIT does not
 * copy the WAL itself); what was written reads back the same after it. */
static int f_meta_set_big(struct sls_db *db, void *p)
{
    return SLS_DB(db, meta_set, "checkpoint_test", p);
}

static void test_sqlite_checkpoint_off_commit(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    /* 5 MB of text: more pages than the threshold in one commit */
    size_t n = 5u << 20;
    char *big = malloc(n + 1), *back = malloc(n + 1);
    struct args a = {.str = "checkpoint_test", .out = back, .max = n + 1};
    struct sls_sqlite_stats st;
    int waited;

    assert_non_null(big);
    assert_non_null(back);
    memset(big, 'c', n);
    big[n] = '\0';
    sls_sqlite_stats(s, &st);
    assert_int_equal(st.checkpoints, 0);
    assert_int_equal(sls_store_write(s, f_meta_set_big, big), SLS_OK);
    /* The thread runs on its own: wait for it (bounded, not timed). */
    for (waited = 0; waited < 60000; waited += 10) {
        sls_sqlite_stats(s, &st);
        if (st.checkpoints > 0)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    }
    assert_true(st.checkpoints > 0);
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(back, big);
    sls_store_close(s);
    free(big);
    free(back);
}

static void test_sqlite_batch_isolation(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = open_store(f->url);
    struct holder hd = {.s = s};
    struct failing bad = {.result = 4242, .name = "bad"};
    struct failing good = {.result = SLS_OK, .name = "good"};
    struct job_thread ja = {.s = s, .fn = f_hold, .arg = &hd};
    struct job_thread jb = {.s = s, .fn = f_insert_then_answer, .arg = &bad};
    struct job_thread jc = {.s = s, .fn = f_insert_then_answer, .arg = &good};
    struct sls_sqlite_stats before, after;
    pthread_t ta, tb, tc;
    struct sls_user_rec got;
    struct scan sc = {0};
    char h[65];

    sls_sqlite_stats(s, &before);
    assert_int_equal(pthread_create(&ta, NULL, job_body, &ja), 0);
    while (!atomic_load(&hd.running))
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    assert_int_equal(pthread_create(&tb, NULL, job_body, &jb), 0);
    assert_int_equal(pthread_create(&tc, NULL, job_body, &jc), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_join(tc, NULL);
    sls_sqlite_stats(s, &after);

    assert_true(hd.waited_ok);
    assert_int_equal(ja.rc, SLS_OK);
    assert_int_equal(jb.rc, 4242);
    assert_int_equal(jc.rc, SLS_OK);
    /* The holder alone, then the two others in one transaction. */
    assert_int_equal(after.batches - before.batches, 2);
    assert_int_equal(after.jobs - before.jobs, 3);

    assert_int_equal(user_by_name(s, "bad", &got), SLS_ERR_NOT_FOUND);
    assert_int_equal(user_by_name(s, "good", &got), SLS_OK);
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 2);
    assert_string_equal(sc.col.recs[0].username, "first");
    assert_string_equal(sc.col.recs[1].username, "good");
    assert_int_equal(sc.col.recs[1].seq, 2);
    assert_string_equal(sc.col.recs[1].prev_hash, sc.col.recs[0].hash);
    expected_hash(&sc.col.recs[1], h);
    assert_string_equal(sc.col.recs[1].hash, h);
    sls_store_close(s);
}

/* ---- throughput (printed, not asserted) ---- */

#define TP_THREADS 16
#define TP_JOBS    1000

struct tp {
    struct sls_store *s;
    pthread_barrier_t *start;
    int id;
    int errors;
    sls_time seq;
};

/* A tiny job that really changes the file (an unchanged value would commit
 * without anything to sync). */
static int f_tiny(struct sls_db *db, void *p)
{
    struct tp *t = p;
    struct sls_outbox_rec m = {.at = ++t->seq};

    snprintf(m.to, sizeof m.to, "tp%d", t->id);
    return SLS_DB(db, outbox_insert, &m);
}

static void *tp_body(void *p)
{
    struct tp *t = p;

    pthread_barrier_wait(t->start);
    for (int i = 0; i < TP_JOBS; i++) {
        if (sls_store_write(t->s, f_tiny, t) != SLS_OK)
            t->errors++;
    }
    return NULL;
}

static void test_sqlite_throughput(void **state)
{
    struct sls_store *s = open_store(((struct temp_store *)*state)->url);
    struct tp t[TP_THREADS];
    pthread_t th[TP_THREADS];
    pthread_barrier_t start;
    struct sls_sqlite_stats before, after;
    struct timespec t0, t1;
    double secs;
    uint64_t jobs, batches;

    pthread_barrier_init(&start, NULL, TP_THREADS + 1);
    for (int i = 0; i < TP_THREADS; i++) {
        t[i] = (struct tp){.s = s, .start = &start, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, tp_body, &t[i]), 0);
    }
    sls_sqlite_stats(s, &before);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_barrier_wait(&start);
    for (int i = 0; i < TP_THREADS; i++)
        pthread_join(th[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sls_sqlite_stats(s, &after);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < TP_THREADS; i++)
        assert_int_equal(t[i].errors, 0);

    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    jobs = after.jobs - before.jobs;
    batches = after.batches - before.batches;
    assert_int_equal(jobs, TP_THREADS * TP_JOBS);
    printf("    throughput: %d threads x %d jobs in %.3f s = %.0f jobs/s, %llu commits, "
           "%.1f jobs per commit\n",
           TP_THREADS, TP_JOBS, secs, (double)jobs / secs, (unsigned long long)batches,
           batches ? (double)jobs / (double)batches : 0.0);
    sls_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_erased_bytes_leave_the_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_migrates_from_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_migrates_secrets_from_v12, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_migrates_outbox_from_v3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_audit_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_batch_isolation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_checkpoint_off_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_threads_block_signals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_throughput, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
