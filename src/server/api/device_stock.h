/* The token stock on the admin API (SPEC §10.4): POST /v1/admin/device-stock
 * takes a vendor's RFC 6030 PSKC file as sent (application/pskc+xml, its
 * protection in the headers X-PSKC-Key and X-PSKC-Password) and stocks
 * every key it can trust; GET /v1/admin/device-stock lists the stock, never
 * a key. A device takes a token by naming its serial at registration
 * (admin.c). */
#ifndef SLS_SERVER_API_DEVICE_STOCK_H
#define SLS_SERVER_API_DEVICE_STOCK_H

#include "server/http/http.h"

void sls_api_admin_stock_import(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_stock_list(struct sls_req *rq, struct sls_resp *rs);

#endif
