/* Hex and base64 encodings (libsodium's constant-time codecs), and the
 * base32 of authenticator app secrets (RFC 4648). */
#ifndef SLS_CRYPTO_ENCODING_H
#define SLS_CRYPTO_ENCODING_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

/* Lower-case hex of len bytes and a NUL into out (outlen > 2*len). Returns 0 or -1. */
SLS_MUST_USE int sls_hex_encode(const uint8_t *bin, size_t len, char *out, size_t outlen);
/* Decodes hex (either case, even length, nothing else) into out; *written
 * bytes. Returns 0 or -1. */
SLS_MUST_USE int sls_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outlen,
                                size_t *written);

/* Standard base64 with padding. urlsafe: URL alphabet, no padding. */
SLS_MUST_USE int sls_base64_encode(const uint8_t *bin, size_t len, int urlsafe, char *out,
                                   size_t outlen);
SLS_MUST_USE int sls_base64_decode(const char *b64, size_t b64len, int urlsafe, uint8_t *out,
                                   size_t outlen, size_t *written);

/* RFC 4648 base32 (upper case A-Z 2-7) of len bytes, without padding (as
 * otpauth:// URIs carry it), and a NUL into out (outlen > ceil(len * 8 / 5)).
 * Constant time in the data. Returns 0 or -1. */
SLS_MUST_USE int sls_base32_encode(const uint8_t *bin, size_t len, char *out, size_t outlen);

#endif
