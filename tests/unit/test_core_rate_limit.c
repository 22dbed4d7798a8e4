/* Tests of src/core/rate_limit.c: the per-client token bucket of SPEC §10.2
 * at its boundary seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/rate_limit.h"

#define T0 ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */

static void test_a_new_client_spends_a_minute_at_once(void **state)
{
    struct sls_rate_bucket b;
    (void)state;
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 60; i++)
        assert_int_equal(sls_rate_take(&b, 60, T0), 0);
    /* The 61st in the same second waits one second (60 a minute refill 1/s). */
    assert_int_equal(sls_rate_take(&b, 60, T0), 1);
    assert_int_equal(sls_rate_take(&b, 60, T0), 1);
    assert_int_equal(sls_rate_take(&b, 60, T0 + 1), 0);
    assert_int_equal(sls_rate_take(&b, 60, T0 + 1), 1);
}

static void test_refused_requests_take_nothing(void **state)
{
    struct sls_rate_bucket b;
    (void)state;
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 60; i++)
        assert_int_equal(sls_rate_take(&b, 60, T0), 0);
    for (int i = 0; i < 1000; i++)
        assert_int_not_equal(sls_rate_take(&b, 60, T0), 0);
    assert_int_equal(sls_rate_take(&b, 60, T0 + 1), 0);
}

static void test_full_again_after_a_minute_to_the_second(void **state)
{
    struct sls_rate_bucket b;
    (void)state;
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 60; i++)
        assert_int_equal(sls_rate_take(&b, 60, T0), 0);
    assert_false(sls_rate_is_full(&b, 60, T0 + 59));
    assert_true(sls_rate_is_full(&b, 60, T0 + 60));
    for (int i = 0; i < 60; i++)
        assert_int_equal(sls_rate_take(&b, 60, T0 + 60), 0);
    assert_int_equal(sls_rate_take(&b, 60, T0 + 60), 1);
}

static void test_slow_rates_wait_longer(void **state)
{
    struct sls_rate_bucket b;
    (void)state;
    memset(&b, 0, sizeof(b));
    /* 2 a minute: one token every 30 s. */
    assert_int_equal(sls_rate_take(&b, 2, T0), 0);
    assert_int_equal(sls_rate_take(&b, 2, T0), 0);
    assert_int_equal(sls_rate_take(&b, 2, T0), 30);
    assert_int_equal(sls_rate_take(&b, 2, T0 + 29), 1);
    assert_int_equal(sls_rate_take(&b, 2, T0 + 30), 0);
    assert_int_equal(sls_rate_take(&b, 2, T0 + 30), 30);
    /* 7 a minute: 60/7 = 8.57 s a token, so 9 whole seconds. */
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 7; i++)
        assert_int_equal(sls_rate_take(&b, 7, T0), 0);
    assert_int_equal(sls_rate_take(&b, 7, T0), 9);
    assert_int_equal(sls_rate_take(&b, 7, T0 + 8), 1);
    assert_int_equal(sls_rate_take(&b, 7, T0 + 9), 0);
}

static void test_a_clock_that_goes_back_refills_nothing(void **state)
{
    struct sls_rate_bucket b;
    (void)state;
    memset(&b, 0, sizeof(b));
    for (int i = 0; i < 60; i++)
        assert_int_equal(sls_rate_take(&b, 60, T0), 0);
    assert_int_not_equal(sls_rate_take(&b, 60, T0 - 3600), 0);
    assert_int_not_equal(sls_rate_take(&b, 60, T0), 0);
    assert_int_equal(sls_rate_take(&b, 60, T0 + 1), 0);
}

static void test_new_bucket_is_full(void **state)
{
    struct sls_rate_bucket b;
    (void)state;
    memset(&b, 0, sizeof(b));
    assert_true(sls_rate_is_full(&b, 60, T0));
    assert_int_equal(sls_rate_take(&b, 1, T0), 0);
    assert_false(sls_rate_is_full(&b, 1, T0 + 59));
    assert_true(sls_rate_is_full(&b, 1, T0 + 60));
    assert_int_equal(sls_rate_take(&b, 1, T0 + 59), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_client_spends_a_minute_at_once),
        cmocka_unit_test(test_refused_requests_take_nothing),
        cmocka_unit_test(test_full_again_after_a_minute_to_the_second),
        cmocka_unit_test(test_slow_rates_wait_longer),
        cmocka_unit_test(test_a_clock_that_goes_back_refills_nothing),
        cmocka_unit_test(test_new_bucket_is_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
