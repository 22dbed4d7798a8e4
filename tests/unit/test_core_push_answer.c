/* Tests of src/core/push_answer.c: the verdict on the app's answer to a
 * push, its refusals in order, and the push's and its login's lifetimes at
 * their boundary seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/push_answer.h"

#define T0        ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */
#define LOGIN_TTL (5 * SLS_MINUTE)

static struct sls_push_policy policy;

/* An approval, with the right number, of a login push created at T0 whose
 * login started at T0 - 10, answered at T0 + 30. */
static struct sls_push_answer_facts approval(void)
{
    struct sls_push_answer_facts f;

    sls_push_policy_default(&policy);
    memset(&f, 0, sizeof(f));
    f.now = T0 + 30;
    f.policy = &policy;
    f.login_ttl = LOGIN_TTL;
    f.found = true;
    f.same_key = true;
    f.signature_ok = true;
    f.state = SLS_PUSH_PENDING;
    f.purpose = SLS_PUSH_LOGIN;
    f.created_at = T0;
    f.number = 42;
    f.login_waits = true;
    f.login_created_at = T0 - 10;
    f.approve = true;
    f.number_given = true;
    f.number_typed = 42;
    return f;
}

static void assert_outcome(const struct sls_push_answer_facts *f, enum sls_push_answer_outcome o,
                           const char *audit)
{
    struct sls_push_answer_verdict v = sls_push_answer_decide(f);

    assert_int_equal(v.outcome, o);
    if (audit == NULL)
        assert_null(v.audit_outcome);
    else
        assert_string_equal(v.audit_outcome, audit);
}

static void test_approval_decides(void **state)
{
    (void)state;
    struct sls_push_answer_facts f = approval();

    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
    f.purpose = SLS_PUSH_STEP_UP;
    f.login_waits = false; /* a step-up has no login */
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
}

static void test_denial_of_a_login_counts_of_a_step_up_decides(void **state)
{
    (void)state;
    struct sls_push_answer_facts f = approval();

    f.approve = false;
    f.number_given = false; /* no number needed to deny */
    assert_outcome(&f, SLS_PUSH_ANSWER_DENY_LOGIN, NULL);
    f.purpose = SLS_PUSH_STEP_UP;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
}

static void test_number_matching(void **state)
{
    (void)state;
    struct sls_push_answer_facts f = approval();

    f.number_typed = 43;
    assert_outcome(&f, SLS_PUSH_ANSWER_WRONG_NUMBER, NULL);
    f.number_given = false;
    assert_outcome(&f, SLS_PUSH_ANSWER_NUMBER_MISSING, NULL);
    /* A push without a number (matching off when it was sent). */
    f.number = 0;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
    f.number_given = true;
    f.number_typed = 17;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
}

static void test_push_lifetime_boundary_seconds(void **state)
{
    (void)state;
    struct sls_push_answer_facts f = approval();

    f.purpose = SLS_PUSH_STEP_UP;
    f.now = T0 + policy.ttl - 1;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
    f.now = T0 + policy.ttl;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
    f.now = T0 + policy.ttl + 1;
    assert_outcome(&f, SLS_PUSH_ANSWER_EXPIRED, "expired");
}

static void test_login_lifetime_boundary_seconds(void **state)
{
    (void)state;
    struct sls_push_answer_facts f = approval();

    /* The login started before the push: its lifetime ends first. */
    f.login_created_at = T0 + 60 - LOGIN_TTL;
    f.now = T0 + 59;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
    f.now = T0 + 60;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
    f.now = T0 + 61;
    assert_outcome(&f, SLS_PUSH_ANSWER_EXPIRED, "expired");
    /* The same login moved on (no longer waiting on this push). */
    f.now = T0 + 30;
    f.login_waits = false;
    assert_outcome(&f, SLS_PUSH_ANSWER_EXPIRED, "expired");
    f.approve = false;
    assert_outcome(&f, SLS_PUSH_ANSWER_EXPIRED, "expired");
}

static void test_refusals_in_order(void **state)
{
    (void)state;
    struct sls_push_answer_facts f = approval();

    /* Everything wrong at once: each refusal in turn once the one before
     * it is put right. */
    f.found = false;
    f.same_key = false;
    f.signature_ok = false;
    f.state = SLS_PUSH_APPROVED;
    f.now = T0 + policy.ttl + 1;
    f.number_given = false;
    assert_outcome(&f, SLS_PUSH_ANSWER_UNKNOWN, "unknown_push");
    assert_false(sls_push_answer_checkable(&f));
    f.found = true;
    assert_outcome(&f, SLS_PUSH_ANSWER_OTHER_APP, "other_app");
    assert_false(sls_push_answer_checkable(&f));
    f.same_key = true;
    assert_true(sls_push_answer_checkable(&f));
    assert_outcome(&f, SLS_PUSH_ANSWER_BAD_SIGNATURE, "bad_signature");
    f.signature_ok = true;
    assert_outcome(&f, SLS_PUSH_ANSWER_ALREADY_DECIDED, "already_decided");
    f.state = SLS_PUSH_DENIED;
    assert_outcome(&f, SLS_PUSH_ANSWER_ALREADY_DECIDED, "already_decided");
    f.state = SLS_PUSH_PENDING;
    assert_outcome(&f, SLS_PUSH_ANSWER_EXPIRED, "expired");
    f.now = T0 + 30;
    assert_outcome(&f, SLS_PUSH_ANSWER_NUMBER_MISSING, NULL);
    f.number_given = true;
    assert_outcome(&f, SLS_PUSH_ANSWER_DECIDE, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_approval_decides),
        cmocka_unit_test(test_denial_of_a_login_counts_of_a_step_up_decides),
        cmocka_unit_test(test_number_matching),
        cmocka_unit_test(test_push_lifetime_boundary_seconds),
        cmocka_unit_test(test_login_lifetime_boundary_seconds),
        cmocka_unit_test(test_refusals_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
