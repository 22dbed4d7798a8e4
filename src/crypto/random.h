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

/* Tests only: replaces the source (NULL restores the CSPRNG). Not thread safe. */
void sls_random_set_source(void (*fill)(void *buf, size_t len));

#endif
