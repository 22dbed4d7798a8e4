/* Unit tests of core/push.c: the push cap window, push lifetime and the
 * freshness of signed requests, each at its boundary second, and number
 * matching (SPEC §10.3): the range of the numbers and the check of the
 * number typed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/push.h"

#define T0 1795165200 /* 2026-11-20 09:00 UTC */

static void test_push_cap_and_window(void **state)
{
    struct sls_push_policy p;
    (void)state;
    sls_push_policy_default(&p);
    assert_true(sls_push_allowed(&p, 4));
    assert_false(sls_push_allowed(&p, 5));
    /* A push made 599 s ago still counts, one made 600 s ago no longer. */
    assert_true(T0 - 599 >= sls_push_window_start(&p, T0));
    assert_false(T0 - 600 >= sls_push_window_start(&p, T0));
}

static void test_push_live_until_300_seconds(void **state)
{
    struct sls_push_policy p;
    (void)state;
    sls_push_policy_default(&p);
    assert_true(sls_push_live(&p, T0, T0 + 300));
    assert_false(sls_push_live(&p, T0, T0 + 301));
}

static void test_signed_timestamp_window(void **state)
{
    struct sls_push_policy p;
    (void)state;
    sls_push_policy_default(&p);
    assert_true(sls_push_timestamp_fresh(&p, T0 - 300, T0));
    assert_true(sls_push_timestamp_fresh(&p, T0 + 300, T0));
    assert_false(sls_push_timestamp_fresh(&p, T0 - 301, T0));
    assert_false(sls_push_timestamp_fresh(&p, T0 + 301, T0));
    assert_false(sls_push_timestamp_fresh(&p, INT64_MIN, T0));
    assert_false(sls_push_timestamp_fresh(&p, INT64_MAX, T0));
}

static void test_push_names(void **state)
{
    (void)state;
    assert_string_equal(sls_push_state_name(SLS_PUSH_PENDING), "pending");
    assert_string_equal(sls_push_state_name(SLS_PUSH_APPROVED), "approved");
    assert_string_equal(sls_push_state_name(SLS_PUSH_DENIED), "denied");
    assert_string_equal(sls_push_purpose_name(SLS_PUSH_LOGIN), "login");
    assert_string_equal(sls_push_purpose_name(SLS_PUSH_STEP_UP), "step_up");
}

static void test_push_number_range(void **state)
{
    (void)state;
    assert_int_equal(SLS_PUSH_NUMBER_COUNT, 90);
    assert_int_equal(sls_push_number_from(0), 10);
    assert_int_equal(sls_push_number_from(1), 11);
    assert_int_equal(sls_push_number_from(89), 99);
    /* Out of range: no number rather than a three-digit or wrapped one. */
    assert_int_equal(sls_push_number_from(90), 0);
    assert_int_equal(sls_push_number_from(UINT32_MAX), 0);
    for (uint32_t u = 0; u < SLS_PUSH_NUMBER_COUNT; u++) {
        int n = sls_push_number_from(u);
        assert_true(n >= 10 && n <= 99);
    }
}

static void test_push_number_check(void **state)
{
    struct sls_push_policy p;
    (void)state;
    sls_push_policy_default(&p);
    assert_true(p.number_matching);
    assert_int_equal(sls_push_number_check(42, true, 42), SLS_PUSH_NUMBER_OK);
    assert_int_equal(sls_push_number_check(42, true, 43), SLS_PUSH_NUMBER_WRONG);
    assert_int_equal(sls_push_number_check(42, true, 24), SLS_PUSH_NUMBER_WRONG);
    assert_int_equal(sls_push_number_check(42, true, 0), SLS_PUSH_NUMBER_WRONG);
    assert_int_equal(sls_push_number_check(42, true, -42), SLS_PUSH_NUMBER_WRONG);
    /* Bits beyond 32 count too: 42 + 2^32 is not 42. */
    assert_int_equal(sls_push_number_check(42, true, 42 + (INT64_C(1) << 32)),
                     SLS_PUSH_NUMBER_WRONG);
    assert_int_equal(sls_push_number_check(42, false, 42), SLS_PUSH_NUMBER_MISSING);
    assert_int_equal(sls_push_number_check(10, true, 10), SLS_PUSH_NUMBER_OK);
    assert_int_equal(sls_push_number_check(99, true, 99), SLS_PUSH_NUMBER_OK);
    /* A push sent without a number (matching off) asks for none. */
    assert_int_equal(sls_push_number_check(0, false, 0), SLS_PUSH_NUMBER_OK);
    assert_int_equal(sls_push_number_check(0, true, 57), SLS_PUSH_NUMBER_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_cap_and_window),
        cmocka_unit_test(test_push_live_until_300_seconds),
        cmocka_unit_test(test_signed_timestamp_window),
        cmocka_unit_test(test_push_names),
        cmocka_unit_test(test_push_number_range),
        cmocka_unit_test(test_push_number_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
