/* Tests of the write state every store backend keeps for its health
 * (src/store/write_state.c): set and cleared by writes, the reason kept only
 * while unavailable, and the probe paced to the second. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/error.h"
#include "store/write_state.h"

static void test_set_and_clear(void **state)
{
    struct sls_write_state w = SLS_WRITE_STATE_INIT;
    char reason[64] = "x";

    (void)state;
    assert_int_equal(sls_write_state_report(&w, reason, sizeof reason), SLS_OK);
    assert_string_equal(reason, "");
    sls_write_state_set(&w, true, "disk full");
    assert_int_equal(sls_write_state_report(&w, reason, sizeof reason), SLS_ERR_STORE_UNAVAILABLE);
    assert_string_equal(reason, "disk full");
    /* A reason longer than the caller's room is cut there, never past it. */
    assert_int_equal(sls_write_state_report(&w, reason, 5), SLS_ERR_STORE_UNAVAILABLE);
    assert_string_equal(reason, "disk");
    assert_int_equal(sls_write_state_report(&w, NULL, 0), SLS_ERR_STORE_UNAVAILABLE);
    sls_write_state_set(&w, false, "ignored");
    assert_int_equal(sls_write_state_report(&w, reason, sizeof reason), SLS_OK);
    assert_string_equal(reason, "");
}

static void test_probe_paced(void **state)
{
    struct sls_write_state w = SLS_WRITE_STATE_INIT;
    const int64_t t0 = 1700000000;

    (void)state;
    /* Nothing to probe while the store writes. */
    assert_false(sls_write_state_probe_due(&w, t0));
    sls_write_state_set(&w, true, "I/O error");
    assert_true(sls_write_state_probe_due(&w, t0));
    assert_false(sls_write_state_probe_due(&w, t0));
    assert_false(sls_write_state_probe_due(&w, t0 + SLS_WRITE_STATE_PROBE_SECONDS - 1));
    assert_true(sls_write_state_probe_due(&w, t0 + SLS_WRITE_STATE_PROBE_SECONDS));
    assert_false(sls_write_state_probe_due(&w, t0 + SLS_WRITE_STATE_PROBE_SECONDS));
    /* Recovered: no probe, however long since the last. */
    sls_write_state_set(&w, false, NULL);
    assert_false(sls_write_state_probe_due(&w, t0 + 1000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_and_clear),
        cmocka_unit_test(test_probe_paced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
