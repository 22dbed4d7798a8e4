/* OCRA one-way challenge-response (RFC 6287). Suites of the form
 * OCRA-1:HOTP-SHA{1,256,512}-{0,4..10}:[C-]Q{A,N,H}{04..64}[-P{SHA1,SHA256,SHA512}][-S{nnn}][-T{n}{S,M,H}]
 * Numeric questions are turned into their hexadecimal digits and, like all
 * questions, right-padded to 128 bytes as the RFC's reference does. */
#ifndef SLS_CRYPTO_OCRA_H
#define SLS_CRYPTO_OCRA_H

#include <stddef.h>
#include <stdint.h>
#include "../core/must_use.h"

struct sls_ocra_input {
    const char *question;    /* the challenge as shown, e.g. "123456"; required */
    const char *pin;         /* plaintext PIN, hashed per the suite's P; or NULL */
    const uint8_t *pin_hash; /* alternatively the PIN's hash already computed; or NULL */
    size_t pin_hash_len;
    uint64_t counter;    /* used when the suite has C */
    const char *session; /* session information when the suite has S; or NULL */
    uint64_t timesteps;  /* time steps when the suite has T (caller divides) */
};

/* Computes the response into out (NUL-terminated). Returns 0, or -1 for a
 * malformed suite, a question that does not match the suite (length or
 * alphabet), a missing PIN when the suite has P, or out too small. */
SLS_MUST_USE int sls_ocra_compute(const char *suite, const uint8_t *key, size_t keylen,
                                  const struct sls_ocra_input *in, char *out, size_t outlen);

#endif
