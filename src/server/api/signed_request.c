/* Signed requests of the mobile authenticator; see signed_request.h. */
#include "server/api/signed_request.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/flows/audit_event.h"
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

struct audit_io {
    struct sls_audit_rec r;
};

static int audit_fn(struct sls_db *db, void *arg)
{
    return SLS_DB(db, audit_append, &((struct audit_io *)arg)->r);
}

void sls_signed_request_audit(struct sls_app *app, sls_time now, const char *username,
                              const char *event, const char *outcome, const char *detail)
{
    struct audit_io io;
    char actor[64];

    snprintf(actor, sizeof(actor), "%s%s", username[0] ? "user:" : "app",
             username[0] ? username : "");
    sls_audit_event(&io.r, now, actor, username, event, outcome, detail);
    (void)sls_store_write(app->store, audit_fn, &io);
}

struct caller_read {
    struct sls_app_caller *c;
    struct sls_device_rec d;
    struct sls_user_rec u;
};

static int caller_fn(struct sls_db *db, void *arg)
{
    struct caller_read *r = arg;
    int rc = SLS_DB(db, device_get, r->c->device_id, &r->d);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, r->d.user_id, &r->u);
    if (rc == SLS_OK)
        rc = SLS_DB(db, ibkey_key_get, r->c->device_id, r->c->public_key, &r->c->mode);
    return rc;
}

struct mark_io {
    const char *device_id;
    sls_time ts;
    const char *signature;
    sls_time prune_before;
};

static int mark_fn(struct sls_db *db, void *arg)
{
    struct mark_io *m = arg;
    return SLS_DB(db, signed_request_mark, m->device_id, m->ts, m->signature, m->prune_before);
}

static bool refuse(struct sls_req *rq, struct sls_resp *rs, const char *username,
                   const char *outcome, const char *message, const char *hint)
{
    sls_signed_request_audit(rq->app, rq->now, username, EVENT_SIGNED, outcome, rq->path);
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
    struct caller_read *r;
    struct mark_io m;
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
    r->c = out;
    rc = sls_store_read(rq->app->store, caller_fn, r);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    if (rc == SLS_ERR_NOT_FOUND || r->d.type != SLS_DEVICE_IBKEY ||
        r->d.state != SLS_DEVSTATE_ACTIVE) {
        refuse(rq, rs, rc == SLS_OK ? r->u.username : "", "unknown_device",
               "This device is not an active mobile authenticator", "Activate the app again");
        return false;
    }
    out->user_id = r->u.id;
    snprintf(out->username, sizeof(out->username), "%s", r->u.username);
    if (!sls_push_timestamp_fresh(&rq->app->cfg.push, ts, rq->now)) {
        refuse(rq, rs, out->username, "stale_timestamp", "Request timestamp is too old or too new",
               "Check the clock of the phone");
        return false;
    }
    snprintf(text, sizeof(text), "%s\n%s\n%s", rq->method, rq->path, ts_text);
    if (!sls_signature_ok(out->public_key, sig, text)) {
        refuse(rq, rs, out->username, "bad_signature", "Invalid request signature", NULL);
        return false;
    }
    m.device_id = out->device_id;
    m.ts = ts;
    m.signature = sig;
    m.prune_before = rq->now - 2 * rq->app->cfg.push.max_skew;
    rc = sls_store_write(rq->app->store, mark_fn, &m);
    if (rc == SLS_ERR_CONFLICT) {
        refuse(rq, rs, out->username, "replay", "This signed request was already used",
               "Sign each request with a new timestamp");
        return false;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    return true;
}
