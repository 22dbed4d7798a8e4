/* The store side of R31 and R33 money movements (GET /v1/me/limits, POST
 * /v1/me/withdrawals, POST /v1/me/deposits): reading the session user's
 * limits, and the transactions that check a withdrawal against its limits or
 * a deposit against the cap outside SLS and record it, so that two racing
 * requests cannot both take the last of a limit. */
#ifndef SLS_SERVER_LIMITS_TX_H
#define SLS_SERVER_LIMITS_TX_H

#include <stdbool.h>
#include <stdint.h>

#include "server/app/app.h"
#include "server/flows/withdrawal_limits.h"
#include "store/store.h"

/* Fills the out fields of st (its in fields set) in a read of its own.
 * Returns SLS_OK or the store's error. */
int sls_limits_tx_read(const struct sls_app *app, struct sls_limits_state *st);

struct sls_withdrawal_tx {
    /* in */
    struct sls_limits_state st; /* its in fields */
    const char *username;
    int64_t amount;
    /* out */
    struct sls_withdrawal_rec w; /* as recorded */
    bool allowed;                /* within the limits (R33) */
};

/* In one transaction: reads the limits into t->st, records the withdrawal
 * when it is within them (t->st's used amounts then count it) and audits
 * either way. Returns SLS_OK (see t->allowed) or the store's error. */
int sls_withdrawal_tx_apply(const struct sls_app *app, struct sls_withdrawal_tx *t);

struct sls_deposit_tx {
    /* in */
    const struct sls_user_rec *user;
    int64_t cap_cents;        /* R31, as configured */
    bool outside_sls;         /* the session is outside SLS: the cap applies */
    struct sls_deposit_rec d; /* user_id, amount_cents, method, capped, at */
    /* out */
    int64_t deposited; /* capped deposits so far, before this one */
    bool allowed;
};

/* In one transaction: sums the user's capped deposits, records the deposit
 * (t->d.id) when the cap allows it (R31) and audits either way. Returns
 * SLS_OK (see t->allowed) or the store's error. */
int sls_deposit_tx_apply(const struct sls_app *app, struct sls_deposit_tx *t);

#endif
