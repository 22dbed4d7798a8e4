/* Tests of src/core/password_reset.c: a reset code's expiry to the second,
 * its wrong-guess budget, the masked e-mail shown to agents, which devices
 * answer a reset, and what a request and the steps of completing one come to. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/password_reset.h"

#define T0  ((sls_time)1795305600) /* 2026-11-22T00:00:00Z */
#define MAX SLS_RESET_CODE_MAX_ATTEMPTS

static void test_expiry_boundary(void **state)
{
    (void)state;
    sls_time expires = T0 + 30 * SLS_MINUTE;

    assert_int_equal(sls_reset_code_check(expires, 0, MAX, T0), SLS_RESET_USABLE);
    assert_int_equal(sls_reset_code_check(expires, 0, MAX, expires - 1), SLS_RESET_USABLE);
    assert_int_equal(sls_reset_code_check(expires, 0, MAX, expires), SLS_RESET_EXPIRED);
    assert_int_equal(sls_reset_code_check(expires, 0, MAX, expires + 1), SLS_RESET_EXPIRED);
}

static void test_attempt_budget(void **state)
{
    (void)state;
    sls_time expires = T0 + 30 * SLS_MINUTE;

    assert_int_equal(sls_reset_code_check(expires, MAX - 1, MAX, T0), SLS_RESET_USABLE);
    assert_int_equal(sls_reset_code_check(expires, MAX, MAX, T0), SLS_RESET_EXHAUSTED);
    /* Exhausted wins over expired: the answer does not tell a guesser more. */
    assert_int_equal(sls_reset_code_check(expires, MAX, MAX, expires), SLS_RESET_EXHAUSTED);
}

static void test_email_mask(void **state)
{
    (void)state;
    char out[64];

    sls_email_mask("alice@example.com", out, sizeof out);
    assert_string_equal(out, "a***@example.com");
    sls_email_mask("b@x.io", out, sizeof out);
    assert_string_equal(out, "b***@x.io");
    sls_email_mask("no-at-sign", out, sizeof out);
    assert_string_equal(out, "");
    sls_email_mask("@example.com", out, sizeof out);
    assert_string_equal(out, "");
    sls_email_mask(NULL, out, sizeof out);
    assert_string_equal(out, "");
    sls_email_mask("alice@example.com", out, 8); /* does not fit: nothing shown */
    assert_string_equal(out, "");
}

static void test_request_replaces_an_old_code(void **state)
{
    (void)state;
    struct sls_reset_previous none = {false, false, 0, 0, 0};
    struct sls_reset_previous mine = {true, false, T0 + 30 * SLS_MINUTE, 3, T0};
    int attempts = -1;

    assert_int_equal(sls_reset_request_check(&none, MAX, T0, &attempts), SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, 0);
    assert_int_equal(sls_reset_request_check(NULL, MAX, T0, &attempts), SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, 0);
    /* A live code hands its wrong guesses on, to its last second. */
    assert_int_equal(sls_reset_request_check(&mine, MAX, mine.expires_at - 1, &attempts),
                     SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, 3);
    /* An expired one does not. */
    assert_int_equal(sls_reset_request_check(&mine, MAX, mine.expires_at, &attempts),
                     SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, 0);
    /* An exhausted live code gives a new code with no guesses left. */
    mine.attempts = MAX;
    assert_int_equal(sls_reset_request_check(&mine, MAX, T0, &attempts), SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, MAX);
}

static void test_request_keeps_a_usable_desk_code(void **state)
{
    (void)state;
    struct sls_reset_previous desk = {true, true, T0 + 30 * SLS_MINUTE, MAX - 1, T0};
    int attempts = -1;

    assert_int_equal(sls_reset_request_check(&desk, MAX, desk.expires_at - 1, &attempts),
                     SLS_RESET_REQUEST_KEEP_DESK);
    assert_int_equal(sls_reset_request_check(&desk, MAX, desk.expires_at, &attempts),
                     SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, 0);
    desk.attempts = MAX;
    assert_int_equal(sls_reset_request_check(&desk, MAX, T0, &attempts), SLS_RESET_REQUEST_ISSUE);
    assert_int_equal(attempts, MAX);
}

/* SPEC §10.2: one message per user per reset_interval, to the second. */
static void test_request_too_soon_to_the_second(void **state)
{
    (void)state;
    struct sls_reset_previous none = {false, false, 0, 0, 0};
    struct sls_reset_previous prev = {true, false, T0 + 30 * SLS_MINUTE, 0, T0};
    const sls_time interval = 5 * SLS_MINUTE;

    assert_false(sls_reset_request_too_soon(NULL, interval, T0));
    assert_false(sls_reset_request_too_soon(&none, interval, T0));
    assert_true(sls_reset_request_too_soon(&prev, interval, T0));
    assert_true(sls_reset_request_too_soon(&prev, interval, T0 + interval - 1));
    assert_false(sls_reset_request_too_soon(&prev, interval, T0 + interval));
    /* The desk's code counts too. */
    prev.by_desk = true;
    assert_true(sls_reset_request_too_soon(&prev, interval, T0 + interval - 1));
    /* A clock before the previous code does not block forever. */
    assert_false(sls_reset_request_too_soon(&prev, interval, T0 - 1));
}

static void test_reset_device_ok(void **state)
{
    (void)state;

    assert_true(sls_reset_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reset_device_ok(SLS_DEVICE_PLATINUM, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reset_device_ok(SLS_DEVICE_GOLD, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reset_device_ok(SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reset_device_ok(SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_reset_device_ok(SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE));
    /* An SMS code needs a message of its own; temporary credentials never. */
    assert_false(sls_reset_device_ok(SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_reset_device_ok(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_reset_device_ok(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_reset_device_ok(SLS_DEVICE_NONE, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_reset_device_ok(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST));
    assert_false(sls_reset_device_ok(SLS_DEVICE_DSC, SLS_DEVSTATE_SHIPPED));
    assert_false(sls_reset_device_ok(SLS_DEVICE_IBKEY, SLS_DEVSTATE_INACTIVE));
    assert_false(sls_reset_device_ok(SLS_DEVICE_SCC, SLS_DEVSTATE_RETURNED));
}

/* The facts of a right code, usable, for a self-service code with nothing
 * but the code sent. */
static struct sls_reset_complete_facts proven(sls_time expires)
{
    struct sls_reset_complete_facts f = {expires, 0, true, false, false, false};
    return f;
}

static void test_complete_code_expiry_to_the_second(void **state)
{
    (void)state;
    sls_time expires = T0 + 30 * SLS_MINUTE;
    struct sls_reset_complete_facts f = proven(expires);
    struct sls_reset_complete_verdict v;

    assert_int_equal(sls_reset_complete_decide(&f, MAX, expires - 1, &v), SLS_RESET_STEP_CHALLENGE);
    assert_int_equal(sls_reset_complete_decide(&f, MAX, expires, &v), SLS_RESET_STEP_REFUSE);
    assert_string_equal(v.audit_outcome, "expired");
    assert_false(v.counts_code);
    assert_int_equal(sls_reset_complete_decide(&f, MAX, expires + 1, &v), SLS_RESET_STEP_REFUSE);
    assert_string_equal(v.audit_outcome, "expired");
    /* A wrong code after expiry is an expired code: not counted against it. */
    f.code_matches = false;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, expires, &v), SLS_RESET_STEP_REFUSE);
    assert_string_equal(v.audit_outcome, "expired");
    assert_false(v.counts_code);
}

static void test_complete_wrong_code_counts_against_the_code(void **state)
{
    (void)state;
    struct sls_reset_complete_facts f = proven(T0 + 30 * SLS_MINUTE);
    struct sls_reset_complete_verdict v;

    f.code_matches = false;
    f.attempts = MAX - 1;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_REFUSE);
    assert_string_equal(v.audit_outcome, "wrong_code");
    assert_true(v.counts_code);
    /* The budget spent: even the right code is refused, and nothing counts. */
    f.attempts = MAX;
    f.code_matches = true;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_REFUSE);
    assert_string_equal(v.audit_outcome, "too_many_attempts");
    assert_false(v.counts_code);
    f.attempts = MAX - 1;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_CHALLENGE);
    assert_null(v.audit_outcome);
}

static void test_complete_steps_of_a_self_service_code(void **state)
{
    (void)state;
    struct sls_reset_complete_facts f = proven(T0 + 30 * SLS_MINUTE);
    struct sls_reset_complete_verdict v;

    /* Step one: the code alone gets a device challenge. */
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_CHALLENGE);
    /* A new password without the response is not enough (R3). */
    f.has_password = true;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_NEED_RESPONSE);
    /* Step two: the response is checked before the password is set. */
    f.has_response = true;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_RESPONSE);
    assert_false(v.counts_code);
    /* A wrong code in step two is still a wrong code: counted against it. */
    f.code_matches = false;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_REFUSE);
    assert_true(v.counts_code);
}

static void test_complete_steps_of_a_desk_code(void **state)
{
    (void)state;
    struct sls_reset_complete_facts f = proven(T0 + 30 * SLS_MINUTE);
    struct sls_reset_complete_verdict v;

    f.by_desk = true;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_DESK_PROVEN);
    f.has_password = true;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_SET);
    /* The identity was verified by the desk: a response is not asked for. */
    f.has_response = true;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_SET);
    f.code_matches = false;
    assert_int_equal(sls_reset_complete_decide(&f, MAX, T0, &v), SLS_RESET_STEP_REFUSE);
    assert_string_equal(v.audit_outcome, "wrong_code");
}

static void test_request_decided_in_order(void **state)
{
    (void)state;
    const sls_time interval = 5 * SLS_MINUTE;
    struct sls_reset_request_facts f = {false, false, false, {false, false, 0, 0, 0}};
    struct sls_reset_request_decision v;

    /* Eligibility, in order: SLS, then the e-mail, then a device. */
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0, &v),
                     SLS_RESET_REQUEST_NOT_ELIGIBLE);
    assert_string_equal(v.audit_outcome, "not_eligible");
    assert_string_equal(v.why, "outside_sls");
    f.sls = true;
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0, &v),
                     SLS_RESET_REQUEST_NOT_ELIGIBLE);
    assert_string_equal(v.why, "no_email");
    f.has_email = true;
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0, &v),
                     SLS_RESET_REQUEST_NOT_ELIGIBLE);
    assert_string_equal(v.why, "no_device");
    f.has_device = true;
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0, &v), SLS_RESET_REQUEST_SEND);
    assert_string_equal(v.audit_outcome, "sent");
    assert_null(v.why);
    assert_int_equal(v.attempts, 0);
    /* Not eligible wins over a previous code: nothing about it is told. */
    f.sls = false;
    f.prev = (struct sls_reset_previous){true, true, T0 + 30 * SLS_MINUTE, 0, T0};
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0, &v),
                     SLS_RESET_REQUEST_NOT_ELIGIBLE);
}

static void test_request_decided_to_the_second(void **state)
{
    (void)state;
    const sls_time interval = 5 * SLS_MINUTE;
    const sls_time expires = T0 + 30 * SLS_MINUTE;
    struct sls_reset_request_facts f = {true, true, true, {true, false, expires, 3, T0}};
    struct sls_reset_request_decision v;

    /* The user's own code: nothing within the interval, then a new code
     * handing on the wrong guesses while the old one is live. */
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0 + interval - 1, &v),
                     SLS_RESET_REQUEST_TOO_SOON);
    assert_string_equal(v.audit_outcome, "too_soon");
    assert_int_equal(v.attempts, 0);
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0 + interval, &v),
                     SLS_RESET_REQUEST_SEND);
    assert_int_equal(v.attempts, 3);
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, expires - 1, &v),
                     SLS_RESET_REQUEST_SEND);
    assert_int_equal(v.attempts, 3);
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, expires, &v),
                     SLS_RESET_REQUEST_SEND);
    assert_int_equal(v.attempts, 0);
    /* A usable desk code is kept until it expires, before the interval. */
    f.prev.by_desk = true;
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0, &v),
                     SLS_RESET_REQUEST_DESK_KEPT);
    assert_string_equal(v.audit_outcome, "desk_code_kept");
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, expires - 1, &v),
                     SLS_RESET_REQUEST_DESK_KEPT);
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, expires, &v),
                     SLS_RESET_REQUEST_SEND);
    /* A desk code out of guesses is replaced, its count handed on. */
    f.prev.attempts = MAX;
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0 + interval, &v),
                     SLS_RESET_REQUEST_SEND);
    assert_int_equal(v.attempts, MAX);
    assert_int_equal(sls_reset_request_decide(&f, MAX, interval, T0 + interval - 1, &v),
                     SLS_RESET_REQUEST_TOO_SOON);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expiry_boundary),
        cmocka_unit_test(test_attempt_budget),
        cmocka_unit_test(test_email_mask),
        cmocka_unit_test(test_request_replaces_an_old_code),
        cmocka_unit_test(test_request_keeps_a_usable_desk_code),
        cmocka_unit_test(test_request_too_soon_to_the_second),
        cmocka_unit_test(test_reset_device_ok),
        cmocka_unit_test(test_request_decided_in_order),
        cmocka_unit_test(test_request_decided_to_the_second),
        cmocka_unit_test(test_complete_code_expiry_to_the_second),
        cmocka_unit_test(test_complete_wrong_code_counts_against_the_code),
        cmocka_unit_test(test_complete_steps_of_a_self_service_code),
        cmocka_unit_test(test_complete_steps_of_a_desk_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
