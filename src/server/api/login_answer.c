/* The answers of a login attempt's outcome; see login_answer.h. */
#include "server/api/login_answer.h"

#include "core/error.h"
#include "server/http/body.h"

void sls_login_answer_locked(struct sls_resp *rs, sls_time until)
{
    char ts[SLS_TIME_TEXT];
    json_t *o = json_object();

    sls_time_text(until, ts);
    json_object_set_new(o, "error", json_string(sls_err_code(SLS_ERR_LOCKED)));
    json_object_set_new(o, "message", json_string(sls_err_message(SLS_ERR_LOCKED)));
    json_object_set_new(o, "hint", json_string("Please call the service desk"));
    json_object_set_new(o, "locked_until", json_string(ts));
    sls_resp_json(rs, sls_err_http_status(SLS_ERR_LOCKED), o);
}

void sls_login_answer_failed(struct sls_resp *rs, int rc, const struct sls_attempt *a, int err,
                             const char *hint)
{
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (a->locked)
        sls_login_answer_locked(rs, a->locked_until);
    else
        sls_resp_error(rs, err, hint);
}

void sls_login_answer_fail(struct sls_app *app, struct sls_resp *rs, struct sls_attempt *a,
                           sls_time now, int err, const char *hint)
{
    sls_login_answer_failed(rs, sls_attempt_fail(app, a, now), a, err, hint);
}
