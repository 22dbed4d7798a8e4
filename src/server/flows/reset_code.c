/* Password reset codes at rest; see reset_code.h. */
#include "server/flows/reset_code.h"
#include "server/app/app.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/error.h"
#include "server/flows/sealed_digest.h"
#include "server/flows/secret_key.h"

/* A code is bound to the user id it was sent for. */
static void binding(int64_t user_id, char out[24])
{
    snprintf(out, 24, "%" PRId64, user_id);
}

int sls_reset_code_seal(const struct sls_app *app, struct sls_secret_rec *r, const char *code)
{
    char b[24];

    sls_secret_key_user(r->key, sizeof(r->key), SLS_SECRET_RESET_CODE, r->user_id);
    binding(r->user_id, b);
    if (sls_sealed_digest_make(&app->key, b, code, r->code, sizeof(r->code), &r->code_len) != 0)
        return SLS_ERR_INTERNAL;
    return SLS_OK;
}

bool sls_reset_code_matches(const struct sls_app *app, const struct sls_secret_rec *r,
                            const char *code)
{
    char b[24];

    binding(r->user_id, b);
    return sls_sealed_digest_matches(&app->key, b, code, r->code, r->code_len);
}
