/* The web Client Portal: GET / answers the portal's page and GET /assets/NAME
 * its style sheet, script and images, all built into slsd from web/. The page
 * is a single-page application that calls the public API with a bearer token
 * kept in sessionStorage (no cookies); every answer here carries a strict
 * Content-Security-Policy that allows scripts and styles from this origin only. */
#ifndef SLS_SERVER_API_PORTAL_H
#define SLS_SERVER_API_PORTAL_H

#include "server/http/http.h"

void sls_api_portal_page(struct sls_req *rq, struct sls_resp *rs);

void sls_api_portal_asset(struct sls_req *rq, struct sls_resp *rs);

#endif
