/* A new password for a user (R3), in the store: what every way of setting
 * one writes (the hash, the end of the user's other sessions, the notice),
 * and the change a signed-in user makes in the settings. */
#ifndef SLS_SERVER_PASSWORD_TX_H
#define SLS_SERVER_PASSWORD_TX_H

#include <stddef.h>

#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

/* Inside the caller's transaction: stores hash as u's password, ends every
 * session of u but keep_token_hash (NULL: every one; *revoked: how many) and
 * queues the password-changed notice. Returns SLS_OK or the store's error. */
int sls_password_set(struct sls_db *db, sls_time now, const struct sls_user_rec *u,
                     const char *hash, const char *keep_token_hash, size_t *revoked);

struct sls_password_change_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    const char *token_hash; /* the session asking: kept */
    const char *hash;       /* the new password's hash */
    /* out */
    size_t revoked; /* the other sessions ended */
};

/* In one transaction: sets the password (sls_password_set) and audits the
 * change. Returns SLS_OK or the store's error. */
int sls_password_change_tx_apply(const struct sls_app *app, struct sls_password_change_tx *t);

#endif
