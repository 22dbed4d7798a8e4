/* The gates of the routes (SLS_ROUTE_SESSION and the following flags of
 * server/http/http.h): what a request must bring before its handler runs,
 * declared on the route in routes.c and checked once, by dispatch, through
 * this function. Handlers read what the gates found on the request
 * (rq->session, rq->user, rq->step_up, rq->client_token_hash) and never
 * check a gate themselves. */
#ifndef SLS_SERVER_API_GATES_H
#define SLS_SERVER_API_GATES_H

#include <stdbool.h>

#include "server/http/http.h"

/* The sls_gate_fn slsd gives sls_http_start. In order:
 * - SESSION, FULL_SESSION: the bearer token's live session (R10, R11) or
 *   401 unauthorized (with the factor's hint when its window has closed); a
 *   store that cannot be read answers its error, never 401. FULL_SESSION
 *   refuses a session limited to the online card with 403
 *   online_card_only. A portal session's idle expiry slides once it has
 *   passed. Sets rq->session, rq->user and, for SPEC §10.3 [lockout] mode
 *   client, rq->client_token_hash.
 * - PASSCODE: the session was opened with a temporary passcode (R27), else
 *   403 forbidden.
 * - PRIMARY: the user is the primary user of the account (R30), else 403
 *   not_primary_user naming that user.
 * - STEP_UP: a fresh step-up (R34), else 403 step_up_required; outside SLS
 *   the request goes on with rq->step_up SLS_STEP_UP_OUTSIDE_SLS, for the
 *   handler to apply R31 / R4. With route->sensitive, only for the requests
 *   it names. */
bool sls_api_gates(struct sls_req *rq, struct sls_resp *rs, const struct sls_route *route);

#endif
