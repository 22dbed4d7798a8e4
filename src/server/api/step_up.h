/* R34 step-up verification: POST /v1/me/verify. Without a response it issues
 * a challenge from one of the user's active devices (the one named by
 * device_id, else the strongest), bound to the session; with the response it
 * marks the session verified for step_up_ttl (default 5 minutes). A wrong or
 * expired answer consumes the challenge and counts toward the lockout (R8).
 * An SMS device gets a code by SMS; the mobile authenticator gets a push
 * (purpose step_up) that the app approves, and the front end polls GET
 * /v1/me/verify, whose answer marks the session verified once the push is
 * approved, exactly as a correct response does; `mode: challenge_response`
 * asks for the app's fallback challenge instead.
 * Also the gate the sensitive handlers call. */
#ifndef SLS_SERVER_API_STEP_UP_H
#define SLS_SERVER_API_STEP_UP_H

#include "core/step_up.h"
#include "server/http/http.h"
#include "store/store.h"

void sls_api_me_verify(struct sls_req *rq, struct sls_resp *rs);

void sls_api_me_verify_status(struct sls_req *rq, struct sls_resp *rs);

/* What session s of user u needs before a sensitive request now. On
 * SLS_STEP_UP_REQUIRED it has answered 403 step_up_required (with a hint to
 * POST /v1/me/verify); SLS_STEP_UP_PASS and SLS_STEP_UP_OUTSIDE_SLS answer
 * nothing: outside SLS the caller applies R31 and R4 itself. */
enum sls_step_up_gate sls_step_up_require(struct sls_req *rq, struct sls_resp *rs,
                                          const struct sls_session_rec *s,
                                          const struct sls_user_rec *u);

#endif
