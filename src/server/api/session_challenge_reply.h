/* In-session challenges over HTTP (R28, R30, R32, R34, R3): each call runs
 * the flow of server/flows/session_challenge.h and renders what it came to,
 * so that every handler asking for a device response answers alike. */
#ifndef SLS_SERVER_SESSION_CHALLENGE_REPLY_H
#define SLS_SERVER_SESSION_CHALLENGE_REPLY_H

#include <stdbool.h>

#include "server/flows/session_challenge.h"
#include "server/http/http.h"
#include "store/store.h"

/* Issues a fresh challenge from device d of user u under key, for session s
 * (NULL: a password reset, with manual set), and answers 200 {device_id,
 * challenge, expires_at}; 409 when d cannot be challenged, 500 on a store
 * error. True when it answered 200. */
bool sls_session_challenge_reply_issue(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                       const struct sls_session_rec *s,
                                       const struct sls_user_rec *u, const struct sls_device_rec *d,
                                       bool manual);

/* Reads the challenge waiting under key into c. When there is none answers
 * 409 (ask for one first), on a store error 500, and returns false. */
bool sls_session_challenge_reply_read(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                      struct sls_secret_rec *c);

/* Checks response against challenge c of device d, for user u, failures
 * audited as `event`. True when it is right: the caller then takes c with
 * sls_session_challenge_take in its own transaction. Otherwise answers and
 * returns false: 403 locked when the account is locked (before, or by this
 * failure); 400 when the response is not shaped as the device's answers
 * (nothing counted); 409 when c is a push (approved in the app, not
 * answered); 403 verification_failed when it is wrong or the challenge
 * expired (consumed and counted); 500 on a store error. */
bool sls_session_challenge_reply_answer(struct sls_req *rq, struct sls_resp *rs,
                                        const struct sls_secret_rec *c,
                                        const struct sls_user_rec *u,
                                        const struct sls_device_rec *d, const char *response,
                                        const char *event);

/* The answer to an in-session challenge in the request body: "response", a
 * typed answer of at most 64 characters, or "credential", a passkey's
 * assertion as the browser gives it (SPEC §10.5), never both. *answer is
 * borrowed from the request (NULL when neither came). false: a 400 is
 * rendered. */
bool sls_session_challenge_reply_body(struct sls_req *rq, struct sls_resp *rs, const char **answer);

/* Ends challenge c as the failure v (counted, audited under `event`) and
 * answers it: 403 locked when that locked the account, else v's error. */
void sls_session_challenge_reply_fail(struct sls_req *rq, struct sls_resp *rs,
                                      const struct sls_secret_rec *c, const struct sls_user_rec *u,
                                      const char *event, const struct sls_challenge_verdict *v);

/* Renders result r of the answer to a challenge of a device of `type`
 * (r->v not right), or the store error rc. */
void sls_session_challenge_reply_result(struct sls_resp *rs, int rc,
                                        const struct sls_session_challenge_result *r,
                                        enum sls_device_type type);

#endif
