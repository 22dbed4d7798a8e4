/* Sealing secrets at rest: XSalsa20-Poly1305 (libsodium secretbox) under a
 * master key with a one-byte key id. Sealed layout: id(1) nonce(24) box. */
#ifndef SLS_CRYPTO_SEAL_H
#define SLS_CRYPTO_SEAL_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

#define SLS_SEAL_KEY_BYTES 32
#define SLS_SEAL_OVERHEAD  (1 + 24 + 16)

struct sls_seal_key {
    uint8_t id;
    uint8_t key[SLS_SEAL_KEY_BYTES];
};

/* A fresh random key with the given id. */
void sls_seal_key_generate(struct sls_seal_key *k, uint8_t id);

/* Seals len bytes into out (outlen >= len + SLS_SEAL_OVERHEAD); *written is
 * the sealed length. Returns 0 or -1. */
SLS_MUST_USE int sls_seal(const struct sls_seal_key *k, const uint8_t *plain, size_t len,
                          uint8_t *out, size_t outlen, size_t *written);

/* Opens a sealed blob into out (outlen >= len - SLS_SEAL_OVERHEAD). Returns 0,
 * or -1 when the key id differs, the blob was altered or is too short. */
SLS_MUST_USE int sls_unseal(const struct sls_seal_key *k, const uint8_t *sealed, size_t len,
                            uint8_t *out, size_t outlen, size_t *written);

#endif
