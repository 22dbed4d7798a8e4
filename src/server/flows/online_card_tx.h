/* The store side of R27 online security cards (POST /v1/me/online-card,
 * GET /v1/me/online-card/{id}, POST /v1/me/online-card/{id}/activate):
 * the transaction that issues a card, the read of a card with its
 * activation indexes, and the transaction that activates it. The rules are
 * core/online_card.h's. */
#ifndef SLS_SERVER_ONLINE_CARD_TX_H
#define SLS_SERVER_ONLINE_CARD_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "server/app/app.h"
#include "store/store.h"

struct sls_online_card_issue {
    /* in */
    sls_time now;
    const char *username;
    int64_t user_id;
    const char *passcode_id;           /* the temporary passcode of the session */
    const struct sls_device_rec *card; /* sealed, state shipped */
    const struct sls_secret_rec *act;  /* its activation indexes */
    /* out */
    char replaced[SLS_ID_LEN + 1]; /* a card still waiting, retired ("" when none) */
    bool refused;                  /* too many cards (sls_online_card_issue_allowed) */
};

/* In one transaction: refuses when the issue rule does, else retires the
 * user's cards still waiting for activation (with their indexes), records
 * the card and its indexes and audits. Returns SLS_OK (see t->refused),
 * SLS_ERR_NOT_FOUND when the session's passcode is gone, or the store's
 * error. */
int sls_online_card_tx_issue(const struct sls_app *app, struct sls_online_card_issue *t);

/* Reads the device record card_id into card and its activation indexes into
 * act (*act_kept: they are still kept). SLS_OK, SLS_ERR_NOT_FOUND when there
 * is no such device, or the store's error. */
int sls_online_card_tx_read(const struct sls_app *app, const char *card_id,
                            struct sls_device_rec *card, struct sls_secret_rec *act,
                            bool *act_kept);

struct sls_online_card_activation {
    /* in */
    sls_time now;
    const char *username;
    const char *card_id;
    const char *challenge; /* the indexes the answer was checked against */
    /* out */
    struct sls_device_rec card;   /* as activated */
    char retired[SLS_ID_LEN + 1]; /* the card active before it ("" when none) */
    size_t nsessions;             /* sessions of that card, ended */
    bool changed; /* the card or its indexes changed since they were read: nothing written */
};

/* In one transaction: activates card t->card_id when it still waits under
 * the same indexes, retires the user's card active before it with its
 * sessions, drops the indexes, queues the notice and audits. Returns SLS_OK
 * (see t->changed) or the store's error. */
int sls_online_card_tx_activate(const struct sls_app *app, struct sls_online_card_activation *t);

#endif
