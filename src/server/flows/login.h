/* The store side of a login (SPEC §3): reading the facts a login step is
 * decided on (core/login.h), and issuing the challenge of a login with the
 * login itself in one transaction (a push, or an SMS or voice code, goes out
 * with it). The verdicts are applied by login_tx.h. */
#ifndef SLS_SERVER_FLOWS_LOGIN_H
#define SLS_SERVER_FLOWS_LOGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "server/app/app.h"
#include "store/store.h"

/* Everything a login step reads, in one snapshot. */
struct sls_login_facts {
    const char *username;  /* in, stage 1 */
    const char *login_id;  /* in, stage 2 */
    const char *device_id; /* in, stage 2: a device to switch to (NULL: the login's) */
    char client_hash[65];  /* in, stage 1 mode client: the token presented, hashed ("": none) */
    struct sls_user_rec user;
    struct sls_login_rec login;
    struct sls_device_rec device; /* stage 2 */
    bool device_found;            /* the device could be read */
    bool device_held;             /* it answers for the user (theirs or shared, R32) */
    /* stage 1: the user's, in room for SLS_DEVICE_VIEW_MAX records the
     * caller provides (stage 2 reads one device and needs none) */
    struct sls_device_rec *devices;
    size_t ndevices;
    struct sls_secret_rec code; /* an SMS login: its code */
    bool code_found;
    struct sls_push_rec push; /* a push login: its push */
    bool push_found;
    int ibkey_mode;                     /* an ibkey device: the mode chosen at activation */
    struct sls_client_token_rec client; /* stage 1, mode client: the token's record */
    bool client_found;
};

/* Stage 1: reads f->username's user, the devices they hold (into
 * f->devices, which must not be NULL) and (when f->client_hash is set) the
 * client token, looked up first so that an unknown user or token costs the
 * same work (§10.3). Returns SLS_OK, SLS_ERR_NOT_FOUND (no such user) or a
 * store error. */
int sls_login_read_user(struct sls_app *app, struct sls_login_facts *f);

/* Stage 2: reads the login f->login_id, its user, its code or push, and the
 * device (f->device_id, else the login's) with its ibkey mode. Returns
 * SLS_OK, SLS_ERR_NOT_FOUND (no such login) or a store error; a device that
 * cannot be read leaves f->device_found false. */
int sls_login_read_login(struct sls_app *app, struct sls_login_facts *f);

/* The key of a login's one-time code. */
void sls_login_code_key(char *out, size_t len, const char *login_id);

/* Issuing the challenge of a login and writing the login, in one
 * transaction: a push goes out with it (or, past the cap, the manual
 * challenge of the app instead), an SMS or voice code with it. */
struct sls_login_challenge {
    struct sls_login_rec *login; /* kind and challenge set, except push / code */
    bool insert;                 /* a new login; else CAS on seq */
    int seq;
    const struct sls_user_rec *user;
    const struct sls_device_rec *device;
    const char *channel; /* code: "sms" or "voice" */
    const char *to;      /* code: the phone */
    bool capped;         /* out: the push cap was reached */
    int number;          /* out: the push's number to type (§10.3), 0: none */
};

/* Runs the transaction at `now`. Returns SLS_OK, SLS_ERR_CONFLICT (the
 * login moved on meanwhile) or a store error. */
int sls_login_challenge_issue(const struct sls_app *app, struct sls_login_challenge *c,
                              sls_time now);

#endif
