/* Tests of src/core/online_card.c: who may manage a card, the 21-day window
 * from activation to the second, activation indexes and cell shapes, how
 * many cards one temporary passcode may ask for, and what a card's record
 * lets its user do. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/online_card.h"

#define T0 ((sls_time)1795305600) /* 2026-11-22T00:00:00Z */

static void test_only_temporary_passcode_sessions_manage(void **state)
{
    (void)state;
    assert_true(sls_online_card_session_may_manage(SLS_DEVICE_TEMP_PASSCODE));
    assert_false(sls_online_card_session_may_manage(SLS_DEVICE_ONLINE_CARD));
    assert_false(sls_online_card_session_may_manage(SLS_DEVICE_DSC_PLUS));
    assert_false(sls_online_card_session_may_manage(SLS_DEVICE_SCC));
    assert_false(sls_online_card_session_may_manage(SLS_DEVICE_NONE));
}

/* Active 21 days from activation: 21 d - 1 s works, 21 d does not. */
static void test_lifetime_boundary(void **state)
{
    (void)state;
    struct sls_access_policy p;
    sls_time until;

    sls_access_policy_default(&p);
    until = sls_online_card_expires_at(T0, &p);
    assert_int_equal(until, T0 + 21 * SLS_DAY);
    assert_int_equal(sls_access_for_factor(SLS_DEVICE_ONLINE_CARD, SLS_PLATFORM_TRADING, T0, &p,
                                           T0 + 21 * SLS_DAY - 1),
                     SLS_ACCESS_FULL);
    assert_int_equal(sls_access_for_factor(SLS_DEVICE_ONLINE_CARD, SLS_PLATFORM_PORTAL, T0, &p,
                                           T0 + 21 * SLS_DAY - 1),
                     SLS_ACCESS_FULL);
    assert_int_equal(sls_access_for_factor(SLS_DEVICE_ONLINE_CARD, SLS_PLATFORM_TRADING, T0, &p,
                                           T0 + 21 * SLS_DAY),
                     SLS_ACCESS_REFUSED);
    assert_int_equal(sls_access_for_factor(SLS_DEVICE_ONLINE_CARD, SLS_PLATFORM_PORTAL, T0, &p,
                                           T0 + 21 * SLS_DAY),
                     SLS_ACCESS_REFUSED);
    /* The session follows the same window. */
    assert_int_equal(sls_access_session(SLS_ACCESS_FULL, SLS_DEVICE_ONLINE_CARD,
                                        SLS_PLATFORM_PORTAL, T0, &p, T0 + 21 * SLS_DAY - 1),
                     SLS_ACCESS_FULL);
    assert_int_equal(sls_access_session(SLS_ACCESS_FULL, SLS_DEVICE_ONLINE_CARD,
                                        SLS_PLATFORM_PORTAL, T0, &p, T0 + 21 * SLS_DAY),
                     SLS_ACCESS_REFUSED);
}

static void test_lifetime_saturates(void **state)
{
    (void)state;
    struct sls_access_policy p;

    sls_access_policy_default(&p);
    p.online_card_lifetime = INT64_MAX;
    assert_int_equal(sls_online_card_expires_at(T0, &p), INT64_MAX);
    p.online_card_lifetime = 5;
    assert_int_equal(sls_online_card_expires_at(INT64_MAX - 5, &p), INT64_MAX);
    assert_int_equal(sls_online_card_expires_at(INT64_MAX - 6, &p), INT64_MAX - 1);
}

static void test_activation_indexes(void **state)
{
    (void)state;
    assert_true(sls_online_card_indexes_valid(1, 100));
    assert_true(sls_online_card_indexes_valid(100, 1));
    assert_true(sls_online_card_indexes_valid(12, 47));
    assert_false(sls_online_card_indexes_valid(0, 5));
    assert_false(sls_online_card_indexes_valid(5, 0));
    assert_false(sls_online_card_indexes_valid(101, 5));
    assert_false(sls_online_card_indexes_valid(5, 101));
    assert_false(sls_online_card_indexes_valid(7, 7));
}

static void test_cells_shape(void **state)
{
    (void)state;
    char cells[301];

    memset(cells, '7', 300);
    cells[300] = '\0';
    assert_true(sls_online_card_cells_valid(cells, 300));
    assert_false(sls_online_card_cells_valid(cells, 299));
    assert_false(sls_online_card_cells_valid(cells, 301));
    assert_false(sls_online_card_cells_valid(NULL, 300));
    cells[299] = 'a';
    assert_false(sls_online_card_cells_valid(cells, 300));
    cells[299] = '0';
    cells[0] = '/'; /* '0' - 1 */
    assert_false(sls_online_card_cells_valid(cells, 300));
    cells[0] = ':'; /* '9' + 1 */
    assert_false(sls_online_card_cells_valid(cells, 300));
}

/* n online cards created at `at`, followed by other records. */
static size_t cards_at(struct sls_online_card_held *d, size_t n, sls_time at)
{
    for (size_t i = 0; i < n; i++) {
        d[i].type = SLS_DEVICE_ONLINE_CARD;
        d[i].created_at = at;
    }
    return n;
}

/* Ten cards per passcode: the tenth is refused, counted from the second the
 * passcode was created (a card of the second before is an older passcode's). */
static void test_issue_limit_per_passcode(void **state)
{
    (void)state;
    struct sls_online_card_held d[20];
    size_t n;

    n = cards_at(d, SLS_ONLINE_CARD_MAX_PER_PASSCODE - 1, T0);
    assert_true(sls_online_card_issue_allowed(T0, d, n, 64));
    n = cards_at(d, SLS_ONLINE_CARD_MAX_PER_PASSCODE, T0);
    assert_false(sls_online_card_issue_allowed(T0, d, n, 64));
    assert_int_equal(SLS_ONLINE_CARD_MAX_PER_PASSCODE, 10);
    /* The tenth card created one second before the passcode does not count. */
    d[n - 1].created_at = T0 - 1;
    assert_true(sls_online_card_issue_allowed(T0, d, n, 64));
    d[n - 1].created_at = T0 + 1;
    assert_false(sls_online_card_issue_allowed(T0, d, n, 64));
    /* Cards of an older passcode, any number: a new passcode starts again. */
    n = cards_at(d, 20, T0 - 1);
    assert_true(sls_online_card_issue_allowed(T0, d, n, 64));
    /* Other devices do not count as cards. */
    n = cards_at(d, SLS_ONLINE_CARD_MAX_PER_PASSCODE, T0);
    d[0].type = SLS_DEVICE_TEMP_PASSCODE;
    assert_true(sls_online_card_issue_allowed(T0, d, n, 64));
    d[0].type = SLS_DEVICE_DSC_PLUS;
    assert_true(sls_online_card_issue_allowed(T0, d, n, 64));
}

/* Room for one more record: n = max - 1 is the last allowed. */
static void test_issue_needs_room(void **state)
{
    (void)state;
    struct sls_online_card_held d[5];

    for (size_t i = 0; i < 5; i++) {
        d[i].type = SLS_DEVICE_SCC;
        d[i].created_at = T0;
    }
    assert_true(sls_online_card_issue_allowed(T0, d, 4, 5));
    assert_false(sls_online_card_issue_allowed(T0, d, 5, 5));
    assert_false(sls_online_card_issue_allowed(T0, d, 5, 4));
    assert_true(sls_online_card_issue_allowed(T0, NULL, 0, 5));
    assert_false(sls_online_card_issue_allowed(T0, NULL, 0, 0));
}

static void test_card_status(void **state)
{
    (void)state;
    /* Another user's card, or another device, is unknown whatever its state. */
    assert_int_equal(sls_online_card_status(false, SLS_DEVSTATE_SHIPPED, true),
                     SLS_ONLINE_CARD_UNKNOWN);
    assert_int_equal(sls_online_card_status(false, SLS_DEVSTATE_ACTIVE, true),
                     SLS_ONLINE_CARD_UNKNOWN);
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_SHIPPED, true),
                     SLS_ONLINE_CARD_WAITING);
    /* Active: said so, whether its indexes are kept or not. */
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_ACTIVE, false),
                     SLS_ONLINE_CARD_ALREADY_ACTIVE);
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_ACTIVE, true),
                     SLS_ONLINE_CARD_ALREADY_ACTIVE);
    /* Shipped without its indexes, or inactive, lost, returned: retired. */
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_SHIPPED, false),
                     SLS_ONLINE_CARD_RETIRED);
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_INACTIVE, true),
                     SLS_ONLINE_CARD_RETIRED);
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_LOST, true),
                     SLS_ONLINE_CARD_RETIRED);
    assert_int_equal(sls_online_card_status(true, SLS_DEVSTATE_RETURNED, true),
                     SLS_ONLINE_CARD_RETIRED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_temporary_passcode_sessions_manage),
        cmocka_unit_test(test_lifetime_boundary),
        cmocka_unit_test(test_lifetime_saturates),
        cmocka_unit_test(test_activation_indexes),
        cmocka_unit_test(test_cells_shape),
        cmocka_unit_test(test_issue_limit_per_passcode),
        cmocka_unit_test(test_issue_needs_room),
        cmocka_unit_test(test_card_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
