/* A challenge from one of the user's devices asked for inside a session (R28
 * reactivation, R34 step-up, R30 opt-in, R32 sharing) or by a password reset
 * (R3). It is stored under a key bound to the session or the reset, lives as
 * long as a login challenge (R9), and is answered once: a wrong or expired
 * answer consumes it and counts toward the lockout (R8).
 *
 * Every device kind takes part: challenge/response devices and cards get a
 * challenge to answer; an SMS device gets a 6-digit code by SMS (kept under
 * the same key, valid [policy] sms_code_ttl); the mobile authenticator gets a
 * push to approve in the app (purpose step_up), or with `manual` its
 * challenge/response fallback (also when the account's push cap is reached). */
#ifndef SLS_SERVER_SESSION_CHALLENGE_H
#define SLS_SERVER_SESSION_CHALLENGE_H

#include <stdbool.h>

#include "server/http/http.h"
#include "store/store.h"

/* Issues a fresh challenge from device d of user u under key, for session s,
 * and answers 200 {device_id, challenge, expires_at}. s may be NULL (no
 * session: a password reset) only with manual set and d not an SMS device. */
void sls_session_challenge_issue(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                 const struct sls_session_rec *s, const struct sls_user_rec *u,
                                 const struct sls_device_rec *d, bool manual);

/* Reads the challenge waiting under key into c. When there is none answers
 * 409 (ask for one first) and returns false. */
bool sls_session_challenge_read(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                struct sls_challenge_rec *c);

/* Checks response against challenge c of device d, for user u. True when it
 * is right: the caller then takes c with challenge_delete in its own
 * transaction. Otherwise answers and returns false: 403 locked when the
 * account is locked; 400 when the response is not shaped as the device's
 * answers (nothing counted); 409 when c is a push (approved in the app, not
 * answered); 403 verification_failed when it is wrong or the challenge
 * expired (the challenge and its SMS code consumed and the failure counted,
 * audited as `event`). */
bool sls_session_challenge_answer(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                                  const struct sls_device_rec *d, const char *response,
                                  const char *event);

/* Ends challenge c (consumed, its code deleted) as a failed answer: counts
 * toward the lockout, audits `outcome` under `event` and answers 403
 * verification_failed with hint (NULL: the default one). */
void sls_session_challenge_fail(struct sls_req *rq, struct sls_resp *rs,
                                const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                                const char *event, const char *outcome, const char *hint);

#endif
