/* MD5 and HMAC-MD5 over OpenSSL libcrypto, for RADIUS only: RFC 2865
 * (User-Password hiding, the Response Authenticator) and RFC 3579 (the
 * Message-Authenticator) are built on them and a RADIUS peer speaks nothing
 * else. MD5 is broken as a hash; nothing but the RADIUS codec may use it. */
#ifndef SLS_CRYPTO_MD5_H
#define SLS_CRYPTO_MD5_H

#include <stddef.h>
#include <stdint.h>

#include "../core/must_use.h"

#define SLS_MD5_LEN 16

/* A piece of the input of sls_md5. */
struct sls_md5_part {
    const void *data;
    size_t len;
};

/* MD5 of the concatenation of n parts into out. Returns 0 or -1. */
SLS_MUST_USE int sls_md5(const struct sls_md5_part *parts, size_t n, uint8_t out[SLS_MD5_LEN]);

/* HMAC-MD5 of data under key into out. Returns 0 or -1. */
SLS_MUST_USE int sls_hmac_md5(const uint8_t *key, size_t keylen, const uint8_t *data, size_t len,
                              uint8_t out[SLS_MD5_LEN]);

#endif
