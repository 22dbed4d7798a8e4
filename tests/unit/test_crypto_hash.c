/* Tests of src/crypto/hash.c: SHA digests (FIPS 180 "abc") and HMAC with the
 * RFC 2202 (SHA-1) and RFC 4231 (SHA-256, SHA-512) test cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "crypto/hash.h"

/* Lower-case hex of a digest, written here so the test does not rely on the
 * encoding module. */
static void to_hex(const uint8_t *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void test_hash_len(void **state)
{
    (void)state;
    assert_int_equal(sls_hash_len(SLS_HASH_SHA1), 20);
    assert_int_equal(sls_hash_len(SLS_HASH_SHA256), 32);
    assert_int_equal(sls_hash_len(SLS_HASH_SHA512), 64);
    assert_int_equal(sls_hash_len((enum sls_hash_alg)7), 0);
}

static const struct {
    enum sls_hash_alg alg;
    const char *data;
    const char *hex;
} digests[] = {
    {SLS_HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {SLS_HASH_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {SLS_HASH_SHA512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {SLS_HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
};

static void test_hash_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
        uint8_t out[64];
        char hex[129];

        assert_int_equal(sls_hash(digests[i].alg, digests[i].data, strlen(digests[i].data), out),
                         0);
        to_hex(out, sls_hash_len(digests[i].alg), hex);
        assert_string_equal(hex, digests[i].hex);
    }
}

static void test_hash_refuses(void **state)
{
    uint8_t out[64];

    (void)state;
    assert_int_equal(sls_hash((enum sls_hash_alg)9, "abc", 3, out), -1);
    assert_int_equal(sls_hash(SLS_HASH_SHA1, NULL, 3, out), -1);
    assert_int_equal(sls_hash(SLS_HASH_SHA1, "abc", 3, NULL), -1);
    assert_int_equal(sls_hash(SLS_HASH_SHA1, NULL, 0, out), 0);
}

static void test_sha256_hex(void **state)
{
    char out[65];

    (void)state;
    memset(out, 'x', sizeof(out));
    sls_sha256_hex("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sls_sha256_hex("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* RFC 2202 section 3 (cases 1-3) and RFC 4231 section 4 (cases 1-4). */
#define K0B20 "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"
#define KAA20 "\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa"
#define K1_25                                                                                      \
    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"     \
    "\x17\x18\x19"
#define DDx10 "\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd\xdd"
#define DD50  DDx10 DDx10 DDx10 DDx10 DDx10
#define CDx10 "\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd\xcd"
#define CD50  CDx10 CDx10 CDx10 CDx10 CDx10

static const struct {
    enum sls_hash_alg alg;
    const char *key;
    size_t keylen;
    const char *data;
    size_t len;
    const char *hex;
} hmacs[] = {
    /* RFC 2202, HMAC-SHA-1 */
    {SLS_HASH_SHA1, K0B20, 20, "Hi There", 8, "b617318655057264e28bc0b6fb378c8ef146be00"},
    {SLS_HASH_SHA1, "Jefe", 4, "what do ya want for nothing?", 28,
     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    {SLS_HASH_SHA1, KAA20, 20, DD50, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
    /* RFC 4231, HMAC-SHA-256 */
    {SLS_HASH_SHA256, K0B20, 20, "Hi There", 8,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {SLS_HASH_SHA256, "Jefe", 4, "what do ya want for nothing?", 28,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {SLS_HASH_SHA256, KAA20, 20, DD50, 50,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {SLS_HASH_SHA256, K1_25, 25, CD50, 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    /* RFC 4231, HMAC-SHA-512 */
    {SLS_HASH_SHA512, K0B20, 20, "Hi There", 8,
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {SLS_HASH_SHA512, "Jefe", 4, "what do ya want for nothing?", 28,
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {SLS_HASH_SHA512, KAA20, 20, DD50, 50,
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {SLS_HASH_SHA512, K1_25, 25, CD50, 50,
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
};

static void test_hmac_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(hmacs) / sizeof(hmacs[0]); i++) {
        uint8_t out[64];
        char hex[129];

        assert_int_equal(strlen(hmacs[i].data), hmacs[i].len);
        assert_int_equal(sls_hmac(hmacs[i].alg, (const uint8_t *)hmacs[i].key, hmacs[i].keylen,
                                  (const uint8_t *)hmacs[i].data, hmacs[i].len, out),
                         0);
        to_hex(out, sls_hash_len(hmacs[i].alg), hex);
        assert_string_equal(hex, hmacs[i].hex);
    }
}

static void test_hmac_refuses(void **state)
{
    uint8_t out[64];

    (void)state;
    assert_int_equal(
        sls_hmac((enum sls_hash_alg)3, (const uint8_t *)"k", 1, (const uint8_t *)"d", 1, out), -1);
    assert_int_equal(sls_hmac(SLS_HASH_SHA1, NULL, 1, (const uint8_t *)"d", 1, out), -1);
    assert_int_equal(sls_hmac(SLS_HASH_SHA1, (const uint8_t *)"k", 1, NULL, 1, out), -1);
    assert_int_equal(
        sls_hmac(SLS_HASH_SHA1, (const uint8_t *)"k", 1, (const uint8_t *)"d", 1, NULL), -1);
}

/* HMAC with an empty key and empty data (RFC 2104 definition, value
 * checked with Python's hmac module). */
static void test_hmac_empty(void **state)
{
    uint8_t out[64];
    char hex[129];

    (void)state;
    assert_int_equal(sls_hmac(SLS_HASH_SHA256, NULL, 0, NULL, 0, out), 0);
    to_hex(out, 32, hex);
    assert_string_equal(hex, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_len),     cmocka_unit_test(test_hash_vectors),
        cmocka_unit_test(test_hash_refuses), cmocka_unit_test(test_sha256_hex),
        cmocka_unit_test(test_hmac_vectors), cmocka_unit_test(test_hmac_refuses),
        cmocka_unit_test(test_hmac_empty),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
