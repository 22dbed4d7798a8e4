/* Tests of src/cli/common/table.c: column alignment, UTF-8 widths, empty
 * cells, no trailing spaces, and control characters neutralised. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/table.h"

#define MAX_ROWS 4

struct table_case {
    size_t ncols;
    const char *rows[MAX_ROWS][3]; /* first ncols cells of the first nrows rows */
    size_t nrows;
    const char *want;
};

static const struct table_case cases[] = {
    {1, {{"a"}, {"bcd"}}, 2, "a\nbcd\n"},
    {2,
     {{"ID", "TYPE"}, {"d1", "dsc_plus"}, {"device2", "sms"}},
     3,
     "ID       TYPE\nd1       dsc_plus\ndevice2  sms\n"},
    {3, {{"A", "B", "C"}, {"xx", "", "z"}, {"y", "", ""}}, 3, "A   B  C\nxx     z\ny\n"},
    {3, {{"A", NULL, "C"}, {"a", "b", "c"}}, 2, "A     C\na  b  c\n"},
    {2, {{"k\xc3\xa9y:", "v"}, {"key2:", "w"}}, 2, "k\xc3\xa9y:   v\nkey2:  w\n"},
    {2, {{"a\x1b[31m", "b\nc"}, {"\x7f", "\t"}}, 2, "a?[31m  b?c\n?       ?\n"},
    {2, {{"", ""}}, 1, "\n"},
    {2, {{NULL}}, 0, ""},
};

static void test_print(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct table_case *c = &cases[i];
        struct sls_table *t = sls_table_new(c->ncols);
        assert_non_null(t);
        for (size_t r = 0; r < c->nrows; r++)
            assert_int_equal(sls_table_add_row(t, c->rows[r]), 0);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        sls_table_print(t, f);
        fclose(f);
        if (strcmp(buf, c->want) != 0)
            print_error("case %zu: got\n%s", i, buf);
        assert_string_equal(buf, c->want);
        free(buf);
        sls_table_free(t);
    }
}

static void test_cells_are_copied(void **state)
{
    (void)state;
    struct sls_table *t = sls_table_new(2);
    char a[8] = "left", b[8] = "right";
    const char *row[2] = {a, b};
    assert_int_equal(sls_table_add_row(t, row), 0);
    strcpy(a, "XXXX");
    strcpy(b, "YYYY");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sls_table_print(t, f);
    fclose(f);
    assert_string_equal(buf, "left  right\n");
    free(buf);
    sls_table_free(t);
}

static void test_many_rows(void **state)
{
    (void)state;
    struct sls_table *t = sls_table_new(2);
    for (int i = 0; i < 1000; i++) {
        char n[16];
        snprintf(n, sizeof(n), "%d", i);
        const char *row[2] = {n, "x"};
        assert_int_equal(sls_table_add_row(t, row), 0);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sls_table_print(t, f);
    fclose(f);
    /* Every row: the number padded to 5 columns, "x" and a newline. */
    assert_int_equal(len, 1000 * 7);
    assert_memory_equal(buf, "0    x\n", 7);
    assert_memory_equal(buf + len - 7, "999  x\n", 7);
    free(buf);
    sls_table_free(t);
}

static void test_bounds(void **state)
{
    (void)state;
    assert_null(sls_table_new(0));
    assert_null(sls_table_new(SLS_TABLE_MAX_COLS + 1));
    struct sls_table *t = sls_table_new(SLS_TABLE_MAX_COLS);
    assert_non_null(t);
    sls_table_free(t);
    sls_table_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_cells_are_copied),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
