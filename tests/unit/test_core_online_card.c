/* Tests of src/core/online_card.c: who may manage a card, the 21-day window
 * from activation to the second, activation indexes and cell shapes. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_temporary_passcode_sessions_manage),
        cmocka_unit_test(test_lifetime_boundary),
        cmocka_unit_test(test_lifetime_saturates),
        cmocka_unit_test(test_activation_indexes),
        cmocka_unit_test(test_cells_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
