/* Tests of src/core/activation_answer.c: the verdict on a mobile
 * authenticator activation's device response (§10.3), its reasons in order
 * and the challenge's expiry and the lock at their boundary seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/activation_answer.h"

#define T0  ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */
#define TTL (10 * SLS_MINUTE)

static const struct sls_device_brief SMS_ONLY[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE}};
static const struct sls_device_brief WITH_CARD[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE},
                                                    {SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE}};
static const struct sls_device_brief CARD_INACTIVE[] = {{SLS_DEVICE_SCC, SLS_DEVSTATE_INACTIVE}};
static struct sls_lockout_state unlocked;

/* A right response to a challenge issued at T0, answered at T0 + 60. */
static struct sls_activation_facts vouching(void)
{
    struct sls_activation_facts f;

    memset(&f, 0, sizeof(f));
    f.now = T0 + 60;
    f.lockout = &unlocked;
    f.held = WITH_CARD;
    f.nheld = 2;
    f.has_challenge = true;
    f.issued_at = T0;
    f.ttl = TTL;
    f.device_active = true;
    f.has_response = true;
    f.right = true;
    return f;
}

static void assert_failed(const struct sls_activation_facts *f, const char *why)
{
    struct sls_activation_verdict v = sls_activation_answer_decide(f);

    assert_int_equal(v.outcome, SLS_ACTIVATION_FAILED);
    assert_string_equal(v.audit_outcome, why);
}

static void test_right_response_vouches(void **state)
{
    (void)state;
    struct sls_activation_facts f = vouching();
    struct sls_activation_verdict v = sls_activation_answer_decide(&f);

    assert_int_equal(v.outcome, SLS_ACTIVATION_VOUCHED);
    assert_null(v.audit_outcome);
    assert_true(sls_activation_answer_checkable(&f));
}

static void test_without_challenge_code_alone_unless_a_device_vouches(void **state)
{
    (void)state;
    struct sls_activation_facts f = vouching();

    f.has_challenge = false;
    f.has_response = false;
    f.right = false;
    f.held = SMS_ONLY;
    f.nheld = 1;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_CODE_ALONE);
    f.held = NULL;
    f.nheld = 0;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_CODE_ALONE);
    f.held = CARD_INACTIVE;
    f.nheld = 1;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_CODE_ALONE);
    /* A device came after the activation started. */
    f.held = WITH_CARD;
    f.nheld = 2;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_START_AGAIN);
    assert_false(sls_activation_answer_checkable(&f));
    /* A response sent anyway changes nothing without a challenge. */
    f.has_response = true;
    f.right = true;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_START_AGAIN);
}

static void test_expiry_boundary_seconds(void **state)
{
    (void)state;
    struct sls_activation_facts f = vouching();

    f.now = T0 + TTL - 1;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_VOUCHED);
    f.now = T0 + TTL;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_VOUCHED);
    f.now = T0 + TTL + 1;
    assert_failed(&f, "expired");
    assert_false(sls_activation_answer_checkable(&f));
}

static void test_lock_boundary_seconds(void **state)
{
    (void)state;
    struct sls_activation_facts f = vouching();
    struct sls_lockout_state locked;

    memset(&locked, 0, sizeof(locked));
    locked.locked_until = T0 + 100;
    f.lockout = &locked;
    f.now = T0 + 99;
    assert_failed(&f, "locked");
    /* R8: locked while now < locked_until. */
    f.now = T0 + 100;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_VOUCHED);
    f.now = T0 + 101;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_VOUCHED);
}

static void test_reasons_in_order(void **state)
{
    (void)state;
    struct sls_activation_facts f = vouching();
    struct sls_lockout_state locked;

    memset(&locked, 0, sizeof(locked));
    locked.locked_until = T0 + SLS_HOUR;
    /* Everything wrong at once: the lock is named first. */
    f.lockout = &locked;
    f.has_response = false;
    f.device_active = false;
    f.now = T0 + TTL + 1;
    f.right = false;
    assert_failed(&f, "locked");
    f.lockout = &unlocked;
    assert_failed(&f, "missing_device_response");
    f.has_response = true;
    assert_failed(&f, "device_not_active");
    f.device_active = true;
    assert_failed(&f, "expired");
    f.now = T0 + TTL;
    assert_failed(&f, "wrong_device_response");
    assert_true(sls_activation_answer_checkable(&f));
    f.right = true;
    assert_int_equal(sls_activation_answer_decide(&f).outcome, SLS_ACTIVATION_VOUCHED);
}

static void test_not_checkable_before_the_response_matters(void **state)
{
    (void)state;
    struct sls_activation_facts f = vouching();

    f.has_response = false;
    assert_false(sls_activation_answer_checkable(&f));
    f.has_response = true;
    f.device_active = false;
    assert_false(sls_activation_answer_checkable(&f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_response_vouches),
        cmocka_unit_test(test_without_challenge_code_alone_unless_a_device_vouches),
        cmocka_unit_test(test_expiry_boundary_seconds),
        cmocka_unit_test(test_lock_boundary_seconds),
        cmocka_unit_test(test_reasons_in_order),
        cmocka_unit_test(test_not_checkable_before_the_response_matters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
