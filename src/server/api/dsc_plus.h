/* R21 Digital Security Card+ on the user's side: ordering one
 * (POST /v1/me/dsc-plus), reading one's orders (GET /v1/me/dsc-plus) and
 * changing the PIN of a card (POST /v1/me/devices/{id}/pin).
 *
 * An order needs a step-up (R34) inside SLS; outside SLS it goes ahead,
 * since ordering a card is how an opted-out user comes back. The PIN chosen
 * with the order is sealed at once and given to the card when the desk ships
 * it. Eligibility, the open-order check and the insert run in one
 * transaction, so two orders sent at once give one order. */
#ifndef SLS_SERVER_API_DSC_PLUS_H
#define SLS_SERVER_API_DSC_PLUS_H

#include "server/http/http.h"

void sls_api_dsc_plus_order(struct sls_req *rq, struct sls_resp *rs);

void sls_api_dsc_plus_list(struct sls_req *rq, struct sls_resp *rs);

void sls_api_device_pin(struct sls_req *rq, struct sls_resp *rs);

#endif
