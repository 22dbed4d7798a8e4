/* R31, R33 money movements of the signed-in user: GET /v1/me/limits, POST
 * /v1/me/withdrawals (step-up inside SLS; the limit checked and the
 * withdrawal recorded in one transaction, so two racing requests cannot both
 * take the last of a limit) and POST /v1/me/deposits (ACH and EFT capped in
 * total outside SLS; wires never). */
#ifndef SLS_SERVER_API_LIMITS_H
#define SLS_SERVER_API_LIMITS_H

#include "server/flows/withdrawal_limits.h"
#include "server/http/http.h"

void sls_api_me_limits(struct sls_req *rq, struct sls_resp *rs);

void sls_api_me_withdrawal(struct sls_req *rq, struct sls_resp *rs);

void sls_api_me_deposit(struct sls_req *rq, struct sls_resp *rs);

/* The API shape {device, per_day_cents, per_5_days_cents, used_today_cents,
 * used_5_days_cents, remaining_today_cents, remaining_5_days_cents,
 * withdrawal_rows: [{device, per_day_cents, per_5_days_cents}] (the
 * configured R33 table, the `none` row first), deposit_cap_cents (R31)};
 * null for unlimited. */
json_t *sls_limits_json(const struct sls_limits_state *st);

#endif
