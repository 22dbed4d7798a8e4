/* R30 SLS participation: POST /v1/me/sls {participate}. Only the account's
 * primary user may change it. Opting out needs a step-up (R34); the devices
 * stay recorded and logins then ask for no second factor (R31 restrictions
 * apply). Opting in needs a device response: without `response` the call
 * issues a challenge from the user's strongest active device, with it the
 * answer is checked (a wrong one counts toward the lockout, R8). */
#ifndef SLS_SERVER_API_SLS_H
#define SLS_SERVER_API_SLS_H

#include "server/http/http.h"

void sls_api_me_sls(struct sls_req *rq, struct sls_resp *rs);

/* Whether a POST /v1/me/sls asks for the route's step-up (R34): an opt-out. */
bool sls_api_me_sls_sensitive(const struct sls_req *rq);

#endif
