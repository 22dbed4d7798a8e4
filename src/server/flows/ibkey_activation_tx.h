/* The store side of activating the mobile authenticator (R20, SPEC §10.3;
 * its start reads the user as a login does, flows/login.h): what its
 * completion reads of the device that must vouch for it, and the
 * transaction that completes it. The rules are core/activation.h's and
 * core/activation_answer.h's; the handler is api/ibkey.c. */
#ifndef SLS_SERVER_IBKEY_ACTIVATION_TX_H
#define SLS_SERVER_IBKEY_ACTIVATION_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

/* What a completion reads: the user (by id) with the devices they hold
 * (their own and the one shared with them, R32), and the device challenge
 * kept in the activation's secret, if any, with the device it came from. */
struct sls_ibkey_vouch_read {
    struct sls_user_rec u;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t ndevices;
    struct sls_secret_rec c;
    bool has_challenge;
    struct sls_device_rec device; /* the challenge's device */
    bool device_held;             /* still held by the user (and not gone) */
};

/* Fills r for the activation under key of user_id. Returns SLS_OK (what is
 * missing is left unset) or the store's error. */
int sls_ibkey_activation_tx_vouch_read(const struct sls_app *app, const char *key, int64_t user_id,
                                       struct sls_ibkey_vouch_read *r);

struct sls_ibkey_activation_tx {
    /* in */
    const char *key; /* the activation's secret: its code (and device challenge) */
    int64_t user_id; /* the code's */
    uint8_t public_key[32];
    int mode; /* enum sls_auth_mode */
    sls_time now;
    struct sls_device_rec device; /* the new device (secret sealed); user and times set here */
    /* out */
    struct sls_user_rec u;
    size_t revoked, sms_removed, sessions;
    bool taken; /* the code (or the challenge) was used meanwhile: nothing written */
    /* scratch */
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t ndevices;
};

/* In one transaction: takes the secret (code and challenge), makes inactive the
 * user's active ibkey devices (ending their sessions) and SMS devices,
 * inserts the new device with its key, queues the notice and audits.
 * Returns SLS_OK (t->taken: nothing written) or the store's error. */
int sls_ibkey_activation_tx_apply(const struct sls_app *app, struct sls_ibkey_activation_tx *t);

#endif
