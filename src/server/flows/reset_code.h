/* Password reset codes at rest (R3, R29): only a sealed SHA-256 of the code,
 * bound to the user, is kept; checking a typed code compares in constant time. */
#ifndef SLS_SERVER_RESET_CODE_H
#define SLS_SERVER_RESET_CODE_H

#include <stdbool.h>

#include "server/app/app.h"
#include "store/store.h"

/* Seals the hash of `code` for r->user_id (which must be set) into r->code.
 * Returns SLS_OK or an error. */
int sls_reset_code_seal(const struct sls_app *app, struct sls_secret_rec *r, const char *code);

/* True when `code` is the code sealed in r. */
bool sls_reset_code_matches(const struct sls_app *app, const struct sls_secret_rec *r,
                            const char *code);

#endif
