/* The store side of the service desk's user and device admin (SPEC §6, §8):
 * reading a user with their devices and lock state, creating a user, adding
 * a device, recording an identity verification (R40) and setting the
 * account state (R12). Each change is one transaction that audits it with
 * the acting agent's name. */
#ifndef SLS_SERVER_ADMIN_TX_H
#define SLS_SERVER_ADMIN_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_ADMIN_CLIENT_TOKEN_VIEW_MAX 32

/* A user as the desk sees them. */
struct sls_admin_user_view {
    /* in */
    const char *username;
    sls_time now;
    /* out */
    struct sls_user_rec user;
    char paper_of[33];         /* the live user a paper user belongs to; "" if none */
    struct sls_user_rec paper; /* that user */
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t ndevices;
    /* §10.3: the live client tokens holding failures or a lock */
    struct sls_client_token_rec tokens[SLS_ADMIN_CLIENT_TOKEN_VIEW_MAX];
    size_t ntokens;
};

/* Reads user v->username with the rest of the view, in one read. Returns
 * SLS_OK, SLS_ERR_NOT_FOUND (no such user; also a name too long to be one)
 * or the store's error. */
int sls_admin_tx_user_view(const struct sls_app *app, struct sls_admin_user_view *v);

struct sls_admin_create_tx {
    /* in */
    struct sls_user_rec *u; /* all set but account_id (when generated) and paper_of */
    const char *account_id; /* NULL: a random one, tried again on a collision */
    const char *paper_of;   /* the live user a paper user belongs to, or NULL */
    const char *actor;
    sls_time now;
    /* out */
    bool paper_missing; /* paper_of names no user (SLS_ERR_NOT_FOUND) */
};

/* Inserts t->u, audited. A generated account id is drawn again, up to 5
 * times in all, while it collides with another's and the user name is free.
 * Returns SLS_OK, SLS_ERR_NOT_FOUND (t->paper_missing), SLS_ERR_CONFLICT
 * (the user name or account id is taken) or the store's error. */
int sls_admin_tx_create(const struct sls_app *app, struct sls_admin_create_tx *t);

/* Inserts device d (of user username), queues its activation notice when
 * it is active, and audits. Returns SLS_OK or the store's error. */
int sls_admin_tx_device_add(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *actor, const char *username, sls_time now);

/* R40: records that agent verified user (id, username) through channel at
 * now, audited. Returns SLS_OK or the store's error. */
int sls_admin_tx_identity_verify(const struct sls_app *app, const char *agent, const char *actor,
                                 const struct sls_user_rec *user, const char *channel,
                                 sls_time now);

/* R12: sets the account state of user (id, username) and its approval time,
 * audited. Returns SLS_OK or the store's error. */
int sls_admin_tx_account(const struct sls_app *app, const struct sls_user_rec *user,
                         enum sls_account_state state, sls_time approved_at, const char *actor,
                         sls_time now);

#endif
