/* Tests of src/core/assist.c: the desk's temporary passcode (R26), lost
 * device (R29) and PIN reset (R21, R22) verdicts, each refusal with its own
 * outcome and message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/assist.h"

#define T 1000000

/* A passcode issued at T and a permanent device activated at `activated`. */
static void history(struct sls_temp_device d[2], sls_time activated)
{
    memset(d, 0, 2 * sizeof(d[0]));
    d[0].type = SLS_DEVICE_TEMP_PASSCODE;
    d[0].state = SLS_DEVSTATE_ACTIVE;
    d[0].created_at = T;
    d[0].state_changed_at = T;
    d[0].activated_at = T;
    d[1].type = SLS_DEVICE_DSC;
    d[1].state = SLS_DEVSTATE_ACTIVE;
    d[1].created_at = T - 100;
    d[1].state_changed_at = activated;
    d[1].activated_at = T - 100;
}

static void test_passcode_order_of_refusals(void **state)
{
    struct sls_temp_device d[2];

    (void)state;
    history(d, T); /* consecutive on its own */
    assert_int_equal(sls_assist_passcode_check(false, SLS_ACCOUNT_CLOSED, d, 2, false),
                     SLS_ASSIST_NOT_SLS);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_CLOSED, d, 2, false),
                     SLS_ASSIST_ACCOUNT_CLOSED);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 2, false),
                     SLS_ASSIST_TOO_MANY_DEVICES);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_PENDING, d, 2, false),
                     SLS_ASSIST_TOO_MANY_DEVICES);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 2, true),
                     SLS_ASSIST_CONSECUTIVE);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 0, true),
                     SLS_ASSIST_ALLOWED);
}

/* A device activated after the passcode allows the next one: strictly
 * later, to the second. */
static void test_passcode_activation_boundary(void **state)
{
    struct sls_temp_device d[2];

    (void)state;
    history(d, T - 1);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 2, true),
                     SLS_ASSIST_CONSECUTIVE);
    history(d, T);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 2, true),
                     SLS_ASSIST_CONSECUTIVE);
    history(d, T + 1);
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 2, true),
                     SLS_ASSIST_ALLOWED);
    /* Allowed, but not when more records exist than were read. */
    assert_int_equal(sls_assist_passcode_check(true, SLS_ACCOUNT_APPROVED, d, 2, false),
                     SLS_ASSIST_TOO_MANY_DEVICES);
}

static void test_lost(void **state)
{
    (void)state;
    assert_int_equal(sls_assist_lost_check(SLS_DEVSTATE_ACTIVE), SLS_ASSIST_ALLOWED);
    assert_int_equal(sls_assist_lost_check(SLS_DEVSTATE_SHIPPED), SLS_ASSIST_ALLOWED);
    assert_int_equal(sls_assist_lost_check(SLS_DEVSTATE_INACTIVE), SLS_ASSIST_ALLOWED);
    assert_int_equal(sls_assist_lost_check(SLS_DEVSTATE_LOST), SLS_ASSIST_ALREADY_LOST);
    assert_int_equal(sls_assist_lost_check(SLS_DEVSTATE_RETURNED), SLS_ASSIST_RETURNED);
}

static void test_pin(void **state)
{
    (void)state;
    assert_int_equal(sls_assist_pin_check(SLS_DEVICE_PLATINUM, SLS_DEVSTATE_ACTIVE),
                     SLS_ASSIST_PIN_ON_DEVICE);
    assert_int_equal(sls_assist_pin_check(SLS_DEVICE_GOLD, SLS_DEVSTATE_LOST),
                     SLS_ASSIST_PIN_ON_DEVICE);
    assert_int_equal(sls_assist_pin_check(SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE),
                     SLS_ASSIST_PIN_IN_APP);
    assert_int_equal(sls_assist_pin_check(SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE), SLS_ASSIST_NO_PIN);
    assert_int_equal(sls_assist_pin_check(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE),
                     SLS_ASSIST_NO_PIN);
    for (int t = SLS_DEVICE_NONE; t <= SLS_DEVICE_ONLINE_CARD; t++) {
        if (!sls_device_pin_on_server((enum sls_device_type)t) || t == SLS_DEVICE_IBKEY ||
            t == SLS_DEVICE_PLATINUM || t == SLS_DEVICE_GOLD)
            continue;
        assert_int_equal(sls_assist_pin_check((enum sls_device_type)t, SLS_DEVSTATE_ACTIVE),
                         SLS_ASSIST_ALLOWED);
        assert_int_equal(sls_assist_pin_check((enum sls_device_type)t, SLS_DEVSTATE_SHIPPED),
                         SLS_ASSIST_ALLOWED);
        assert_int_equal(sls_assist_pin_check((enum sls_device_type)t, SLS_DEVSTATE_INACTIVE),
                         SLS_ASSIST_ALLOWED);
        assert_int_equal(sls_assist_pin_check((enum sls_device_type)t, SLS_DEVSTATE_LOST),
                         SLS_ASSIST_PIN_DEVICE_LOST);
        assert_int_equal(sls_assist_pin_check((enum sls_device_type)t, SLS_DEVSTATE_RETURNED),
                         SLS_ASSIST_PIN_DEVICE_RETURNED);
    }
    /* The DSC keeps its PIN on the server. */
    assert_int_equal(sls_assist_pin_check(SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE), SLS_ASSIST_ALLOWED);
}

static void test_every_refusal_has_outcome_and_message(void **state)
{
    (void)state;
    assert_string_equal(sls_assist_outcome(SLS_ASSIST_ALLOWED), "ok");
    for (int v = SLS_ASSIST_NOT_SLS; v <= SLS_ASSIST_PIN_DEVICE_RETURNED; v++) {
        const char *o = sls_assist_outcome((enum sls_assist_verdict)v);
        const char *m = sls_assist_message((enum sls_assist_verdict)v);
        assert_true(strlen(o) > 0 && strcmp(o, "ok") != 0 && strcmp(o, "refused") != 0);
        assert_true(strlen(m) > 0 && strcmp(m, "Refused") != 0);
    }
    assert_string_equal(sls_assist_outcome(SLS_ASSIST_PIN_IN_APP), "pin_on_device");
    assert_string_equal(sls_assist_outcome(SLS_ASSIST_PIN_DEVICE_LOST), "device_not_held");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passcode_order_of_refusals),
        cmocka_unit_test(test_passcode_activation_boundary),
        cmocka_unit_test(test_lost),
        cmocka_unit_test(test_pin),
        cmocka_unit_test(test_every_refusal_has_outcome_and_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
