/* Tests of src/core/step_up.c: when a session counts as verified (R34), to
 * the second, and which requests fall outside SLS instead (R30, R31). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

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

/* A push step-up issued at T0 (challenge and push alike live TTL, R9). */
static struct sls_step_up_poll_facts poll_facts(sls_time now, enum sls_push_state st)
{
    static struct sls_push_policy push;
    struct sls_step_up_poll_facts f;

    sls_push_policy_default(&push);
    push.ttl = TTL;
    memset(&f, 0, sizeof(f));
    f.now = now;
    f.sls_member = true;
    f.factor = SLS_DEVICE_IBKEY;
    f.step_up_ttl = TTL;
    f.has_challenge = true;
    f.kind = SLS_CHALLENGE_PUSH;
    f.issued_at = T0;
    f.challenge_ttl = TTL;
    f.has_push = true;
    f.push_state = st;
    f.push_created_at = T0;
    f.push = &push;
    return f;
}

static void test_poll_pending_until_the_last_second(void **state)
{
    (void)state;
    struct sls_step_up_poll_facts f = poll_facts(T0 + TTL, SLS_PUSH_PENDING);
    struct sls_step_up_poll p = sls_step_up_poll_decide(&f);

    assert_int_equal(p.status, SLS_STEP_UP_POLL_PENDING);
    assert_int_equal(p.write, SLS_STEP_UP_WRITE_NOTHING);
    f.now = T0 + TTL + 1;
    p = sls_step_up_poll_decide(&f);
    assert_int_equal(p.status, SLS_STEP_UP_POLL_EXPIRED);
    assert_int_equal(p.write, SLS_STEP_UP_WRITE_DROP);
    /* The push gone: expired whenever. */
    f = poll_facts(T0 + 1, SLS_PUSH_PENDING);
    f.has_push = false;
    assert_int_equal(sls_step_up_poll_decide(&f).status, SLS_STEP_UP_POLL_EXPIRED);
}

static void test_poll_approved_verifies_from_now(void **state)
{
    (void)state;
    struct sls_step_up_poll_facts f = poll_facts(T0 + 20, SLS_PUSH_APPROVED);
    struct sls_step_up_poll p = sls_step_up_poll_decide(&f);

    assert_int_equal(p.status, SLS_STEP_UP_POLL_APPROVED);
    assert_int_equal(p.write, SLS_STEP_UP_WRITE_VERIFY);
    assert_int_equal(p.until, T0 + 20 + TTL);
    /* Then the session is verified at until - 1, not at until. */
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_IBKEY, p.until, p.until - 1),
                     SLS_STEP_UP_PASS);
    assert_int_equal(sls_step_up_gate(true, SLS_DEVICE_IBKEY, p.until, p.until),
                     SLS_STEP_UP_REQUIRED);
    /* Decided in the app while live, polled later: still approved. */
    f.now = T0 + 3 * TTL;
    assert_int_equal(sls_step_up_poll_decide(&f).status, SLS_STEP_UP_POLL_APPROVED);
}

static void test_poll_denied_counts_wrong_number_does_not_again(void **state)
{
    (void)state;
    struct sls_step_up_poll_facts f = poll_facts(T0 + 5, SLS_PUSH_DENIED);
    struct sls_step_up_poll p = sls_step_up_poll_decide(&f);

    assert_int_equal(p.status, SLS_STEP_UP_POLL_DENIED);
    assert_int_equal(p.write, SLS_STEP_UP_WRITE_FAIL);
    assert_true(p.failure.counts);
    assert_string_equal(p.failure.audit_outcome, "denied");
    f.wrong_number = true;
    p = sls_step_up_poll_decide(&f);
    assert_int_equal(p.status, SLS_STEP_UP_POLL_WRONG_NUMBER);
    assert_int_equal(p.write, SLS_STEP_UP_WRITE_DROP);
    assert_false(p.failure.counts);
}

static void test_poll_without_a_push_challenge(void **state)
{
    (void)state;
    struct sls_step_up_poll_facts f = poll_facts(T0, SLS_PUSH_PENDING);
    struct sls_step_up_poll p;

    f.kind = SLS_CHALLENGE_RESPONSE;
    assert_int_equal(sls_step_up_poll_decide(&f).status, SLS_STEP_UP_POLL_CHALLENGE);
    f.has_challenge = false;
    f.verified_until = T0 + 10;
    f.now = T0 + 9;
    p = sls_step_up_poll_decide(&f);
    assert_int_equal(p.status, SLS_STEP_UP_POLL_VERIFIED);
    assert_int_equal(p.until, T0 + 10);
    assert_int_equal(p.write, SLS_STEP_UP_WRITE_NOTHING);
    f.now = T0 + 10;
    assert_int_equal(sls_step_up_poll_decide(&f).status, SLS_STEP_UP_POLL_NONE);
    /* Outside SLS nothing counts as verified. */
    f.now = T0 + 9;
    f.sls_member = false;
    assert_int_equal(sls_step_up_poll_decide(&f).status, SLS_STEP_UP_POLL_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_for_five_minutes_half_open),
        cmocka_unit_test(test_never_verified_needs_step_up),
        cmocka_unit_test(test_outside_sls_has_no_step_up),
        cmocka_unit_test(test_devices_that_answer),
        cmocka_unit_test(test_poll_pending_until_the_last_second),
        cmocka_unit_test(test_poll_approved_verifies_from_now),
        cmocka_unit_test(test_poll_denied_counts_wrong_number_does_not_again),
        cmocka_unit_test(test_poll_without_a_push_challenge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
