/* The store side of the mobile authenticator's pushes (R20): the pushes
 * waiting for an app's key, what an approval or denial reads of its push,
 * and the transaction that decides a push which is not a login's denial
 * (that one is a failed attempt, login_tx.h). The handler is api/ibkey.c. */
#ifndef SLS_SERVER_IBKEY_PUSH_TX_H
#define SLS_SERVER_IBKEY_PUSH_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/session_policy.h"
#include "server/app/app.h"
#include "store/store.h"

#define SLS_IBKEY_PENDING_MAX 32

/* The pushes waiting for the app holding public_key, with their users. */
struct sls_ibkey_pending {
    struct sls_push_rec pushes[SLS_IBKEY_PENDING_MAX];
    char usernames[SLS_IBKEY_PENDING_MAX][33];
    size_t n;
};

/* Fills r with the pushes live at now for public_key. Returns SLS_OK or the
 * store's error. */
int sls_ibkey_push_tx_pending(const struct sls_app *app, const uint8_t public_key[32], sls_time now,
                              struct sls_ibkey_pending *r);

/* What an approval or denial reads: the push, the key of the device it went
 * to, its user and, for a login push, its login. */
struct sls_ibkey_push_read {
    struct sls_push_rec push;
    uint8_t pk[32];
    int mode;
    struct sls_user_rec u;
    struct sls_login_rec login;
    bool login_found;
};

/* Fills r for push push_id. Returns SLS_OK, SLS_ERR_NOT_FOUND (no such push,
 * or its device has no key) or the store's error. */
int sls_ibkey_push_tx_read(const struct sls_app *app, const char *push_id,
                           struct sls_ibkey_push_read *r);

/* Decides push push_id as state (approved with mode) when it is still
 * pending, audited for username. *conflict: it was decided meanwhile
 * (nothing written). Returns SLS_OK or the store's error. */
int sls_ibkey_push_tx_decide(const struct sls_app *app, const char *push_id,
                             enum sls_push_state state, enum sls_auth_mode mode,
                             const char *username, sls_time now, bool *conflict);

#endif
