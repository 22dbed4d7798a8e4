/* Tests of src/core/hashing_share.c: how the hashing places of SPEC §10.2
 * are shared between client addresses, at their boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/hashing_share.h"

static void test_an_address_holds_at_most_its_share(void **state)
{
    struct sls_hashing_limits lim = {.places = 8, .per_address = 2};
    struct sls_hashing_load load = {.admitted = 2, .admitted_busy = 0};
    (void)state;
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, false), SLS_HASHING_ADMIT);
    assert_int_equal(sls_hashing_admit(&lim, &load, 1, false), SLS_HASHING_ADMIT);
    assert_int_equal(sls_hashing_admit(&lim, &load, 2, false), SLS_HASHING_ADDRESS_FULL);
    assert_int_equal(sls_hashing_admit(&lim, &load, 3, true), SLS_HASHING_ADDRESS_FULL);
    lim.per_address = 1;
    assert_int_equal(sls_hashing_admit(&lim, &load, 1, false), SLS_HASHING_ADDRESS_FULL);
}

static void test_no_place_past_hashing_and_its_queue(void **state)
{
    struct sls_hashing_limits lim = {.places = 8, .per_address = 1};
    struct sls_hashing_load load = {.admitted = 7, .admitted_busy = 0};
    (void)state;
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, false), SLS_HASHING_ADMIT);
    load.admitted = 8;
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, false), SLS_HASHING_FULL);
}

static void test_busy_addresses_leave_half_the_places_to_the_others(void **state)
{
    struct sls_hashing_limits lim = {.places = 8, .per_address = 1};
    struct sls_hashing_load load = {.admitted = 3, .admitted_busy = 3};
    (void)state;
    assert_int_equal(sls_hashing_busy_share(&lim), 4);
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, true), SLS_HASHING_ADMIT);
    load.admitted = load.admitted_busy = 4;
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, true), SLS_HASHING_FULL);
    /* An address that asks now and then still finds the other half. */
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, false), SLS_HASHING_ADMIT);
    load.admitted = 7;
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, false), SLS_HASHING_ADMIT);
    /* Odd counts round in favour of the busy share; one place is never
     * taken from them. */
    lim.places = 5;
    assert_int_equal(sls_hashing_busy_share(&lim), 3);
    lim.places = 1;
    assert_int_equal(sls_hashing_busy_share(&lim), 1);
    load.admitted = load.admitted_busy = 0;
    assert_int_equal(sls_hashing_admit(&lim, &load, 0, true), SLS_HASHING_ADMIT);
}

static void test_busy_means_more_than_half_the_budget_spent(void **state)
{
    (void)state;
    /* 60 a minute: 30 tokens left is half spent, not more. */
    assert_false(sls_hashing_address_busy(60000, 60));
    assert_false(sls_hashing_address_busy(30000, 60));
    assert_true(sls_hashing_address_busy(29999, 60));
    assert_true(sls_hashing_address_busy(0, 60));
    /* 1 a minute: the only token spent is all of it. */
    assert_false(sls_hashing_address_busy(1000, 1));
    assert_true(sls_hashing_address_busy(0, 1));
}

static void test_the_queue_serves_quiet_addresses_first(void **state)
{
    struct sls_hashing_waiter w[3] = {
        {.busy = true, .hashing = 0, .arrival = 1},
        {.busy = true, .hashing = 0, .arrival = 2},
        {.busy = false, .hashing = 1, .arrival = 3},
    };
    (void)state;
    assert_int_equal(sls_hashing_next(w, 3, true), 2);
    w[2].busy = true;
    /* All busy: the address with nothing hashing goes first, the earliest. */
    assert_int_equal(sls_hashing_next(w, 3, true), 0);
}

static void test_the_queue_serves_the_fewest_hashing_then_the_earliest(void **state)
{
    struct sls_hashing_waiter w[4] = {
        {.busy = false, .hashing = 2, .arrival = 1},
        {.busy = false, .hashing = 1, .arrival = 4},
        {.busy = false, .hashing = 1, .arrival = 3},
        {.busy = false, .hashing = 2, .arrival = 2},
    };
    (void)state;
    assert_int_equal(sls_hashing_next(w, 4, true), 2);
    assert_int_equal(sls_hashing_next(w, 2, true), 1);
    assert_int_equal(sls_hashing_next(w, 1, true), 0);
    w[3].hashing = 0;
    assert_int_equal(sls_hashing_next(w, 4, true), 3);
}

static void test_busy_addresses_hash_in_half_the_slots(void **state)
{
    struct sls_hashing_waiter w[3] = {
        {.busy = true, .hashing = 0, .arrival = 1},
        {.busy = false, .hashing = 0, .arrival = 2},
        {.busy = true, .hashing = 0, .arrival = 3},
    };
    (void)state;
    assert_int_equal(sls_hashing_busy_slots(4), 2);
    assert_int_equal(sls_hashing_busy_slots(3), 2);
    assert_int_equal(sls_hashing_busy_slots(2), 1);
    assert_int_equal(sls_hashing_busy_slots(1), 1);
    /* Their half taken: the quiet waiter may go, the busy ones may not. */
    assert_int_equal(sls_hashing_next(w, 3, false), 1);
    w[1].busy = true;
    assert_int_equal(sls_hashing_next(w, 3, false), 3);
    assert_int_equal(sls_hashing_next(w, 3, true), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_address_holds_at_most_its_share),
        cmocka_unit_test(test_no_place_past_hashing_and_its_queue),
        cmocka_unit_test(test_busy_addresses_leave_half_the_places_to_the_others),
        cmocka_unit_test(test_busy_means_more_than_half_the_budget_spent),
        cmocka_unit_test(test_the_queue_serves_quiet_addresses_first),
        cmocka_unit_test(test_the_queue_serves_the_fewest_hashing_then_the_earliest),
        cmocka_unit_test(test_busy_addresses_hash_in_half_the_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
