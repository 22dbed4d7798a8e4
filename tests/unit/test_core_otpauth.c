/* Tests of src/core/otpauth.c: the URI of an authenticator app, its
 * escaping of issuer and account, and what it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/otpauth.h"
#include "core/totp.h"

static void test_plain(void **state)
{
    char out[256];

    (void)state;
    assert_int_equal(sls_otpauth_uri("sls", "alice", "GEZDGNBVGY3TQOJQ", out, sizeof(out)), 0);
    assert_string_equal(out, "otpauth://totp/sls:alice?secret=GEZDGNBVGY3TQOJQ&issuer=sls"
                             "&algorithm=SHA1&digits=6&period=30");
    /* the fixed parameters are the device's */
    assert_int_equal(SLS_TOTP_DIGITS, 6);
    assert_int_equal(SLS_TOTP_PERIOD, 30);
}

/* An issuer cannot add a parameter, a path or a fragment: every reserved
 * character is escaped, bytes above 0x7f too. */
static void test_escaped(void **state)
{
    char out[512];

    (void)state;
    assert_int_equal(
        sls_otpauth_uri("Acme & Co: 2FA/?#%", "bob~x.y_z-1", "MZXW6", out, sizeof(out)), 0);
    assert_string_equal(out, "otpauth://totp/Acme%20%26%20Co%3A%202FA%2F%3F%23%25:bob~x.y_z-1"
                             "?secret=MZXW6&issuer=Acme%20%26%20Co%3A%202FA%2F%3F%23%25"
                             "&algorithm=SHA1&digits=6&period=30");
    assert_int_equal(sls_otpauth_uri("B\xc3\xa4nk", "a", "MZXW6", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "totp/B%C3%A4nk:a?"));
    assert_int_equal(sls_otpauth_uri("x", "a&secret=AAAA", "MZXW6", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "totp/x:a%26secret%3DAAAA?secret=MZXW6&"));
}

static void test_refused(void **state)
{
    char out[256], small[40];

    (void)state;
    assert_int_equal(sls_otpauth_uri("", "a", "MZXW6", out, sizeof(out)), -1);
    assert_int_equal(sls_otpauth_uri("x", "", "MZXW6", out, sizeof(out)), -1);
    assert_int_equal(sls_otpauth_uri("x", "a", "", out, sizeof(out)), -1);
    assert_int_equal(sls_otpauth_uri("x", "a", "mzxw6", out, sizeof(out)), -1);
    assert_int_equal(sls_otpauth_uri("x", "a", "MZXW6===", out, sizeof(out)), -1);
    assert_int_equal(sls_otpauth_uri(NULL, "a", "MZXW6", out, sizeof(out)), -1);
    assert_string_equal(out, "");
    assert_int_equal(sls_otpauth_uri("x", "a", "MZXW6", small, sizeof(small)), -1);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_escaped),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
