/* R21 Digital Security Card+ at the service desk: shipping an order
 * (POST /v1/admin/users/{u}/devices with order_id), recording a returned
 * device (POST /v1/admin/users/{u}/devices/{id}/returned) and listing orders
 * (GET /v1/admin/dsc-plus-orders?user=&state=).
 *
 * Shipping creates the card in state shipped with the serial and secret
 * given and the PIN chosen with the order, and marks the order shipped, in
 * one transaction: the auto-activation clock (21 days) starts then. A return
 * makes the device `returned` (it stops working, its sessions end) and
 * releases the deposit of its order. These are not login assistance: no
 * identity verification is needed (SPEC §6), but every one is audited with
 * the agent's name. */
#ifndef SLS_SERVER_API_DSC_PLUS_ADMIN_H
#define SLS_SERVER_API_DSC_PLUS_ADMIN_H

#include "server/http/http.h"

/* POST /v1/admin/users/{u}/devices with an order_id: ships that order. */
void sls_api_admin_dsc_plus_ship(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_device_returned(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_dsc_plus_orders(struct sls_req *rq, struct sls_resp *rs);

#endif
