/* Unit tests of core/push.c: the push cap window, push lifetime and the
 * freshness of signed requests, each at its boundary second. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_cap_and_window),
        cmocka_unit_test(test_push_live_until_300_seconds),
        cmocka_unit_test(test_signed_timestamp_window),
        cmocka_unit_test(test_push_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
