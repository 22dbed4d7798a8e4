/* Tests of src/core/client_lockout.c: SPEC §10.3 [lockout] mode client. Each
 * counter (a client token's, unknown clients') follows R8 at its boundary
 * seconds on its own, and a failure or success touches only its counter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/client_lockout.h"

#define T0  ((sls_time)1795363200) /* 2026-11-22T16:00:00Z */
#define H24 (24 * SLS_HOUR)

static struct sls_lockout_policy defaults(void)
{
    struct sls_lockout_policy p;
    sls_lockout_policy_default(&p);
    return p;
}

static void test_mode_parse(void **state)
{
    (void)state;
    enum sls_lockout_mode m = SLS_LOCKOUT_MODE_ACCOUNT;
    assert_int_equal(sls_lockout_mode_parse("client", &m), 0);
    assert_int_equal(m, SLS_LOCKOUT_MODE_CLIENT);
    assert_string_equal(sls_lockout_mode_name(m), "client");
    assert_int_equal(sls_lockout_mode_parse("account", &m), 0);
    assert_int_equal(m, SLS_LOCKOUT_MODE_ACCOUNT);
    assert_string_equal(sls_lockout_mode_name(m), "account");
    assert_int_equal(sls_lockout_mode_parse("Client", &m), -1);
    assert_int_equal(sls_lockout_mode_parse("", &m), -1);
    assert_int_equal(sls_lockout_mode_parse(NULL, &m), -1);
    assert_int_equal(m, SLS_LOCKOUT_MODE_ACCOUNT);
}

/* Unknown, expired or another user's token: no token at all. */
static void test_token_valid_boundaries(void **state)
{
    (void)state;
    sls_time exp = T0 + 90 * SLS_DAY;
    assert_true(sls_client_token_valid(7, exp, 7, T0));
    assert_true(sls_client_token_valid(7, exp, 7, exp - 1));
    assert_false(sls_client_token_valid(7, exp, 7, exp));
    assert_false(sls_client_token_valid(7, exp, 8, T0));
    assert_false(sls_client_token_valid(0, exp, 0, T0));
}

/* Ten failures against the picked counter: nine within `first`, the tenth
 * at T0 + span. Returns whether the tenth locked. */
static bool ten_over(struct sls_counters *c, sls_time span)
{
    struct sls_lockout_policy p = defaults();
    bool newly = true;
    for (int i = 0; i < 9; i++) {
        assert_false(sls_counters_fail(c, &p, T0 + i, &newly));
        assert_false(newly);
    }
    bool locked = sls_counters_fail(c, &p, T0 + span, &newly);
    assert_int_equal(newly, locked);
    return locked;
}

static void window_boundary(bool client)
{
    struct sls_counters c;
    sls_time until = 0;

    /* 10th failure 23:59:59 after the first: locked until 24 h after it. */
    memset(&c, 0, sizeof c);
    c.has_client = client;
    assert_true(ten_over(&c, H24 - 1));
    assert_true(sls_counters_locked(&c, T0 + H24 - 1, &until));
    assert_int_equal(until, T0 + H24 - 1 + H24);
    /* The other counter is untouched. */
    const struct sls_lockout_state *other = client ? &c.user : &c.client;
    assert_int_equal(other->nfail, 0);
    assert_int_equal(other->locked_until, 0);

    /* 24:00:00 apart: not locked. */
    memset(&c, 0, sizeof c);
    c.has_client = client;
    assert_false(ten_over(&c, H24));
    assert_false(sls_counters_locked(&c, T0 + H24, &until));
    assert_int_equal(sls_counters_pick(&c)->nfail, 10);
}

static void test_window_boundary_client_token(void **state)
{
    (void)state;
    window_boundary(true);
}

static void test_window_boundary_unknown_clients(void **state)
{
    (void)state;
    window_boundary(false);
}

static void lock_end_boundary(bool client)
{
    struct sls_lockout_policy p = defaults();
    struct sls_counters c;
    sls_time last = T0 + 9, until = 0;
    bool newly = false;

    memset(&c, 0, sizeof c);
    c.has_client = client;
    assert_true(ten_over(&c, 9));
    /* 1 s before the end: locked; at the end: free. */
    assert_true(sls_counters_locked(&c, last + H24 - 1, &until));
    assert_int_equal(until, last + H24);
    assert_false(sls_counters_locked(&c, last + H24, NULL));
    /* A failure during the lock counts and moves its end; not a new lock. */
    assert_true(sls_counters_fail(&c, &p, last + H24 - 1, &newly));
    assert_false(newly);
    assert_true(sls_counters_locked(&c, last + 2 * H24 - 2, NULL));
    assert_false(sls_counters_locked(&c, last + 2 * H24 - 1, NULL));
}

static void test_lock_end_boundary_client_token(void **state)
{
    (void)state;
    lock_end_boundary(true);
}

static void test_lock_end_boundary_unknown_clients(void **state)
{
    (void)state;
    lock_end_boundary(false);
}

/* The motivating case: unknown clients locked, a valid token still passes,
 * and its success leaves the unknown-clients lock alone. */
static void test_token_passes_while_unknown_locked(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    struct sls_counters c;

    memset(&c, 0, sizeof c);
    for (int i = 0; i < 100; i++)
        sls_counters_fail(&c, &p, T0 + i, NULL);
    assert_true(sls_counters_locked(&c, T0 + 100, NULL));
    assert_int_equal(c.user.locked_until, T0 + 99 + H24);

    c.has_client = true;
    assert_false(sls_counters_locked(&c, T0 + 100, NULL));
    sls_counters_fail(&c, &p, T0 + 100, NULL);
    assert_int_equal(c.client.nfail, 1);
    sls_counters_succeed(&c);
    assert_int_equal(c.client.nfail, 0);
    assert_int_equal(c.user.locked_until, T0 + 99 + H24);
    c.has_client = false;
    assert_true(sls_counters_locked(&c, T0 + 101, NULL));
}

/* A success without a token clears unknown clients only; a locked token
 * stays locked. */
static void test_success_clears_its_counter_only(void **state)
{
    (void)state;
    struct sls_lockout_policy p = defaults();
    struct sls_counters c;

    memset(&c, 0, sizeof c);
    c.has_client = true;
    assert_true(ten_over(&c, 10));
    c.has_client = false;
    for (int i = 0; i < 9; i++)
        assert_false(sls_counters_fail(&c, &p, T0 + 20 + i, NULL));
    sls_counters_succeed(&c);
    assert_int_equal(c.user.nfail, 0);
    c.has_client = true;
    assert_true(sls_counters_locked(&c, T0 + 30, NULL));
}

/* At the epoch: counters that never failed are not locked, with or without
 * a client token, and the first failure at second 0 does not lock. */
static void test_epoch_boundary(void **state)
{
    (void)state;
    static const sls_time secs[] = {0, 1, 86399, 86400};
    struct sls_lockout_policy p = defaults();

    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        for (int has_client = 0; has_client < 2; has_client++) {
            struct sls_counters c;
            sls_time until = -1;
            bool newly = true;

            memset(&c, 0, sizeof c);
            c.has_client = has_client;
            assert_false(sls_counters_locked(&c, secs[i], &until));
            assert_false(sls_counters_fail(&c, &p, secs[i], &newly));
            assert_false(newly);
            assert_false(sls_counters_locked(&c, secs[i], NULL));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode_parse),
        cmocka_unit_test(test_token_valid_boundaries),
        cmocka_unit_test(test_window_boundary_client_token),
        cmocka_unit_test(test_window_boundary_unknown_clients),
        cmocka_unit_test(test_lock_end_boundary_client_token),
        cmocka_unit_test(test_lock_end_boundary_unknown_clients),
        cmocka_unit_test(test_token_passes_while_unknown_locked),
        cmocka_unit_test(test_success_clears_its_counter_only),
        cmocka_unit_test(test_epoch_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
