/* R30 SMS enrolment for new applicants: POST /v1/me/sms/enroll {phone}
 * sends a 6-digit code by SMS to that phone (valid [policy]
 * activation_code_ttl, [policy] code_tries wrong codes); POST
 * /v1/me/sms/confirm {code} creates the active SMS device, which sends its
 * login codes to that number (kept as its serial, "+<country><number>"), and
 * adds the phone to those on record. One enrolment per user at a time: a new
 * enroll replaces the code. */
#ifndef SLS_SERVER_API_SMS_H
#define SLS_SERVER_API_SMS_H

#include "server/http/http.h"

void sls_api_sms_enroll(struct sls_req *rq, struct sls_resp *rs);

void sls_api_sms_confirm(struct sls_req *rq, struct sls_resp *rs);

#endif
