/* R28 reactivation: POST /v1/me/devices/{id}/reactivate. Without a response
 * it issues a challenge from that device, bound to the session; with the
 * response it (re)activates the device and, in the same transaction, revokes
 * every temporary passcode and online card of the user and the sessions they
 * opened. The session making the request survives: it is bound to the
 * reactivated device from then on.
 *
 * The challenge is a session challenge (session_challenge.h): used once, a
 * wrong answer consumes it and counts toward the lockout (R8) like a wrong
 * login answer. The ibkey answers its challenge/response fallback; an SMS
 * device a code sent to it by SMS. */
#ifndef SLS_SERVER_API_REACTIVATE_H
#define SLS_SERVER_API_REACTIVATE_H

#include "server/http/http.h"

void sls_api_device_reactivate(struct sls_req *rq, struct sls_resp *rs);

#endif
