/* R34 step-up verification: POST /v1/me/verify. Without a response it issues
 * a challenge from one of the user's active devices (the one named by
 * device_id, else the strongest), bound to the session; with the response it
 * marks the session verified for step_up_ttl (default 5 minutes). A wrong or
 * expired answer consumes the challenge and counts toward the lockout (R8).
 * An SMS device gets a code by SMS; the mobile authenticator gets a push
 * (purpose step_up) that the app approves, and the front end polls GET
 * /v1/me/verify, whose answer marks the session verified once the push is
 * approved, exactly as a correct response does; `mode: challenge_response`
 * asks for the app's fallback challenge instead. The gate of the sensitive
 * routes is SLS_ROUTE_STEP_UP (server/api/gates.h). */
#ifndef SLS_SERVER_API_STEP_UP_H
#define SLS_SERVER_API_STEP_UP_H

#include "core/step_up.h"
#include "server/http/http.h"
#include "store/store.h"

void sls_api_me_verify(struct sls_req *rq, struct sls_resp *rs);

void sls_api_me_verify_status(struct sls_req *rq, struct sls_resp *rs);

#endif
