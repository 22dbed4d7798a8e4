/* R4, R31 the security review queue: e-mail and banking changes of users
 * outside SLS wait here for an agent. GET /v1/admin/reviews?state= lists
 * them (pending by default); POST /v1/admin/reviews/{id}/approve applies the
 * change, /deny drops it. A review is decided once; both are audited with
 * the agent's name and the user is told by e-mail. GET /v1/me/reviews lists
 * the signed-in user's own reviews, showing only the fields of the change
 * meant for display. */
#ifndef SLS_SERVER_API_REVIEW_H
#define SLS_SERVER_API_REVIEW_H

#include "server/http/http.h"

void sls_api_admin_review_list(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_review_approve(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_review_deny(struct sls_req *rq, struct sls_resp *rs);

/* GET /v1/me/reviews: {reviews: [{id, kind, state, change, created_at,
 * decided_at}]}, the signed-in user's own, newest first (at most
 * SLS_USER_REVIEWS_MAX). */
void sls_api_me_reviews(struct sls_req *rq, struct sls_resp *rs);

#endif
