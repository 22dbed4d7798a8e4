/* Constant-time comparison and wiping of secrets, over libsodium. */
#include "secmem.h"

#include <sodium.h>

bool sls_ct_equal(const void *a, const void *b, size_t len)
{
    if (len == 0)
        return true;
    return sodium_memcmp(a, b, len) == 0;
}

bool sls_ct_streq(const char *a, size_t alen, const char *b, size_t blen)
{
    /* When the lengths differ, b is compared with itself so that the work
     * done still depends only on blen; the length check decides. */
    const char *x = alen == blen ? a : b;
    bool same = blen == 0 ? true : sodium_memcmp(x, b, blen) == 0;

    return same && alen == blen;
}

void sls_wipe(void *p, size_t len)
{
    if (p == NULL || len == 0)
        return;
    sodium_memzero(p, len);
}
