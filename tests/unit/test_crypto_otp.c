/* Tests of src/crypto/otp.c: HOTP with RFC 4226 Appendix D, TOTP with every
 * row of RFC 6238 Appendix B, and the truncation's bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "crypto/otp.h"

#define SEED20 "12345678901234567890"
#define SEED32 "12345678901234567890123456789012"
#define SEED64 "1234567890123456789012345678901234567890123456789012345678901234"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

/* RFC 4226 Appendix D: HOTP-SHA1, 6 digits, secret "12345678901234567890". */
static const char *const hotp_values[] = {
    "755224", "287082", "359152", "969429", "338314",
    "254676", "287922", "162583", "399871", "520489",
};

static void test_hotp_rfc4226(void **state)
{
    (void)state;
    for (uint64_t c = 0; c < sizeof(hotp_values) / sizeof(hotp_values[0]); c++) {
        char out[7];

        assert_int_equal(sls_hotp((const uint8_t *)SEED20, 20, c, 6, out, sizeof(out)), 0);
        assert_string_equal(out, hotp_values[c]);
    }
}

/* RFC 6238 Appendix B: T0 = 0, X = 30, 8 digits; the SHA-256 and SHA-512
 * seeds are 32 and 64 bytes long. */
static const struct {
    int64_t time;
    enum sls_hash_alg alg;
    const char *totp;
} totp_values[] = {
    {59, SLS_HASH_SHA1, "94287082"},
    {59, SLS_HASH_SHA256, "46119246"},
    {59, SLS_HASH_SHA512, "90693936"},
    {1111111109, SLS_HASH_SHA1, "07081804"},
    {1111111109, SLS_HASH_SHA256, "68084774"},
    {1111111109, SLS_HASH_SHA512, "25091201"},
    {1111111111, SLS_HASH_SHA1, "14050471"},
    {1111111111, SLS_HASH_SHA256, "67062674"},
    {1111111111, SLS_HASH_SHA512, "99943326"},
    {1234567890, SLS_HASH_SHA1, "89005924"},
    {1234567890, SLS_HASH_SHA256, "91819424"},
    {1234567890, SLS_HASH_SHA512, "93441116"},
    {2000000000, SLS_HASH_SHA1, "69279037"},
    {2000000000, SLS_HASH_SHA256, "90698825"},
    {2000000000, SLS_HASH_SHA512, "38618901"},
    {20000000000, SLS_HASH_SHA1, "65353130"},
    {20000000000, SLS_HASH_SHA256, "77737706"},
    {20000000000, SLS_HASH_SHA512, "47863826"},
};

static void test_totp_rfc6238(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(totp_values) / sizeof(totp_values[0]); i++) {
        const char *seed = totp_values[i].alg == SLS_HASH_SHA1     ? SEED20
                           : totp_values[i].alg == SLS_HASH_SHA256 ? SEED32
                                                                   : SEED64;
        char out[9];

        assert_int_equal(sls_totp(totp_values[i].alg, (const uint8_t *)seed, strlen(seed),
                                  totp_values[i].time, 0, 30, 8, out, sizeof(out)),
                         0);
        assert_string_equal(out, totp_values[i].totp);
    }
}

/* The step boundary: 59 s and 30 s are in step 1 (RFC's 94287082), 29 s in
 * step 0, whose value equals HOTP counter 0 in 8 digits. */
static void test_totp_step_boundary(void **state)
{
    char a[9], b[9];

    (void)state;
    assert_int_equal(sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, 30, 0, 30, 8, a, 9), 0);
    assert_string_equal(a, "94287082");
    assert_int_equal(sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, 29, 0, 30, 8, a, 9), 0);
    assert_int_equal(sls_hotp((const uint8_t *)SEED20, 20, 0, 8, b, 9), 0);
    assert_string_equal(a, b);
    assert_string_equal(a, "84755224");
    /* t0 shifts the steps: now = 1030, t0 = 1000 is step 1. */
    assert_int_equal(sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, 1030, 1000, 30, 8, a, 9),
                     0);
    assert_string_equal(a, "94287082");
}

/* now - t0 beyond INT64_MAX still counts steps correctly: 2^63 / 30 =
 * 307445734561825860 (value checked with Python's hmac). */
static void test_totp_wide_range(void **state)
{
    char out[9];

    (void)state;
    assert_int_equal(
        sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, INT64_MAX, -1, 30, 8, out, 9), 0);
    assert_string_equal(out, "48451934");
}

static void test_totp_refuses(void **state)
{
    char out[9];

    (void)state;
    assert_int_equal(sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, 59, 0, 0, 8, out, 9), -1);
    assert_int_equal(sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, 59, 0, -30, 8, out, 9),
                     -1);
    assert_int_equal(sls_totp(SLS_HASH_SHA1, (const uint8_t *)SEED20, 20, 59, 60, 30, 8, out, 9),
                     -1);
    assert_int_equal(
        sls_totp((enum sls_hash_alg)5, (const uint8_t *)SEED20, 20, 59, 0, 30, 8, out, 9), -1);
}

/* RFC 4226 section 5.4: this HMAC-SHA-1 value truncates to 0x50ef7f19 =
 * 1357872921. */
static const uint8_t example_mac[20] = {0x1f, 0x86, 0x98, 0x69, 0x0e, 0x02, 0xca, 0x16, 0x61, 0x85,
                                        0x50, 0xef, 0x7f, 0x19, 0xda, 0x8e, 0x94, 0x5b, 0x55, 0x5a};

static const struct {
    int digits;
    const char *value;
} truncations[] = {
    {6, "872921"}, {7, "7872921"}, {8, "57872921"}, {9, "357872921"}, {10, "1357872921"},
};

static void test_truncate(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(truncations) / sizeof(truncations[0]); i++) {
        char out[12];

        assert_int_equal(sls_otp_truncate(example_mac, 20, truncations[i].digits, out,
                                          (size_t)truncations[i].digits + 1),
                         0);
        assert_string_equal(out, truncations[i].value);
    }
}

static void test_truncate_refuses(void **state)
{
    char out[12];

    (void)state;
    assert_int_equal(sls_otp_truncate(example_mac, 20, 5, out, sizeof(out)), -1);
    assert_int_equal(sls_otp_truncate(example_mac, 20, 11, out, sizeof(out)), -1);
    assert_int_equal(sls_otp_truncate(example_mac, 20, 6, out, 6), -1);
    assert_int_equal(sls_otp_truncate(example_mac, 19, 6, out, sizeof(out)), -1);
    assert_int_equal(sls_otp_truncate(NULL, 20, 6, out, sizeof(out)), -1);
    assert_int_equal(sls_otp_truncate(example_mac, 20, 6, NULL, sizeof(out)), -1);
    assert_int_equal(sls_hotp((const uint8_t *)SEED20, 20, 0, 6, out, 6), -1);
    assert_int_equal(sls_hotp((const uint8_t *)SEED20, 20, 0, 4, out, sizeof(out)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hotp_rfc4226),       cmocka_unit_test(test_totp_rfc6238),
        cmocka_unit_test(test_totp_step_boundary), cmocka_unit_test(test_totp_refuses),
        cmocka_unit_test(test_totp_wide_range),    cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_truncate_refuses),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
