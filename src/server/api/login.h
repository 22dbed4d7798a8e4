/* The login API (SPEC §3): stage 1 with user name and password, stage 2
 * with a device's answer, switching devices and polling. In [lockout] mode
 * client (SPEC §10.3) stage 1 takes the client token a browser kept, which
 * decides the R8 counter of the login, and every success hands out a new one. */
#ifndef SLS_SERVER_API_LOGIN_H
#define SLS_SERVER_API_LOGIN_H

#include "server/http/http.h"

void sls_api_login(struct sls_req *rq, struct sls_resp *rs);

void sls_api_login_device(struct sls_req *rq, struct sls_resp *rs);

void sls_api_login_response(struct sls_req *rq, struct sls_resp *rs);

void sls_api_login_status(struct sls_req *rq, struct sls_resp *rs);

#endif
