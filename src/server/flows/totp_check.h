/* The answer of a TOTP device (SPEC §10.4): the 6-digit code an
 * authenticator app shows for a step of `now` or one either side
 * (core/totp.h), accepted once. The secret is unsealed only for the check
 * and wiped right after; the step a code matched is recorded by the store's
 * compare-and-swap (device_totp_step_cas), so a code already accepted, or a
 * code of an earlier step, never passes again, even when requests race. */
#ifndef SLS_SERVER_FLOWS_TOTP_CHECK_H
#define SLS_SERVER_FLOWS_TOTP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

/* Whether code is the TOTP of key (HMAC-SHA1, 6 digits, 30 s) for one of the
 * steps still open at `now` after last_accepted (core/totp.h); the step it
 * matched into *step. Every candidate is computed and compared in constant
 * time. Nothing is written. */
bool sls_totp_code_step(const uint8_t *key, size_t keylen, const char *code, sls_time now,
                        int64_t last_accepted, int64_t *step);

/* Checks code against TOTP device d at `now` and, when it matches a step
 * not accepted yet, records that step (its own transaction): *right is true
 * only when this call recorded it. A code of a step accepted before (by
 * this request's rivals too) leaves *right false. Returns SLS_OK or the
 * store's error. */
int sls_totp_check(const struct sls_app *app, const struct sls_device_rec *d, const char *code,
                   sls_time now, bool *right);

#endif
