/* A TOTP device's code checked and its step used once; see totp_check.h. */
#include "server/flows/totp_check.h"

#include <string.h>

#include "core/device.h"
#include "core/error.h"
#include "core/totp.h"
#include "crypto/otp.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"

bool sls_totp_code_step(const uint8_t *key, size_t keylen, const char *code, sls_time now,
                        int64_t last_accepted, int64_t *step)
{
    int64_t steps[SLS_TOTP_CANDIDATES_MAX];
    size_t n = sls_totp_candidates(now, last_accepted, steps), i;
    size_t len = strlen(code);
    char expected[16];
    bool found = false;

    for (i = 0; i < n; i++) {
        /* RFC 6238 with SHA-1 is HOTP (RFC 4226) of the step. */
        bool same = sls_hotp(key, keylen, (uint64_t)steps[i], SLS_TOTP_DIGITS, expected,
                             sizeof(expected)) == 0 &&
                    sls_ct_streq(code, len, expected, strlen(expected));

        if (same && !found) {
            found = true;
            *step = steps[i];
        }
    }
    sls_wipe(expected, sizeof(expected));
    return found;
}

struct step_io {
    const char *device_id;
    int64_t step;
};

static int step_fn(struct sls_db *db, void *arg)
{
    const struct step_io *io = arg;
    return SLS_DB(db, device_totp_step_cas, io->device_id, io->step);
}

int sls_totp_check(const struct sls_app *app, const struct sls_device_rec *d, const char *code,
                   sls_time now, bool *right)
{
    uint8_t key[64];
    struct step_io io = {d->id, 0};
    long keylen;
    bool match;
    int rc;

    *right = false;
    if (d->type != SLS_DEVICE_TOTP || !sls_response_well_formed(d->type, code, strlen(code)))
        return SLS_OK;
    keylen = sls_device_secret_open(app, d, key, sizeof(key));
    match =
        keylen > 0 && sls_totp_code_step(key, (size_t)keylen, code, now, d->totp_step, &io.step);
    sls_wipe(key, sizeof(key));
    if (!match)
        return SLS_OK;
    rc = sls_store_write(app->store, step_fn, &io);
    if (rc == SLS_ERR_CONFLICT)
        return SLS_OK; /* that step (or a later one) was accepted first */
    if (rc == SLS_OK)
        *right = true;
    return rc;
}
