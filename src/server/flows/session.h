/* Bearer sessions (R10): creating them, and authenticating a request by its
 * token. Only the SHA-256 of a token is stored. */
#ifndef SLS_SERVER_SESSION_H
#define SLS_SERVER_SESSION_H

#include <jansson.h>
#include <stdbool.h>

#include "server/http/http.h"
#include "store/store.h"

/* Fills rec for a new session and writes its token (64 hex + NUL). */
void sls_session_new(const struct sls_app *app, struct sls_session_rec *rec, char token[65],
                     const struct sls_user_rec *u, enum sls_platform platform,
                     enum sls_device_type factor, const char *device_id, enum sls_access access,
                     enum sls_auth_mode mode, bool paper, sls_time now);

/* The API shape {token?, platform, factor, access, expires_at, restricted_products}. */
json_t *sls_session_json(const struct sls_session_rec *s, const char *token, bool sls_member);

/* Authenticates rq by its bearer token: a live, unrevoked session whose
 * factor still grants access now (R11: a session of a temporary passcode or
 * online card follows the factor's windows and ends when the credential is no
 * longer active); slides a portal session's idle expiry. A session limited to
 * the online card (access online_card_only) is refused with 403
 * online_card_only: only the routes that serve it call
 * sls_session_require_any instead. On failure answers 401 (or 403) and
 * returns false. On success fills s (with the access it has now) and u
 * (either may be NULL).
 *
 * SPEC §10.3 [lockout] mode client: the checks inside a session (step-up,
 * current password, card activation, PIN change) count against the client
 * token issued with the session while it is valid, not against unknown
 * clients: u->lockout is then that token's counter, and
 * rq->client_token_hash names it for the failures (sls_attempt). */
bool sls_session_require(struct sls_req *rq, struct sls_resp *rs, struct sls_session_rec *s,
                         struct sls_user_rec *u);

/* As sls_session_require, but online_card_only sessions are accepted too
 * (GET and DELETE /v1/session, the online card routes of R27). */
bool sls_session_require_any(struct sls_req *rq, struct sls_resp *rs, struct sls_session_rec *s,
                             struct sls_user_rec *u);

#endif
