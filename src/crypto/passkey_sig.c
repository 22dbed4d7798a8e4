/* Passkey public key checks and signature verification: ES256 with OpenSSL's
 * EVP (the key built from its uncompressed point, so OpenSSL checks that it
 * lies on the curve), Ed25519 with libsodium through sign.c. */
#include "passkey_sig.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sign.h"

size_t sls_passkey_key_len(int alg)
{
    switch (alg) {
    case SLS_PASSKEY_ALG_ES256:
        return SLS_PASSKEY_ES256_KEY_BYTES;
    case SLS_PASSKEY_ALG_ED25519:
        return SLS_PASSKEY_ED25519_KEY_BYTES;
    default:
        return 0;
    }
}

/* An EVP key of the P-256 point x || y, or NULL when it is not on the curve. */
static EVP_PKEY *es256_key(const uint8_t key[SLS_PASSKEY_ES256_KEY_BYTES])
{
    uint8_t point[1 + SLS_PASSKEY_ES256_KEY_BYTES];
    point[0] = 0x04; /* uncompressed */
    for (size_t i = 0; i < SLS_PASSKEY_ES256_KEY_BYTES; i++) {
        point[1 + i] = key[i];
    }
    char group[] = "prime256v1";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    /* fromdata decodes the point (refusing one off the curve); the public
     * key check also refuses the point at infinity and a wrong order. */
    EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = check && EVP_PKEY_public_check(check) == 1;
    EVP_PKEY_CTX_free(check);
    if (!ok) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

int sls_passkey_key_check(int alg, const uint8_t *key, size_t len)
{
    size_t want = sls_passkey_key_len(alg);
    if (want == 0 || len != want || !key) {
        return -1;
    }
    if (alg == SLS_PASSKEY_ALG_ED25519) {
        return sls_sign_public_key_check(key);
    }
    EVP_PKEY *pkey = es256_key(key);
    if (!pkey) {
        return -1;
    }
    EVP_PKEY_free(pkey);
    return 0;
}

static int es256_verify(const uint8_t *key, const uint8_t *msg, size_t msglen, const uint8_t *sig,
                        size_t siglen)
{
    EVP_PKEY *pkey = es256_key(key);
    if (!pkey) {
        return -1;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, pkey, NULL) == 1 &&
             EVP_DigestVerify(md, sig, siglen, msg, msglen) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    return ok ? 0 : -1;
}

int sls_passkey_sig_verify(int alg, const uint8_t *key, size_t keylen, const uint8_t *msg,
                           size_t msglen, const uint8_t *sig, size_t siglen)
{
    if (!key || !sig || (!msg && msglen) || keylen != sls_passkey_key_len(alg) || siglen == 0 ||
        siglen > SLS_PASSKEY_MAX_SIG_BYTES) {
        return -1;
    }
    if (alg == SLS_PASSKEY_ALG_ED25519) {
        if (siglen != SLS_SIGN_BYTES || sls_sign_public_key_check(key) != 0) {
            return -1;
        }
        return sls_sign_verify(sig, msg, msglen, key);
    }
    if (alg == SLS_PASSKEY_ALG_ES256) {
        return es256_verify(key, msg, msglen, sig, siglen);
    }
    return -1;
}
