/* Tests of src/crypto/secmem.c: constant-time equality of buffers and
 * strings, and wiping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "crypto/secmem.h"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void test_ct_equal(void **state)
{
    const uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t b[8];

    (void)state;
    memcpy(b, a, sizeof(b));
    assert_true(sls_ct_equal(a, b, 8));
    assert_true(sls_ct_equal(a, b, 0));
    for (size_t i = 0; i < sizeof(b); i++) {
        b[i] ^= 0x80;
        assert_false(sls_ct_equal(a, b, 8));
        b[i] ^= 0x80;
    }
    b[7] = 0;
    assert_true(sls_ct_equal(a, b, 7));
    assert_false(sls_ct_equal(a, b, 8));
}

static const struct {
    const char *a;
    const char *b;
    bool equal;
} strings[] = {
    {"", "", true},
    {"secret", "secret", true},
    {"secret", "secreT", false},
    {"Secret", "secret", false},
    {"secret", "secret1", false},
    {"secret1", "secret", false},
    {"", "x", false},
    {"x", "", false},
};

static void test_ct_streq(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        bool got =
            sls_ct_streq(strings[i].a, strlen(strings[i].a), strings[i].b, strlen(strings[i].b));

        if (got != strings[i].equal)
            fail_msg("\"%s\" vs \"%s\": got %d", strings[i].a, strings[i].b, got);
    }
    /* lengths are what count, not NULs */
    assert_true(sls_ct_streq("ab\0c", 4, "ab\0c", 4));
    assert_false(sls_ct_streq("ab\0c", 4, "ab\0d", 4));
    assert_false(sls_ct_streq("abc", 2, "abc", 3));
}

static void test_wipe(void **state)
{
    uint8_t buf[40];
    const uint8_t zero[32] = {0};

    (void)state;
    memset(buf, 0xa5, sizeof(buf));
    sls_wipe(buf + 4, 32);
    assert_memory_equal(buf + 4, zero, 32);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(buf[i], 0xa5);
        assert_int_equal(buf[36 + i], 0xa5);
    }
    sls_wipe(NULL, 10);
    sls_wipe(buf, 0);
    assert_int_equal(buf[0], 0xa5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_equal),
        cmocka_unit_test(test_ct_streq),
        cmocka_unit_test(test_wipe),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
