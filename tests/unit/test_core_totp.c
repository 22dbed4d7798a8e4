/* Tests of src/core/totp.c: the step of a time, and the steps a code may
 * still come from, at the exact second boundaries of the window (SPEC §10.4:
 * one step either side, each step accepted once). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/totp.h"

static void test_step_of(void **state)
{
    (void)state;
    assert_int_equal(sls_totp_step_of(0), 0);
    assert_int_equal(sls_totp_step_of(29), 0);
    assert_int_equal(sls_totp_step_of(30), 1);
    assert_int_equal(sls_totp_step_of(59), 1);
    assert_int_equal(sls_totp_step_of(60), 2);
    /* RFC 6238 Appendix B: T = 0x00000000023523EC at 1111111109. */
    assert_int_equal(sls_totp_step_of(1111111109), 0x23523EC);
    assert_int_equal(sls_totp_step_of(1111111111), 0x23523ED);
    /* floor, not truncation, before the epoch */
    assert_int_equal(sls_totp_step_of(-1), -1);
    assert_int_equal(sls_totp_step_of(-30), -1);
    assert_int_equal(sls_totp_step_of(-31), -2);
}

/* Whether step s is among the candidates at now with nothing accepted. */
static int has(sls_time now, int64_t last, int64_t s)
{
    int64_t c[SLS_TOTP_CANDIDATES_MAX];
    size_t n = sls_totp_candidates(now, last, c);

    for (size_t i = 0; i < n; i++)
        if (c[i] == s)
            return 1;
    return 0;
}

static void test_window_edges(void **state)
{
    const int64_t t = 56666666; /* a step; its first second is t * 30 */
    const sls_time first = t * 30, last = t * 30 + 29;

    (void)state;
    /* Anywhere inside step t: t-1, t, t+1 in; t-2, t+2 out. */
    for (sls_time now = first; now <= last; now++) {
        assert_true(has(now, 0, t - 1));
        assert_true(has(now, 0, t));
        assert_true(has(now, 0, t + 1));
        assert_false(has(now, 0, t - 2));
        assert_false(has(now, 0, t + 2));
    }
    /* The second before step t begins (…:29 of t-1): t+1 is two ahead. */
    assert_false(has(first - 1, 0, t + 1));
    assert_true(has(first - 1, 0, t - 2));
    /* The second after it ends (…:00 of t+1): t-1 is two behind. */
    assert_false(has(last + 1, 0, t - 1));
    assert_true(has(last + 1, 0, t + 2));
}

static void test_candidates_order_and_count(void **state)
{
    int64_t c[SLS_TOTP_CANDIDATES_MAX];

    (void)state;
    assert_int_equal(sls_totp_candidates(300, 0, c), 3);
    assert_int_equal(c[0], 9);
    assert_int_equal(c[1], 10);
    assert_int_equal(c[2], 11);
}

static void test_accepted_steps_refused(void **state)
{
    int64_t c[SLS_TOTP_CANDIDATES_MAX];

    (void)state;
    /* The step accepted and every one before it: never again. */
    assert_int_equal(sls_totp_candidates(300, 9, c), 2);
    assert_int_equal(c[0], 10);
    assert_int_equal(sls_totp_candidates(300, 10, c), 1);
    assert_int_equal(c[0], 11);
    assert_int_equal(sls_totp_candidates(300, 11, c), 0);
    /* A code of the next step accepted early: now's step is spent too. */
    assert_int_equal(sls_totp_candidates(300, 12, c), 0);
    assert_false(has(300, 10, 10));
    assert_false(has(300, 10, 9));
}

static void test_step_zero_never(void **state)
{
    int64_t c[SLS_TOTP_CANDIDATES_MAX];

    (void)state;
    assert_int_equal(sls_totp_candidates(0, 0, c), 1);
    assert_int_equal(c[0], 1);
    assert_int_equal(sls_totp_candidates(-100, 0, c), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_of),
        cmocka_unit_test(test_window_edges),
        cmocka_unit_test(test_candidates_order_and_count),
        cmocka_unit_test(test_accepted_steps_refused),
        cmocka_unit_test(test_step_zero_never),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
