/* Tests of src/core/login.c: the verdicts of stage 1 and of the end of
 * stage 2 at their boundary seconds, and one R12 answer for a typed answer
 * and an approved push. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/error.h"
#include "core/login.h"

#define T0  ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */
#define DAY (24 * SLS_HOUR)

static struct sls_access_policy policy(void)
{
    struct sls_access_policy p;
    sls_access_policy_default(&p);
    return p;
}

static const struct sls_login_ttl TTL = {300, 300};

static struct sls_account_view approved(sls_time at)
{
    struct sls_account_view v = {SLS_ACCOUNT_APPROVED, at, false, true};
    return v;
}

static const struct sls_device_brief DEVICES[] = {
    {SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE},
    {SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST},
    {SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE},
};

static struct sls_login_stage1 stage1(void)
{
    struct sls_login_stage1 f;
    memset(&f, 0, sizeof(f));
    f.user_found = true;
    f.password_ok = true;
    f.account = approved(T0 - DAY);
    f.platform = SLS_PLATFORM_TRADING;
    f.devices = DEVICES;
    f.ndevices = 3;
    return f;
}

static enum sls_login_decision decide1(const struct sls_login_stage1 *f, sls_time now,
                                       struct sls_login_verdict *v)
{
    struct sls_access_policy p = policy();
    return sls_login_decide_stage1(f, &p, now, v);
}

static void test_stage1_credentials(void **state)
{
    (void)state;
    struct sls_login_stage1 f = stage1();
    struct sls_login_verdict v;

    f.user_found = false;
    f.password_ok = false;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_FAILED);
    assert_int_equal(v.err, SLS_ERR_INVALID_CREDENTIALS);
    assert_false(v.counts); /* nobody to count against */
    assert_string_equal(v.audit_outcome, "unknown_user");

    f = stage1();
    f.password_ok = false;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_FAILED);
    assert_int_equal(v.err, SLS_ERR_INVALID_CREDENTIALS);
    assert_true(v.counts);
    assert_string_equal(v.audit_event, "login.failure");
    assert_string_equal(v.audit_outcome, "wrong_password");
    assert_null(v.hint);

    /* R8: the right password while locked is a failed attempt too. */
    f = stage1();
    f.locked = true;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_FAILED);
    assert_true(v.counts);
    assert_string_equal(v.audit_outcome, "locked");
    assert_int_equal(v.next, SLS_LOGIN_NEXT_KEEP);
}

static void test_stage1_default_device(void **state)
{
    (void)state;
    struct sls_login_stage1 f = stage1();
    struct sls_login_verdict v;
    struct sls_device_brief none[] = {{SLS_DEVICE_IBKEY, SLS_DEVSTATE_LOST}};

    /* R7: the strongest active one; the lost DSC+ is skipped. */
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_SECOND_FACTOR);
    assert_int_equal(v.device, 2);
    assert_int_equal(v.err, SLS_OK);
    assert_false(v.counts);

    f.devices = none;
    f.ndevices = 1;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_REFUSED);
    assert_int_equal(v.err, SLS_ERR_NO_ACTIVE_DEVICE);
    assert_false(v.counts);
    assert_string_equal(v.audit_event, "login.refused");
    assert_string_equal(v.audit_outcome, "no_active_device");
    assert_non_null(v.hint);
    f.ndevices = 0;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_REFUSED);
}

static void test_stage1_no_second_factor(void **state)
{
    (void)state;
    struct sls_login_stage1 f = stage1();
    struct sls_login_verdict v;

    /* R12: a closed account reads the portal with the password alone. */
    f.account.state = SLS_ACCOUNT_CLOSED;
    f.platform = SLS_PLATFORM_PORTAL;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_SESSION);
    assert_int_equal(v.access, SLS_ACCESS_READ_ONLY);
    assert_int_equal(v.factor, SLS_DEVICE_NONE);
    f.platform = SLS_PLATFORM_TRADING;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_REFUSED);
    assert_int_equal(v.err, SLS_ERR_PLATFORM_NOT_ALLOWED);
    assert_string_equal(v.message, "Account closed: Client Portal access only");

    /* R30: outside SLS, no device either, full access. */
    f = stage1();
    f.account.sls = false;
    f.ndevices = 0;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_SESSION);
    assert_int_equal(v.access, SLS_ACCESS_FULL);
}

static void test_stage1_cutoff_boundary(void **state)
{
    (void)state;
    struct sls_login_stage1 f = stage1();
    struct sls_login_verdict v;

    /* Approved one second before the 16:00 cut-off: trading the same day. */
    f.account = approved(T0 - 1);
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_SECOND_FACTOR);
    /* At the cut-off: trading opens at 00:00 UTC the next day. */
    f.account = approved(T0);
    assert_int_equal(decide1(&f, T0 + 8 * SLS_HOUR - 1, &v), SLS_LOGIN_OUT_REFUSED);
    assert_int_equal(v.err, SLS_ERR_PLATFORM_NOT_ALLOWED);
    assert_false(v.counts);
    assert_string_equal(v.message, "Trading access opens 2026-11-23");
    assert_string_equal(v.audit_event, "login.refused");
    assert_string_equal(v.audit_outcome, "platform_not_allowed");
    assert_int_equal(decide1(&f, T0 + 8 * SLS_HOUR, &v), SLS_LOGIN_OUT_SECOND_FACTOR);
    /* The portal at once. */
    f.platform = SLS_PLATFORM_PORTAL;
    assert_int_equal(decide1(&f, T0, &v), SLS_LOGIN_OUT_SECOND_FACTOR);
}

static struct sls_login_stage2 stage2(enum sls_login_proof proof)
{
    struct sls_login_stage2 f;
    memset(&f, 0, sizeof(f));
    f.proof = proof;
    f.pending = true;
    f.waits_for_push = proof == SLS_LOGIN_PROOF_PUSH;
    f.created_at = T0;
    f.challenge_at = T0;
    f.device_found = true;
    f.device_active = true;
    f.answer_ok = true;
    f.factor = proof == SLS_LOGIN_PROOF_PUSH ? SLS_DEVICE_IBKEY : SLS_DEVICE_DSC_PLUS;
    f.account = approved(T0 - DAY);
    f.platform = SLS_PLATFORM_TRADING;
    return f;
}

static enum sls_login_decision decide2(const struct sls_login_stage2 *f, sls_time now,
                                       struct sls_login_verdict *v)
{
    struct sls_access_policy p = policy();
    return sls_login_decide_stage2(f, &TTL, &p, now, v);
}

static void assert_login_failed(const struct sls_login_verdict *v, const char *outcome)
{
    assert_int_equal(v->outcome, SLS_LOGIN_OUT_FAILED);
    assert_int_equal(v->err, SLS_ERR_LOGIN_FAILED);
    assert_true(v->counts);
    assert_string_equal(v->audit_event, "login.failure");
    assert_string_equal(v->audit_outcome, outcome);
    assert_int_equal(v->next, SLS_LOGIN_NEXT_FAILED);
    assert_non_null(v->hint);
}

static void test_stage2_right_answer(void **state)
{
    (void)state;
    struct sls_login_stage2 f = stage2(SLS_LOGIN_PROOF_TYPED);
    struct sls_login_verdict v;

    assert_int_equal(decide2(&f, T0 + 1, &v), SLS_LOGIN_OUT_SESSION);
    assert_int_equal(v.err, SLS_OK);
    assert_int_equal(v.access, SLS_ACCESS_FULL);
    assert_int_equal(v.factor, SLS_DEVICE_DSC_PLUS);
    assert_int_equal(v.next, SLS_LOGIN_NEXT_AUTHENTICATED);
    assert_false(v.counts);
}

static void test_stage2_login_and_challenge_expiry(void **state)
{
    (void)state;
    struct sls_login_stage2 f = stage2(SLS_LOGIN_PROOF_TYPED);
    struct sls_login_verdict v;

    /* R9: valid at 300 s, expired at 301 s, the login and its challenge alike. */
    assert_int_equal(decide2(&f, T0 + 300, &v), SLS_LOGIN_OUT_SESSION);
    decide2(&f, T0 + 301, &v);
    assert_login_failed(&v, "expired");
    f.challenge_at = T0 + 100; /* a device switch: a new challenge, the login's own limit */
    decide2(&f, T0 + 301, &v);
    assert_login_failed(&v, "expired");
    f.created_at = T0 + 100;
    assert_int_equal(decide2(&f, T0 + 400, &v), SLS_LOGIN_OUT_SESSION);
    decide2(&f, T0 + 401, &v);
    assert_login_failed(&v, "expired");
    /* Expired wins over a wrong answer. */
    f.answer_ok = false;
    decide2(&f, T0 + 401, &v);
    assert_login_failed(&v, "expired");
}

static void test_stage2_code_expiry(void **state)
{
    (void)state;
    struct sls_login_stage2 f = stage2(SLS_LOGIN_PROOF_TYPED);
    struct sls_login_verdict v;

    f.factor = SLS_DEVICE_SMS;
    f.is_code = true;
    f.code_found = true;
    f.code_expires_at = T0 + 120;
    assert_int_equal(decide2(&f, T0 + 120, &v), SLS_LOGIN_OUT_SESSION);
    decide2(&f, T0 + 121, &v);
    assert_login_failed(&v, "expired");
    f.code_found = false; /* used, or gone */
    decide2(&f, T0 + 1, &v);
    assert_login_failed(&v, "expired");
}

static void test_stage2_wrong_and_inactive(void **state)
{
    (void)state;
    struct sls_login_stage2 f = stage2(SLS_LOGIN_PROOF_TYPED);
    struct sls_login_verdict v;

    f.answer_ok = false;
    decide2(&f, T0 + 1, &v);
    assert_login_failed(&v, "wrong_response");
    assert_string_equal(v.hint, sls_response_hint(SLS_DEVICE_DSC_PLUS));
    /* R29: lost since stage 1, even with the right answer. */
    f = stage2(SLS_LOGIN_PROOF_TYPED);
    f.device_active = false;
    decide2(&f, T0 + 1, &v);
    assert_login_failed(&v, "device_not_active");
    f.device_found = false;
    decide2(&f, T0 + 1, &v);
    assert_login_failed(&v, "wrong_response");
    /* The same for an approved push whose device went meanwhile. */
    f = stage2(SLS_LOGIN_PROOF_PUSH);
    f.device_active = false;
    decide2(&f, T0 + 1, &v);
    assert_login_failed(&v, "device_not_active");
}

static void test_stage2_single_use_and_push_login(void **state)
{
    (void)state;
    struct sls_login_stage2 f = stage2(SLS_LOGIN_PROOF_TYPED);
    struct sls_login_verdict v;

    /* R9: a decided login answers as failed, and counts. */
    f.pending = false;
    decide2(&f, T0 + 1, &v);
    assert_login_failed(&v, "reused");
    /* Nothing to type for a push: rejected, nothing counted or closed. */
    f = stage2(SLS_LOGIN_PROOF_TYPED);
    f.waits_for_push = true;
    assert_int_equal(decide2(&f, T0 + 1, &v), SLS_LOGIN_OUT_REJECTED);
    assert_int_equal(v.err, SLS_ERR_BAD_REQUEST);
    assert_false(v.counts);
    assert_int_equal(v.next, SLS_LOGIN_NEXT_KEEP);
    assert_null(v.audit_event);
    /* A push approval is timed by the push: no login or challenge expiry here. */
    f = stage2(SLS_LOGIN_PROOF_PUSH);
    assert_false(sls_login_answer_expired(&f, &TTL, T0 + 10 * DAY));
    assert_int_equal(decide2(&f, T0 + 301, &v), SLS_LOGIN_OUT_SESSION);
    assert_int_equal(v.factor, SLS_DEVICE_IBKEY);
}

/* One R12 answer at stage 2 for a typed answer and an approved push. */
static void test_stage2_r12_both_paths(void **state)
{
    (void)state;
    static const enum sls_login_proof proofs[] = {SLS_LOGIN_PROOF_TYPED, SLS_LOGIN_PROOF_PUSH};
    struct sls_login_verdict v;

    for (size_t i = 0; i < 2; i++) {
        struct sls_login_stage2 f = stage2(proofs[i]);
        f.account.state = SLS_ACCOUNT_CLOSED;
        assert_int_equal(decide2(&f, T0 + 1, &v), SLS_LOGIN_OUT_REFUSED);
        assert_int_equal(v.err, SLS_ERR_PLATFORM_NOT_ALLOWED);
        assert_string_equal(v.message, "Account closed: Client Portal access only");
        assert_false(v.counts);
        assert_int_equal(v.next, SLS_LOGIN_NEXT_FAILED);
        assert_string_equal(v.audit_event, "login.refused");
        assert_string_equal(v.audit_outcome, "platform_not_allowed");

        /* Approved at the cut-off between the stages: trading opens at 00:00 UTC. */
        f = stage2(proofs[i]);
        f.account = approved(T0);
        f.created_at = f.challenge_at = T0 + 8 * SLS_HOUR - 2;
        assert_int_equal(decide2(&f, T0 + 8 * SLS_HOUR - 1, &v), SLS_LOGIN_OUT_REFUSED);
        assert_string_equal(v.message, "Trading access opens 2026-11-23");
        assert_int_equal(decide2(&f, T0 + 8 * SLS_HOUR, &v), SLS_LOGIN_OUT_SESSION);

        /* A wrong answer on a refused account is a wrong answer first. */
        f = stage2(proofs[i]);
        f.account.state = SLS_ACCOUNT_CLOSED;
        f.device_active = false;
        decide2(&f, T0 + 1, &v);
        assert_login_failed(&v, "device_not_active");
    }
}

static void test_stage2_temporary_passcode_windows(void **state)
{
    (void)state;
    struct sls_login_stage2 f = stage2(SLS_LOGIN_PROOF_TYPED);
    struct sls_login_verdict v;
    struct sls_access_policy p;
    sls_time issued = T0 - 2 * DAY;

    f.factor = SLS_DEVICE_TEMP_PASSCODE;
    f.factor_since = issued;
    f.created_at = f.challenge_at = issued + 2 * DAY - 1;
    /* R11: full on trading for 2 days, the last second included. */
    assert_int_equal(decide2(&f, issued + 2 * DAY - 1, &v), SLS_LOGIN_OUT_SESSION);
    assert_int_equal(v.access, SLS_ACCESS_FULL);
    decide2(&f, issued + 2 * DAY, &v);
    assert_login_failed(&v, "factor_refused");
    p = policy();
    assert_string_equal(v.hint,
                        sls_access_refusal_hint(SLS_DEVICE_TEMP_PASSCODE, SLS_PLATFORM_TRADING,
                                                issued, &p, issued + 2 * DAY));
    assert_string_not_equal(v.hint, sls_response_hint(SLS_DEVICE_TEMP_PASSCODE));
    /* The portal, online card only, until 12 days; then refused. */
    f.platform = SLS_PLATFORM_PORTAL;
    assert_int_equal(decide2(&f, issued + 2 * DAY, &v), SLS_LOGIN_OUT_SESSION);
    assert_int_equal(v.access, SLS_ACCESS_ONLINE_CARD_ONLY);
    f.created_at = f.challenge_at = issued + 12 * DAY - 1;
    assert_int_equal(decide2(&f, issued + 12 * DAY - 1, &v), SLS_LOGIN_OUT_SESSION);
    decide2(&f, issued + 12 * DAY, &v);
    assert_login_failed(&v, "factor_refused");
}

static void test_switch(void **state)
{
    (void)state;
    struct sls_login_switch f = {true, T0, true, true, SLS_DEVICE_SMS, false, true};
    struct sls_login_verdict v;

    /* R9: switching is possible while the login lives, 300 s included. */
    assert_int_equal(sls_login_decide_switch(&f, 300, T0 + 300, &v), SLS_LOGIN_OUT_SECOND_FACTOR);
    assert_int_equal(sls_login_decide_switch(&f, 300, T0 + 301, &v), SLS_LOGIN_OUT_FAILED);
    assert_int_equal(v.err, SLS_ERR_LOGIN_FAILED);
    assert_false(v.counts);
    assert_null(v.audit_event);
    f.pending = false;
    assert_int_equal(sls_login_decide_switch(&f, 300, T0, &v), SLS_LOGIN_OUT_FAILED);
    f.pending = true;
    /* Only the user's active devices; the app's manual mode; SMS channels. */
    f.device_active = false;
    assert_int_equal(sls_login_decide_switch(&f, 300, T0, &v), SLS_LOGIN_OUT_REJECTED);
    assert_int_equal(v.err, SLS_ERR_BAD_REQUEST);
    assert_string_equal(v.message, "Unknown device for this login");
    f.device_active = true;
    f.device_held = false;
    assert_int_equal(sls_login_decide_switch(&f, 300, T0, &v), SLS_LOGIN_OUT_REJECTED);
    f.device_held = true;
    f.manual = true;
    assert_int_equal(sls_login_decide_switch(&f, 300, T0, &v), SLS_LOGIN_OUT_REJECTED);
    f.type = SLS_DEVICE_IBKEY;
    f.channel = false;
    assert_int_equal(sls_login_decide_switch(&f, 300, T0, &v), SLS_LOGIN_OUT_SECOND_FACTOR);
    f.manual = false;
    f.channel = true;
    assert_int_equal(sls_login_decide_switch(&f, 300, T0, &v), SLS_LOGIN_OUT_REJECTED);
    assert_string_equal(v.message, "Only SMS devices take a channel");
}

static void test_push_refused(void **state)
{
    (void)state;
    struct sls_login_verdict v;

    assert_int_equal(sls_login_decide_push_refused(false, &v), SLS_LOGIN_OUT_FAILED);
    assert_true(v.counts);
    assert_string_equal(v.audit_outcome, "denied");
    assert_int_equal(v.next, SLS_LOGIN_NEXT_DENIED);
    assert_int_equal(sls_login_decide_push_refused(true, &v), SLS_LOGIN_OUT_FAILED);
    assert_true(v.counts);
    assert_int_equal(v.err, SLS_ERR_WRONG_NUMBER);
    assert_string_equal(v.audit_outcome, "wrong_number");
    assert_int_equal(v.next, SLS_LOGIN_NEXT_DENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage1_credentials),
        cmocka_unit_test(test_stage1_default_device),
        cmocka_unit_test(test_stage1_no_second_factor),
        cmocka_unit_test(test_stage1_cutoff_boundary),
        cmocka_unit_test(test_stage2_right_answer),
        cmocka_unit_test(test_stage2_login_and_challenge_expiry),
        cmocka_unit_test(test_stage2_code_expiry),
        cmocka_unit_test(test_stage2_wrong_and_inactive),
        cmocka_unit_test(test_stage2_single_use_and_push_login),
        cmocka_unit_test(test_stage2_r12_both_paths),
        cmocka_unit_test(test_stage2_temporary_passcode_windows),
        cmocka_unit_test(test_switch),
        cmocka_unit_test(test_push_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
