/* HOTP (RFC 4226) and TOTP (RFC 6238). Time is passed in. */
#ifndef SLS_CRYPTO_OTP_H
#define SLS_CRYPTO_OTP_H

#include <stddef.h>
#include <stdint.h>
#include "hash.h"
#include "../core/must_use.h"

/* Dynamic truncation of an HMAC result to `digits` decimal digits (6..10),
 * written with leading zeros and a NUL into out (outlen > digits).
 * Returns 0 or -1. */
SLS_MUST_USE int sls_otp_truncate(const uint8_t *mac, size_t maclen, int digits, char *out,
                                  size_t outlen);

/* HOTP-SHA1 of counter. Returns 0 or -1. */
SLS_MUST_USE int sls_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits,
                          char *out, size_t outlen);

/* TOTP: HOTP with alg over floor((now - t0) / step). Returns 0 or -1. */
SLS_MUST_USE int sls_totp(enum sls_hash_alg alg, const uint8_t *key, size_t keylen, int64_t now,
                          int64_t t0, int64_t step, int digits, char *out, size_t outlen);

#endif
