/* Passkey (WebAuthn) public keys and signatures: ES256 (ECDSA on P-256 with
 * SHA-256, OpenSSL) and Ed25519 (libsodium), the two algorithms SPEC §10.5
 * accepts. Keys are kept in a fixed raw form: ES256 as the 64 bytes x || y of
 * an uncompressed point, Ed25519 as its 32 bytes. */
#ifndef SLS_CRYPTO_PASSKEY_SIG_H
#define SLS_CRYPTO_PASSKEY_SIG_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

/* COSE algorithm identifiers (RFC 9053): the stored value of a key's algorithm. */
#define SLS_PASSKEY_ALG_ES256   (-7)
#define SLS_PASSKEY_ALG_ED25519 (-8)

#define SLS_PASSKEY_ES256_KEY_BYTES   64
#define SLS_PASSKEY_ED25519_KEY_BYTES 32
#define SLS_PASSKEY_MAX_KEY_BYTES     64
/* A DER ECDSA P-256 signature is at most 72 bytes; Ed25519 is 64. */
#define SLS_PASSKEY_MAX_SIG_BYTES 72

/* The raw key length of alg, or 0 when alg is not accepted. */
size_t sls_passkey_key_len(int alg);

/* Whether key (len bytes) is a valid public key of alg: ES256 a point on
 * P-256 (not the point at infinity), Ed25519 a canonical point of the
 * prime-order subgroup (sls_sign_public_key_check). 0 when valid, -1 else. */
SLS_MUST_USE int sls_passkey_key_check(int alg, const uint8_t *key, size_t len);

/* Whether sig (siglen bytes; ES256: DER, Ed25519: 64 raw bytes) signs msg
 * under key of alg. 0 when valid, -1 otherwise (also on any bad length). */
SLS_MUST_USE int sls_passkey_sig_verify(int alg, const uint8_t *key, size_t keylen,
                                        const uint8_t *msg, size_t msglen, const uint8_t *sig,
                                        size_t siglen);

#endif
