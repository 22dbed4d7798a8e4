/* Ed25519 signatures (libsodium): the mobile authenticator signs, the server verifies. */
#ifndef SLS_CRYPTO_SIGN_H
#define SLS_CRYPTO_SIGN_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

#define SLS_SIGN_PUBLIC_BYTES 32
#define SLS_SIGN_SECRET_BYTES 64
#define SLS_SIGN_BYTES        64

void sls_sign_keypair(uint8_t pk[SLS_SIGN_PUBLIC_BYTES], uint8_t sk[SLS_SIGN_SECRET_BYTES]);
/* Derives the key pair from a 32-byte seed (RFC 8032 test vectors). */
void sls_sign_seed_keypair(uint8_t pk[SLS_SIGN_PUBLIC_BYTES], uint8_t sk[SLS_SIGN_SECRET_BYTES],
                           const uint8_t seed[32]);
void sls_sign(uint8_t sig[SLS_SIGN_BYTES], const uint8_t *msg, size_t len,
              const uint8_t sk[SLS_SIGN_SECRET_BYTES]);
/* 0 when sig is valid for msg under pk, -1 otherwise. */
SLS_MUST_USE int sls_sign_verify(const uint8_t sig[SLS_SIGN_BYTES], const uint8_t *msg, size_t len,
                                 const uint8_t pk[SLS_SIGN_PUBLIC_BYTES]);

/* Whether pk encodes a valid Ed25519 public key: a canonical encoding of a
 * point on the curve, in its prime-order subgroup and not of small order.
 * Refuses the all-zero key, the eight small-order points and non-canonical
 * encodings (y >= p), which verify forged signatures or none at all.
 * Returns 0 when valid, -1 otherwise. */
SLS_MUST_USE int sls_sign_public_key_check(const uint8_t pk[SLS_SIGN_PUBLIC_BYTES]);

#endif
