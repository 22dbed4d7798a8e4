/* R34 step-up for the handlers of sensitive requests (withdrawals, banking
 * and e-mail changes, opting out, device changes). */
#ifndef SLS_SERVER_STEP_UP_H
#define SLS_SERVER_STEP_UP_H

#include "core/step_up.h"
#include "http.h"
#include "store/store.h"

/* What session s of user u needs before a sensitive request now. On
 * SLS_STEP_UP_REQUIRED it has answered 403 step_up_required (with a hint to
 * POST /v1/me/verify); SLS_STEP_UP_PASS and SLS_STEP_UP_OUTSIDE_SLS answer
 * nothing: outside SLS the caller applies R31 and R4 itself. */
enum sls_step_up_gate sls_step_up_require(struct sls_req *rq, struct sls_resp *rs,
                                          const struct sls_session_rec *s,
                                          const struct sls_user_rec *u);

#endif
