/* The ciphers of vendor token files (RFC 6030 PSKC, SPEC §10.4): AES-128-CBC
 * decryption as XML Encryption writes it (the 16-byte IV first, then the
 * ciphertext, PKCS #7 padding) and the PBKDF2-HMAC-SHA1 key derivation of
 * a password-protected file (RFC 8018), over OpenSSL libcrypto. */
#ifndef SLS_CRYPTO_CIPHER_H
#define SLS_CRYPTO_CIPHER_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

#define SLS_AES128_KEY_LEN 16
#define SLS_AES_BLOCK_LEN  16

/* Decrypts in (IV || ciphertext, inlen bytes: at least two blocks, a
 * multiple of the block) with key into out (cap bytes); *outlen is the
 * plaintext's length without its padding. Returns 0, or -1 on a bad length,
 * bad padding (a wrong key, most often) or an out too small; out is then
 * wiped. */
SLS_MUST_USE int sls_aes128_cbc_decrypt(const uint8_t key[SLS_AES128_KEY_LEN], const uint8_t *in,
                                        size_t inlen, uint8_t *out, size_t cap, size_t *outlen);

/* PBKDF2 with HMAC-SHA1 of password and salt, iterations (1..10,000,000)
 * into out (outlen 1..64 bytes). Returns 0 or -1. */
SLS_MUST_USE int sls_pbkdf2_sha1(const char *password, size_t passlen, const uint8_t *salt,
                                 size_t saltlen, unsigned long iterations, uint8_t *out,
                                 size_t outlen);

#endif
