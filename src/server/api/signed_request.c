/* Signed requests of the mobile authenticator; see signed_request.h. */
#include "server/api/signed_request.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/flows/signed_request_tx.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/sign.h"

#define EVENT_SIGNED "ibkey.request"

bool sls_signature_ok(const uint8_t public_key[32], const char *b64sig, const char *text)
{
    uint8_t sig[SLS_SIGN_BYTES + 8];
    size_t n = 0;

    if (b64sig == NULL || strlen(b64sig) > 128 ||
        sls_base64_decode(b64sig, strlen(b64sig), 0, sig, sizeof(sig), &n) != 0 ||
        n != SLS_SIGN_BYTES)
        return false;
    return sls_sign_verify(sig, (const uint8_t *)text, strlen(text), public_key) == 0;
}

static bool refuse(struct sls_req *rq, struct sls_resp *rs, const char *username,
                   const char *outcome, const char *message, const char *hint)
{
    /* A refusal that could not be audited is not answered as one. */
    if (sls_signed_request_tx_audit(rq->app, rq->now, username, EVENT_SIGNED, outcome, rq->path) !=
        SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_error_msg(rs, SLS_ERR_UNAUTHORIZED, message, hint);
    return false;
}

static bool parse_ts(const char *s, sls_time *out)
{
    char *end = NULL;
    long long v;

    if (s == NULL || *s < '0' || *s > '9' || strlen(s) > 12)
        return false;
    v = strtoll(s, &end, 10);
    if (*end != '\0')
        return false;
    *out = (sls_time)v;
    return true;
}

bool sls_signed_request_check(struct sls_req *rq, struct sls_resp *rs, struct sls_app_caller *out)
{
    const char *id = sls_req_header(rq, "X-Device-Id");
    const char *ts_text = sls_req_header(rq, "X-Timestamp");
    const char *sig = sls_req_header(rq, "X-Signature");
    struct caller_read {
        struct sls_device_rec d;
        struct sls_user_rec u;
    } * r;
    char text[600];
    sls_time ts = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if (id == NULL || ts_text == NULL || sig == NULL || !sls_id_valid(id) ||
        !parse_ts(ts_text, &ts) || strlen(sig) > 128)
        return refuse(rq, rs, "", "malformed", "Missing or malformed request signature",
                      "Send X-Device-Id, X-Timestamp and X-Signature");
    snprintf(out->device_id, sizeof(out->device_id), "%s", id);
    r = sls_req_alloc(rq, sizeof(*r));
    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    rc = sls_signed_request_tx_read(rq->app, out->device_id, &r->d, &r->u, out->public_key,
                                    &out->mode);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    if (rc == SLS_ERR_NOT_FOUND || r->d.type != SLS_DEVICE_IBKEY ||
        r->d.state != SLS_DEVSTATE_ACTIVE) {
        return refuse(rq, rs, rc == SLS_OK ? r->u.username : "", "unknown_device",
                      "This device is not an active mobile authenticator",
                      "Activate the app again");
    }
    out->user_id = r->u.id;
    snprintf(out->username, sizeof(out->username), "%s", r->u.username);
    if (!sls_push_timestamp_fresh(&rq->app->cfg.push, ts, rq->now)) {
        return refuse(rq, rs, out->username, "stale_timestamp",
                      "Request timestamp is too old or too new", "Check the clock of the phone");
    }
    snprintf(text, sizeof(text), "%s\n%s\n%s", rq->method, rq->path, ts_text);
    if (!sls_signature_ok(out->public_key, sig, text)) {
        return refuse(rq, rs, out->username, "bad_signature", "Invalid request signature", NULL);
    }
    rc = sls_signed_request_tx_mark(rq->app, out->device_id, ts, sig,
                                    rq->now - 2 * rq->app->cfg.push.max_skew);
    if (rc == SLS_ERR_CONFLICT) {
        return refuse(rq, rs, out->username, "replay", "This signed request was already used",
                      "Sign each request with a new timestamp");
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    return true;
}
