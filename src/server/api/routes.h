/* The route table: every path slsd answers, on which listener, by which handler. */
#ifndef SLS_SERVER_API_ROUTES_H
#define SLS_SERVER_API_ROUTES_H

#include "server/http/http.h"

extern const struct sls_route sls_api_routes[];

#endif
