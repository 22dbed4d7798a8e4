/* Tests of src/core/step_up.c: when a session counts as verified (R34), to
 * the second, and which requests fall outside SLS instead (R30, R31). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/step_up.h"

#define T0  ((sls_time)1795000000)
#define TTL ((sls_time)300)

static void test_fresh_for_five_minutes_half_open(void **state)
{
    (void)state;
    sls_time until = sls_step_up_until(T0, TTL);
    assert_int_equal(until, T0 + 300);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_DSC_PLUS, until, T0), SLS_STEP_UP_PASS);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_DSC_PLUS, until, T0 + 299),
                     SLS_STEP_UP_PASS);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_DSC_PLUS, until, T0 + 300),
                     SLS_STEP_UP_REQUIRED);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_DSC_PLUS, until, T0 + 86400),
                     SLS_STEP_UP_REQUIRED);
}

static void test_never_verified_needs_step_up(void **state)
{
    (void)state;
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_SCC, 0, T0), SLS_STEP_UP_REQUIRED);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_TEMP_PASSCODE, 0, T0), SLS_STEP_UP_REQUIRED);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_ONLINE_CARD, 0, T0), SLS_STEP_UP_REQUIRED);
}

static void test_outside_sls_has_no_step_up(void **state)
{
    (void)state;
    /* Opted out: whatever the session holds. */
    assert_int_equal(sls_step_up_gate(false, SLS_DEVICE_NONE, 0, T0), SLS_STEP_UP_OUTSIDE_SLS);
    assert_int_equal(sls_step_up_gate(false, SLS_DEVICE_DSC, T0 + 10, T0), SLS_STEP_UP_OUTSIDE_SLS);
    /* A session opened without a second factor (a closed account, R12). */
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_NONE, T0 + 10, T0), SLS_STEP_UP_OUTSIDE_SLS);
}

static void test_devices_that_answer(void **state)
{
    (void)state;
    assert_true(sls_step_up_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_step_up_device_ok(SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_step_up_device_ok(SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_step_up_device_ok(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_step_up_device_ok(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_step_up_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED));
    assert_false(sls_step_up_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_INACTIVE));
    assert_false(sls_step_up_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST));
    assert_false(sls_step_up_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_RETURNED));
    assert_false(sls_step_up_device_ok(SLS_DEVICE_NONE, SLS_DEVSTATE_ACTIVE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_for_five_minutes_half_open),
        cmocka_unit_test(test_never_verified_needs_step_up),
        cmocka_unit_test(test_outside_sls_has_no_step_up),
        cmocka_unit_test(test_devices_that_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
