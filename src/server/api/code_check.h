/* Checking a typed 6-digit code for a handler: SMS enrolment, adding a
 * mobile number and the activation of the mobile authenticator share it. */
#ifndef SLS_SERVER_API_CODE_CHECK_H
#define SLS_SERVER_API_CODE_CHECK_H

#include "server/http/http.h"
#include "store/store.h"

/* Checks the 6-digit code under key (one_time_code.h): on success copies the
 * record (and its user) out and returns 0; else answers 400 invalid_code
 * (a wrong code counts toward the code's tries, audited as event) and
 * returns -1. */
int sls_code_check_answer(struct sls_req *rq, struct sls_resp *rs, const char *key,
                          const char *code, const char *event, const char *hint,
                          struct sls_secret_rec *out, struct sls_user_rec *user);

#endif
