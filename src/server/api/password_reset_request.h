/* Asking for a password reset without the service desk (R3): POST
 * /v1/password-reset {username}. When the user takes part in SLS, holds an
 * active device that can answer a challenge and has an e-mail address on
 * record, an 8-digit code goes to that address through the outbox; it is kept
 * only as a sealed digest, marked as issued by the user, and completing the
 * reset with it also needs a response from that device.
 *
 * The answer is the same 202 whoever asks, and the work behind it is the
 * same too: a code is drawn and sealed and one store transaction runs,
 * whether or not the user exists or may reset. At most one code is sent per
 * user per [throttle] reset_interval (SPEC §10.2); a request sooner than that
 * sends nothing and is audited as too_soon. A request while a code is
 * still live replaces it but hands on its wrong guesses, and a usable code
 * the service desk sent is kept, so asking again never buys more guesses. */
#ifndef SLS_SERVER_API_PASSWORD_RESET_REQUEST_H
#define SLS_SERVER_API_PASSWORD_RESET_REQUEST_H

#include "server/http/http.h"

void sls_api_password_reset_request(struct sls_req *rq, struct sls_resp *rs);

#endif
