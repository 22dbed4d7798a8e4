/* Tests of src/crypto/sign.c: RFC 8032 section 7.1 TEST 1-3 (seed, public
 * key, signature), refusal of altered messages, signatures and keys, and the
 * public key check (SPEC §10.3): the RFC keys pass; the all-zero key, the
 * small-order points, non-canonical encodings, a point off the curve and a
 * point outside the prime-order subgroup are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/sign.h"

static const struct {
    const char *seed;
    const char *pk;
    const char *msg;
    const char *sig;
} vectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

/* Hex to bytes, written here so the test does not rely on the encoding
 * module; returns the byte count. */
static size_t from_hex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;

    for (size_t i = 0; i < n; i++) {
        unsigned v;

        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void test_rfc8032(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        uint8_t seed[32], pk_want[32], sig_want[64], msg[8];
        uint8_t pk[SLS_SIGN_PUBLIC_BYTES], sk[SLS_SIGN_SECRET_BYTES], sig[SLS_SIGN_BYTES];
        size_t len;

        assert_int_equal(from_hex(vectors[i].seed, seed), 32);
        assert_int_equal(from_hex(vectors[i].pk, pk_want), 32);
        assert_int_equal(from_hex(vectors[i].sig, sig_want), 64);
        len = from_hex(vectors[i].msg, msg);

        sls_sign_seed_keypair(pk, sk, seed);
        assert_memory_equal(pk, pk_want, 32);
        sls_sign(sig, msg, len, sk);
        assert_memory_equal(sig, sig_want, 64);
        assert_int_equal(sls_sign_verify(sig, msg, len, pk), 0);
    }
}

static void test_flipped_bits_fail(void **state)
{
    (void)state;
    for (size_t i = 1; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        uint8_t pk[32], sig[64], msg[8];
        size_t len;

        from_hex(vectors[i].pk, pk);
        from_hex(vectors[i].sig, sig);
        len = from_hex(vectors[i].msg, msg);
        for (size_t bit = 0; bit < 8 * len; bit++) {
            msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            assert_int_equal(sls_sign_verify(sig, msg, len, pk), -1);
            msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        for (size_t bit = 0; bit < 8 * 64; bit += 7) {
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            if (sls_sign_verify(sig, msg, len, pk) != -1)
                fail_msg("vector %zu: signature with bit %zu flipped accepted", i, bit);
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        /* a longer or shorter message */
        assert_int_equal(sls_sign_verify(sig, msg, len - 1, pk), -1);
        msg[len] = 0;
        assert_int_equal(sls_sign_verify(sig, msg, len + 1, pk), -1);
        assert_int_equal(sls_sign_verify(sig, msg, len, pk), 0);
    }
}

static void test_wrong_key_fails(void **state)
{
    uint8_t pk1[32], pk2[32], sig[64], msg[1];

    (void)state;
    from_hex(vectors[1].pk, pk2);
    from_hex(vectors[2].pk, pk1);
    from_hex(vectors[1].sig, sig);
    from_hex(vectors[1].msg, msg);
    assert_int_equal(sls_sign_verify(sig, msg, 1, pk2), 0);
    assert_int_equal(sls_sign_verify(sig, msg, 1, pk1), -1);
}

static void test_random_keypair(void **state)
{
    uint8_t pk[32], sk[64], pk2[32], sk2[64], sig[64];
    const uint8_t msg[] = "POST\n/v1/ibkey/pending\n1700000000";

    (void)state;
    sls_sign_keypair(pk, sk);
    sls_sign_keypair(pk2, sk2);
    assert_memory_not_equal(pk, pk2, 32);
    sls_sign(sig, msg, sizeof(msg) - 1, sk);
    assert_int_equal(sls_sign_verify(sig, msg, sizeof(msg) - 1, pk), 0);
    assert_int_equal(sls_sign_verify(sig, msg, sizeof(msg) - 1, pk2), -1);
}

/* Encodings an app must not register (little-endian y, sign bit on top). */
static const struct {
    const char *hex;
    const char *why;
} bad_keys[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "all zero (order 4)"},
    {"0000000000000000000000000000000000000000000000000000000000000080", "order 4, x negative"},
    {"0100000000000000000000000000000000000000000000000000000000000000", "identity (order 1)"},
    {"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = -1 (order 2)"},
    {"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "order 8"},
    {"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "order 8"},
    {"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "order 8"},
    {"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "order 8"},
    {"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p (non-canonical)"},
    {"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
     "y = p + 1 (non-canonical identity)"},
    {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = 2^255 - 1"},
    {"0200000000000000000000000000000000000000000000000000000000000000", "y = 2: off the curve"},
    /* RFC 8032 TEST 1's key plus the order-4 point (0 encoded): on the
     * curve and canonical, but not in the prime-order subgroup. */
    {"40c7570f4dd54835b9131184410ed4a0cc93e7d9ad053cbc6d07a62426999582", "mixed order"},
};

static void test_public_key_check(void **state)
{
    uint8_t pk[32], sk[64];

    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        from_hex(vectors[i].pk, pk);
        assert_int_equal(sls_sign_public_key_check(pk), 0);
    }
    sls_sign_keypair(pk, sk);
    assert_int_equal(sls_sign_public_key_check(pk), 0);
    for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
        assert_int_equal(from_hex(bad_keys[i].hex, pk), 32);
        if (sls_sign_public_key_check(pk) != -1)
            fail_msg("accepted the key %s (%s)", bad_keys[i].hex, bad_keys[i].why);
    }
    assert_int_equal(sls_sign_public_key_check(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8032),          cmocka_unit_test(test_flipped_bits_fail),
        cmocka_unit_test(test_wrong_key_fails),  cmocka_unit_test(test_random_keypair),
        cmocka_unit_test(test_public_key_check),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
