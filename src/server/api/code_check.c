/* Checking a typed 6-digit code (one_time_code.h) for a handler: the code
 * read with its user, the tries counted on a wrong one, the 400 answered. */
#include "server/api/code_check.h"

#include <string.h>

#include "core/error.h"
#include "server/app/app.h"
#include "server/flows/code_check_tx.h"
#include "server/flows/one_time_code.h"
#include "server/http/arena.h"

int sls_code_check_answer(struct sls_req *rq, struct sls_resp *rs, const char *key,
                          const char *code, const char *event, const char *hint,
                          struct sls_secret_rec *out, struct sls_user_rec *user)
{
    struct code_read {
        struct sls_secret_rec c;
        struct sls_user_rec u;
    } *r = sls_req_alloc(rq, sizeof(*r)); /* wiped with the arena */
    int tries = rq->app->cfg.code_tries;
    int rc;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return -1;
    }
    rc = sls_code_check_tx_read(rq->app, key, &r->c, &r->u);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return -1;
    }
    if (rc == SLS_ERR_NOT_FOUND || !sls_code_usable(&r->c, tries, rq->now)) {
        sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code", hint);
        return -1;
    }
    if (strlen(code) != SLS_CODE_DIGITS || !sls_code_matches(rq->app, &r->c, code)) {
        rc = sls_code_check_tx_fail(rq->app, key, r->c.attempts, tries, r->u.username, event,
                                    rq->now);
        if (rc != SLS_OK)
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
        else
            sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code",
                               r->c.attempts + 1 >= tries ? hint : "Check the code and retry");
        return -1;
    }
    *out = r->c;
    if (user != NULL)
        *user = r->u;
    return 0;
}
