/* Tests of src/core/stock_fit.c: which device type a stock token may
 * become, and every refusal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/stock_fit.h"

static const struct sls_stock_token TOTP = {SLS_STOCK_KIND_TOTP, "", 6, 30, 20};
static const struct sls_stock_token OCRA_PIN = {SLS_STOCK_KIND_OCRA,
                                                "OCRA-1:HOTP-SHA1-8:QN06-PSHA1", 8, 0, 20};
static const struct sls_stock_token OCRA_NO_PIN = {SLS_STOCK_KIND_OCRA, "OCRA-1:HOTP-SHA1-8:QN06",
                                                   8, 0, 20};
static const struct sls_stock_token HOTP = {SLS_STOCK_KIND_HOTP, "", 8, 0, 20};

static void test_totp(void **state)
{
    struct sls_stock_token t = TOTP;

    (void)state;
    assert_null(sls_stock_fit(SLS_DEVICE_TOTP, &t));
    t.digits = 8;
    assert_non_null(sls_stock_fit(SLS_DEVICE_TOTP, &t));
    t = TOTP;
    t.period = 60;
    assert_non_null(sls_stock_fit(SLS_DEVICE_TOTP, &t));
    t = TOTP;
    t.key_bytes = 10;
    assert_non_null(sls_stock_fit(SLS_DEVICE_TOTP, &t));
    /* a TOTP token is no card */
    assert_non_null(sls_stock_fit(SLS_DEVICE_DSC_PLUS, &TOTP));
    assert_non_null(sls_stock_fit(SLS_DEVICE_TOTP, &OCRA_PIN));
}

static void test_ocra(void **state)
{
    struct sls_stock_token t = OCRA_PIN;

    (void)state;
    assert_null(sls_stock_fit(SLS_DEVICE_DSC_PLUS, &OCRA_PIN));
    assert_null(sls_stock_fit(SLS_DEVICE_DSC, &OCRA_PIN));
    assert_null(sls_stock_fit(SLS_DEVICE_PLATINUM, &OCRA_NO_PIN));
    assert_null(sls_stock_fit(SLS_DEVICE_GOLD, &OCRA_NO_PIN));
    /* the suite must be the type's */
    assert_non_null(sls_stock_fit(SLS_DEVICE_PLATINUM, &OCRA_PIN));
    assert_non_null(sls_stock_fit(SLS_DEVICE_DSC_PLUS, &OCRA_NO_PIN));
    t.suite = "OCRA-1:HOTP-SHA256-8:QN06";
    assert_non_null(sls_stock_fit(SLS_DEVICE_DSC_PLUS, &t));
    t = OCRA_PIN;
    t.key_bytes = 32;
    assert_non_null(sls_stock_fit(SLS_DEVICE_DSC_PLUS, &t));
    t.suite = NULL;
    assert_non_null(sls_stock_fit(SLS_DEVICE_DSC_PLUS, &t));
}

/* HOTP tokens have no device type; other types never take stock tokens. */
static void test_refused(void **state)
{
    enum sls_device_type ty;

    (void)state;
    for (ty = SLS_DEVICE_NONE; ty < SLS_DEVICE__COUNT; ty++)
        assert_non_null(sls_stock_fit(ty, &HOTP));
    assert_non_null(sls_stock_fit(SLS_DEVICE_IBKEY, &OCRA_PIN));
    assert_non_null(sls_stock_fit(SLS_DEVICE_SCC, &OCRA_PIN));
    assert_non_null(sls_stock_fit(SLS_DEVICE_SMS, &TOTP));
    assert_non_null(sls_stock_fit(SLS_DEVICE_TOTP, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totp),
        cmocka_unit_test(test_ocra),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
