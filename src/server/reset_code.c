/* Password reset codes at rest; see reset_code.h. */
#include "reset_code.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

/* SHA-256 over "<user id>:<code>" into out. */
static int code_hash(int64_t user_id, const char *code, uint8_t out[32])
{
    char buf[96];
    int n = snprintf(buf, sizeof(buf), "%" PRId64 ":%s", user_id, code);
    int rc = -1;

    if (n > 0 && (size_t)n < sizeof(buf))
        rc = sls_hash(SLS_HASH_SHA256, buf, (size_t)n, out);
    sls_wipe(buf, sizeof(buf));
    return rc;
}

int sls_reset_code_seal(const struct sls_app *app, struct sls_reset_rec *r, const char *code)
{
    uint8_t h[32];
    int rc = SLS_ERR_INTERNAL;

    if (code_hash(r->user_id, code, h) == 0 &&
        sls_seal(&app->key, h, sizeof(h), r->code, sizeof(r->code), &r->code_len) == 0)
        rc = SLS_OK;
    sls_wipe(h, sizeof(h));
    return rc;
}

bool sls_reset_code_matches(const struct sls_app *app, const struct sls_reset_rec *r,
                            const char *code)
{
    uint8_t want[32], got[32];
    size_t n = 0;
    bool ok = false;

    if (r->code_len > 0 &&
        sls_unseal(&app->key, r->code, r->code_len, want, sizeof(want), &n) == 0 &&
        n == sizeof(want) && code_hash(r->user_id, code, got) == 0)
        ok = sls_ct_equal(got, want, sizeof(want));
    sls_wipe(want, sizeof(want));
    sls_wipe(got, sizeof(got));
    return ok;
}
