/* The signed-in user's API: the session itself (R10) and the profile. A
 * session limited to the online card (R11) may read and end itself only. */
#ifndef SLS_SERVER_API_ME_H
#define SLS_SERVER_API_ME_H

#include "server/http/http.h"

void sls_api_session_get(struct sls_req *rq, struct sls_resp *rs);

void sls_api_session_delete(struct sls_req *rq, struct sls_resp *rs);

void sls_api_me(struct sls_req *rq, struct sls_resp *rs);

#endif
