/* Tests of src/core/reactivation.c: which devices may be reactivated (R28)
 * and which temporary credentials a reactivation ends. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/reactivation.h"

static void test_permanent_devices_in_hand(void **state)
{
    (void)state;
    static const enum sls_device_type types[] = {
        SLS_DEVICE_DSC_PLUS, SLS_DEVICE_DSC, SLS_DEVICE_PLATINUM, SLS_DEVICE_GOLD, SLS_DEVICE_SCC};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        assert_int_equal(sls_reactivation_check(types[i], SLS_DEVSTATE_ACTIVE),
                         SLS_REACTIVATION_ALLOWED);
        assert_int_equal(sls_reactivation_check(types[i], SLS_DEVSTATE_INACTIVE),
                         SLS_REACTIVATION_ALLOWED);
        assert_int_equal(sls_reactivation_check(types[i], SLS_DEVSTATE_SHIPPED),
                         SLS_REACTIVATION_ALLOWED);
        assert_int_equal(sls_reactivation_check(types[i], SLS_DEVSTATE_LOST),
                         SLS_REACTIVATION_LOST);
        assert_int_equal(sls_reactivation_check(types[i], SLS_DEVSTATE_RETURNED),
                         SLS_REACTIVATION_RETURNED);
    }
}

static void test_temporary_credentials_refused(void **state)
{
    (void)state;
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE),
                     SLS_REACTIVATION_NOT_PERMANENT);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE),
                     SLS_REACTIVATION_NOT_PERMANENT);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_NONE, SLS_DEVSTATE_ACTIVE),
                     SLS_REACTIVATION_NOT_PERMANENT);
}

/* The ibkey answers its challenge/response fallback, an SMS device a code
 * sent by SMS; lost ones are refused like any other. */
static void test_push_and_code_devices_answer_here(void **state)
{
    (void)state;
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_IBKEY, SLS_DEVSTATE_INACTIVE),
                     SLS_REACTIVATION_ALLOWED);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE),
                     SLS_REACTIVATION_ALLOWED);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_SMS, SLS_DEVSTATE_INACTIVE),
                     SLS_REACTIVATION_ALLOWED);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_SMS, SLS_DEVSTATE_LOST),
                     SLS_REACTIVATION_LOST);
    /* SPEC §10.4: an authenticator app answers with its current code. */
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_TOTP, SLS_DEVSTATE_INACTIVE),
                     SLS_REACTIVATION_ALLOWED);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_TOTP, SLS_DEVSTATE_LOST),
                     SLS_REACTIVATION_LOST);
    /* SPEC §10.5: a passkey answers with an assertion. */
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_PASSKEY, SLS_DEVSTATE_INACTIVE),
                     SLS_REACTIVATION_ALLOWED);
    assert_int_equal(sls_reactivation_check(SLS_DEVICE_PASSKEY, SLS_DEVSTATE_LOST),
                     SLS_REACTIVATION_LOST);
}

static void test_what_is_revoked(void **state)
{
    (void)state;
    assert_true(sls_reactivation_revokes(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reactivation_revokes(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reactivation_revokes(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_SHIPPED));
    assert_false(sls_reactivation_revokes(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_INACTIVE));
    assert_false(sls_reactivation_revokes(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_INACTIVE));
    assert_false(sls_reactivation_revokes(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_reactivation_revokes(SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE));
}

/* A device made inactive by the user's own sharing comes back only with the
 * sharing's end; the other refusals come first. */
static void test_shared_away_waits_for_the_sharing(void **state)
{
    (void)state;
    assert_int_equal(sls_reactivation_request(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_INACTIVE, true),
                     SLS_REACTIVATION_SHARED_AWAY);
    assert_int_equal(sls_reactivation_request(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_INACTIVE, false),
                     SLS_REACTIVATION_ALLOWED);
    assert_int_equal(sls_reactivation_request(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST, true),
                     SLS_REACTIVATION_LOST);
    assert_int_equal(
        sls_reactivation_request(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_INACTIVE, true),
        SLS_REACTIVATION_NOT_PERMANENT);
    assert_int_equal(sls_reactivation_request(SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE, true),
                     SLS_REACTIVATION_ALLOWED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_permanent_devices_in_hand),
        cmocka_unit_test(test_temporary_credentials_refused),
        cmocka_unit_test(test_push_and_code_devices_answer_here),
        cmocka_unit_test(test_what_is_revoked),
        cmocka_unit_test(test_shared_away_waits_for_the_sharing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
