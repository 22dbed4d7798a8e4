/* Tests of src/core/limits.c: the R33 table row by row, which row a session
 * gets, amount + used <= limit at the exact cent, and the R31 deposit cap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/limits.h"

#define USD(x) ((int64_t)(x)*100)

/* The SPEC's defaults. */
static struct sls_limit_policy policy;

static int setup(void **state)
{
    (void)state;
    sls_limit_policy_default(&policy);
    return 0;
}

static void row_is(enum sls_device_type t, enum sls_device_type name, int64_t day, int64_t five)
{
    struct sls_limit_row r = sls_limit_row_of(&policy, t);
    assert_int_equal(r.device, name);
    assert_false(r.per_day.unlimited);
    assert_false(r.per_5_days.unlimited);
    assert_int_equal(r.per_day.cents, day);
    assert_int_equal(r.per_5_days.cents, five);
}

static void test_table_rows(void **state)
{
    struct sls_limit_row r;
    (void)state;
    row_is(SLS_DEVICE_NONE, SLS_DEVICE_NONE, USD(50000), USD(100000));
    row_is(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVICE_NONE, USD(50000), USD(100000));
    row_is(SLS_DEVICE_ONLINE_CARD, SLS_DEVICE_NONE, USD(50000), USD(100000));
    row_is(SLS_DEVICE_SMS, SLS_DEVICE_SMS, USD(200000), USD(600000));
    row_is(SLS_DEVICE_SCC, SLS_DEVICE_SCC, USD(200000), USD(600000));
    row_is(SLS_DEVICE_IBKEY, SLS_DEVICE_IBKEY, USD(1000000), USD(1000000));
    row_is(SLS_DEVICE_DSC, SLS_DEVICE_DSC, USD(1000000), USD(1500000));
    /* SPEC §10.4: an authenticator app has its own row. */
    row_is(SLS_DEVICE_TOTP, SLS_DEVICE_TOTP, USD(200000), USD(600000));
    assert_string_equal(sls_limit_class_name(SLS_LIMIT_TOTP), "totp");
    r = sls_limit_row_of(&policy, SLS_DEVICE_DSC_PLUS);
    assert_true(r.per_day.unlimited && r.per_5_days.unlimited);
    r = sls_limit_row_of(&policy, SLS_DEVICE_PLATINUM);
    assert_true(r.per_day.unlimited && r.per_5_days.unlimited);
    assert_int_equal(r.device, SLS_DEVICE_PLATINUM);
    r = sls_limit_row_of(&policy, SLS_DEVICE_GOLD);
    assert_true(r.per_day.unlimited && r.per_5_days.unlimited);
    /* SPEC §10.5: a passkey has its own row, unlimited like dsc_plus. */
    r = sls_limit_row_of(&policy, SLS_DEVICE_PASSKEY);
    assert_true(r.per_day.unlimited && r.per_5_days.unlimited);
    assert_int_equal(r.device, SLS_DEVICE_PASSKEY);
    assert_string_equal(sls_limit_class_name(SLS_LIMIT_PASSKEY), "passkey");
}

/* An app between sms and ibkey: with an SMS device it is the strongest,
 * with ibkey it is not. */
static void test_totp_row_applies(void **state)
{
    struct sls_device_brief a[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE},
                                   {SLS_DEVICE_TOTP, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief b[] = {{SLS_DEVICE_TOTP, SLS_DEVSTATE_ACTIVE},
                                   {SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE}};
    (void)state;
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_SMS, a, 2), SLS_DEVICE_TOTP);
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_TOTP, b, 2), SLS_DEVICE_IBKEY);
}

static void test_which_row_applies(void **state)
{
    struct sls_device_brief devs[] = {
        {SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE},    {SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED},
        {SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE},    {SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE},
        {SLS_DEVICE_PLATINUM, SLS_DEVSTATE_LOST},
    };
    (void)state;
    /* The strongest active permanent device, whatever the session used. */
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_SMS, devs, 5), SLS_DEVICE_DSC);
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_DSC, devs, 5), SLS_DEVICE_DSC);
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_SMS, devs, 1), SLS_DEVICE_SMS);
    /* Temporary credentials, no factor, opted out: none. */
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_TEMP_PASSCODE, devs, 5), SLS_DEVICE_NONE);
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_ONLINE_CARD, devs, 5), SLS_DEVICE_NONE);
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_NONE, devs, 5), SLS_DEVICE_NONE);
    assert_int_equal(sls_limit_device(false, SLS_DEVICE_DSC, devs, 5), SLS_DEVICE_NONE);
    /* No active permanent device left. */
    assert_int_equal(sls_limit_device(true, SLS_DEVICE_DSC, devs + 3, 2), SLS_DEVICE_NONE);
}

static void test_limit_check_to_the_cent(void **state)
{
    struct sls_limit_row none = sls_limit_row_of(&policy, SLS_DEVICE_NONE);
    struct sls_limit_row dsc = sls_limit_row_of(&policy, SLS_DEVICE_DSC);
    struct sls_limit_row plus = sls_limit_row_of(&policy, SLS_DEVICE_DSC_PLUS);
    (void)state;
    assert_true(sls_limit_allows(&none, 0, 0, USD(50000)));
    assert_false(sls_limit_allows(&none, 0, 0, USD(50000) + 1));
    assert_true(sls_limit_allows(&none, USD(49999), USD(49999), USD(1)));
    assert_false(sls_limit_allows(&none, USD(49999), USD(49999), USD(1) + 1));
    /* The day has room but the 5 days do not. */
    assert_true(sls_limit_allows(&none, 0, USD(50000), USD(50000)));
    assert_false(sls_limit_allows(&none, 0, USD(50000) + 1, USD(50000)));
    assert_false(sls_limit_allows(&dsc, 0, USD(1500000), 1));
    assert_true(sls_limit_allows(&dsc, 0, USD(1500000) - 1, 1));
    /* Used beyond the limit (a lower row now) leaves nothing. */
    assert_false(sls_limit_allows(&none, USD(900000), 0, 1));
    /* Unlimited, but never zero or negative amounts, nor overflow. */
    assert_true(sls_limit_allows(&plus, INT64_MAX / 2, INT64_MAX / 2, INT64_MAX / 2));
    assert_false(sls_limit_allows(&plus, 0, 0, 0));
    assert_false(sls_limit_allows(&none, 0, 0, -5));
    assert_false(sls_limit_allows(&none, 1, 1, INT64_MAX));
}

static void test_remaining(void **state)
{
    struct sls_limit_row none = sls_limit_row_of(&policy, SLS_DEVICE_NONE);
    struct sls_limit_row plus = sls_limit_row_of(&policy, SLS_DEVICE_GOLD);
    struct sls_limit r;
    (void)state;
    r = sls_limit_remaining(none.per_day, USD(20000));
    assert_false(r.unlimited);
    assert_int_equal(r.cents, USD(30000));
    r = sls_limit_remaining(none.per_day, USD(60000));
    assert_int_equal(r.cents, 0);
    r = sls_limit_remaining(plus.per_day, USD(60000));
    assert_true(r.unlimited);
}

static void test_deposit_cap(void **state)
{
    int64_t cap = policy.deposit_cap_cents;
    (void)state;
    assert_int_equal(cap, USD(20000));
    assert_int_equal(SLS_DEPOSIT_CAP_DEFAULT_CENTS, USD(20000));
    assert_true(sls_deposit_allows(cap, false, true, 0, USD(20000)));
    assert_false(sls_deposit_allows(cap, false, true, 0, USD(20000) + 1));
    assert_true(sls_deposit_allows(cap, false, true, USD(19999), USD(1)));
    assert_false(sls_deposit_allows(cap, false, true, USD(19999), USD(1) + 1));
    assert_true(sls_deposit_allows(cap, false, false, USD(900000), USD(900000))); /* wire */
    assert_true(sls_deposit_allows(cap, true, true, USD(900000), USD(900000)));   /* inside SLS */
    assert_false(sls_deposit_allows(cap, true, true, 0, 0));
    /* Another cap, to the cent; 0 refuses every ACH/EFT deposit outside SLS. */
    assert_true(sls_deposit_allows(USD(5000), false, true, USD(4000), USD(1000)));
    assert_false(sls_deposit_allows(USD(5000), false, true, USD(4000), USD(1000) + 1));
    assert_false(sls_deposit_allows(0, false, true, 0, 1));
    assert_true(sls_deposit_allows(0, false, false, 0, 1));
}

static void test_configured_rows(void **state)
{
    struct sls_limit_policy p;
    struct sls_limit_row r;
    (void)state;
    sls_limit_policy_default(&p);
    p.per_day[SLS_LIMIT_SMS].cents = USD(1234);
    p.per_5_days[SLS_LIMIT_DSC_PLUS].unlimited = false;
    p.per_5_days[SLS_LIMIT_DSC_PLUS].cents = USD(9000000);
    r = sls_limit_row_of(&p, SLS_DEVICE_SMS);
    assert_int_equal(r.per_day.cents, USD(1234));
    assert_int_equal(r.per_5_days.cents, USD(600000));
    /* scc has a row of its own. */
    assert_int_equal(sls_limit_row_of(&p, SLS_DEVICE_SCC).per_day.cents, USD(200000));
    r = sls_limit_row_of(&p, SLS_DEVICE_GOLD);
    assert_true(r.per_day.unlimited);
    assert_false(r.per_5_days.unlimited);
    assert_int_equal(r.per_5_days.cents, USD(9000000));
    assert_true(sls_limit_allows(&r, 0, USD(9000000) - 1, 1));
    assert_false(sls_limit_allows(&r, 0, USD(9000000), 1));
    assert_string_equal(sls_limit_class_name(SLS_LIMIT_DSC_PLUS), "dsc_plus");
    assert_string_equal(sls_limit_class_name(SLS_LIMIT_NONE), "none");
    assert_null(sls_limit_class_name(SLS_LIMIT__COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_rows),       cmocka_unit_test(test_which_row_applies),
        cmocka_unit_test(test_totp_row_applies), cmocka_unit_test(test_limit_check_to_the_cent),
        cmocka_unit_test(test_remaining),        cmocka_unit_test(test_deposit_cap),
        cmocka_unit_test(test_configured_rows),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
