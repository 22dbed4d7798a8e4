/* Tests of src/server/held_devices.c: picking the default device among device
 * records with a predicate (R7), as the step-up, opt-in and self-service
 * password reset do. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/password_reset.h"
#include "core/step_up.h"
#include "server/flows/held_devices.h"

static void set(struct sls_device_rec *d, enum sls_device_type type, enum sls_device_state state)
{
    d->type = type;
    d->state = state;
}

static void test_pick_for_a_reset(void **state)
{
    (void)state;
    struct sls_device_rec d[7] = {0};

    set(&d[0], SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE);
    set(&d[1], SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE);
    set(&d[2], SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE);
    set(&d[3], SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE);
    set(&d[4], SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST);
    set(&d[5], SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE);
    set(&d[6], SLS_DEVICE_DSC, SLS_DEVSTATE_SHIPPED);

    assert_int_equal(sls_devices_pick_default(d, 7, sls_reset_device_ok), 5);  /* the ibkey */
    assert_int_equal(sls_devices_pick_default(d, 5, sls_reset_device_ok), 3);  /* the scc */
    assert_int_equal(sls_devices_pick_default(d, 3, sls_reset_device_ok), -1); /* none answers */
    assert_int_equal(sls_devices_pick_default(d, 0, sls_reset_device_ok), -1);
    d[4].state = SLS_DEVSTATE_ACTIVE;
    assert_int_equal(sls_devices_pick_default(d, 7, sls_reset_device_ok), 4); /* the dsc_plus */
}

static void test_pick_for_a_step_up(void **state)
{
    (void)state;
    struct sls_device_rec d[4] = {0};

    set(&d[0], SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE);
    set(&d[1], SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE);
    set(&d[2], SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE);
    set(&d[3], SLS_DEVICE_GOLD, SLS_DEVSTATE_INACTIVE);

    /* An SMS device answers a step-up; of equal strength, the first wins. */
    assert_int_equal(sls_devices_pick_default(d, 4, sls_step_up_device_ok), 1);
    assert_int_equal(sls_devices_pick_default(d, 1, sls_step_up_device_ok), 0);
    d[3].state = SLS_DEVSTATE_ACTIVE;
    assert_int_equal(sls_devices_pick_default(d, 4, sls_step_up_device_ok), 3);
    set(&d[0], SLS_DEVICE_NONE, SLS_DEVSTATE_ACTIVE);
    assert_int_equal(sls_devices_pick_default(d, 1, sls_step_up_device_ok), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_for_a_reset),
        cmocka_unit_test(test_pick_for_a_step_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
