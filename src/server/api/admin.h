/* The service desk's admin API (SPEC §6, §8): users, devices, identity
 * verifications (R40), account state (R12) and the audit log and its chain
 * check (R41). Every change is audited with the acting agent's name.
 * Unlocking a user, which needs an identity verification, is assist.h's. */
#ifndef SLS_SERVER_API_ADMIN_H
#define SLS_SERVER_API_ADMIN_H

#include <stdbool.h>

#include "server/http/http.h"
#include "store/store.h"

void sls_api_admin_user_create(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_user_get(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_device_add(struct sls_req *rq, struct sls_resp *rs);

/* The rules the desk's user and device routes share with the bulk import
 * (user_import.c), reading rq->body. Each returns true with its part of the
 * record filled, or false with a 400 in rs naming the field. */
/* Field 'phones' (optional): [{country, number}], at most 8. */
bool sls_api_admin_phones_parse(struct sls_req *rq, struct sls_resp *rs, struct sls_user_rec *u);
/* A device {type, serial?, secret_hex?, pin?, cells?, label?, state?}: all
 * of d but user_id, its secret and PIN sealed, a new id, created now. */
bool sls_api_admin_device_parse(struct sls_req *rq, struct sls_resp *rs, struct sls_device_rec *d);

void sls_api_admin_identity_verify(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_account(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_audit(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_audit_verify(struct sls_req *rq, struct sls_resp *rs);

#endif
