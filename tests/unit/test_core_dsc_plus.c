/* Tests of src/core/dsc_plus.c: who may order a DSC+ (R21) and what an
 * order comes to, the estimated ship date, auto-activation and its notices
 * to the second, the deposit hold by the card's end state, and which devices
 * are returned at the desk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/dsc_plus.h"
#include "core/error.h"

/* 2026-11-20 09:00:00 UTC, a Friday. */
#define FRI_0900 ((sls_time)1795165200)

static struct sls_dsc_plus_policy policy(void)
{
    struct sls_dsc_plus_policy p;
    sls_dsc_plus_policy_default(&p);
    return p;
}

static void test_defaults(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    assert_int_equal(p.equity_min_cents, 100000000);
    assert_int_equal(p.hold_cents, 2000);
    assert_int_equal(p.auto_activation, 21 * SLS_DAY);
    assert_int_equal(p.first_notice, 3 * SLS_DAY);
    assert_int_equal(p.last_notice, 1 * SLS_DAY);
}

static void test_eligibility_by_equity(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    struct sls_device_brief sms = {SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE};
    assert_int_equal(sls_dsc_plus_eligibility(100000000, &sms, 1, false, &p),
                     SLS_DSC_PLUS_ELIGIBLE_EQUITY);
    assert_int_equal(sls_dsc_plus_eligibility(99999999, &sms, 1, false, &p),
                     SLS_DSC_PLUS_NOT_ELIGIBLE);
    assert_int_equal(sls_dsc_plus_eligibility(0, NULL, 0, false, &p), SLS_DSC_PLUS_NOT_ELIGIBLE);
}

static void test_eligibility_by_replacement(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    static const enum sls_device_type replaced[] = {SLS_DEVICE_DSC_PLUS, SLS_DEVICE_PLATINUM,
                                                    SLS_DEVICE_GOLD};
    for (size_t i = 0; i < 3; i++) {
        struct sls_device_brief lost = {replaced[i], SLS_DEVSTATE_LOST};
        struct sls_device_brief returned = {replaced[i], SLS_DEVSTATE_RETURNED};
        struct sls_device_brief active = {replaced[i], SLS_DEVSTATE_ACTIVE};
        assert_int_equal(sls_dsc_plus_eligibility(0, &lost, 1, false, &p),
                         SLS_DSC_PLUS_ELIGIBLE_REPLACEMENT);
        assert_int_equal(sls_dsc_plus_eligibility(0, &returned, 1, false, &p),
                         SLS_DSC_PLUS_ELIGIBLE_REPLACEMENT);
        assert_int_equal(sls_dsc_plus_eligibility(0, &active, 1, false, &p),
                         SLS_DSC_PLUS_NOT_ELIGIBLE);
    }
    /* A lost dsc, scc or ibkey is replaced by a DSC+ only with the equity. */
    struct sls_device_brief others[] = {{SLS_DEVICE_DSC, SLS_DEVSTATE_LOST},
                                        {SLS_DEVICE_SCC, SLS_DEVSTATE_LOST},
                                        {SLS_DEVICE_IBKEY, SLS_DEVSTATE_LOST}};
    assert_int_equal(sls_dsc_plus_eligibility(0, others, 3, false, &p), SLS_DSC_PLUS_NOT_ELIGIBLE);
}

static void test_open_order_refused_first(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    assert_int_equal(sls_dsc_plus_eligibility(500000000, NULL, 0, true, &p),
                     SLS_DSC_PLUS_ORDER_OPEN);
}

static void test_estimated_ship_next_business_day(void **state)
{
    (void)state;
    /* Friday -> Monday 2026-11-23 00:00 UTC. */
    assert_int_equal(sls_dsc_plus_estimated_ship(FRI_0900), (sls_time)1795392000);
    /* Saturday and Sunday -> Monday as well. */
    assert_int_equal(sls_dsc_plus_estimated_ship(FRI_0900 + SLS_DAY), (sls_time)1795392000);
    assert_int_equal(sls_dsc_plus_estimated_ship(FRI_0900 + 2 * SLS_DAY), (sls_time)1795392000);
    /* Monday 00:00:00 -> Tuesday; Monday 23:59:59 -> Tuesday. */
    assert_int_equal(sls_dsc_plus_estimated_ship(1795392000), (sls_time)1795392000 + SLS_DAY);
    assert_int_equal(sls_dsc_plus_estimated_ship(1795392000 + SLS_DAY - 1),
                     (sls_time)1795392000 + SLS_DAY);
}

static void test_auto_activation_at_21_days_half_open(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    sls_time shipped = FRI_0900;
    assert_int_equal(sls_dsc_plus_auto_activation_at(shipped, &p), shipped + 21 * SLS_DAY);
    assert_false(sls_dsc_plus_auto_activation_due(shipped, &p, shipped));
    assert_false(sls_dsc_plus_auto_activation_due(shipped, &p, shipped + 21 * SLS_DAY - 1));
    assert_true(sls_dsc_plus_auto_activation_due(shipped, &p, shipped + 21 * SLS_DAY));
    assert_true(sls_dsc_plus_auto_activation_due(shipped, &p, shipped + 400 * SLS_DAY));
}

static void test_notice_instants(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    sls_time shipped = FRI_0900;
    assert_int_equal(sls_dsc_plus_notice_at(shipped, SLS_DSC_PLUS_NOTICE_FIRST, &p),
                     shipped + 18 * SLS_DAY);
    assert_int_equal(sls_dsc_plus_notice_at(shipped, SLS_DSC_PLUS_NOTICE_LAST, &p),
                     shipped + 20 * SLS_DAY);
}

static void test_notices_due_to_the_second(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    sls_time s = FRI_0900;
    assert_int_equal(sls_dsc_plus_notices_due(s, 0, &p, s), 0);
    assert_int_equal(sls_dsc_plus_notices_due(s, 0, &p, s + 18 * SLS_DAY - 1), 0);
    assert_int_equal(sls_dsc_plus_notices_due(s, 0, &p, s + 18 * SLS_DAY),
                     SLS_DSC_PLUS_NOTICE_FIRST);
    /* Sent once: never due again. */
    assert_int_equal(sls_dsc_plus_notices_due(s, SLS_DSC_PLUS_NOTICE_FIRST, &p, s + 19 * SLS_DAY),
                     0);
    assert_int_equal(
        sls_dsc_plus_notices_due(s, SLS_DSC_PLUS_NOTICE_FIRST, &p, s + 20 * SLS_DAY - 1), 0);
    assert_int_equal(sls_dsc_plus_notices_due(s, SLS_DSC_PLUS_NOTICE_FIRST, &p, s + 20 * SLS_DAY),
                     SLS_DSC_PLUS_NOTICE_LAST);
    assert_int_equal(
        sls_dsc_plus_notices_due(s, SLS_DSC_PLUS_NOTICE_FIRST, &p, s + 21 * SLS_DAY - 1),
        SLS_DSC_PLUS_NOTICE_LAST);
    assert_int_equal(sls_dsc_plus_notices_due(s,
                                              SLS_DSC_PLUS_NOTICE_FIRST | SLS_DSC_PLUS_NOTICE_LAST,
                                              &p, s + 21 * SLS_DAY - 1),
                     0);
}

static void test_no_notice_once_activation_is_due(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    sls_time s = FRI_0900;
    assert_int_equal(sls_dsc_plus_notices_due(s, 0, &p, s + 21 * SLS_DAY), 0);
}

static void test_stale_first_notice_skipped(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    sls_time s = FRI_0900;
    /* Stopped over day 18: at day 20 only the last notice goes out, both are settled. */
    assert_int_equal(sls_dsc_plus_notices_due(s, 0, &p, s + 20 * SLS_DAY),
                     SLS_DSC_PLUS_NOTICE_LAST);
    assert_int_equal(sls_dsc_plus_notices_settled(s, 0, &p, s + 20 * SLS_DAY),
                     SLS_DSC_PLUS_NOTICE_FIRST | SLS_DSC_PLUS_NOTICE_LAST);
    assert_int_equal(sls_dsc_plus_notices_settled(s, 0, &p, s + 18 * SLS_DAY),
                     SLS_DSC_PLUS_NOTICE_FIRST);
    assert_int_equal(sls_dsc_plus_notices_settled(s, 0, &p, s + 18 * SLS_DAY - 1), 0);
}

static void test_hold_by_end_state(void **state)
{
    (void)state;
    assert_int_equal(sls_dsc_plus_hold_state(true, SLS_DEVSTATE_SHIPPED, SLS_ACCOUNT_APPROVED),
                     SLS_DSC_PLUS_HOLD_HELD);
    assert_int_equal(sls_dsc_plus_hold_state(true, SLS_DEVSTATE_ACTIVE, SLS_ACCOUNT_APPROVED),
                     SLS_DSC_PLUS_HOLD_HELD);
    assert_int_equal(sls_dsc_plus_hold_state(true, SLS_DEVSTATE_RETURNED, SLS_ACCOUNT_APPROVED),
                     SLS_DSC_PLUS_HOLD_RELEASED);
    assert_int_equal(sls_dsc_plus_hold_state(true, SLS_DEVSTATE_LOST, SLS_ACCOUNT_APPROVED),
                     SLS_DSC_PLUS_HOLD_KEPT);
    assert_int_equal(sls_dsc_plus_hold_state(true, SLS_DEVSTATE_ACTIVE, SLS_ACCOUNT_CLOSED),
                     SLS_DSC_PLUS_HOLD_KEPT);
    /* Returned before (or after) the account closed: released. */
    assert_int_equal(sls_dsc_plus_hold_state(true, SLS_DEVSTATE_RETURNED, SLS_ACCOUNT_CLOSED),
                     SLS_DSC_PLUS_HOLD_RELEASED);
    assert_int_equal(sls_dsc_plus_hold_state(false, SLS_DEVSTATE_SHIPPED, SLS_ACCOUNT_APPROVED),
                     SLS_DSC_PLUS_HOLD_HELD);
    assert_int_equal(sls_dsc_plus_hold_state(false, SLS_DEVSTATE_SHIPPED, SLS_ACCOUNT_CLOSED),
                     SLS_DSC_PLUS_HOLD_RELEASED);
    assert_string_equal(sls_dsc_plus_hold_name(SLS_DSC_PLUS_HOLD_KEPT), "kept");
    assert_string_equal(sls_dsc_plus_hold_name(SLS_DSC_PLUS_HOLD_RELEASED), "released");
    assert_string_equal(sls_dsc_plus_hold_name(SLS_DSC_PLUS_HOLD_HELD), "held");
}

static void test_return_check(void **state)
{
    (void)state;
    assert_int_equal(sls_device_return_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE),
                     SLS_DEVICE_RETURN_OK);
    /* A card still on its way back to the desk is returned too. */
    assert_int_equal(sls_device_return_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED),
                     SLS_DEVICE_RETURN_OK);
    assert_int_equal(sls_device_return_check(SLS_DEVICE_PLATINUM, SLS_DEVSTATE_INACTIVE),
                     SLS_DEVICE_RETURN_OK);
    /* Nothing physical comes back for these. */
    assert_int_equal(sls_device_return_check(SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE),
                     SLS_DEVICE_RETURN_NOT_PHYSICAL);
    assert_int_equal(sls_device_return_check(SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE),
                     SLS_DEVICE_RETURN_NOT_PHYSICAL);
    assert_int_equal(sls_device_return_check(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE),
                     SLS_DEVICE_RETURN_NOT_PHYSICAL);
    assert_int_equal(sls_device_return_check(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_LOST),
                     SLS_DEVICE_RETURN_NOT_PHYSICAL);
    /* Lost keeps its deposit even when found later (R21). */
    assert_int_equal(sls_device_return_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST),
                     SLS_DEVICE_RETURN_LOST);
    assert_int_equal(sls_device_return_check(SLS_DEVICE_GOLD, SLS_DEVSTATE_RETURNED),
                     SLS_DEVICE_RETURN_ALREADY);
}

static void test_order_open(void **state)
{
    (void)state;
    /* Not shipped yet: open, whatever a card would say. */
    assert_true(sls_dsc_plus_order_open(false, false, false, SLS_DEVSTATE_ACTIVE));
    /* Shipped: open while its card is still shipped. */
    assert_true(sls_dsc_plus_order_open(true, false, true, SLS_DEVSTATE_SHIPPED));
    assert_false(sls_dsc_plus_order_open(true, false, true, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_dsc_plus_order_open(true, false, true, SLS_DEVSTATE_LOST));
    assert_false(sls_dsc_plus_order_open(true, false, true, SLS_DEVSTATE_RETURNED));
    assert_false(sls_dsc_plus_order_open(true, false, false, SLS_DEVSTATE_SHIPPED));
    /* Settled: closed. */
    assert_false(sls_dsc_plus_order_open(true, true, true, SLS_DEVSTATE_SHIPPED));
}

static struct sls_dsc_plus_order_facts rich(void)
{
    struct sls_dsc_plus_order_facts f = {100000000, NULL, 0, false, true, true, false};
    return f;
}

static void test_order_decided_in_order(void **state)
{
    (void)state;
    struct sls_dsc_plus_policy p = policy();
    struct sls_device_brief lost = {SLS_DEVICE_GOLD, SLS_DEVSTATE_LOST};
    struct sls_dsc_plus_order_facts f = rich();
    struct sls_dsc_plus_order_verdict v;

    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_OK);
    assert_int_equal(v.why, SLS_DSC_PLUS_ELIGIBLE_EQUITY);
    assert_string_equal(v.reason, "equity");
    /* Equity one cent short, with nothing to replace: not eligible (403). */
    f.equity_cents = p.equity_min_cents - 1;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_ERR_NOT_ELIGIBLE);
    assert_null(v.message);
    assert_non_null(v.hint);
    assert_null(v.reason);
    /* The lost Gold card makes it a replacement. */
    f.devices = &lost;
    f.ndevices = 1;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_OK);
    assert_string_equal(v.reason, "replacement");
    /* An open order comes first, before eligibility or anything else. */
    f.open_order = true;
    f.equity_cents = 0;
    f.ndevices = 0;
    f.has_address = false;
    f.deposit_own = false;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_ERR_CONFLICT);
    /* Then eligibility before the address. */
    f.open_order = false;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_ERR_NOT_ELIGIBLE);
    /* Then the address before the deposit account. */
    f.equity_cents = p.equity_min_cents;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_ERR_BAD_REQUEST);
    assert_non_null(strstr(v.message, "'address'"));
    f.has_address = true;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_ERR_BAD_REQUEST);
    assert_non_null(strstr(v.message, "'deposit_account'"));
    /* Another account of the same person carries the deposit. */
    f.deposit_same_identity = true;
    assert_int_equal(sls_dsc_plus_order_decide(&f, &p, &v), SLS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_eligibility_by_equity),
        cmocka_unit_test(test_eligibility_by_replacement),
        cmocka_unit_test(test_open_order_refused_first),
        cmocka_unit_test(test_estimated_ship_next_business_day),
        cmocka_unit_test(test_auto_activation_at_21_days_half_open),
        cmocka_unit_test(test_notice_instants),
        cmocka_unit_test(test_notices_due_to_the_second),
        cmocka_unit_test(test_no_notice_once_activation_is_due),
        cmocka_unit_test(test_stale_first_notice_skipped),
        cmocka_unit_test(test_hold_by_end_state),
        cmocka_unit_test(test_return_check),
        cmocka_unit_test(test_order_open),
        cmocka_unit_test(test_order_decided_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
