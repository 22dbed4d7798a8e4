/* The signed-in user's settings (R3, R4): POST /v1/me/password, POST
 * /v1/me/email, POST /v1/me/bank-instructions and GET
 * /v1/me/bank-instructions (the instructions on record, the account number
 * shown by its last 4 digits only).
 *
 * A password typed here is checked like a login's: a wrong one is a failed
 * attempt toward the lockout (R8), since a stolen session must not become a
 * way to guess it. E-mail and banking changes need a step-up inside SLS
 * (R34); outside SLS they wait in the security review queue (R4, R31). An
 * e-mail change is proven either by a confirmation number sent to the old
 * address or by the current password. */
#ifndef SLS_SERVER_API_SETTINGS_H
#define SLS_SERVER_API_SETTINGS_H

#include "server/http/http.h"

void sls_api_me_password(struct sls_req *rq, struct sls_resp *rs);

void sls_api_me_email(struct sls_req *rq, struct sls_resp *rs);

/* Whether a POST /v1/me/email asks for the route's step-up (R34): all but
 * the confirmation of a number sent to the old address. */
bool sls_api_me_email_sensitive(const struct sls_req *rq);

void sls_api_me_bank(struct sls_req *rq, struct sls_resp *rs);

/* GET /v1/me/bank-instructions: {bank_name, routing_number,
 * account_number_last4, updated_at}, 404 when none are on record. */
void sls_api_me_bank_get(struct sls_req *rq, struct sls_resp *rs);

#endif
