/* The store side of a banking instructions change (R4, POST
 * /v1/me/bank-instructions): made at once inside SLS, asked for in the
 * security review queue outside it. */
#ifndef SLS_SERVER_BANK_TX_H
#define SLS_SERVER_BANK_TX_H

#include <stdbool.h>

#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

struct sls_bank_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    struct sls_bank_rec bank; /* the new instructions, the account number sealed */
    bool outside_sls;         /* asked for in the review queue, not made */
    /* out */
    struct sls_review_rec review; /* outside SLS: the review asked for (review.id) */
};

/* In one transaction: stores t->bank with its notice, or outside SLS asks
 * for it in the review queue (the sealed account number kept with the
 * review); audited. Returns SLS_OK or the store's error. */
int sls_bank_tx_apply(const struct sls_app *app, struct sls_bank_tx *t);

#endif
