/* Tests of src/core/temporary.c: R26 never two temporary passcodes in a row,
 * with (re)activations at the boundary second. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/temporary.h"

#define T0 ((sls_time)1795305600) /* 2026-11-22T00:00:00Z */

#define TP   SLS_DEVICE_TEMP_PASSCODE
#define OC   SLS_DEVICE_ONLINE_CARD
#define DSCP SLS_DEVICE_DSC_PLUS

#define ACTIVE   SLS_DEVSTATE_ACTIVE
#define INACTIVE SLS_DEVSTATE_INACTIVE
#define LOST     SLS_DEVSTATE_LOST
#define SHIPPED  SLS_DEVSTATE_SHIPPED

static struct sls_temp_device dev(enum sls_device_type type, enum sls_device_state state,
                                  sls_time created, sls_time changed)
{
    struct sls_temp_device b;

    memset(&b, 0, sizeof b);
    b.type = type;
    b.state = state;
    b.created_at = created;
    b.state_changed_at = changed;
    b.activated_at = state == ACTIVE ? changed : 0; /* as the store records it */
    return b;
}

static enum sls_temp_verdict decide(const struct sls_temp_device *d, size_t n, long *last)
{
    return sls_temp_passcode_may_issue(d, n, last);
}

static void test_first_passcode_allowed(void **state)
{
    (void)state;
    struct sls_temp_device d[2];
    long last = 99;

    assert_int_equal(decide(NULL, 0, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, -1);
    assert_int_equal(decide(d, 0, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, -1);
    /* The device is lost and no temporary credential was ever issued. */
    d[0] = dev(DSCP, LOST, T0 - 400 * SLS_DAY, T0 - 10);
    assert_int_equal(decide(d, 1, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, -1);
    assert_int_equal(decide(d, 1, NULL), SLS_TEMP_ALLOWED);
}

static void test_second_in_a_row_refused(void **state)
{
    (void)state;
    struct sls_temp_device d[3];
    long last = 99;

    d[0] = dev(DSCP, LOST, T0 - 400 * SLS_DAY, T0 - 10);
    d[1] = dev(TP, ACTIVE, T0, T0);
    assert_int_equal(decide(d, 2, &last), SLS_TEMP_CONSECUTIVE);
    assert_int_equal(last, 1);
    /* Still refused long after the passcode expired, and when it was revoked. */
    d[1] = dev(TP, INACTIVE, T0, T0 + 30 * SLS_DAY);
    assert_int_equal(decide(d, 2, &last), SLS_TEMP_CONSECUTIVE);
    /* A permanent device active since before the passcode does not count. */
    d[2] = dev(SLS_DEVICE_SCC, ACTIVE, T0 - 100, T0 - 100);
    assert_int_equal(decide(d, 3, &last), SLS_TEMP_CONSECUTIVE);
    assert_int_equal(last, 1);
}

/* An online card counts as the latest temporary credential only once it was
 * activated: a card printed and never activated (or replaced before its
 * activation) does not open the way to a second passcode. */
static void test_unactivated_online_card_ignored(void **state)
{
    (void)state;
    struct sls_temp_device d[3];
    long last = 99;

    d[0] = dev(DSCP, LOST, T0 - 400 * SLS_DAY, T0 - 10);
    d[1] = dev(TP, ACTIVE, T0, T0);
    d[2] = dev(OC, SHIPPED, T0 + SLS_DAY, T0 + SLS_DAY);
    assert_int_equal(decide(d, 3, &last), SLS_TEMP_CONSECUTIVE);
    assert_int_equal(last, 1);
    d[2] = dev(OC, INACTIVE, T0 + SLS_DAY, T0 + 2 * SLS_DAY); /* replaced unactivated */
    assert_int_equal(decide(d, 3, &last), SLS_TEMP_CONSECUTIVE);
    assert_int_equal(last, 1);
    /* Activated, then revoked by a reactivation: it was used, so it counts. */
    d[2] = dev(OC, INACTIVE, T0 + SLS_DAY, T0 + 3 * SLS_DAY);
    d[2].activated_at = T0 + 2 * SLS_DAY;
    assert_int_equal(decide(d, 3, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, 2);
}

static void test_reactivation_boundary(void **state)
{
    (void)state;
    struct sls_temp_device d[2];

    d[0] = dev(TP, ACTIVE, T0, T0);
    /* (Re)activated in the very second of the issue: not after it. */
    d[1] = dev(DSCP, ACTIVE, T0 - 400 * SLS_DAY, T0);
    assert_int_equal(decide(d, 2, NULL), SLS_TEMP_CONSECUTIVE);
    /* One second later: allowed. */
    d[1].state_changed_at = T0 + 1;
    assert_int_equal(decide(d, 2, NULL), SLS_TEMP_ALLOWED);
    /* A new device registered active after the issue. */
    d[1] = dev(SLS_DEVICE_IBKEY, ACTIVE, T0 + 5 * SLS_DAY, T0 + 5 * SLS_DAY);
    assert_int_equal(decide(d, 2, NULL), SLS_TEMP_ALLOWED);
}

static void test_only_active_permanent_devices_count(void **state)
{
    (void)state;
    static const enum sls_device_state not_active[] = {SHIPPED, INACTIVE, LOST,
                                                       SLS_DEVSTATE_RETURNED};
    struct sls_temp_device d[2];

    d[0] = dev(TP, ACTIVE, T0, T0);
    for (size_t i = 0; i < sizeof not_active / sizeof not_active[0]; i++) {
        d[1] = dev(DSCP, not_active[i], T0 + SLS_DAY, T0 + SLS_DAY);
        assert_int_equal(decide(d, 2, NULL), SLS_TEMP_CONSECUTIVE);
    }
    /* An online card activated later is temporary too, and then it is the last one. */
    d[1] = dev(OC, ACTIVE, T0 + SLS_DAY, T0 + SLS_DAY);
    assert_int_equal(decide(d, 2, NULL), SLS_TEMP_ALLOWED);
    /* none is not a permanent device. */
    d[1] = dev(SLS_DEVICE_NONE, ACTIVE, T0 + SLS_DAY, T0 + SLS_DAY);
    assert_int_equal(decide(d, 2, NULL), SLS_TEMP_CONSECUTIVE);
}

static void test_last_temporary_credential_decides(void **state)
{
    (void)state;
    struct sls_temp_device d[4];
    long last = 99;

    /* passcode, then an online card: the card is the last one. */
    d[0] = dev(TP, INACTIVE, T0, T0 + SLS_DAY);
    d[1] = dev(OC, ACTIVE, T0 + SLS_DAY, T0 + SLS_DAY);
    assert_int_equal(decide(d, 2, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, 1);
    /* Listed in any order: the newest by issue time decides. */
    d[0] = dev(OC, ACTIVE, T0 + SLS_DAY, T0 + SLS_DAY);
    d[1] = dev(TP, INACTIVE, T0, T0 + SLS_DAY);
    assert_int_equal(decide(d, 2, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, 0);
    /* card, then a passcode: refused. */
    d[2] = dev(TP, ACTIVE, T0 + 2 * SLS_DAY, T0 + 2 * SLS_DAY);
    assert_int_equal(decide(d, 3, &last), SLS_TEMP_CONSECUTIVE);
    assert_int_equal(last, 2);
    /* The passcode's revocation time is not its issue time: a device
     * reactivated after the issue but before the revocation counts. */
    d[2].state = INACTIVE;
    d[2].state_changed_at = T0 + 9 * SLS_DAY;
    d[3] = dev(DSCP, ACTIVE, T0 - SLS_DAY, T0 + 3 * SLS_DAY);
    assert_int_equal(decide(d, 4, &last), SLS_TEMP_ALLOWED);
    d[3].state_changed_at = T0 + 2 * SLS_DAY;
    assert_int_equal(decide(d, 4, &last), SLS_TEMP_CONSECUTIVE);
}

static void test_same_second_later_entry_wins(void **state)
{
    (void)state;
    struct sls_temp_device d[2];
    long last = 99;

    d[0] = dev(OC, ACTIVE, T0, T0);
    d[1] = dev(TP, ACTIVE, T0, T0);
    assert_int_equal(decide(d, 2, &last), SLS_TEMP_CONSECUTIVE);
    assert_int_equal(last, 1);
    d[0] = dev(TP, ACTIVE, T0, T0);
    d[1] = dev(OC, ACTIVE, T0, T0);
    assert_int_equal(decide(d, 2, &last), SLS_TEMP_ALLOWED);
    assert_int_equal(last, 1);
}

static void test_passcode_alphabet(void **state)
{
    (void)state;
    const char *a = SLS_TEMP_PASSCODE_ALPHABET;

    assert_int_equal(SLS_TEMP_PASSCODE_LEN, 8);
    assert_int_equal(strlen(a), 36);
    for (size_t i = 0; a[i] != '\0'; i++) {
        assert_true((a[i] >= 'A' && a[i] <= 'Z') || (a[i] >= '0' && a[i] <= '9'));
        assert_null(strchr(a + i + 1, a[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_passcode_allowed),
        cmocka_unit_test(test_second_in_a_row_refused),
        cmocka_unit_test(test_reactivation_boundary),
        cmocka_unit_test(test_unactivated_online_card_ignored),
        cmocka_unit_test(test_only_active_permanent_devices_count),
        cmocka_unit_test(test_last_temporary_credential_decides),
        cmocka_unit_test(test_same_second_later_entry_wins),
        cmocka_unit_test(test_passcode_alphabet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
