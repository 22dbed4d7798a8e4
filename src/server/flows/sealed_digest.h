/* Short secrets kept only as a sealed SHA-256 bound to their owner: temporary
 * passcodes (R26, bound to the device id) and password reset codes (R3, R29,
 * bound to the user id). The hash covers "<binding>:<secret>", so a value
 * copied into another record never matches, and the seal keeps codes of 8
 * characters out of reach of offline guessing. Checks compare in constant time. */
#ifndef SLS_SERVER_SEALED_DIGEST_H
#define SLS_SERVER_SEALED_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/seal.h"

/* Seals the digest of secret bound to binding into out (cap bytes), its
 * length in *outlen. Returns 0 or -1. */
int sls_sealed_digest_make(const struct sls_seal_key *key, const char *binding, const char *secret,
                           uint8_t *out, size_t cap, size_t *outlen);

/* True when sealed (len bytes) holds the digest of secret bound to binding. */
bool sls_sealed_digest_matches(const struct sls_seal_key *key, const char *binding,
                               const char *secret, const uint8_t *sealed, size_t len);

#endif
