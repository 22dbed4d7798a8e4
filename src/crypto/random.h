/* Randomness from libsodium's CSPRNG, with a replaceable source for tests. */
#ifndef SLS_CRYPTO_RANDOM_H
#define SLS_CRYPTO_RANDOM_H

#include <stddef.h>
#include <stdint.h>

void sls_random_bytes(void *buf, size_t len);

/* Uniform in [0, upper), upper >= 1. */
uint32_t sls_random_uniform(uint32_t upper);

/* n uniformly random decimal digits and a NUL into out (outlen > n). */
void sls_random_digits(char *out, size_t n);

/* n random characters from alphabet (uniform) and a NUL into out (outlen > n). */
void sls_random_string(char *out, size_t n, const char *alphabet);

/* nbytes random bytes as 2*nbytes lower-case hex and a NUL (outlen > 2*nbytes). */
void sls_random_hex(char *out, size_t nbytes);

/* A 128-bit id as 32 lower-case hex digits and a NUL (out: 33 bytes) whose
 * first 12 digits are the microseconds of the real clock (mod 2^48) and the
 * other 20 are 80 random bits: ids made close in time sort together, so a
 * table keyed by them takes its new rows on the same few index pages instead
 * of one random page each, and the id stays unguessable. For rows written
 * often and soon after they are made (logins); it tells when it was made. */
void sls_random_id_time_ordered(char out[33]);

/* Tests only: replaces the source (NULL restores the CSPRNG). Not thread safe. */
void sls_random_set_source(void (*fill)(void *buf, size_t len));

#endif
