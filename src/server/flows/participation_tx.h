/* The store side of R30 SLS participation (POST /v1/me/sls): the
 * transaction that opts the user out, or in once the challenge of the
 * opt-in was answered, with its notice and audit record. */
#ifndef SLS_SERVER_PARTICIPATION_TX_H
#define SLS_SERVER_PARTICIPATION_TX_H

#include <stdbool.h>

#include "server/app/app.h"
#include "store/store.h"

struct sls_participation_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    bool participate;
    const struct sls_secret_rec *c; /* opt-in: the challenge answered, taken with it */
    /* out */
    bool taken; /* the challenge was used meanwhile: nothing written */
};

/* In one transaction: takes t->c (when given), sets the user's SLS flag,
 * queues the notice of leaving SLS (R31) and audits. Returns SLS_OK (see
 * t->taken) or the store's error. */
int sls_participation_tx_apply(const struct sls_app *app, struct sls_participation_tx *t);

#endif
