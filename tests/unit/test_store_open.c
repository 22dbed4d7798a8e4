/* Tests of how the SQLite store opens a file and reports failures
 * (src/store/sqlite_open.c, sqlite_report.c, sqlite_store.c): an empty file,
 * another program's database, a damaged file and a file that is no database
 * are refused with the reason; a store at its size cap answers
 * SLS_ERR_STORE_UNAVAILABLE and says so in its health; the log of a burst of
 * failures is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "temp_store.h"
#include "core/error.h"
#include "store/sqlite_store.h"
#include "store/store.h"

static int setup(void **state)
{
    return temp_store_setup(state, "open");
}

static int teardown(void **state)
{
    return temp_store_teardown(state);
}

static off_t file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

static int count_tables(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int n;

    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_schema WHERE type='table'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

static void test_missing_file_is_created(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = NULL;
    char why[512];

    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_OK);
    sls_store_close(s);
    /* ... and opens again as an sls store, without any option. */
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_OK);
    sls_store_close(s);
}

static void test_newer_store_says_so(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = NULL;
    sqlite3 *h = NULL;
    char why[512];

    assert_int_equal(sls_store_open(f->url, &s), SLS_OK);
    sls_store_close(s);
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    s = NULL;
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_ERR_STORE);
    assert_null(s);
    assert_non_null(strstr(why, "schema version 999, newer than"));
}

static void test_empty_file_needs_init_empty(void **state)
{
    struct temp_store *f = *state;
    struct sls_store_options opts = {.init_empty = true};
    struct sls_store *s = NULL;
    char why[512];
    FILE *fp = fopen(f->path, "w");

    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_ERR_STORE);
    assert_null(s);
    assert_non_null(strstr(why, "empty (0 bytes)"));
    assert_int_equal(file_size(f->path), 0);
    /* sls_store_open refuses it too. */
    assert_int_equal(sls_store_open(f->url, &s), SLS_ERR_STORE);

    assert_int_equal(sls_store_open_with(f->url, &opts, &s, why, sizeof why), SLS_OK);
    sls_store_close(s);
    assert_true(count_tables(f->path) > 10);
}

static void test_foreign_database_is_refused(void **state)
{
    struct temp_store *f = *state;
    struct sls_store_options opts = {.init_empty = true};
    struct sls_store *s = NULL;
    sqlite3 *h = NULL;
    char why[512];

    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount INTEGER);"
                                  "CREATE TABLE meta(k TEXT, v TEXT);"
                                  "INSERT INTO invoices(amount) VALUES(42);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_ERR_STORE);
    assert_non_null(strstr(why, "not an sls store"));
    assert_non_null(strstr(why, "2 tables"));
    assert_int_equal(sls_store_open_with(f->url, &opts, &s, why, sizeof why), SLS_ERR_STORE);
    assert_null(s);
    assert_int_equal(count_tables(f->path), 2);

    /* Another program that also counts user_version is not taken for sls. */
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_ERR_STORE);
    assert_non_null(strstr(why, "not an sls store"));
    assert_int_equal(count_tables(f->path), 2);
}

static void test_not_a_database_gives_sqlites_reason(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = NULL;
    char why[512];
    FILE *fp = fopen(f->path, "w");

    assert_non_null(fp);
    for (int i = 0; i < 300; i++)
        fputs("not a database at all ", fp);
    fclose(fp);
    assert_int_not_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_OK);
    assert_null(s);
    assert_non_null(strstr(why, "file is not a database"));
    assert_non_null(strstr(why, "SQLITE_NOTADB"));
}

/* The root page of table `name` in the file at path. */
static int root_page(const char *path, const char *name)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int page;

    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    page = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return page;
}

static int put_meta(struct sls_db *db, void *arg)
{
    const char *const *kv = arg;

    return SLS_DB(db, meta_set, kv[0], kv[1]);
}

static void test_damaged_file_is_refused_with_quick_check(void **state)
{
    struct temp_store *f = *state;
    struct sls_store *s = NULL;
    char why[512], key[32], value[2001];
    const char *kv[2] = {key, value};
    unsigned char junk[4088];
    FILE *fp;
    int page;

    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    assert_int_equal(sls_store_open(f->url, &s), SLS_OK);
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%02d", i);
        assert_int_equal(sls_store_write(s, put_meta, kv), SLS_OK);
    }
    sls_store_close(s); /* the last connection checkpoints the WAL into the file */
    page = root_page(f->path, "meta");
    memset(junk, 0xa5, sizeof junk);
    fp = fopen(f->path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, (long)(page - 1) * 4096 + 8, SEEK_SET), 0);
    assert_int_equal(fwrite(junk, 1, sizeof junk, fp), sizeof junk);
    fclose(fp);

    assert_int_not_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_OK);
    assert_null(s);
    assert_true(strstr(why, "damaged") != NULL || strstr(why, "malformed") != NULL);
    assert_null(strchr(why, '\n'));
}

static void test_size_cap_is_unavailable_and_reported(void **state)
{
    struct temp_store *f = *state;
    struct sls_store_options opts = {.max_size = 512 * 1024};
    struct sls_store *s = NULL;
    char why[512], reason[256], key[32], value[3001];
    const char *kv[2] = {key, value};
    int rc = SLS_OK, i;

    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    assert_int_equal(sls_store_open_with(f->url, &opts, &s, why, sizeof why), SLS_OK);
    assert_int_equal(sls_store_health(s, 100, reason, sizeof reason), SLS_OK);
    for (i = 0; i < 1000 && rc == SLS_OK; i++) {
        snprintf(key, sizeof key, "fill%04d", i);
        rc = sls_store_write(s, put_meta, kv);
    }
    assert_int_equal(rc, SLS_ERR_STORE_UNAVAILABLE);
    assert_int_equal(sls_store_last_error(), SLS_ERR_STORE_UNAVAILABLE);
    assert_true(file_size(f->path) <= 512 * 1024);
    assert_int_equal(sls_store_health(s, 100, reason, sizeof reason), SLS_ERR_STORE_UNAVAILABLE);
    /* The write's failure, or that of the probe this first call made. */
    assert_non_null(strstr(reason, "SQLITE_FULL"));
    assert_true(strstr(reason, "meta_set") != NULL || strstr(reason, "health_probe") != NULL);
    assert_null(strstr(reason, "fill")); /* no values in the reason */
    /* Still full: the probe (at most every few seconds) keeps the state. */
    assert_int_equal(sls_store_health(s, 200, reason, sizeof reason), SLS_ERR_STORE_UNAVAILABLE);
    sls_store_close(s);

    /* A larger cap: writes and health are back. */
    opts.max_size = 4 * 1024 * 1024;
    assert_int_equal(sls_store_open_with(f->url, &opts, &s, why, sizeof why), SLS_OK);
    assert_int_equal(sls_store_write(s, put_meta, kv), SLS_OK);
    assert_int_equal(sls_store_last_error(), SLS_ERR_STORE);
    assert_int_equal(sls_store_health(s, 300, reason, sizeof reason), SLS_OK);
    sls_store_close(s);
}

struct sink {
    int lines;
    char last[400];
};

static void capture(const char *line, void *arg)
{
    struct sink *k = arg;

    k->lines++;
    snprintf(k->last, sizeof k->last, "%s", line);
}

static void test_report_is_bounded_and_classified(void **state)
{
    struct sink k = {0};
    char reason[128];
    int64_t t;

    (void)state;
    assert_int_equal(sls_sqlite_report_at(NULL, "burst_op", SQLITE_FULL, reason, sizeof reason,
                                          1000, capture, &k),
                     SLS_ERR_STORE_UNAVAILABLE);
    assert_int_equal(k.lines, 1);
    assert_string_equal(k.last, "store: burst_op: database or disk is full (SQLITE_FULL)");
    assert_string_equal(reason, "burst_op: database or disk is full (SQLITE_FULL)");
    for (t = 1000; t < 1000 + SLS_SQLITE_REPORT_SECONDS; t++)
        sls_sqlite_report_at(NULL, "burst_op", SQLITE_FULL, NULL, 0, t, capture, &k);
    assert_int_equal(k.lines, 1);
    /* Another operation, or another code, is its own line. */
    sls_sqlite_report_at(NULL, "burst_other", SQLITE_FULL, NULL, 0, 1001, capture, &k);
    assert_int_equal(k.lines, 2);
    sls_sqlite_report_at(NULL, "burst_op", SQLITE_IOERR_WRITE, NULL, 0, 1001, capture, &k);
    assert_int_equal(k.lines, 3);
    assert_non_null(strstr(k.last, "(SQLITE_IOERR_WRITE)"));
    /* After the interval: one line that counts what was left out. */
    sls_sqlite_report_at(NULL, "burst_op", SQLITE_FULL, NULL, 0, 1000 + SLS_SQLITE_REPORT_SECONDS,
                         capture, &k);
    assert_int_equal(k.lines, 4);
    assert_non_null(strstr(k.last, "[10 more since the last line]"));

    assert_int_equal(sls_sqlite_report_at(NULL, "class_op", SQLITE_ERROR, NULL, 0, 1, capture, &k),
                     SLS_ERR_STORE);
    assert_int_equal(
        sls_sqlite_report_at(NULL, "class_op", SQLITE_CONSTRAINT_CHECK, NULL, 0, 1, capture, &k),
        SLS_ERR_STORE);
    static const int unavailable[] = {SQLITE_FULL,     SQLITE_IOERR_FSYNC, SQLITE_CANTOPEN,
                                      SQLITE_READONLY, SQLITE_NOTADB,      SQLITE_CORRUPT,
                                      SQLITE_BUSY};
    for (size_t i = 0; i < sizeof unavailable / sizeof unavailable[0]; i++)
        assert_true(sls_sqlite_unavailable(unavailable[i]));
    assert_false(sls_sqlite_unavailable(SQLITE_ERROR));
    assert_false(sls_sqlite_unavailable(SQLITE_CONSTRAINT_UNIQUE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_missing_file_is_created, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_store_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_needs_init_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_database_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database_gives_sqlites_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_file_is_refused_with_quick_check, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_size_cap_is_unavailable_and_reported, setup, teardown),
        cmocka_unit_test(test_report_is_bounded_and_classified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
