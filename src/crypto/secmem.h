/* Constant-time comparison and wiping of secrets. */
#ifndef SLS_CRYPTO_SECMEM_H
#define SLS_CRYPTO_SECMEM_H

#include <stdbool.h>
#include <stddef.h>
#include "../core/must_use.h"

/* True when a and b hold the same len bytes; time does not depend on content. */
SLS_MUST_USE bool sls_ct_equal(const void *a, const void *b, size_t len);

/* True when strings a (alen) and b (blen) are equal. Time depends only on
 * blen (pass the expected secret as b), never on where they differ. */
SLS_MUST_USE bool sls_ct_streq(const char *a, size_t alen, const char *b, size_t blen);

/* Zeroes len bytes in a way the compiler keeps. NULL is a no-op. */
void sls_wipe(void *p, size_t len);

#endif
