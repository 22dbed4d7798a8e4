/* Tests of src/core/password_reset.c: a reset code's expiry to the second,
 * its wrong-guess budget, and the masked e-mail shown to agents. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expiry_boundary),
        cmocka_unit_test(test_attempt_budget),
        cmocka_unit_test(test_email_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
