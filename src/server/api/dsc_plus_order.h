/* R21 DSC+ orders as the API shows them, to the user and to the desk. */
#ifndef SLS_SERVER_API_DSC_PLUS_ORDER_H
#define SLS_SERVER_API_DSC_PLUS_ORDER_H

#include <jansson.h>

#include "core/dsc_plus.h"
#include "store/store.h"

/* {order_id, state, address, deposit_account, hold_cents, hold, ordered_at,
 * estimated_ship_date, device_id, device_state, shipped_at,
 * auto_activation_at, notices_sent}. d is the order's card (NULL before
 * shipment); account_state that of the ordering user. */
json_t *sls_dsc_order_json(const struct sls_dsc_order_rec *o, const struct sls_device_rec *d,
                           enum sls_account_state account_state,
                           const struct sls_dsc_plus_policy *p);

/* "ordered", "shipped", "settled". */
const char *sls_dsc_order_state_name(enum sls_dsc_order_state s);

#endif
