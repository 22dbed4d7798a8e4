/* SHA-1/256/512 digests and HMAC over OpenSSL libcrypto (one-shot calls, no
 * allocation by this file). */
#include "hash.h"

#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "encoding.h"
#include "secmem.h"

static const EVP_MD *md_of(enum sls_hash_alg alg)
{
    switch (alg) {
    case SLS_HASH_SHA1:
        return EVP_sha1();
    case SLS_HASH_SHA256:
        return EVP_sha256();
    case SLS_HASH_SHA512:
        return EVP_sha512();
    }
    return NULL;
}

size_t sls_hash_len(enum sls_hash_alg alg)
{
    switch (alg) {
    case SLS_HASH_SHA1:
        return 20;
    case SLS_HASH_SHA256:
        return 32;
    case SLS_HASH_SHA512:
        return 64;
    }
    return 0;
}

int sls_hash(enum sls_hash_alg alg, const void *data, size_t len, uint8_t *out)
{
    static const uint8_t empty[1];
    const EVP_MD *md = md_of(alg);
    unsigned int outlen = 0;

    if (md == NULL || out == NULL || (data == NULL && len != 0))
        return -1;
    if (EVP_Digest(data != NULL ? data : empty, len, out, &outlen, md, NULL) != 1 ||
        outlen != sls_hash_len(alg))
        return -1;
    return 0;
}

void sls_sha256_hex(const void *data, size_t len, char out[65])
{
    uint8_t digest[32];

    /* Cannot fail for valid arguments; a failure here must not pass as a
     * hash, so it stops the process like libsodium's misuse handler. */
    if (sls_hash(SLS_HASH_SHA256, data, len, digest) != 0 ||
        sls_hex_encode(digest, sizeof(digest), out, 65) != 0)
        abort();
    sls_wipe(digest, sizeof(digest));
}

int sls_hmac(enum sls_hash_alg alg, const uint8_t *key, size_t keylen, const uint8_t *data,
             size_t len, uint8_t *out)
{
    static const uint8_t empty[1];
    const EVP_MD *md = md_of(alg);
    unsigned int outlen = 0;

    if (md == NULL || out == NULL || (key == NULL && keylen != 0) || (data == NULL && len != 0) ||
        keylen > (size_t)INT32_MAX)
        return -1;
    if (HMAC(md, key != NULL ? key : empty, (int)keylen, data != NULL ? data : empty, len, out,
             &outlen) == NULL ||
        outlen != sls_hash_len(alg))
        return -1;
    return 0;
}
