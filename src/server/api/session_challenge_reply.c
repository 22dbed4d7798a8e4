/* In-session challenges over HTTP: the flow's results rendered; see
 * session_challenge_reply.h. */
#include "server/api/session_challenge_reply.h"

#include <stdio.h>
#include <string.h>

#include "core/device.h"
#include "core/error.h"
#include "server/api/phone_body.h"
#include "server/flows/device_auth.h"
#include "server/api/login_answer.h"
#include "server/flows/login_tx.h"
#include "server/http/body.h"

bool sls_session_challenge_reply_issue(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                       const struct sls_session_rec *s,
                                       const struct sls_user_rec *u, const struct sls_device_rec *d,
                                       bool manual)
{
    struct sls_session_challenge_issued out;
    char to[64];
    json_t *ch;
    int rc;

    to[0] = '\0';
    if (sls_device_challenge_kind(d->type) == SLS_CHALLENGE_CODE &&
        sls_sms_address(d, u->phones_json, to, sizeof(to)) != 0)
        to[0] = '\0';
    rc = sls_session_challenge_issue(rq->app, key, s, u, d, manual, to, rq->now, &out);
    if (rc == SLS_ERR_CONFLICT) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device cannot be challenged", NULL);
        return false;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    ch = sls_device_challenge_json(rq->app, d, out.kind, out.challenge);
    sls_challenge_json_number(ch, out.number);
    sls_resp_json(rs, 200,
                  json_pack("{s:s, s:o, s:o}", "device_id", d->id, "challenge", ch, "expires_at",
                            sls_time_json(out.expires_at)));
    return true;
}

bool sls_session_challenge_reply_body(struct sls_req *rq, struct sls_resp *rs, const char **answer)
{
    const char *response, *credential;

    if (!sls_body_str(rq, rs, "response", false, 64, &response) ||
        !sls_body_object_text(rq, rs, "credential", false, SLS_PASSKEY_RESPONSE_MAX, &credential))
        return false;
    if (response != NULL && credential != NULL) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Send 'response' or 'credential', not both",
                           "'credential' is a passkey's answer, 'response' any other device's");
        return false;
    }
    *answer = credential != NULL ? credential : response;
    return true;
}

bool sls_session_challenge_reply_read(struct sls_req *rq, struct sls_resp *rs, const char *key,
                                      struct sls_secret_rec *c)
{
    int rc = sls_session_challenge_read(rq->app, key, c);

    if (rc == SLS_OK)
        return true;
    if (rc == SLS_ERR_NOT_FOUND)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
    else
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    return false;
}

void sls_session_challenge_reply_result(struct sls_resp *rs, int rc,
                                        const struct sls_session_challenge_result *r,
                                        enum sls_device_type type)
{
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (r->locked) {
        sls_login_answer_locked(rs, r->locked_until);
        return;
    }
    switch (r->v.outcome) {
    case SLS_CHALLENGE_RIGHT:
        break;
    case SLS_CHALLENGE_NOT_TYPED:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This challenge is a push request: approve it in the app",
                           "Or ask again with mode challenge_response for the app's fallback");
        break;
    case SLS_CHALLENGE_MALFORMED:
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'response' is not shaped as this device's answers",
                           sls_response_hint(type));
        break;
    default:
        sls_resp_error(rs, r->v.err, r->v.hint);
        break;
    }
}

bool sls_session_challenge_reply_answer(struct sls_req *rq, struct sls_resp *rs,
                                        const struct sls_secret_rec *c,
                                        const struct sls_user_rec *u,
                                        const struct sls_device_rec *d, const char *response,
                                        const char *event)
{
    struct sls_session_challenge_who who = {u, event, rq->client_token_hash};
    struct sls_session_challenge_result r;
    int rc = sls_session_challenge_answer(rq->app, c, &who, d, response, rq->now, &r);

    if (rc == SLS_OK && r.v.outcome == SLS_CHALLENGE_RIGHT)
        return true;
    sls_session_challenge_reply_result(rs, rc, &r, d->type);
    return false;
}

void sls_session_challenge_reply_fail(struct sls_req *rq, struct sls_resp *rs,
                                      const struct sls_secret_rec *c, const struct sls_user_rec *u,
                                      const char *event, const struct sls_challenge_verdict *v)
{
    struct sls_session_challenge_who who = {u, event, rq->client_token_hash};
    struct sls_session_challenge_result r;
    int rc = sls_session_challenge_fail(rq->app, c, &who, v, rq->now, &r);

    sls_session_challenge_reply_result(rs, rc, &r, SLS_DEVICE_NONE);
}
