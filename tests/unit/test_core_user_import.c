/* Tests of src/core/user_import.c: the lines of a batch that repeat a name
 * of an earlier line, whatever the order they come in. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/user_import.h"

/* first[i] for the names in line order, after the sort. */
static void firsts(const char *const *names, size_t n, size_t *out)
{
    struct sls_import_name v[16];
    size_t i;

    assert_true(n <= 16);
    for (i = 0; i < n; i++) {
        v[i].name = names[i];
        v[i].index = i;
        v[i].first = 99;
    }
    sls_import_find_duplicates(v, n);
    for (i = 0; i < n; i++) {
        if (i > 0) /* sorted by name, then line */
            assert_true(strcmp(v[i - 1].name, v[i].name) < 0 ||
                        (strcmp(v[i - 1].name, v[i].name) == 0 && v[i - 1].index < v[i].index));
        out[v[i].index] = v[i].first;
    }
}

static void test_repeats_point_at_the_first_line(void **state)
{
    static const char *const names[] = {"zed", "amy", "zed", "bob", "amy", "zed", "amyx"};
    size_t got[7];
    const size_t want[7] = {0, 1, 0, 3, 1, 0, 6};

    (void)state;
    firsts(names, 7, got);
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(got[i], want[i]);
}

static void test_no_repeats_and_edges(void **state)
{
    static const char *const names[] = {"b", "a", "c"};
    static const char *const same[] = {"x", "x"};
    size_t got[3];

    (void)state;
    firsts(names, 3, got);
    assert_int_equal(got[0], 0);
    assert_int_equal(got[1], 1);
    assert_int_equal(got[2], 2);
    firsts(same, 2, got);
    assert_int_equal(got[0], 0);
    assert_int_equal(got[1], 0);
    sls_import_find_duplicates(NULL, 0); /* nothing to do */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeats_point_at_the_first_line),
        cmocka_unit_test(test_no_repeats_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
