/* Sealed digests of short secrets; see sealed_digest.h. */
#include "server/flows/sealed_digest.h"

#include <stdio.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/secmem.h"

/* SHA-256 over "<binding>:<secret>" into out; 0 or -1 (too long to be one). */
static int digest(const char *binding, const char *secret, uint8_t out[32])
{
    char buf[160];
    int n = snprintf(buf, sizeof(buf), "%s:%s", binding, secret);
    int rc = -1;

    if (n > 0 && (size_t)n < sizeof(buf))
        rc = sls_hash(SLS_HASH_SHA256, buf, (size_t)n, out);
    sls_wipe(buf, sizeof(buf));
    return rc;
}

int sls_sealed_digest_make(const struct sls_seal_key *key, const char *binding, const char *secret,
                           uint8_t *out, size_t cap, size_t *outlen)
{
    uint8_t h[32];
    int rc = -1;

    if (digest(binding, secret, h) == 0 && sls_seal(key, h, sizeof(h), out, cap, outlen) == 0)
        rc = 0;
    sls_wipe(h, sizeof(h));
    return rc;
}

bool sls_sealed_digest_matches(const struct sls_seal_key *key, const char *binding,
                               const char *secret, const uint8_t *sealed, size_t len)
{
    uint8_t want[32], got[32];
    size_t n = 0;
    bool ok = false;

    if (len > 0 && sls_unseal(key, sealed, len, want, sizeof(want), &n) == 0 && n == sizeof(want) &&
        digest(binding, secret, got) == 0)
        ok = sls_ct_equal(got, want, sizeof(want));
    sls_wipe(want, sizeof(want));
    sls_wipe(got, sizeof(got));
    return ok;
}
