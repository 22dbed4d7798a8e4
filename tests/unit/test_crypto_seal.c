/* Tests of src/crypto/seal.c: round trips, the exact sealed length, and
 * refusal of altered, short or foreign blobs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "crypto/seal.h"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static const size_t lengths[] = {0, 1, 20, 32, 64, 1000};

static void test_round_trip(void **state)
{
    struct sls_seal_key k;
    uint8_t plain[1000], sealed[1000 + SLS_SEAL_OVERHEAD], back[1000];

    (void)state;
    for (size_t i = 0; i < sizeof(plain); i++)
        plain[i] = (uint8_t)(i * 7 + 3);
    sls_seal_key_generate(&k, 7);
    assert_int_equal(k.id, 7);
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        size_t len = lengths[i], n = 0, m = 99;

        assert_int_equal(sls_seal(&k, plain, len, sealed, len + SLS_SEAL_OVERHEAD, &n), 0);
        assert_int_equal(n, len + 41);
        assert_int_equal(sealed[0], 7);
        assert_int_equal(sls_unseal(&k, sealed, n, back, len, &m), 0);
        assert_int_equal(m, len);
        assert_memory_equal(back, plain, len);
    }
}

static void test_nonce_is_fresh(void **state)
{
    struct sls_seal_key k;
    uint8_t a[16 + SLS_SEAL_OVERHEAD], b[16 + SLS_SEAL_OVERHEAD];
    size_t na, nb;

    (void)state;
    sls_seal_key_generate(&k, 1);
    assert_int_equal(sls_seal(&k, (const uint8_t *)"0123456789abcdef", 16, a, sizeof(a), &na), 0);
    assert_int_equal(sls_seal(&k, (const uint8_t *)"0123456789abcdef", 16, b, sizeof(b), &nb), 0);
    assert_int_equal(na, nb);
    assert_memory_not_equal(a + 1, b + 1, 24);
    assert_memory_not_equal(a + 25, b + 25, na - 25);
}

static void test_tampered(void **state)
{
    struct sls_seal_key k;
    uint8_t sealed[16 + SLS_SEAL_OVERHEAD], back[16];
    size_t n, m;

    (void)state;
    sls_seal_key_generate(&k, 3);
    assert_int_equal(
        sls_seal(&k, (const uint8_t *)"0123456789abcdef", 16, sealed, sizeof(sealed), &n), 0);
    /* every byte after the id: nonce, MAC and ciphertext */
    for (size_t i = 1; i < n; i++) {
        sealed[i] ^= 0x01;
        m = 99;
        if (sls_unseal(&k, sealed, n, back, sizeof(back), &m) != -1)
            fail_msg("altered byte %zu accepted", i);
        assert_int_equal(m, 0);
        sealed[i] ^= 0x01;
    }
    assert_int_equal(sls_unseal(&k, sealed, n, back, sizeof(back), &m), 0);
    /* one byte cut off or one added */
    assert_int_equal(sls_unseal(&k, sealed, n - 1, back, sizeof(back), &m), -1);
}

static void test_wrong_key(void **state)
{
    struct sls_seal_key k, other, same_id;
    uint8_t sealed[8 + SLS_SEAL_OVERHEAD], back[8];
    size_t n, m;

    (void)state;
    sls_seal_key_generate(&k, 1);
    sls_seal_key_generate(&other, 2);
    sls_seal_key_generate(&same_id, 1);
    assert_int_equal(sls_seal(&k, (const uint8_t *)"abcdefgh", 8, sealed, sizeof(sealed), &n), 0);
    /* another key id */
    assert_int_equal(sls_unseal(&other, sealed, n, back, sizeof(back), &m), -1);
    /* the id byte rewritten to match the other key */
    sealed[0] = 2;
    assert_int_equal(sls_unseal(&other, sealed, n, back, sizeof(back), &m), -1);
    assert_int_equal(sls_unseal(&k, sealed, n, back, sizeof(back), &m), -1);
    sealed[0] = 1;
    /* same id, different key material */
    assert_int_equal(sls_unseal(&same_id, sealed, n, back, sizeof(back), &m), -1);
    assert_int_equal(sls_unseal(&k, sealed, n, back, sizeof(back), &m), 0);
    assert_memory_equal(back, "abcdefgh", 8);
}

static void test_short_blob(void **state)
{
    struct sls_seal_key k;
    uint8_t sealed[SLS_SEAL_OVERHEAD], back[1];
    size_t n, m;

    (void)state;
    sls_seal_key_generate(&k, 9);
    assert_int_equal(sls_seal(&k, NULL, 0, sealed, sizeof(sealed), &n), 0);
    assert_int_equal(n, SLS_SEAL_OVERHEAD);
    for (size_t len = 0; len < SLS_SEAL_OVERHEAD; len++)
        assert_int_equal(sls_unseal(&k, sealed, len, back, sizeof(back), &m), -1);
    assert_int_equal(sls_unseal(&k, sealed, SLS_SEAL_OVERHEAD, back, 0, &m), 0);
    assert_int_equal(m, 0);
}

static void test_exact_sizes(void **state)
{
    struct sls_seal_key k;
    uint8_t sealed[10 + SLS_SEAL_OVERHEAD], back[10];
    size_t n = 99, m = 99;

    (void)state;
    assert_int_equal(SLS_SEAL_OVERHEAD, 41);
    sls_seal_key_generate(&k, 4);
    assert_int_equal(sls_seal(&k, (const uint8_t *)"0123456789", 10, sealed, 50, &n), -1);
    assert_int_equal(n, 0);
    assert_int_equal(sls_seal(&k, (const uint8_t *)"0123456789", 10, sealed, 51, &n), 0);
    assert_int_equal(n, 51);
    assert_int_equal(sls_unseal(&k, sealed, 51, back, 9, &m), -1);
    assert_int_equal(m, 0);
    assert_int_equal(sls_unseal(&k, sealed, 51, back, 10, &m), 0);
    assert_int_equal(m, 10);
    assert_memory_equal(back, "0123456789", 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_nonce_is_fresh),
        cmocka_unit_test(test_tampered),   cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_short_blob), cmocka_unit_test(test_exact_sizes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
