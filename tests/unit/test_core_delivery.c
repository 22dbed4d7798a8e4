/* Tests of src/core/delivery.c: the backoff of message delivery, doubling
 * from retry_initial up to retry_max, and giving up at max_attempts, to the
 * second; and how long settled messages are kept (SPEC §10.3), to the
 * second. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/delivery.h"

#define T0 ((sls_time)1795305600) /* 2026-11-22T00:00:00Z */

static struct sls_delivery_policy policy(int max_attempts, sls_time initial, sls_time max)
{
    struct sls_delivery_policy p = {max_attempts, initial, max};
    return p;
}

static void test_defaults(void **state)
{
    struct sls_delivery_policy p;

    (void)state;
    sls_delivery_policy_default(&p);
    assert_int_equal(p.max_attempts, 10);
    assert_int_equal(p.retry_initial, 10);
    assert_int_equal(p.retry_max, 3600);
}

static void test_backoff_doubles_then_caps(void **state)
{
    struct sls_delivery_policy p;

    (void)state;
    sls_delivery_policy_default(&p);
    /* 10, 20, 40 ... 2560, then 5120 is over the hour: 3600 from the 10th on. */
    assert_int_equal(sls_delivery_backoff(&p, 1), 10);
    assert_int_equal(sls_delivery_backoff(&p, 2), 20);
    assert_int_equal(sls_delivery_backoff(&p, 3), 40);
    assert_int_equal(sls_delivery_backoff(&p, 9), 2560);
    assert_int_equal(sls_delivery_backoff(&p, 10), 3600);
    assert_int_equal(sls_delivery_backoff(&p, 11), 3600);
}

static void test_backoff_cap_reached_exactly(void **state)
{
    struct sls_delivery_policy p = policy(10, 10, 40);

    (void)state;
    assert_int_equal(sls_delivery_backoff(&p, 2), 20);
    assert_int_equal(sls_delivery_backoff(&p, 3), 40); /* the cap itself */
    assert_int_equal(sls_delivery_backoff(&p, 4), 40);

    /* A cap that is not a power-of-two multiple: 10, 20, 40, then 45. */
    p = policy(10, 10, 45);
    assert_int_equal(sls_delivery_backoff(&p, 3), 40);
    assert_int_equal(sls_delivery_backoff(&p, 4), 45);
}

static void test_backoff_flat_when_initial_is_the_cap(void **state)
{
    struct sls_delivery_policy p = policy(5, 30, 30);

    (void)state;
    assert_int_equal(sls_delivery_backoff(&p, 1), 30);
    assert_int_equal(sls_delivery_backoff(&p, 4), 30);
    /* An initial delay above the cap is cut to it. */
    p = policy(5, 100, 60);
    assert_int_equal(sls_delivery_backoff(&p, 1), 60);
}

static void test_backoff_odd_counts(void **state)
{
    struct sls_delivery_policy p = policy(10, 10, 3600);

    (void)state;
    assert_int_equal(sls_delivery_backoff(&p, 0), 10);
    assert_int_equal(sls_delivery_backoff(&p, -5), 10);
    assert_int_equal(sls_delivery_backoff(&p, 2147483647), 3600);
}

static void test_backoff_never_overflows(void **state)
{
    struct sls_delivery_policy p = policy(1000, 1, INT64_MAX);

    (void)state;
    assert_int_equal(sls_delivery_backoff(&p, 63), (sls_time)1 << 62);
    assert_int_equal(sls_delivery_backoff(&p, 64), INT64_MAX);
    assert_int_equal(sls_delivery_backoff(&p, 1000), INT64_MAX);

    /* The instant of the next attempt saturates too. */
    sls_time next = 0;
    assert_int_equal(sls_delivery_after_failure(&p, 64, T0, &next), SLS_DELIVERY_RETRY);
    assert_int_equal(next, INT64_MAX);
}

static void test_retry_until_max_attempts(void **state)
{
    struct sls_delivery_policy p = policy(4, 10, 3600);
    sls_time next = 0;

    (void)state;
    assert_int_equal(sls_delivery_after_failure(&p, 1, T0, &next), SLS_DELIVERY_RETRY);
    assert_int_equal(next, T0 + 10);
    assert_int_equal(sls_delivery_after_failure(&p, 2, T0 + 10, &next), SLS_DELIVERY_RETRY);
    assert_int_equal(next, T0 + 30);
    /* The last failure before the limit still gets its delay... */
    assert_int_equal(sls_delivery_after_failure(&p, 3, T0 + 30, &next), SLS_DELIVERY_RETRY);
    assert_int_equal(next, T0 + 70);
    /* ...the one that reaches it gives up and leaves next_at alone. */
    next = 12345;
    assert_int_equal(sls_delivery_after_failure(&p, 4, T0 + 70, &next), SLS_DELIVERY_GIVE_UP);
    assert_int_equal(next, 12345);
    assert_int_equal(sls_delivery_after_failure(&p, 5, T0 + 70, &next), SLS_DELIVERY_GIVE_UP);
}

static void test_one_attempt_only(void **state)
{
    struct sls_delivery_policy p = policy(1, 10, 3600);
    sls_time next = 0;

    (void)state;
    assert_int_equal(sls_delivery_after_failure(&p, 1, T0, &next), SLS_DELIVERY_GIVE_UP);
    assert_int_equal(next, 0);
}

/* SPEC §10.3 retention: 29 d 23:59:59 after settling a message is kept, 30 d
 * is deleted; the cutoff is the latest done_at deleted. */
static void test_retention_to_the_second(void **state)
{
    const sls_time r = SLS_DELIVERY_RETENTION_DEFAULT;

    (void)state;
    assert_int_equal(r, 30 * 86400);
    assert_false(sls_delivery_expired(T0, r, T0 + 30 * 86400 - 1));
    assert_true(sls_delivery_expired(T0, r, T0 + 30 * 86400));
    assert_true(sls_delivery_expired(T0, r, T0 + 31 * 86400));
    assert_false(sls_delivery_expired(T0, r, T0));
    assert_int_equal(sls_delivery_purge_cutoff(r, T0 + 30 * 86400), T0);
    /* A retention of one second: settled in the previous second goes. */
    assert_false(sls_delivery_expired(T0, 1, T0));
    assert_true(sls_delivery_expired(T0, 1, T0 + 1));
}

static void test_retention_cutoff_never_overflows(void **state)
{
    (void)state;
    assert_int_equal(sls_delivery_purge_cutoff(SLS_DELIVERY_RETENTION_DEFAULT, INT64_MIN + 5),
                     INT64_MIN);
    assert_false(sls_delivery_expired(0, SLS_DELIVERY_RETENTION_DEFAULT, INT64_MIN + 5));
    assert_int_equal(sls_delivery_purge_cutoff(-10, INT64_MAX - 5), INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_backoff_doubles_then_caps),
        cmocka_unit_test(test_backoff_cap_reached_exactly),
        cmocka_unit_test(test_backoff_flat_when_initial_is_the_cap),
        cmocka_unit_test(test_backoff_odd_counts),
        cmocka_unit_test(test_backoff_never_overflows),
        cmocka_unit_test(test_retry_until_max_attempts),
        cmocka_unit_test(test_one_attempt_only),
        cmocka_unit_test(test_retention_to_the_second),
        cmocka_unit_test(test_retention_cutoff_never_overflows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
