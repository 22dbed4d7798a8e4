/* Bearer sessions (R10): creating them, and finding the one a bearer token
 * names. Only the SHA-256 of a token is stored. Refusing a request without
 * one is the api's gate (server/api/gates.h). */
#ifndef SLS_SERVER_SESSION_H
#define SLS_SERVER_SESSION_H

#include <stdbool.h>

#include "core/time.h"
#include "store/store.h"

struct sls_app;

/* Fills rec for a new session and writes its token (64 hex + NUL). */
void sls_session_new(const struct sls_app *app, struct sls_session_rec *rec, char token[65],
                     const struct sls_user_rec *u, enum sls_platform platform,
                     enum sls_device_type factor, const char *device_id, enum sls_access access,
                     enum sls_auth_mode mode, bool paper, sls_time now);

/* A session found by its bearer token, with its user. */
struct sls_session_found {
    struct sls_session_rec s; /* access: what it grants now (R11) */
    struct sls_user_rec u;    /* lockout: the client token's counter, see below */
    /* SPEC §10.3 [lockout] mode client: the valid client token issued with
     * the session, whose counter the checks inside the session (step-up,
     * current password, card activation, PIN change) count against; "" when
     * there is none. u.lockout is then that token's counter. */
    char client_token_hash[65];
};

/* Looks up the session of bearer token `token` (64 hex characters, or NULL)
 * at now: a live, unrevoked session whose factor still grants access (R11: a
 * session of a temporary passcode or online card follows the factor's
 * windows and ends when the credential is no longer active). Returns SLS_OK
 * with f filled; SLS_ERR_UNAUTHORIZED when there is no such session, with
 * *hint set when the factor's window explains why (else NULL); or the
 * store's error when it could not be read (not a missing session). Changes
 * nothing: see sls_session_touch. */
int sls_session_find(const struct sls_app *app, const char *token, sls_time now,
                     struct sls_session_found *f, const char **hint);

/* Slides the idle expiry of a portal session found at now (a request served
 * in it); the other platforms have none. Returns SLS_OK or the store's
 * error. */
int sls_session_touch(const struct sls_app *app, struct sls_session_found *f, sls_time now);

#endif
