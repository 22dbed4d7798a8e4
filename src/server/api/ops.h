/* Operations endpoints: health, Prometheus metrics, and the --dev clock and
 * outbox that let tests and demos move time and read sent messages. */
#ifndef SLS_SERVER_API_OPS_H
#define SLS_SERVER_API_OPS_H

#include "server/http/http.h"

void sls_api_healthz(struct sls_req *rq, struct sls_resp *rs);

void sls_api_metrics(struct sls_req *rq, struct sls_resp *rs);

void sls_api_dev_clock_get(struct sls_req *rq, struct sls_resp *rs);

void sls_api_dev_clock_set(struct sls_req *rq, struct sls_resp *rs);

void sls_api_dev_outbox(struct sls_req *rq, struct sls_resp *rs);

#endif
