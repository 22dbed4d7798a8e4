/* The service desk's admin API (SPEC §6, §8): users, devices, identity
 * verifications (R40), account state (R12) and the audit log and its chain
 * check (R41). Every change is audited with the acting agent's name.
 * Unlocking a user, which needs an identity verification, is assist.h's. */
#ifndef SLS_SERVER_API_ADMIN_H
#define SLS_SERVER_API_ADMIN_H

#include "server/http/http.h"

void sls_api_admin_user_create(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_user_get(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_device_add(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_identity_verify(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_account(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_audit(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_audit_verify(struct sls_req *rq, struct sls_resp *rs);

#endif
