/* A challenge from one of the user's devices asked for inside a session (R28
 * reactivation, R34 step-up, R30 opt-in) or by a password reset (R3). It is
 * stored under a key bound to the session or the reset, lives as long as a
 * login challenge (R9), and is answered once: a wrong or expired answer
 * consumes it and counts toward the lockout (R8). */
#ifndef SLS_SERVER_SESSION_CHALLENGE_H
#define SLS_SERVER_SESSION_CHALLENGE_H

#include <stdbool.h>

#include "http.h"
#include "store/store.h"

/* Issues a fresh challenge from device d under key and answers 200
 * {device_id, challenge, expires_at}. An ibkey gets the challenge of its
 * challenge/response fallback (OCRA), not a push. */
void sls_session_challenge_issue(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                 int64_t user_id, const struct sls_device_rec *d);

/* Reads the challenge waiting under key into c. When there is none answers
 * 409 (ask for one first) and returns false. */
bool sls_session_challenge_read(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                struct sls_challenge_rec *c);

/* Checks response against challenge c of device d, for user u. True when it
 * is right: the caller then takes c with challenge_delete in its own
 * transaction. Otherwise answers and returns false: 403 locked when the
 * account is locked; 400 when the response is not shaped as the device's
 * answers (nothing counted); 403 verification_failed when it is wrong or the
 * challenge expired (the challenge consumed and the failure counted, audited
 * as `event`). */
bool sls_session_challenge_answer(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_challenge_rec *c, const struct sls_user_rec *u,
                                  const struct sls_device_rec *d, const char *response,
                                  const char *event);

#endif
