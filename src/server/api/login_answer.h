/* The answers of a login attempt's outcome, rendered on the API side from
 * what the transactions of server/flows/login_tx.h report: 403 locked with
 * the instant the lock ends, and the answer of a failed attempt. */
#ifndef SLS_SERVER_API_LOGIN_ANSWER_H
#define SLS_SERVER_API_LOGIN_ANSWER_H

#include "core/time.h"
#include "server/app/app.h"
#include "server/flows/login_tx.h"
#include "server/http/http.h"

/* Answers 403 locked with the instant the lock ends and a hint to call the
 * service desk. */
void sls_login_answer_locked(struct sls_resp *rs, sls_time until);

/* Answers the failed attempt a that sls_attempt_fail reported with rc: a
 * store error (5xx), 403 locked when its counter is locked now, else err
 * with hint. */
void sls_login_answer_failed(struct sls_resp *rs, int rc, const struct sls_attempt *a, int err,
                             const char *hint);

/* Records the failed attempt a at `now` (sls_attempt_fail) and answers it
 * (sls_login_answer_failed). */
void sls_login_answer_fail(struct sls_app *app, struct sls_resp *rs, struct sls_attempt *a,
                           sls_time now, int err, const char *hint);

#endif
