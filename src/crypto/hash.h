/* Hashes and HMAC over OpenSSL libcrypto. */
#ifndef SLS_CRYPTO_HASH_H
#define SLS_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

enum sls_hash_alg { SLS_HASH_SHA1 = 0, SLS_HASH_SHA256, SLS_HASH_SHA512 };

/* Output size in bytes of alg (20, 32, 64). */
size_t sls_hash_len(enum sls_hash_alg alg);

/* out must hold sls_hash_len(alg) bytes. Returns 0 or -1. */
SLS_MUST_USE int sls_hash(enum sls_hash_alg alg, const void *data, size_t len, uint8_t *out);

/* SHA-256 as 64 lower-case hex characters plus NUL into out[65]. */
void sls_sha256_hex(const void *data, size_t len, char out[65]);

/* HMAC; out must hold sls_hash_len(alg) bytes. Returns 0 or -1. */
SLS_MUST_USE int sls_hmac(enum sls_hash_alg alg, const uint8_t *key, size_t keylen,
                          const uint8_t *data, size_t len, uint8_t *out);

#endif
