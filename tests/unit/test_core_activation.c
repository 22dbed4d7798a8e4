/* Unit tests of core/activation.c: which devices vouch for a new mobile
 * authenticator (SPEC §10.3), so that the activation also needs a response
 * from one of them, and which leave today's code-only flow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/activation.h"

static void test_vouching_devices(void **state)
{
    (void)state;
    for (int t = 0; t < SLS_DEVICE__COUNT; t++) {
        bool want = t != SLS_DEVICE_NONE && t != SLS_DEVICE_SMS;
        assert_int_equal(sls_activation_vouches((enum sls_device_type)t, SLS_DEVSTATE_ACTIVE),
                         want);
        /* Only active devices vouch: shipped, inactive, lost, returned do not. */
        for (int st = SLS_DEVSTATE_SHIPPED; st < SLS_DEVSTATE__COUNT; st++)
            assert_false(
                sls_activation_vouches((enum sls_device_type)t, (enum sls_device_state)st));
    }
}

static void test_needs_device_response(void **state)
{
    const struct sls_device_brief sms_only[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE}};
    const struct sls_device_brief sms_and_lost[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE},
                                                    {SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST},
                                                    {SLS_DEVICE_IBKEY, SLS_DEVSTATE_INACTIVE}};
    const struct sls_device_brief dsc_plus[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_INACTIVE},
                                                {SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    const struct sls_device_brief ibkey[] = {{SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE}};
    const struct sls_device_brief shipped[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED}};
    const struct sls_device_brief temp[] = {{SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE}};

    (void)state;
    assert_false(sls_activation_needs_device(NULL, 0));
    assert_false(sls_activation_needs_device(sms_only, 1));
    assert_false(sls_activation_needs_device(sms_and_lost, 3));
    assert_false(sls_activation_needs_device(shipped, 1));
    assert_true(sls_activation_needs_device(dsc_plus, 2));
    assert_true(sls_activation_needs_device(ibkey, 1));
    assert_true(sls_activation_needs_device(temp, 1));
    /* The count is honoured: the DSC+ past n is not looked at. */
    assert_false(sls_activation_needs_device(dsc_plus, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vouching_devices),
        cmocka_unit_test(test_needs_device_response),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
