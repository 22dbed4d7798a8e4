/* Tests of src/core/session_policy.c: R10 session lifetimes at their
 * boundary second, sliding portal sessions, platform names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/session_policy.h"

#define T0 ((sls_time)1795363200)

static struct sls_session_policy defaults(void)
{
    struct sls_session_policy p;
    sls_session_policy_default(&p);
    return p;
}

static void test_defaults(void **state)
{
    (void)state;
    struct sls_session_policy p = defaults();
    assert_int_equal(p.portal_idle, 1800);
    assert_int_equal(p.trading_lifetime, 86400);
    assert_int_equal(p.ibkey_pin, 43200);
    assert_int_equal(p.ibkey_biometric, 108000);
}

static void test_platform_names(void **state)
{
    (void)state;
    enum sls_platform pl = SLS_PLATFORM_TRADING;
    assert_string_equal(sls_platform_name(SLS_PLATFORM_PORTAL), "portal");
    assert_string_equal(sls_platform_name(SLS_PLATFORM_TRADING), "trading");
    assert_int_equal(sls_platform_parse("portal", &pl), 0);
    assert_int_equal(pl, SLS_PLATFORM_PORTAL);
    assert_int_equal(sls_platform_parse("trading", &pl), 0);
    assert_int_equal(pl, SLS_PLATFORM_TRADING);
    static const char *const bad[] = {"", "Portal", "TRADING", "trade", "portal ", "web"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pl = SLS_PLATFORM_TRADING;
        assert_int_equal(sls_platform_parse(bad[i], &pl), -1);
        assert_int_equal(pl, SLS_PLATFORM_TRADING);
    }
    assert_int_equal(sls_platform_parse(NULL, &pl), -1);
}

static void test_expiry_new(void **state)
{
    (void)state;
    struct sls_session_policy p = defaults();
    static const struct {
        enum sls_platform platform;
        enum sls_device_type factor;
        enum sls_auth_mode mode;
        sls_time lifetime;
    } cases[] = {
        {SLS_PLATFORM_PORTAL, SLS_DEVICE_DSC_PLUS, SLS_AUTH_NONE, 30 * 60},
        {SLS_PLATFORM_PORTAL, SLS_DEVICE_IBKEY, SLS_AUTH_PIN, 30 * 60},
        {SLS_PLATFORM_PORTAL, SLS_DEVICE_IBKEY, SLS_AUTH_BIOMETRIC, 30 * 60},
        {SLS_PLATFORM_PORTAL, SLS_DEVICE_NONE, SLS_AUTH_NONE, 30 * 60},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_DSC_PLUS, SLS_AUTH_NONE, 24 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_SMS, SLS_AUTH_NONE, 24 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_TEMP_PASSCODE, SLS_AUTH_NONE, 24 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_NONE, SLS_AUTH_NONE, 24 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, SLS_AUTH_NONE, 24 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, SLS_AUTH_PIN, 12 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, SLS_AUTH_BIOMETRIC, 30 * 3600},
        /* the PIN / biometric mode only matters for the mobile authenticator */
        {SLS_PLATFORM_TRADING, SLS_DEVICE_DSC, SLS_AUTH_PIN, 24 * 3600},
        {SLS_PLATFORM_TRADING, SLS_DEVICE_SMS, SLS_AUTH_BIOMETRIC, 24 * 3600},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sls_time exp =
            sls_session_expiry_new(&p, cases[i].platform, cases[i].factor, cases[i].mode, T0);
        assert_int_equal(exp, T0 + cases[i].lifetime);
        assert_true(sls_session_valid(exp, T0 + cases[i].lifetime - 1));
        assert_false(sls_session_valid(exp, T0 + cases[i].lifetime));
    }
}

static void test_portal_idle_sliding(void **state)
{
    (void)state;
    struct sls_session_policy p = defaults();
    sls_time exp = sls_session_expiry_new(&p, SLS_PLATFORM_PORTAL, SLS_DEVICE_SMS, 0, T0);
    assert_true(sls_session_valid(exp, T0 + 30 * 60 - 1));
    assert_false(sls_session_valid(exp, T0 + 30 * 60));
    /* Used at 29:59: the idle period starts again from there. */
    sls_time t1 = T0 + 30 * 60 - 1;
    exp = sls_session_expiry_touch(&p, SLS_PLATFORM_PORTAL, exp, t1);
    assert_int_equal(exp, t1 + 30 * 60);
    assert_true(sls_session_valid(exp, T0 + 30 * 60));
    assert_true(sls_session_valid(exp, t1 + 30 * 60 - 1));
    assert_false(sls_session_valid(exp, t1 + 30 * 60));
    /* Used over and over, it lives on. */
    for (int i = 1; i <= 100; i++) {
        sls_time now = t1 + i * (30 * 60 - 1);
        assert_true(sls_session_valid(exp, now));
        exp = sls_session_expiry_touch(&p, SLS_PLATFORM_PORTAL, exp, now);
        assert_int_equal(exp, now + 30 * 60);
    }
}

static void test_trading_fixed(void **state)
{
    (void)state;
    struct sls_session_policy p = defaults();
    static const struct {
        enum sls_device_type factor;
        enum sls_auth_mode mode;
        sls_time lifetime;
    } cases[] = {
        {SLS_DEVICE_DSC_PLUS, SLS_AUTH_NONE, 24 * 3600},
        {SLS_DEVICE_IBKEY, SLS_AUTH_PIN, 12 * 3600},
        {SLS_DEVICE_IBKEY, SLS_AUTH_BIOMETRIC, 30 * 3600},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sls_time exp =
            sls_session_expiry_new(&p, SLS_PLATFORM_TRADING, cases[i].factor, cases[i].mode, T0);
        /* Use does not move a trading session's end. */
        for (sls_time t = T0; t < T0 + cases[i].lifetime; t += 3600) {
            assert_int_equal(sls_session_expiry_touch(&p, SLS_PLATFORM_TRADING, exp, t), exp);
        }
        assert_true(sls_session_valid(exp, T0 + cases[i].lifetime - 1));
        assert_false(sls_session_valid(exp, T0 + cases[i].lifetime));
    }
}

static void test_other_policy_and_overflow(void **state)
{
    (void)state;
    struct sls_session_policy p = {
        .portal_idle = 10, .trading_lifetime = 20, .ibkey_pin = 30, .ibkey_biometric = 40};
    assert_int_equal(sls_session_expiry_new(&p, SLS_PLATFORM_PORTAL, SLS_DEVICE_GOLD, 0, 5), 15);
    assert_int_equal(sls_session_expiry_new(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_GOLD, 0, 5), 25);
    assert_int_equal(
        sls_session_expiry_new(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, SLS_AUTH_PIN, 5), 35);
    assert_int_equal(
        sls_session_expiry_new(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, SLS_AUTH_BIOMETRIC, 5),
        45);
    assert_int_equal(sls_session_expiry_touch(&p, SLS_PLATFORM_PORTAL, 15, 12), 22);
    assert_int_equal(
        sls_session_expiry_new(&p, SLS_PLATFORM_PORTAL, SLS_DEVICE_GOLD, 0, INT64_MAX - 1),
        INT64_MAX);
}

/* R10 re-authentication: only ibkey trading sessions extend. */
static void test_reauth_extends_only_ibkey_trading(void **state)
{
    (void)state;
    assert_true(sls_session_reauth_extends(SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY));
    assert_false(sls_session_reauth_extends(SLS_PLATFORM_PORTAL, SLS_DEVICE_IBKEY));
    assert_false(sls_session_reauth_extends(SLS_PLATFORM_TRADING, SLS_DEVICE_DSC_PLUS));
    assert_false(sls_session_reauth_extends(SLS_PLATFORM_TRADING, SLS_DEVICE_SMS));
}

/* A PIN session opened at t0 ends at t0 + 12 h. A new approval at the last
 * second it is valid gives a new full period from then; at the second it
 * ends, it is over and stays over. */
static void test_reauth_boundaries(void **state)
{
    struct sls_session_policy p;
    const sls_time t0 = 1000000;
    const sls_time pin = 12 * 3600, bio = 30 * 3600;
    sls_time end;
    (void)state;
    sls_session_policy_default(&p);
    end = sls_session_expiry_new(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, SLS_AUTH_PIN, t0);
    assert_int_equal(end, t0 + pin);
    /* 1 s before the end: a PIN approval renews 12 h from then. */
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_PIN, end - 1),
                     end - 1 + pin);
    /* A biometric approval renews 30 h from then. */
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_BIOMETRIC, end - 1),
                     end - 1 + bio);
    /* At the end second the session is no longer valid: no extension. */
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_BIOMETRIC, end),
                     end);
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_PIN, end + 1),
                     end);
    /* Never shortened: a 30 h session re-approved with the PIN an hour in
     * keeps its later end (t0 + 30 h > t0 + 1 h + 12 h). */
    end = t0 + bio;
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_PIN, t0 + 3600),
                     end);
    /* ... until 18 h in: from then the PIN's 12 h reach further. */
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_PIN, t0 + 18 * 3600),
                     end);
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_IBKEY, end,
                                               SLS_AUTH_PIN, t0 + 18 * 3600 + 1),
                     end + 1);
    /* Other sessions keep their end. */
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_PORTAL, SLS_DEVICE_IBKEY, t0 + 60,
                                               SLS_AUTH_PIN, t0),
                     t0 + 60);
    assert_int_equal(sls_session_expiry_reauth(&p, SLS_PLATFORM_TRADING, SLS_DEVICE_DSC_PLUS,
                                               t0 + 60, SLS_AUTH_NONE, t0),
                     t0 + 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_platform_names),
        cmocka_unit_test(test_expiry_new),
        cmocka_unit_test(test_portal_idle_sliding),
        cmocka_unit_test(test_trading_fixed),
        cmocka_unit_test(test_other_policy_and_overflow),
        cmocka_unit_test(test_reauth_extends_only_ibkey_trading),
        cmocka_unit_test(test_reauth_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
