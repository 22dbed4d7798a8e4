/* The store side of login assistance by the service desk (SPEC §6):
 * temporary passcodes (R26), devices marked lost (R29), forgotten PINs reset
 * (R21, R22), password reset codes sent to the e-mail on record (R3, R29)
 * and locked users unlocked (R8, SPEC §10.3).
 *
 * Every action needs an identity verification of the user by the acting
 * agent in the last `ttl` seconds (R40). The check, the rule of the action
 * (core/assist.h) and the change run in ONE store transaction, so two agents
 * acting on one user at once are decided one after the other. Refusals are
 * audited too: their transaction keeps the audit record and changes nothing
 * else. Each function returns SLS_OK (a refusal is in a.err),
 * SLS_ERR_NOT_FOUND when there is no such user, or the store's error. */
#ifndef SLS_SERVER_ASSIST_TX_H
#define SLS_SERVER_ASSIST_TX_H

#include <stddef.h>

#include "core/temporary.h"
#include "server/app/app.h"
#include "store/store.h"

/* Device records read to decide R26; a user with more is refused (fail closed). */
#define SLS_ASSIST_MAX_DEVICES 64

/* What every assistance transaction shares. */
struct sls_assist_tx {
    /* in */
    const char *agent;
    char actor[80]; /* "agent:<agent>" */
    const char *username;
    sls_time now;
    sls_time ttl; /* of an identity verification */
    /* out */
    struct sls_user_rec user;
    int err;             /* SLS_OK, or the refusal to answer (its audit record is kept) */
    const char *message; /* the refusal's message; NULL: the error table's */
};

struct sls_assist_passcode_tx {
    struct sls_assist_tx a;
    /* in */
    sls_time full_until, portal_until; /* audited */
    struct sls_device_rec pass;        /* the new passcode, its id and sealed hash set */
    /* scratch */
    struct sls_device_rec devices[SLS_ASSIST_MAX_DEVICES];
    struct sls_temp_device briefs[SLS_ASSIST_MAX_DEVICES];
    size_t ndevices;
};

/* R26: issues t->pass to the user when sls_assist_passcode_check allows,
 * revoking an older active passcode and the sessions it opened; notice and
 * audit. */
int sls_assist_tx_passcode(const struct sls_app *app, struct sls_assist_passcode_tx *t);

struct sls_assist_lost_tx {
    struct sls_assist_tx a;
    /* in */
    const char *device_id;
    /* out */
    struct sls_device_rec d; /* as marked lost */
    size_t nsessions;        /* sessions ended on it, of its user and of users sharing it */
};

/* R29: marks device t->device_id of the user lost, ending its sessions and
 * those of users sharing it (R32); notice and audit. */
int sls_assist_tx_lost(const struct sls_app *app, struct sls_assist_lost_tx *t);

struct sls_assist_pin_tx {
    struct sls_assist_tx a;
    /* in */
    const char *device_id;
    struct sls_device_rec sealed; /* pin, pin_len: the new PIN sealed */
    /* out */
    struct sls_device_rec d;
};

/* R21, R22: sets the PIN of device t->device_id of the user; audit. */
int sls_assist_tx_pin(const struct sls_app *app, struct sls_assist_pin_tx *t);

struct sls_assist_reset_tx {
    struct sls_assist_tx a;
    /* in */
    struct sls_secret_rec reset; /* issued_by, issued_at, expires_at set; sealed here */
    const char *code;
    /* out */
    char sent_to[160]; /* the masked address it went to */
};

/* R3, R29: seals t->code for the user, keeps it and queues the e-mail that
 * carries it to the address on record (refused when there is none); audit. */
int sls_assist_tx_reset(const struct sls_app *app, struct sls_assist_reset_tx *t);

struct sls_assist_unlock_tx {
    struct sls_assist_tx a;
    /* out */
    size_t tokens; /* client tokens whose counter was cleared */
};

/* R8: clears the user's lockout counter (in [lockout] mode client, the
 * unknown-clients counter) and, SPEC §10.3, every client token's; audit. The
 * counter's compare-and-swap is tried again, up to 8 times in all, while a
 * login changes it meanwhile; SLS_ERR_CONFLICT after that. */
int sls_assist_tx_unlock(const struct sls_app *app, struct sls_assist_unlock_tx *t);

#endif
