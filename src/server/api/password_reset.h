/* Completing a password reset (R3, R29): POST /v1/password-reset/complete.
 *
 * A code the service desk had sent to the e-mail on record after verifying
 * the caller's identity needs nothing more: {username, code, new_password}.
 * A code the user asked for (POST /v1/password-reset) also needs a response
 * from the user's security device, in two steps: {username, code} proves the
 * code and answers a challenge from the strongest device that can answer
 * one, bound to the reset; {username, code, response, new_password} then
 * sets the password. A wrong response uses the challenge up and counts
 * toward the lockout (R8), as a wrong login answer does.
 *
 * A code works once, until it expires, and dies after a few wrong guesses.
 * Every refusal before the code is proven answers the same 400 invalid_code,
 * whether the user exists, has a code, or typed it wrong, so the endpoint
 * tells nobody who has an account. A new password ends every session of the
 * user and is confirmed by e-mail. */
#ifndef SLS_SERVER_API_PASSWORD_RESET_H
#define SLS_SERVER_API_PASSWORD_RESET_H

#include "server/http/http.h"

void sls_api_password_reset_complete(struct sls_req *rq, struct sls_resp *rs);

#endif
