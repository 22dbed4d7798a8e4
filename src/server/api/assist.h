/* Login assistance by the service desk (SPEC §6): temporary passcodes (R26),
 * devices marked lost (R29), forgotten PINs reset (R21, R22), password
 * reset codes sent to the e-mail on record (R3, R29) and unlocking a locked
 * user (R8; in [lockout] mode client both the unknown-clients counter and
 * every client token's, SPEC §10.3).
 *
 * Every action needs an identity verification of the user by the acting
 * agent in the last 15 minutes (R40). The check, the rule of the action and
 * the change run in ONE store transaction, so two agents acting on one user
 * at once are decided one after the other. Refusals are audited too: their
 * transaction keeps the audit record and changes nothing else. */
#ifndef SLS_SERVER_API_ASSIST_H
#define SLS_SERVER_API_ASSIST_H

#include "server/http/http.h"

void sls_api_admin_temp_passcode(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_device_lost(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_pin_reset(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_password_reset(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_unlock(struct sls_req *rq, struct sls_resp *rs);

#endif
