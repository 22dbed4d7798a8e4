/* Tests of src/core/notice.c: every security notice (SPEC §10.3) says what
 * happened, when (RFC 3339, UTC) and to call the service desk, names only
 * what it is given, and fits or fails whole; addresses are masked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/notice.h"

#define T0 ((sls_time)1795305600) /* 2026-11-22T00:00:00Z */

static void test_every_event_says_what_when_and_what_to_do(void **state)
{
    char out[1024], kind[64];

    (void)state;
    for (int ev = 0; ev < SLS_NOTICE__COUNT; ev++) {
        assert_int_equal(sls_notice_text((enum sls_notice_event)ev, NULL, T0, out, sizeof(out)), 0);
        assert_non_null(strstr(out, "Security notice: "));
        assert_non_null(strstr(out, "When: 2026-11-22T00:00:00Z (UTC)."));
        assert_non_null(strstr(out, "If this was not you, call the service desk at once."));
        assert_non_null(sls_notice_kind((enum sls_notice_event)ev));
        snprintf(kind, sizeof(kind), "%s", sls_notice_kind((enum sls_notice_event)ev));
        assert_int_equal(strncmp(kind, "notice.", 7), 0);
        /* Kinds are distinct: a receiver can tell the events apart. */
        for (int other = 0; other < ev; other++)
            assert_string_not_equal(kind, sls_notice_kind((enum sls_notice_event)other));
    }
}

static void test_texts(void **state)
{
    char out[1024];

    (void)state;
    assert_int_equal(sls_notice_text(SLS_NOTICE_ACCOUNT_LOCKED, NULL, T0 + 61, out, sizeof(out)),
                     0);
    assert_string_equal(out, "Security notice: Your account was locked after too many failed "
                             "login attempts.\n"
                             "When: 2026-11-22T00:01:01Z (UTC).\n"
                             "If this was not you, call the service desk at once.");
    assert_int_equal(sls_notice_text(SLS_NOTICE_DEVICE_LOST, "DSC+ SN1234", T0, out, sizeof(out)),
                     0);
    assert_non_null(
        strstr(out, "A security device of your account was marked lost (DSC+ SN1234)."));
    assert_int_equal(
        sls_notice_text(SLS_NOTICE_EMAIL_CHANGED, "new@example.org", T0, out, sizeof(out)), 0);
    assert_non_null(
        strstr(out, "The e-mail address of your account was changed to new@example.org."));
    /* Events that name nothing ignore `about`; "" is the same as NULL. */
    assert_int_equal(sls_notice_text(SLS_NOTICE_PASSWORD_CHANGED, "secret", T0, out, sizeof(out)),
                     0);
    assert_null(strstr(out, "secret"));
    assert_int_equal(sls_notice_text(SLS_NOTICE_DEVICE_ACTIVATED, "", T0, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "was activated on your account.\n"));
    assert_int_equal(sls_notice_text(SLS_NOTICE_DEVICE_SHARED, "bob", T0, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "shared with another user (bob)."));
}

static void test_refusals_leave_nothing(void **state)
{
    char out[1024], small[40];

    (void)state;
    memset(out, 'x', sizeof(out));
    assert_int_equal(sls_notice_text(SLS_NOTICE__COUNT, NULL, T0, out, sizeof(out)), -1);
    assert_string_equal(out, "");
    assert_int_equal(sls_notice_text((enum sls_notice_event) - 1, NULL, T0, out, sizeof(out)), -1);
    assert_null(sls_notice_kind(SLS_NOTICE__COUNT));
    assert_null(sls_notice_kind((enum sls_notice_event) - 1));
    assert_int_equal(sls_notice_text(SLS_NOTICE_LEFT_SLS, NULL, T0, small, sizeof(small)), -1);
    assert_string_equal(small, "");
    assert_int_equal(sls_notice_text(SLS_NOTICE_LEFT_SLS, NULL, T0, out, 0), -1);
    /* An `about` too long to name is refused, not cut. */
    memset(out, 'a', 400);
    out[400] = '\0';
    assert_int_equal(sls_notice_text(SLS_NOTICE_DEVICE_LOST, out, T0, small, sizeof(small)), -1);
}

static void test_mask(void **state)
{
    char out[64];

    (void)state;
    assert_int_equal(sls_notice_mask("alice@example.com", out, sizeof(out)), 0);
    assert_string_equal(out, "a***@example.com");
    assert_int_equal(sls_notice_mask("+41791234567", out, sizeof(out)), 0);
    assert_string_equal(out, "+41*******67");
    assert_int_equal(sls_notice_mask("+123456", out, sizeof(out)), 0);
    assert_string_equal(out, "+12**56");
    assert_int_equal(sls_notice_mask("+1234", out, sizeof(out)), 0);
    assert_string_equal(out, "+12***");
    assert_int_equal(sls_notice_mask("device:0123456789abcdef", out, sizeof(out)), 0);
    assert_string_equal(out, "dev***");
    assert_int_equal(sls_notice_mask("ab", out, sizeof(out)), 0);
    assert_string_equal(out, "ab***");
    assert_int_equal(sls_notice_mask("", out, sizeof(out)), 0);
    assert_string_equal(out, "***");
    assert_int_equal(sls_notice_mask("@example.com", out, sizeof(out)), 0);
    assert_string_equal(out, "@ex***");
    assert_int_equal(sls_notice_mask("alice@example.com", out, 8), -1);
    assert_string_equal(out, "");
    assert_int_equal(sls_notice_mask("+41791234567", out, 5), -1);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_event_says_what_when_and_what_to_do),
        cmocka_unit_test(test_texts),
        cmocka_unit_test(test_refusals_leave_nothing),
        cmocka_unit_test(test_mask),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
