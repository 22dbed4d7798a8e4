/* Tests of src/core/challenge_answer.c: the verdict on a response typed
 * inside a session, at the boundary seconds of the challenge's lifetime (R9,
 * inclusive end) and of the lock (R8, half-open), and what each outcome
 * counts and consumes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/challenge_answer.h"
#include "core/error.h"

#define T0  ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */
#define TTL ((sls_time)300)

static struct sls_lockout_state unlocked;

/* A right, well-formed response to a card challenge issued at T0, at now. */
static struct sls_challenge_facts facts(sls_time now)
{
    struct sls_challenge_facts f;

    memset(&f, 0, sizeof(f));
    f.now = now;
    f.lockout = &unlocked;
    f.kind = SLS_CHALLENGE_CARD;
    f.issued_at = T0;
    f.ttl = TTL;
    f.well_formed = true;
    f.right = true;
    return f;
}

static void test_right_until_the_last_second(void **state)
{
    (void)state;
    struct sls_challenge_facts f = facts(T0);
    struct sls_challenge_verdict v;

    for (sls_time at = T0; at <= T0 + TTL; at += TTL / 2) {
        f = facts(at);
        assert_true(sls_challenge_answer_checkable(&f));
        v = sls_challenge_answer_decide(&f);
        assert_int_equal(v.outcome, SLS_CHALLENGE_RIGHT);
        assert_int_equal(v.err, SLS_OK);
        assert_false(v.counts);
        assert_true(v.consume);
        assert_null(v.audit_outcome);
    }
    f = facts(T0 + TTL - 1);
    assert_int_equal(sls_challenge_answer_decide(&f).outcome, SLS_CHALLENGE_RIGHT);
}

static void test_expired_one_second_later_counts(void **state)
{
    (void)state;
    struct sls_challenge_facts f = facts(T0 + TTL + 1);
    struct sls_challenge_verdict v;

    /* A right response too late is not even checked. */
    assert_false(sls_challenge_answer_checkable(&f));
    v = sls_challenge_answer_decide(&f);
    assert_int_equal(v.outcome, SLS_CHALLENGE_EXPIRED);
    assert_int_equal(v.err, SLS_ERR_VERIFICATION_FAILED);
    assert_string_equal(v.audit_outcome, "expired");
    assert_true(v.counts);
    assert_true(v.consume);
    assert_non_null(v.hint);
}

static void test_wrong_counts_and_consumes(void **state)
{
    (void)state;
    struct sls_challenge_facts f = facts(T0 + TTL);
    struct sls_challenge_verdict v;

    f.right = false;
    assert_true(sls_challenge_answer_checkable(&f));
    v = sls_challenge_answer_decide(&f);
    assert_int_equal(v.outcome, SLS_CHALLENGE_WRONG);
    assert_int_equal(v.err, SLS_ERR_VERIFICATION_FAILED);
    assert_string_equal(v.audit_outcome, "wrong_response");
    assert_true(v.counts);
    assert_true(v.consume);
}

static void test_sms_code_lives_its_own_ttl(void **state)
{
    (void)state;
    struct sls_challenge_facts f;

    assert_int_equal(sls_challenge_answer_ttl(SLS_CHALLENGE_CODE, 300, 600), 600);
    assert_int_equal(sls_challenge_answer_ttl(SLS_CHALLENGE_RESPONSE, 300, 600), 300);
    assert_int_equal(sls_challenge_answer_ttl(SLS_CHALLENGE_CARD, 300, 600), 300);
    f = facts(T0 + 600);
    f.kind = SLS_CHALLENGE_CODE;
    f.ttl = sls_challenge_answer_ttl(f.kind, 300, 600);
    assert_int_equal(sls_challenge_answer_decide(&f).outcome, SLS_CHALLENGE_RIGHT);
    f.now = T0 + 601;
    assert_int_equal(sls_challenge_answer_decide(&f).outcome, SLS_CHALLENGE_EXPIRED);
}

/* Locked until L: refused at L-1, nothing counted, the challenge kept;
 * answered at L. Even a wrong or late response is not counted while locked. */
static void test_locked_is_refused_uncounted(void **state)
{
    (void)state;
    struct sls_lockout_state locked;
    struct sls_challenge_facts f = facts(T0 + 10);
    struct sls_challenge_verdict v;

    memset(&locked, 0, sizeof(locked));
    locked.locked_until = T0 + 11;
    f.lockout = &locked;
    f.right = false;
    assert_false(sls_challenge_answer_checkable(&f));
    v = sls_challenge_answer_decide(&f);
    assert_int_equal(v.outcome, SLS_CHALLENGE_LOCKED);
    assert_int_equal(v.err, SLS_ERR_LOCKED);
    assert_false(v.counts);
    assert_false(v.consume);
    f.now = T0 + TTL + 5;
    locked.locked_until = T0 + TTL + 6;
    assert_int_equal(sls_challenge_answer_decide(&f).outcome, SLS_CHALLENGE_LOCKED);
    f.now = T0 + 11;
    locked.locked_until = T0 + 11;
    f.right = true;
    assert_int_equal(sls_challenge_answer_decide(&f).outcome, SLS_CHALLENGE_RIGHT);
}

static void test_push_and_malformed_are_not_counted(void **state)
{
    (void)state;
    struct sls_challenge_facts f = facts(T0 + TTL + 100);
    struct sls_challenge_verdict v;

    f.kind = SLS_CHALLENGE_PUSH;
    v = sls_challenge_answer_decide(&f);
    assert_int_equal(v.outcome, SLS_CHALLENGE_NOT_TYPED);
    assert_int_equal(v.err, SLS_ERR_CONFLICT);
    assert_false(v.counts);
    assert_false(v.consume);
    assert_false(sls_challenge_answer_checkable(&f));

    f = facts(T0 + TTL + 100); /* expired, but malformed first */
    f.well_formed = false;
    v = sls_challenge_answer_decide(&f);
    assert_int_equal(v.outcome, SLS_CHALLENGE_MALFORMED);
    assert_int_equal(v.err, SLS_ERR_BAD_REQUEST);
    assert_false(v.counts);
    assert_false(v.consume);
    assert_false(sls_challenge_answer_checkable(&f));
}

static void test_denied_counts(void **state)
{
    (void)state;
    struct sls_challenge_verdict v = sls_challenge_answer_denied();

    assert_int_equal(v.outcome, SLS_CHALLENGE_DENIED);
    assert_int_equal(v.err, SLS_ERR_VERIFICATION_FAILED);
    assert_string_equal(v.audit_outcome, "denied");
    assert_true(v.counts);
    assert_true(v.consume);
}

/* An online card's activation indexes: no lifetime of their own, and a
 * wrong answer counts but leaves them. */
static void test_card_activation_indexes_stay(void **state)
{
    (void)state;
    struct sls_challenge_facts f = facts(T0 + 30 * 86400);
    struct sls_challenge_verdict v;

    f.lifelong = true;
    assert_true(sls_challenge_answer_checkable(&f));
    assert_int_equal(sls_challenge_answer_decide(&f).outcome, SLS_CHALLENGE_RIGHT);
    f.right = false;
    v = sls_challenge_answer_decide(&f);
    assert_int_equal(v.outcome, SLS_CHALLENGE_WRONG);
    assert_true(v.counts);
    assert_false(v.consume);
    assert_string_equal(v.audit_outcome, "wrong_response");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_until_the_last_second),
        cmocka_unit_test(test_expired_one_second_later_counts),
        cmocka_unit_test(test_wrong_counts_and_consumes),
        cmocka_unit_test(test_sms_code_lives_its_own_ttl),
        cmocka_unit_test(test_locked_is_refused_uncounted),
        cmocka_unit_test(test_push_and_malformed_are_not_counted),
        cmocka_unit_test(test_denied_counts),
        cmocka_unit_test(test_card_activation_indexes_stay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
