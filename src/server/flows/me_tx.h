/* The store side of the signed-in user's own API (GET /v1/me, DELETE
 * /v1/session): what the profile shows and the end of a session. */
#ifndef SLS_SERVER_ME_TX_H
#define SLS_SERVER_ME_TX_H

#include <stddef.h>

#include "server/app/app.h"
#include "server/flows/withdrawal_limits.h"
#include "store/store.h"

/* What GET /v1/me reads in one transaction. */
struct sls_me_tx_read {
    /* in: user_id, and the in fields of limits */
    int64_t user_id;
    /* out */
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX]; /* held: own and shared (R32) */
    size_t n;
    struct sls_limits_state limits;
};

/* Fills the out fields of r. Returns SLS_OK or the store's error. */
int sls_me_tx_read(const struct sls_app *app, struct sls_me_tx_read *r);

/* Ends the session whose token hashes to token_hash. Returns SLS_OK or the
 * store's error. */
int sls_me_tx_logout(const struct sls_app *app, const char *token_hash);

#endif
