/* The mobile numbers on record (SPEC §10.3): the only numbers the mobile
 * authenticator's activation code goes to. A logged-in user with a full
 * session adds one: POST /v1/me/phones {phone} (a device change: step-up,
 * R34, when the user holds a device, as for SMS enrolment) sends a 6-digit
 * code by SMS to that number (valid [policy] activation_code_ttl, [policy]
 * code_tries wrong codes, single use; a new request replaces the code);
 * POST /v1/me/phones/confirm {code} adds the number. GET /v1/me/phones lists
 * them masked. A number already on record is refused before any SMS (409),
 * and a user holds at most SLS_PHONES_MAX numbers (409), checked again when
 * the code is confirmed. */
#ifndef SLS_SERVER_API_PHONES_H
#define SLS_SERVER_API_PHONES_H

#include "server/http/http.h"

/* §10.3 the mobile numbers on record (api_phones.c). */
void sls_api_me_phones(struct sls_req *rq, struct sls_resp *rs);

/* §10.3 the mobile numbers on record (api_phones.c). */
void sls_api_me_phone_add(struct sls_req *rq, struct sls_resp *rs);

/* §10.3 the mobile numbers on record (api_phones.c). */
void sls_api_me_phone_confirm(struct sls_req *rq, struct sls_resp *rs);

#endif
