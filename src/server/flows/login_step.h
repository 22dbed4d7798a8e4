/* A login step from its input to its verdict applied (SPEC §3, R5-R12,
 * §10.3), the same for every front end (the HTTP login API, RADIUS): stage
 * 1 (user name and password), the challenge of a device, stage 2 with a
 * typed answer, and the poll that completes an approved push. Each reads
 * its facts (login.h), lets the core decide (core/login.h) and applies the
 * verdict in one transaction (login_tx.h); the front end renders what it
 * reports. Nothing here answers anyone. */
#ifndef SLS_SERVER_LOGIN_STEP_H
#define SLS_SERVER_LOGIN_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/login.h"
#include "server/app/app.h"
#include "server/flows/client_token.h"
#include "server/flows/login.h"
#include "server/flows/login_tx.h"

/* One login step: its facts, its verdict and what applying it takes. Holds
 * tokens: the caller wipes it when done. */
struct sls_login_step {
    struct sls_login_facts f;
    struct sls_login_verdict v;
    struct sls_attempt a;
    struct sls_login_rec next; /* stage 1: the login written; stage 2: the login closed */
    struct sls_session_rec sess;
    char token[65]; /* a session opened: its bearer token */
    struct sls_client_token_rec issue;
    char issue_token[SLS_CLIENT_TOKEN_LEN + 1]; /* §10.3 mode client: the new client token */
    char code_key[128];
    char to[64];
    int number; /* a push challenged: the number to type in the app (§10.3), 0: none */
    /* in: the front end other than the HTTP API, named in the audit detail
     * ("radius client vpn1"); NULL: none */
    const char *via;
    char detail[160];
    struct sls_passkey_move passkey; /* §10.5: a passkey's answer, its counter (login_tx.h) */
    int rc;                          /* the store's answer when the verdict was applied */
};

/* What a step came to. */
enum sls_login_step_result {
    SLS_LOGIN_STEP_APPLIED = 0,  /* st->v applied (st->rc: the transaction's answer) */
    SLS_LOGIN_STEP_CHALLENGED,   /* stage 1 passed: st->next is the login and its challenge */
    SLS_LOGIN_STEP_NO_CHALLENGE, /* the device chosen cannot be challenged here */
    SLS_LOGIN_STEP_NOT_FOUND,    /* stage 2: no such login */
    SLS_LOGIN_STEP_PENDING,      /* a poll: nothing decided, st->f.login as it is */
    SLS_LOGIN_STEP_STORE_ERROR,  /* the store could not be read or written */
};

/* Stage 1's input. The user name's characters are checked by the caller. */
struct sls_login_stage1_in {
    const char *username;
    const char *password;
    enum sls_platform platform;
    bool paper;
    const char *client_token; /* §10.3 mode client: the token presented, NULL: none */
};

/* Whether a login still waits for its second factor at `now` (R9). */
bool sls_login_live(const struct sls_app *app, const struct sls_login_rec *l, sls_time now);

/* Stage 1 at `now` into st (zeroed by the caller, st->f.devices pointing
 * at room for SLS_DEVICE_VIEW_MAX device records): R5 with the same
 * Argon2id work for an unknown user, R8, R12; an account that needs no
 * second factor opens its session (APPLIED, st->v.outcome SESSION); a
 * second factor writes the login with the challenge of the default device
 * (CHALLENGED; st->v.device indexes st->f.devices). */
enum sls_login_step_result sls_login_step_stage1(struct sls_app *app, struct sls_login_step *st,
                                                 const struct sls_login_stage1_in *in,
                                                 sls_time now);

/* Prepares in l the challenge of device d of user u (manual: the ibkey's
 * challenge/response instead of its push), and for SMS its address into
 * to. Returns false when d cannot be challenged. */
bool sls_login_step_prepare_challenge(const struct sls_app *app, const struct sls_device_rec *d,
                                      const struct sls_user_rec *u, bool manual,
                                      struct sls_login_rec *l, char *to, size_t tolen);

/* Reads the login login_id (and device_id, NULL: the login's) into st->f.
 * Returns SLS_LOGIN_STEP_PENDING when read, NOT_FOUND (also for text that
 * is no id) or STORE_ERROR. */
enum sls_login_step_result sls_login_step_load(struct sls_app *app, struct sls_login_step *st,
                                               const char *login_id, const char *device_id);

/* Stage 2 with a typed answer to the login loaded into st
 * (sls_login_step_load) at `now`: decided and applied (APPLIED; a REJECTED
 * verdict applies nothing). */
enum sls_login_step_result sls_login_step_answer(struct sls_app *app, struct sls_login_step *st,
                                                 const char *response, sls_time now);

/* A poll of the login loaded into st at `now`: a push the app approved
 * completes the login (APPLIED: the session, or the refusal, as for a typed
 * answer); else nothing is decided (PENDING: st->f.login says its state). */
enum sls_login_step_result sls_login_step_poll(struct sls_app *app, struct sls_login_step *st,
                                               sls_time now);

#endif
