/* Tests of src/intake/passkey.c and src/crypto/passkey_sig.c (SPEC §10.5):
 * fixed registrations and assertions of an ES256 and an Ed25519 credential
 * (tests/unit/passkey/vectors.inc, made once by make_vectors.py) are
 * accepted, and each of them broken in one field is refused with the reason
 * of that field; then keys that are not on their curve, COSE keys of other
 * types, every truncation of an attestation object and of authenticator
 * data, over-long credential ids, a rawId that is not the attested one and
 * the counter rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/encoding.h"
#include "crypto/passkey_sig.h"
#include "intake/passkey.h"

#include "passkey/vectors.h"

#include "passkey/vectors.inc"

struct bytes {
    uint8_t b[8192];
    size_t n;
};

static void unhex(const char *hex, struct bytes *out)
{
    assert_int_equal(sls_hex_decode(hex, strlen(hex), out->b, sizeof out->b, &out->n), 0);
}

static const char *const origins[] = {"https://other.example", VEC_ORIGIN};

static struct bytes challenge;

static struct sls_passkey_expect expect(void)
{
    unhex(VEC_CHALLENGE, &challenge);
    struct sls_passkey_expect e = {VEC_RP_ID, origins, 2, challenge.b, challenge.n};
    return e;
}

static struct sls_passkey_public_key key_of(const char *name)
{
    struct sls_passkey_public_key k;
    memset(&k, 0, sizeof k);
    struct bytes raw;
    if (strncmp(name, "es256/", 6) == 0) {
        unhex(VEC_ES256_KEY, &raw);
        k.alg = SLS_PASSKEY_ALG_ES256;
    } else {
        unhex(VEC_ED25519_KEY, &raw);
        k.alg = SLS_PASSKEY_ALG_ED25519;
    }
    memcpy(k.key, raw.b, raw.n);
    k.key_len = raw.n;
    return k;
}

static enum sls_passkey_verdict registration(const struct reg_vector *v,
                                             struct sls_passkey_auth_data *out)
{
    static struct bytes cd, att, id;
    unhex(v->client_data, &cd);
    unhex(v->attestation, &att);
    unhex(v->credential_id, &id);
    struct sls_passkey_expect e = expect();
    return sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n, out);
}

static void test_registration_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof reg_vectors / sizeof reg_vectors[0]; i++) {
        const struct reg_vector *v = &reg_vectors[i];
        struct sls_passkey_auth_data out;
        enum sls_passkey_verdict got = registration(v, &out);
        if (got != v->verdict) {
            fail_msg("%s: %s, expected %s", v->name, sls_passkey_verdict_name(got),
                     sls_passkey_verdict_name(v->verdict));
        }
        if (got == SLS_PASSKEY_OK) {
            /* The attested key is the authenticator's. */
            struct sls_passkey_public_key k = key_of(v->name);
            assert_int_equal(out.public_key.alg, k.alg);
            assert_int_equal(out.public_key.key_len, k.key_len);
            assert_memory_equal(out.public_key.key, k.key, k.key_len);
            assert_true(out.has_credential);
            assert_int_equal(out.sign_count, 0);
        }
    }
}

static enum sls_passkey_verdict assertion(const struct get_vector *v, uint32_t stored,
                                          uint32_t *count)
{
    static struct bytes cd, ad, sig;
    unhex(v->client_data, &cd);
    unhex(v->auth_data, &ad);
    unhex(v->signature, &sig);
    struct sls_passkey_expect e = expect();
    struct sls_passkey_public_key k = key_of(v->name);
    return sls_passkey_assertion_check(&e, cd.b, cd.n, ad.b, ad.n, sig.b, sig.n, &k, stored, count);
}

static void test_assertion_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof get_vectors / sizeof get_vectors[0]; i++) {
        const struct get_vector *v = &get_vectors[i];
        uint32_t count = 0;
        enum sls_passkey_verdict got = assertion(v, v->stored_count, &count);
        if (got != v->verdict) {
            fail_msg("%s: %s, expected %s", v->name, sls_passkey_verdict_name(got),
                     sls_passkey_verdict_name(v->verdict));
        }
        if (got == SLS_PASSKEY_OK) {
            assert_int_equal(count, 42);
        }
    }
}

/* The assertion of another credential's key fails its signature. */
static void test_assertion_other_key(void **state)
{
    (void)state;
    const struct get_vector *es = &get_vectors[0];
    assert_string_equal(es->name, "es256/ok");
    static struct bytes cd, ad, sig;
    unhex(es->client_data, &cd);
    unhex(es->auth_data, &ad);
    unhex(es->signature, &sig);
    struct sls_passkey_expect e = expect();
    struct sls_passkey_public_key k = key_of("ed25519/");
    uint32_t count = 0;
    assert_int_equal(
        sls_passkey_assertion_check(&e, cd.b, cd.n, ad.b, ad.n, sig.b, sig.n, &k, 41, &count),
        SLS_PASSKEY_BAD_SIGNATURE);
}

/* Counters: greater is accepted, a stored counter above the new one is refused
 * (also when the authenticator says 0), and 0 after 0 is an authenticator
 * without a counter. */
static void test_counter_rules(void **state)
{
    (void)state;
    const struct get_vector *ok = &get_vectors[0];
    uint32_t count = 0;
    assert_int_equal(assertion(ok, 0, &count), SLS_PASSKEY_OK);
    assert_int_equal(assertion(ok, 41, &count), SLS_PASSKEY_OK);
    assert_int_equal(assertion(ok, 42, &count), SLS_PASSKEY_COUNTER_BACK);
    assert_int_equal(count, 42);
    assert_int_equal(assertion(ok, UINT32_MAX, &count), SLS_PASSKEY_COUNTER_BACK);
}

/* Every truncation of a good attestation object and of good authenticator
 * data is refused, never accepted. */
static void test_truncations(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof reg_vectors / sizeof reg_vectors[0]; i++) {
        if (reg_vectors[i].verdict != SLS_PASSKEY_OK) {
            continue;
        }
        static struct bytes cd, att, id;
        unhex(reg_vectors[i].client_data, &cd);
        unhex(reg_vectors[i].attestation, &att);
        unhex(reg_vectors[i].credential_id, &id);
        struct sls_passkey_expect e = expect();
        for (size_t n = 0; n < att.n; n++) {
            struct sls_passkey_auth_data out;
            assert_int_not_equal(
                sls_passkey_registration_check(&e, cd.b, cd.n, att.b, n, id.b, id.n, &out),
                SLS_PASSKEY_OK);
        }
    }
    const struct get_vector *ok = &get_vectors[0];
    static struct bytes cd, ad, sig;
    unhex(ok->client_data, &cd);
    unhex(ok->auth_data, &ad);
    unhex(ok->signature, &sig);
    struct sls_passkey_expect e = expect();
    struct sls_passkey_public_key k = key_of(ok->name);
    for (size_t n = 0; n < ad.n; n++) {
        uint32_t count = 0;
        assert_int_equal(
            sls_passkey_assertion_check(&e, cd.b, cd.n, ad.b, n, sig.b, sig.n, &k, 0, &count),
            SLS_PASSKEY_MALFORMED);
    }
    for (size_t n = 0; n < sig.n; n++) {
        uint32_t count = 0;
        assert_int_equal(
            sls_passkey_assertion_check(&e, cd.b, cd.n, ad.b, ad.n, sig.b, n, &k, 0, &count),
            SLS_PASSKEY_BAD_SIGNATURE);
    }
}

/* The client's rawId must be the attested credential id. */
static void test_raw_id_mismatch(void **state)
{
    (void)state;
    static struct bytes cd, att, id;
    unhex(reg_vectors[0].client_data, &cd);
    unhex(reg_vectors[0].attestation, &att);
    unhex(reg_vectors[0].credential_id, &id);
    struct sls_passkey_expect e = expect();
    struct sls_passkey_auth_data out;
    id.b[0] ^= 1;
    assert_int_equal(sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n, &out),
                     SLS_PASSKEY_MALFORMED);
    assert_int_equal(
        sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n - 1, &out),
        SLS_PASSKEY_MALFORMED);
}

/* Authenticator data with attested credential data and credential id length L. */
static size_t auth_data_with_id(uint8_t *buf, size_t id_len, const uint8_t *cose, size_t cose_len)
{
    memset(buf, 0, 55);
    buf[32] = SLS_PASSKEY_FLAG_UP | SLS_PASSKEY_FLAG_UV | SLS_PASSKEY_FLAG_AT;
    buf[53] = (uint8_t)(id_len >> 8);
    buf[54] = (uint8_t)id_len;
    memset(buf + 55, 0xab, id_len);
    memcpy(buf + 55 + id_len, cose, cose_len);
    return 55 + id_len + cose_len;
}

/* An Ed25519 COSE key: {1: 1, 3: -8, -1: 6, -2: x}. */
static size_t ed25519_cose(uint8_t *out, const uint8_t x[32], int alg_byte, int crv)
{
    size_t n = 0;
    out[n++] = 0xa4;
    out[n++] = 0x01;
    out[n++] = 0x01;
    out[n++] = 0x03;
    out[n++] = (uint8_t)alg_byte; /* 0x27 is -8 */
    out[n++] = 0x20;
    out[n++] = (uint8_t)crv;
    out[n++] = 0x21;
    out[n++] = 0x58;
    out[n++] = 32;
    memcpy(out + n, x, 32);
    return n + 32;
}

static void test_credential_id_bounds(void **state)
{
    (void)state;
    struct bytes key;
    unhex(VEC_ED25519_KEY, &key);
    uint8_t cose[64];
    size_t cose_len = ed25519_cose(cose, key.b, 0x27, 6);
    static uint8_t buf[2048];
    struct sls_passkey_auth_data ad;
    size_t n = auth_data_with_id(buf, 1023, cose, cose_len);
    assert_int_equal(sls_passkey_auth_data_parse(buf, n, &ad), SLS_PASSKEY_OK);
    assert_int_equal(ad.credential_id_len, 1023);
    assert_int_equal(ad.public_key.alg, SLS_PASSKEY_ALG_ED25519);
    n = auth_data_with_id(buf, 1024, cose, cose_len);
    assert_int_equal(sls_passkey_auth_data_parse(buf, n, &ad), SLS_PASSKEY_MALFORMED);
    n = auth_data_with_id(buf, 0, cose, cose_len);
    assert_int_equal(sls_passkey_auth_data_parse(buf, n, &ad), SLS_PASSKEY_MALFORMED);
    /* A length past the end of the data. */
    n = auth_data_with_id(buf, 16, cose, cose_len);
    buf[54] = 200;
    assert_int_equal(sls_passkey_auth_data_parse(buf, n, &ad), SLS_PASSKEY_MALFORMED);
    /* Trailing bytes after the key. */
    n = auth_data_with_id(buf, 16, cose, cose_len);
    buf[n++] = 0;
    assert_int_equal(sls_passkey_auth_data_parse(buf, n, &ad), SLS_PASSKEY_MALFORMED);
}

static void test_cose_keys(void **state)
{
    (void)state;
    struct bytes key;
    unhex(VEC_ED25519_KEY, &key);
    uint8_t cose[64];
    struct sls_passkey_public_key k;
    size_t used = 0;
    size_t n = ed25519_cose(cose, key.b, 0x27, 6);
    assert_int_equal(sls_passkey_cose_key_parse(cose, n, &k, &used), SLS_PASSKEY_OK);
    assert_int_equal(used, n);
    /* alg -7 with an OKP key, another curve (X25519 is 4). */
    n = ed25519_cose(cose, key.b, 0x26, 6);
    assert_int_equal(sls_passkey_cose_key_parse(cose, n, &k, &used), SLS_PASSKEY_ALGORITHM);
    n = ed25519_cose(cose, key.b, 0x27, 4);
    assert_int_equal(sls_passkey_cose_key_parse(cose, n, &k, &used), SLS_PASSKEY_ALGORITHM);
    /* Small-order and non-canonical Ed25519 points. */
    uint8_t zero[32] = {0};
    n = ed25519_cose(cose, zero, 0x27, 6);
    assert_int_equal(sls_passkey_cose_key_parse(cose, n, &k, &used), SLS_PASSKEY_ALGORITHM);
    uint8_t one[32] = {1};
    n = ed25519_cose(cose, one, 0x27, 6);
    assert_int_equal(sls_passkey_cose_key_parse(cose, n, &k, &used), SLS_PASSKEY_ALGORITHM);
    /* Not a map. */
    uint8_t array[] = {0x80};
    assert_int_equal(sls_passkey_cose_key_parse(array, 1, &k, &used), SLS_PASSKEY_MALFORMED);
    /* A duplicated label. */
    n = ed25519_cose(cose, key.b, 0x27, 6);
    cose[0] = 0xa5;
    cose[n++] = 0x01;
    cose[n++] = 0x01;
    assert_int_equal(sls_passkey_cose_key_parse(cose, n, &k, &used), SLS_PASSKEY_MALFORMED);
}

static void test_es256_point_checks(void **state)
{
    (void)state;
    struct bytes key;
    unhex(VEC_ES256_KEY, &key);
    assert_int_equal(sls_passkey_key_check(SLS_PASSKEY_ALG_ES256, key.b, key.n), 0);
    /* y changed: off the curve. */
    key.b[63] ^= 1;
    assert_int_equal(sls_passkey_key_check(SLS_PASSKEY_ALG_ES256, key.b, key.n), -1);
    uint8_t zero[64] = {0};
    assert_int_equal(sls_passkey_key_check(SLS_PASSKEY_ALG_ES256, zero, 64), -1);
    assert_int_equal(sls_passkey_key_check(SLS_PASSKEY_ALG_ES256, key.b, 32), -1);
    assert_int_equal(sls_passkey_key_check(-257, key.b, 64), -1);
    assert_int_equal(sls_passkey_key_len(-257), 0);
}

/* An expectation with no origins, or another RP ID, refuses the good vector. */
static void test_expectation(void **state)
{
    (void)state;
    static struct bytes cd, att, id;
    unhex(reg_vectors[0].client_data, &cd);
    unhex(reg_vectors[0].attestation, &att);
    unhex(reg_vectors[0].credential_id, &id);
    struct sls_passkey_expect e = expect();
    struct sls_passkey_auth_data out;
    e.norigins = 1;
    assert_int_equal(sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n, &out),
                     SLS_PASSKEY_WRONG_ORIGIN);
    e = expect();
    e.rp_id = "sls.example.";
    assert_int_equal(sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n, &out),
                     SLS_PASSKEY_WRONG_RP);
    e = expect();
    e.challenge_len = 31;
    assert_int_equal(sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n, &out),
                     SLS_PASSKEY_WRONG_CHALLENGE);
    e = expect();
    const char *bad_json = "{\"type\":\"webauthn.create\",\"type\":\"webauthn.create\"}";
    assert_int_equal(sls_passkey_registration_check(&e, (const uint8_t *)bad_json, strlen(bad_json),
                                                    att.b, att.n, id.b, id.n, &out),
                     SLS_PASSKEY_MALFORMED);
}

/* Heads declaring far more entries than the bytes that follow are refused
 * before anything is allocated for them. */
static void test_declared_lengths(void **state)
{
    (void)state;
    struct sls_passkey_public_key k;
    size_t used = 0;
    const uint8_t map[] = {0xbb, 0, 0, 0, 0, 0x10, 0, 0, 0};
    const uint8_t array[] = {0x9b, 0, 0, 0, 0, 0x10, 0, 0, 0};
    const uint8_t bytes[] = {0x5a, 0x10, 0, 0, 0};
    const uint8_t nested[] = {0xa1, 0x01, 0xba, 0x10, 0, 0, 0};
    for (int i = 0; i < 100; i++) {
        assert_int_equal(sls_passkey_cose_key_parse(map, sizeof map, &k, &used),
                         SLS_PASSKEY_MALFORMED);
        assert_int_equal(sls_passkey_cose_key_parse(array, sizeof array, &k, &used),
                         SLS_PASSKEY_MALFORMED);
        assert_int_equal(sls_passkey_cose_key_parse(bytes, sizeof bytes, &k, &used),
                         SLS_PASSKEY_MALFORMED);
        assert_int_equal(sls_passkey_cose_key_parse(nested, sizeof nested, &k, &used),
                         SLS_PASSKEY_MALFORMED);
    }
}

int main(void)
{
    if (sls_crypto_init() != 0) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registration_vectors), cmocka_unit_test(test_assertion_vectors),
        cmocka_unit_test(test_assertion_other_key),  cmocka_unit_test(test_counter_rules),
        cmocka_unit_test(test_truncations),          cmocka_unit_test(test_raw_id_mismatch),
        cmocka_unit_test(test_credential_id_bounds), cmocka_unit_test(test_cose_keys),
        cmocka_unit_test(test_es256_point_checks),   cmocka_unit_test(test_expectation),
        cmocka_unit_test(test_declared_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
