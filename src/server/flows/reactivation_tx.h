/* The store side of R28 reactivation (POST /v1/me/devices/{id}/reactivate):
 * reading the device asked for, and the transaction that reactivates it
 * once its challenge was answered. The rules are core/reactivation.h's. */
#ifndef SLS_SERVER_REACTIVATION_TX_H
#define SLS_SERVER_REACTIVATION_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/access.h"
#include "server/app/app.h"
#include "store/store.h"

/* Reads device id into d; *shared_away is set when it is inactive because
 * of its owner's active sharing request (R32). Returns SLS_OK,
 * SLS_ERR_NOT_FOUND or the store's error. */
int sls_reactivation_tx_read(const struct sls_app *app, const char *id, struct sls_device_rec *d,
                             bool *shared_away);

struct sls_reactivation_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    const struct sls_secret_rec *c; /* the challenge answered, taken with it */
    const char *token_hash;         /* the session asking: bound to the device */
    enum sls_access access;         /* what that session gets once bound */
    /* out */
    struct sls_device_rec device;                      /* as reactivated */
    char revoked[SLS_DEVICE_VIEW_MAX][SLS_ID_LEN + 1]; /* temporary credentials revoked */
    size_t nrevoked;
    size_t nsessions; /* sessions they had opened, ended */
    bool changed;     /* the challenge was used, or the device changed, meanwhile */
};

/* In one transaction: takes t->c, (re)activates its device when it is still
 * the user's and may be reactivated, binds the session to it, revokes every
 * temporary passcode and online card of the user (R28) with the sessions
 * they opened, queues the notice and audits. Returns SLS_OK (t->changed:
 * nothing written) or the store's error. */
int sls_reactivation_tx_apply(const struct sls_app *app, struct sls_reactivation_tx *t);

#endif
