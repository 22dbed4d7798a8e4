/* The service desk's bulk user import (POST /v1/admin/users/import): many
 * users with their devices from one JSON-lines body, all or none. */
#ifndef SLS_SERVER_API_USER_IMPORT_H
#define SLS_SERVER_API_USER_IMPORT_H

#include "server/http/http.h"

void sls_api_admin_user_import(struct sls_req *rq, struct sls_resp *rs);

#endif
