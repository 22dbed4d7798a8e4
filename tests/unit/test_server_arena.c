/* Tests of src/server/http/arena.c: what a request allocates is released
 * once, releases run newest first, and releasing twice is harmless (under
 * AddressSanitizer a leak or a double free fails the test run). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "server/http/arena.h"

static int order[4];
static int norder;

static void note(void *p)
{
    order[norder++] = *(int *)p;
}

static void test_alloc_is_zeroed_and_aligned(void **state)
{
    struct sls_req rq;
    unsigned char *p;
    size_t i;

    (void)state;
    memset(&rq, 0, sizeof(rq));
    p = sls_req_alloc(&rq, 1000);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
    for (i = 0; i < 1000; i++)
        assert_int_equal(p[i], 0);
    assert_non_null(sls_req_alloc(&rq, 0));
    assert_null(sls_req_alloc(&rq, SIZE_MAX));
    sls_req_release(&rq);
    assert_null(rq.arena);
    sls_req_release(&rq);
}

static void test_strdup_and_json_live_until_release(void **state)
{
    struct sls_req rq;
    char *s;
    json_t *j;

    (void)state;
    memset(&rq, 0, sizeof(rq));
    s = sls_req_strdup(&rq, "abc");
    assert_string_equal(s, "abc");
    j = sls_req_json(&rq, json_object());
    assert_non_null(j);
    assert_int_equal(json_object_set_new(j, "k", json_string(s)), 0);
    assert_string_equal(json_string_value(json_object_get(j, "k")), "abc");
    assert_null(sls_req_json(&rq, NULL));
    sls_req_release(&rq);
}

static void test_defers_run_newest_first_once(void **state)
{
    struct sls_req rq;
    int a = 1, b = 2, c = 3;

    (void)state;
    memset(&rq, 0, sizeof(rq));
    norder = 0;
    assert_true(sls_req_defer(&rq, note, &a));
    assert_true(sls_req_defer(&rq, note, &b));
    assert_true(sls_req_defer(&rq, note, NULL));
    assert_true(sls_req_defer(&rq, note, &c));
    sls_req_release(&rq);
    sls_req_release(&rq);
    assert_int_equal(norder, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_is_zeroed_and_aligned),
        cmocka_unit_test(test_strdup_and_json_live_until_release),
        cmocka_unit_test(test_defers_run_newest_first_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
