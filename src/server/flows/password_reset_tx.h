/* The store side of completing a password reset (R3, R29, POST
 * /v1/password-reset/complete): reading the user and their code, counting a
 * refused code, and the transaction that takes the code (with the device
 * challenge of a self-service code) and sets the new password. The steps are
 * decided by core/password_reset.h. */
#ifndef SLS_SERVER_PASSWORD_RESET_TX_H
#define SLS_SERVER_PASSWORD_RESET_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

/* The key of the device challenge of user_id's reset into out. */
void sls_password_reset_challenge_key(char *out, size_t len, int64_t user_id);

/* Reads the user named username and their reset code. Returns SLS_OK,
 * SLS_ERR_NOT_FOUND (no such user, or no code) or the store's error. */
int sls_password_reset_tx_read(const struct sls_app *app, const char *username,
                               struct sls_user_rec *user, struct sls_secret_rec *reset);

/* Audits a refused code of user as `outcome` at now; when counts_code (a
 * wrong code), counts it against the code `read` it was checked against,
 * as the count stands inside the transaction, so racing guesses all count
 * (a code replaced or used meanwhile has nothing left to count against).
 * Returns SLS_OK or the store's error. */
int sls_password_reset_tx_fail(const struct sls_app *app, sls_time now,
                               const struct sls_user_rec *user, const struct sls_secret_rec *read,
                               const char *outcome, bool counts_code);

struct sls_password_reset_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    const struct sls_secret_rec *read; /* the code that was checked */
    const char *password_hash;
    const struct sls_secret_rec *challenge; /* the device challenge answered, or NULL */
    /* out */
    struct sls_secret_rec current;
    size_t nsessions; /* sessions ended */
    bool changed;     /* the code (or the challenge) was used or replaced meanwhile */
};

/* In one transaction: takes the code when it is still t->read and usable,
 * and t->challenge with it, sets the password ending every session of the
 * user, queues the notice and audits. Returns SLS_OK (t->changed: nothing
 * written) or the store's error. */
int sls_password_reset_tx_apply(const struct sls_app *app, struct sls_password_reset_tx *t);

#endif
