/* Tests of src/core/password_policy.c: R2 lengths in code points, letter and
 * digit, and UTF-8 validity. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/error.h"
#include "core/password_policy.h"

struct pw_case {
    const char *pw;
    size_t len; /* 0: strlen */
    int want;
};

/* "\xc3\xa9" is U+00E9 (2 bytes), "\xe2\x82\xac" U+20AC (3 bytes),
 * "\xf0\x9f\x94\x91" U+1F511 (4 bytes). */
static const struct pw_case cases[] = {
    /* lengths in ASCII: 5/6/40/41 */
    {"abc12", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123", 0, SLS_OK},
    {"abcdefghijklmnopqrstuvwxyz0123456789ABCD", 0, SLS_OK},
    {"abcdefghijklmnopqrstuvwxyz0123456789ABCDE", 0, SLS_ERR_WEAK_PASSWORD},
    {"", 0, SLS_ERR_WEAK_PASSWORD},
    /* letters only, digits only, neither */
    {"abcdefgh", 0, SLS_ERR_WEAK_PASSWORD},
    {"ABCDEFGH", 0, SLS_ERR_WEAK_PASSWORD},
    {"12345678", 0, SLS_ERR_WEAK_PASSWORD},
    {"!@#$%^&*", 0, SLS_ERR_WEAK_PASSWORD},
    {"!@#$%^&a", 0, SLS_ERR_WEAK_PASSWORD},
    {"!@#$%^&1", 0, SLS_ERR_WEAK_PASSWORD},
    {"!@#$%^a1", 0, SLS_OK},
    {"Z      9", 0, SLS_OK},
    /* multi-byte characters count once: 6 code points in 9 bytes */
    {"a1\xc3\xa9\xc3\xa9\xe2\x82\xac\xc3\xa9", 0, SLS_OK},
    /* 5 code points in 11 bytes */
    {"a1\xf0\x9f\x94\x91\xe2\x82\xac\xc3\xa9", 0, SLS_ERR_WEAK_PASSWORD},
    /* 6 code points in 15 bytes */
    {"a1\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xf0\x9f\x94\x91\xc3\xa9", 0, SLS_OK},
    /* non-ASCII letters and digits do not count as letter or digit */
    {"\xc3\xa9\xc3\xa9\xc3\xa9"
     "123",
     0, SLS_ERR_WEAK_PASSWORD},
    {"abc\xd9\xa1\xd9\xa2\xd9\xa3", 0, SLS_ERR_WEAK_PASSWORD},
    /* invalid UTF-8 */
    {"abc123\x80", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xc3", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xc3"
     "a",
     0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xc0\xaf", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xc1\xbf", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xe0\x80\xaf", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xed\xa0\x80", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xf0\x80\x80\xaf", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xf4\x90\x80\x80", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xf5\x80\x80\x80", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xff", 0, SLS_ERR_WEAK_PASSWORD},
    {"abc123\xe2\x82", 0, SLS_ERR_WEAK_PASSWORD},
    /* highest valid code points */
    {"abc123\xf4\x8f\xbf\xbf", 0, SLS_OK},
    {"abc123\xef\xbf\xbf", 0, SLS_OK},
    /* NUL inside the length */
    {"abc\0"
     "123",
     7, SLS_ERR_WEAK_PASSWORD},
    {"abc123\0", 7, SLS_ERR_WEAK_PASSWORD},
    /* only len bytes are read */
    {"abc123", 5, SLS_ERR_WEAK_PASSWORD},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].pw);
        assert_int_equal(sls_password_check(cases[i].pw, len), cases[i].want);
    }
}

/* "a1" followed by n-2 copies of a character of `bytes` bytes. */
static void test_code_point_lengths(void **state)
{
    (void)state;
    static const char *const fillers[] = {"x", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x94\x91"};
    static const struct {
        size_t points;
        int want;
    } lens[] = {{5, SLS_ERR_WEAK_PASSWORD}, {6, SLS_OK}, {40, SLS_OK}, {41, SLS_ERR_WEAK_PASSWORD}};
    for (size_t f = 0; f < sizeof fillers / sizeof fillers[0]; f++) {
        for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            char buf[256] = "a1";
            size_t flen = strlen(fillers[f]);
            size_t pos = 2;
            for (size_t k = 2; k < lens[l].points; k++) {
                memcpy(buf + pos, fillers[f], flen);
                pos += flen;
            }
            assert_int_equal(sls_password_check(buf, pos), lens[l].want);
        }
    }
}

static void test_null(void **state)
{
    (void)state;
    assert_int_equal(sls_password_check(NULL, 0), SLS_ERR_WEAK_PASSWORD);
    assert_int_equal(sls_password_check(NULL, 8), SLS_ERR_WEAK_PASSWORD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_code_point_lengths),
        cmocka_unit_test(test_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
