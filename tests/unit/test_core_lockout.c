/* Tests of src/core/lockout.c: R8 at its boundary seconds, and the storage
 * text form of the lockout state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/lockout.h"

#define T0  ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */
#define H24 (24 * SLS_HOUR)

static struct sls_lockout_policy defaults(void)
{
    struct sls_lockout_policy p;
    sls_lockout_policy_default(&p);
    return p;
}

static void test_policy_default(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    assert_int_equal(p.max_failures, 10);
    assert_int_equal(p.window, 86400);
    assert_int_equal(p.lock_duration, 86400);
}

static void test_nine_vs_ten_failures(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    struct sls_lockout_state s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 9; i++) {
        assert_false(sls_lockout_record_failure(&s, &p, T0 + i * 60));
        assert_false(sls_lockout_is_locked(&s, T0 + i * 60));
        assert_int_equal(s.nfail, i + 1);
        assert_int_equal(s.locked_until, 0);
    }
    assert_true(sls_lockout_record_failure(&s, &p, T0 + 9 * 60));
    assert_int_equal(s.nfail, 10);
    assert_int_equal(s.locked_until, T0 + 9 * 60 + H24);
    assert_true(sls_lockout_is_locked(&s, T0 + 9 * 60));
}

/* Ten failures: the first at T0, eight in between, the tenth `span` later. */
static bool ten_failures_over(sls_time span, struct sls_lockout_state *s)
{
    struct sls_lockout_policy p = defaults();
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 9; i++) {
        assert_false(sls_lockout_record_failure(s, &p, T0 + i));
    }
    return sls_lockout_record_failure(s, &p, T0 + span);
}

static void test_window_boundary(void **state)
{
    (void)state;
    struct sls_lockout_state s;
    assert_true(ten_failures_over(H24 - 1, &s));
    assert_int_equal(s.locked_until, T0 + H24 - 1 + H24);
    assert_false(ten_failures_over(H24, &s));
    assert_int_equal(s.locked_until, 0);
    assert_false(sls_lockout_is_locked(&s, T0 + H24));
    assert_int_equal(s.nfail, 10);
}

static void test_evenly_spaced_boundary(void **state)
{
    (void)state;
    /* Nine gaps: 9 * 9600 = 24 h exactly (never locks); 9 * 9599 < 24 h. */
    static const struct {
        sls_time gap;
        int locks_at; /* failure number that locks, 0 = never */
    } cases[] = {{9600, 0}, {9599, 10}, {3 * SLS_HOUR, 0}, {1, 10}, {0, 10}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct sls_lockout_policy p = defaults();
        struct sls_lockout_state s;
        memset(&s, 0, sizeof s);
        int locked_at = 0;
        for (int i = 1; i <= 100 && locked_at == 0; i++) {
            if (sls_lockout_record_failure(&s, &p, T0 + (i - 1) * cases[c].gap)) {
                locked_at = i;
            }
        }
        assert_int_equal(locked_at, cases[c].locks_at);
    }
}

static void test_lock_ends_after_duration(void **state)
{
    (void)state;
    struct sls_lockout_state s;
    assert_true(ten_failures_over(100, &s));
    sls_time last = T0 + 100;
    assert_int_equal(s.locked_until, last + H24);
    assert_true(sls_lockout_is_locked(&s, last));
    assert_true(sls_lockout_is_locked(&s, last + H24 - 1));
    assert_false(sls_lockout_is_locked(&s, last + H24));
    assert_false(sls_lockout_is_locked(&s, last + 2 * H24));
}

static void test_failures_during_lock_extend(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    struct sls_lockout_state s;
    assert_true(ten_failures_over(100, &s));
    sls_time last = T0 + 100;
    /* A refused attempt (even with the right password) during the lock. */
    assert_true(sls_lockout_record_failure(&s, &p, last + H24 - 1));
    assert_int_equal(s.locked_until, last + H24 - 1 + H24);
    assert_true(sls_lockout_is_locked(&s, last + H24));
    assert_true(sls_lockout_is_locked(&s, last + 2 * H24 - 2));
    assert_false(sls_lockout_is_locked(&s, last + 2 * H24 - 1));
    /* Once the lock is over, one more failure does not lock again by
     * itself: the kept failures are not within 24 h. */
    assert_false(sls_lockout_record_failure(&s, &p, last + 2 * H24 - 1));
    assert_int_equal(s.locked_until, last + 2 * H24 - 1);
    assert_false(sls_lockout_is_locked(&s, last + 2 * H24 - 1));
}

static void test_success_resets(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    struct sls_lockout_state s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 9; i++) {
        assert_false(sls_lockout_record_failure(&s, &p, T0 + i));
    }
    sls_lockout_record_success(&s);
    assert_int_equal(s.nfail, 0);
    assert_int_equal(s.locked_until, 0);
    for (int i = 0; i < 9; i++) {
        assert_false(sls_lockout_record_failure(&s, &p, T0 + 100 + i));
    }
    assert_true(sls_lockout_record_failure(&s, &p, T0 + 200));
    sls_lockout_record_success(&s);
    assert_false(sls_lockout_is_locked(&s, T0 + 201));
    assert_int_equal(s.nfail, 0);
}

static void test_keeps_most_recent_oldest_first(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    struct sls_lockout_state s;
    memset(&s, 0, sizeof s);
    /* 15 failures 3 h apart never lock; only the last 10 are kept. */
    for (int i = 0; i < 15; i++) {
        assert_false(sls_lockout_record_failure(&s, &p, T0 + i * 3 * SLS_HOUR));
    }
    assert_int_equal(s.nfail, 10);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(s.fail_at[i], T0 + (i + 5) * 3 * SLS_HOUR);
    }
}

static void test_other_policies(void **state)
{
    (void)state;
    struct sls_lockout_policy p = {.max_failures = 1, .window = 60, .lock_duration = 600};
    struct sls_lockout_state s;
    memset(&s, 0, sizeof s);
    assert_true(sls_lockout_record_failure(&s, &p, T0));
    assert_int_equal(s.locked_until, T0 + 600);
    assert_int_equal(s.nfail, 1);

    p = (struct sls_lockout_policy){
        .max_failures = SLS_LOCKOUT_MAX_TRACKED, .window = 1000, .lock_duration = 5};
    memset(&s, 0, sizeof s);
    for (int i = 0; i < SLS_LOCKOUT_MAX_TRACKED - 1; i++) {
        assert_false(sls_lockout_record_failure(&s, &p, T0 + i));
    }
    assert_true(sls_lockout_record_failure(&s, &p, T0 + 999));
    assert_int_equal(s.nfail, SLS_LOCKOUT_MAX_TRACKED);
    assert_int_equal(s.locked_until, T0 + 999 + 5);

    /* An out-of-range max never overflows the array. */
    p = (struct sls_lockout_policy){.max_failures = 1000, .window = 10, .lock_duration = 5};
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 200; i++) {
        sls_lockout_record_failure(&s, &p, T0 + i * 100);
    }
    assert_int_equal(s.nfail, SLS_LOCKOUT_MAX_TRACKED);
    assert_int_equal(s.fail_at[SLS_LOCKOUT_MAX_TRACKED - 1], T0 + 199 * 100);
}

struct enc_case {
    sls_time locked_until;
    int nfail;
    sls_time fail_at[4];
    const char *text;
};

static const struct enc_case enc_cases[] = {
    {0, 0, {0}, "0;"},
    {T0 + H24, 3, {T0, T0 + 1, T0 + 2}, "1795449600;1795363200,1795363201,1795363202"},
    {0, 1, {-5}, "0;-5"},
    {-86400, 2, {-1, 0}, "-86400;-1,0"},
    {INT64_MIN,
     2,
     {INT64_MAX, INT64_MIN},
     "-9223372036854775808;9223372036854775807,-9223372036854775808"},
};

static void test_encode_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof enc_cases / sizeof enc_cases[0]; i++) {
        const struct enc_case *c = &enc_cases[i];
        struct sls_lockout_state s, back;
        memset(&s, 0, sizeof s);
        s.locked_until = c->locked_until;
        s.nfail = c->nfail;
        memcpy(s.fail_at, c->fail_at, sizeof c->fail_at);
        char buf[1100];
        assert_int_equal(sls_lockout_encode(&s, buf, sizeof buf), 0);
        assert_string_equal(buf, c->text);
        /* Exactly the length plus the NUL fits; one byte less does not. */
        size_t need = strlen(c->text) + 1;
        char small[1100];
        assert_int_equal(sls_lockout_encode(&s, small, need), 0);
        assert_int_equal(sls_lockout_encode(&s, small, need - 1), -1);
        memset(&back, 0x5a, sizeof back);
        assert_int_equal(sls_lockout_decode(buf, &back), 0);
        assert_int_equal(back.locked_until, c->locked_until);
        assert_int_equal(back.nfail, c->nfail);
        for (int k = 0; k < c->nfail; k++) {
            assert_int_equal(back.fail_at[k], c->fail_at[k]);
        }
    }
}

static void test_encode_full_state(void **state)
{
    (void)state;
    struct sls_lockout_state s, back;
    memset(&s, 0, sizeof s);
    s.locked_until = 253402300799;
    s.nfail = SLS_LOCKOUT_MAX_TRACKED;
    for (int i = 0; i < SLS_LOCKOUT_MAX_TRACKED; i++) {
        s.fail_at[i] = (i % 2 ? -62167219200 : 253402300799) + i;
    }
    char buf[1100];
    assert_int_equal(sls_lockout_encode(&s, buf, sizeof buf), 0);
    assert_int_equal(sls_lockout_decode(buf, &back), 0);
    assert_memory_equal(&s, &back, sizeof s);

    s.nfail = SLS_LOCKOUT_MAX_TRACKED + 1;
    assert_int_equal(sls_lockout_encode(&s, buf, sizeof buf), -1);
    s.nfail = -1;
    assert_int_equal(sls_lockout_encode(&s, buf, sizeof buf), -1);
}

static void test_decode_empty(void **state)
{
    (void)state;
    struct sls_lockout_state s;
    memset(&s, 0x5a, sizeof s);
    assert_int_equal(sls_lockout_decode("", &s), 0);
    assert_int_equal(s.nfail, 0);
    assert_int_equal(s.locked_until, 0);
    memset(&s, 0x5a, sizeof s);
    assert_int_equal(sls_lockout_decode(NULL, &s), 0);
    assert_int_equal(s.nfail, 0);
    assert_int_equal(s.locked_until, 0);
}

static void test_decode_garbage(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "abc",
        ";",
        "1",
        "1;2,",
        "1;,2",
        "1;2,,3",
        "1;2 ,3",
        " 1;2",
        "1;2;3",
        "1;2\n",
        "-;1",
        "1;-",
        "1;+2",
        "+1;2",
        "1;0x10",
        "9223372036854775808;",
        "-9223372036854775809;",
        "1;99999999999999999999999",
        "1;2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,"
        "31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,"
        "59,60,61,62,63,64,65,66",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sls_lockout_state s;
        memset(&s, 0x5a, sizeof s);
        assert_int_equal(sls_lockout_decode(bad[i], &s), -1);
        assert_int_equal(s.nfail, 0);
        assert_int_equal(s.locked_until, 0);
        assert_int_equal(s.fail_at[0], 0);
    }
    /* 64 times are accepted (the array holds exactly that many). */
    char buf[1100];
    size_t pos = (size_t)snprintf(buf, sizeof buf, "7;");
    for (int i = 1; i <= SLS_LOCKOUT_MAX_TRACKED; i++) {
        pos += (size_t)snprintf(buf + pos, sizeof buf - pos, i > 1 ? ",%d" : "%d", i);
    }
    struct sls_lockout_state s;
    assert_int_equal(sls_lockout_decode(buf, &s), 0);
    assert_int_equal(s.nfail, SLS_LOCKOUT_MAX_TRACKED);
    assert_int_equal(s.fail_at[SLS_LOCKOUT_MAX_TRACKED - 1], SLS_LOCKOUT_MAX_TRACKED);
    assert_int_equal(s.locked_until, 7);
}

static void test_decoded_state_keeps_locking(void **state)
{
    (void)state;
    /* Nine failures stored, the tenth recorded after a reload. */
    struct sls_lockout_policy p = defaults();
    struct sls_lockout_state s;
    assert_int_equal(sls_lockout_decode("0;1000,1001,1002,1003,1004,1005,1006,1007,1008", &s), 0);
    assert_true(sls_lockout_record_failure(&s, &p, 1000 + H24 - 1));
    assert_int_equal(s.locked_until, 1000 + 2 * H24 - 1);
}

/* At the epoch and before it (a clock set wrong): a state that never failed
 * is not locked (its zero lock end is "none", not a time), and a first
 * failure counts as one failure, not as a lock. */
static void test_epoch_boundary(void **state)
{
    (void)state;
    static const sls_time secs[] = {-86400, -1, 0, 1, 86399, 86400};
    struct sls_lockout_policy p = defaults();

    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        struct sls_lockout_state s;

        memset(&s, 0, sizeof s);
        assert_false(sls_lockout_is_locked(&s, secs[i]));
        assert_int_equal(sls_lockout_decode("", &s), 0);
        assert_false(sls_lockout_is_locked(&s, secs[i]));
        assert_int_equal(sls_lockout_decode("0;", &s), 0);
        assert_false(sls_lockout_is_locked(&s, secs[i]));
        assert_false(sls_lockout_record_failure(&s, &p, secs[i]));
        assert_int_equal(s.nfail, 1);
        assert_false(sls_lockout_is_locked(&s, secs[i]));
    }
    /* Ten failures from second 0 lock until the last one plus 24 h. */
    {
        struct sls_lockout_state s;

        memset(&s, 0, sizeof s);
        for (sls_time t = 0; t < 9; t++)
            assert_false(sls_lockout_record_failure(&s, &p, t));
        assert_true(sls_lockout_record_failure(&s, &p, 9));
        assert_int_equal(s.locked_until, 9 + H24);
        assert_true(sls_lockout_is_locked(&s, 9 + H24 - 1));
        assert_false(sls_lockout_is_locked(&s, 9 + H24));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_default),
        cmocka_unit_test(test_nine_vs_ten_failures),
        cmocka_unit_test(test_window_boundary),
        cmocka_unit_test(test_evenly_spaced_boundary),
        cmocka_unit_test(test_lock_ends_after_duration),
        cmocka_unit_test(test_failures_during_lock_extend),
        cmocka_unit_test(test_success_resets),
        cmocka_unit_test(test_keeps_most_recent_oldest_first),
        cmocka_unit_test(test_other_policies),
        cmocka_unit_test(test_encode_decode),
        cmocka_unit_test(test_encode_full_state),
        cmocka_unit_test(test_decode_empty),
        cmocka_unit_test(test_decode_garbage),
        cmocka_unit_test(test_decoded_state_keeps_locking),
        cmocka_unit_test(test_epoch_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
