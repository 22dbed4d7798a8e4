/* SPEC §10.3 [lockout] mode client: client tokens as the HTTP side sees them.
 * A token is 64 hex characters (256 random bits) handed out with a session;
 * only its SHA-256 is stored, bound to one user, for [lockout]
 * client_token_ttl (90 days). */
#ifndef SLS_SERVER_CLIENT_TOKEN_H
#define SLS_SERVER_CLIENT_TOKEN_H

#include <jansson.h>
#include <stdbool.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_CLIENT_TOKEN_LEN 64 /* hex characters */

/* Fills rec for a new token of user_id issued at now and writes the token
 * (64 hex + NUL); the caller wipes it. */
void sls_client_token_new(const struct sls_app *app, struct sls_client_token_rec *rec,
                          char token[SLS_CLIENT_TOKEN_LEN + 1], int64_t user_id, sls_time now);

/* The SHA-256 hex of a presented token into out. False (out = "") for text
 * that cannot be a token we issued: it is then treated as no token. */
bool sls_client_token_hash(const char *token, char out[65]);

#endif
