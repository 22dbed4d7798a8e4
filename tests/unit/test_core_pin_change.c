/* Tests of src/core/pin_change.c: whose PIN is changed through the API. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/pin_change.h"

static void test_pin_change_check(void **state)
{
    (void)state;
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE),
                     SLS_PIN_CHANGE_OK);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED),
                     SLS_PIN_CHANGE_OK);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_DSC, SLS_DEVSTATE_INACTIVE),
                     SLS_PIN_CHANGE_OK);
    /* What the device is comes before what became of it. */
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_PLATINUM, SLS_DEVSTATE_LOST),
                     SLS_PIN_CHANGE_ON_CARD);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_GOLD, SLS_DEVSTATE_ACTIVE),
                     SLS_PIN_CHANGE_ON_CARD);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_IBKEY, SLS_DEVSTATE_RETURNED),
                     SLS_PIN_CHANGE_IN_APP);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE),
                     SLS_PIN_CHANGE_NO_PIN);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE),
                     SLS_PIN_CHANGE_NO_PIN);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST),
                     SLS_PIN_CHANGE_LOST);
    assert_int_equal(sls_pin_change_check(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_RETURNED),
                     SLS_PIN_CHANGE_RETURNED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pin_change_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
