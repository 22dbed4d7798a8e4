/* Bearer sessions: creation, lookup by token hash, expiry and sliding. */
#include "server/flows/session.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/http/body.h"
#include "core/client_lockout.h"
#include "core/error.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/secmem.h"

void sls_session_new(const struct sls_app *app, struct sls_session_rec *rec, char token[65],
                     const struct sls_user_rec *u, enum sls_platform platform,
                     enum sls_device_type factor, const char *device_id, enum sls_access access,
                     enum sls_auth_mode mode, bool paper, sls_time now)
{
    memset(rec, 0, sizeof(*rec));
    sls_random_hex(token, 32);
    sls_sha256_hex(token, 64, rec->token_hash);
    rec->user_id = u->id;
    rec->platform = platform;
    rec->factor = factor;
    if (device_id != NULL)
        snprintf(rec->device_id, sizeof(rec->device_id), "%s", device_id);
    rec->access = access;
    rec->auth_mode = mode;
    rec->paper = paper;
    rec->created_at = now;
    rec->expires_at = sls_session_expiry_new(&app->cfg.session, platform, factor, mode, now);
}

json_t *sls_session_json(const struct sls_session_rec *s, const char *token, bool sls_member)
{
    char exp[32];
    json_t *o = json_object();

    if (token != NULL)
        json_object_set_new(o, "token", json_string(token));
    json_object_set_new(o, "platform", json_string(sls_platform_name(s->platform)));
    json_object_set_new(o, "factor", json_string(sls_device_type_name(s->factor)));
    json_object_set_new(o, "access", json_string(sls_access_name(s->access)));
    sls_time_text(s->expires_at, exp);
    json_object_set_new(o, "expires_at", json_string(exp));
    /* R31: trading of restricted products is open only inside SLS, that is to
     * sessions opened with a second factor. */
    json_object_set_new(o, "restricted_products",
                        json_boolean(sls_member && s->factor != SLS_DEVICE_NONE));
    json_object_set_new(o, "paper", json_boolean(s->paper));
    /* R34: until when a step-up verification lets sensitive requests through. */
    json_object_set_new(o, "verified_until",
                        s->verified_until != 0 ? sls_time_json(s->verified_until) : json_null());
    return o;
}

struct lookup {
    const char *hash;
    struct sls_session_rec s;
    struct sls_user_rec u;
    struct sls_device_rec d; /* the factor of a temporary session */
    bool device_found;
    bool want_client;               /* §10.3 mode client */
    struct sls_client_token_rec ct; /* the session's client token */
    bool client_found;
};

static bool temporary_factor(enum sls_device_type t)
{
    return t == SLS_DEVICE_TEMP_PASSCODE || t == SLS_DEVICE_ONLINE_CARD;
}

static int lookup_fn(struct sls_db *db, void *arg)
{
    struct lookup *lk = arg;
    int rc = SLS_DB(db, session_get, lk->hash, &lk->s);

    if (rc != SLS_OK)
        return rc;
    rc = SLS_DB(db, user_get_by_id, lk->s.user_id, &lk->u);
    if (rc != SLS_OK)
        return rc;
    if (lk->want_client && lk->s.client_token_hash[0] != '\0') {
        rc = SLS_DB(db, client_token_get, lk->s.client_token_hash, &lk->ct);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        lk->client_found = rc == SLS_OK;
    }
    if (!temporary_factor(lk->s.factor) || lk->s.device_id[0] == '\0')
        return SLS_OK;
    rc = SLS_DB(db, device_get, lk->s.device_id, &lk->d);
    lk->device_found = rc == SLS_OK;
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

struct touch {
    const char *hash;
    sls_time expires_at;
};

static int touch_fn(struct sls_db *db, void *arg)
{
    struct touch *t = arg;
    return SLS_DB(db, session_set_expiry, t->hash, t->expires_at);
}

/* R11: the access the session has now, REFUSED when it has ended. */
static enum sls_access access_now(const struct sls_app *app, const struct lookup *lk, sls_time now)
{
    if (!temporary_factor(lk->s.factor))
        return lk->s.access;
    if (!lk->device_found || lk->d.user_id != lk->s.user_id || lk->d.type != lk->s.factor ||
        lk->d.state != SLS_DEVSTATE_ACTIVE)
        return SLS_ACCESS_REFUSED;
    return sls_access_session(lk->s.access, lk->s.factor, lk->s.platform, lk->d.state_changed_at,
                              &app->cfg.access, now);
}

static bool require(struct sls_req *rq, struct sls_resp *rs, struct sls_session_rec *s,
                    struct sls_user_rec *u, bool card_only_ok)
{
    static struct lookup lk_zero;
    struct lookup *lk = NULL;
    const char *token = sls_req_bearer(rq);
    const char *hint = NULL;
    char hash[65];
    bool ok = false;
    int err = SLS_ERR_UNAUTHORIZED;
    int rc;

    if (token == NULL || strlen(token) != 64)
        goto out;
    sls_sha256_hex(token, 64, hash);
    lk = malloc(sizeof(*lk));
    if (lk == NULL) {
        err = SLS_ERR_NOMEM;
        goto out;
    }
    *lk = lk_zero;
    lk->hash = hash;
    lk->want_client = rq->app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT;
    rc = sls_store_read(rq->app->store, lookup_fn, lk);
    if (rc != SLS_OK) {
        /* Only a token the store does not know is "not logged in"; a store
         * that cannot answer is a 5xx, never a 401 that logs the user out. */
        if (rc != SLS_ERR_NOT_FOUND)
            err = rc == SLS_ERR_STORE_UNAVAILABLE ? rc : SLS_ERR_STORE;
        goto out;
    }
    if (lk->s.revoked || !sls_session_valid(lk->s.expires_at, rq->now))
        goto out;
    lk->s.access = access_now(rq->app, lk, rq->now);
    if (lk->s.access == SLS_ACCESS_REFUSED) {
        if (lk->device_found && lk->d.state == SLS_DEVSTATE_ACTIVE)
            hint = sls_access_refusal_hint(lk->s.factor, lk->s.platform, lk->d.state_changed_at,
                                           &rq->app->cfg.access, rq->now);
        goto out;
    }
    if (lk->s.access == SLS_ACCESS_ONLINE_CARD_ONLY && !card_only_ok) {
        err = SLS_ERR_ONLINE_CARD_ONLY;
        hint = "Get and activate an online security card, or call the service desk";
        goto out;
    }
    if (lk->s.platform == SLS_PLATFORM_PORTAL) {
        struct touch t = {hash, sls_session_expiry_touch(&rq->app->cfg.session, lk->s.platform,
                                                         lk->s.expires_at, rq->now)};
        if (t.expires_at != lk->s.expires_at) {
            rc = sls_store_write(rq->app->store, touch_fn, &t);
            if (rc != SLS_OK) {
                if (rc != SLS_ERR_NOT_FOUND)
                    err = rc == SLS_ERR_STORE_UNAVAILABLE ? rc : SLS_ERR_STORE;
                goto out;
            }
            lk->s.expires_at = t.expires_at;
        }
    }
    if (lk->client_found &&
        sls_client_token_valid(lk->ct.user_id, lk->ct.expires_at, lk->u.id, rq->now)) {
        lk->u.lockout = lk->ct.lockout;
        snprintf(rq->client_token_hash, sizeof(rq->client_token_hash), "%s", lk->ct.token_hash);
    }
    if (s != NULL)
        *s = lk->s;
    if (u != NULL)
        *u = lk->u;
    ok = true;
out:
    if (lk != NULL)
        sls_wipe(&lk->d, sizeof(lk->d));
    free(lk);
    if (!ok)
        sls_resp_error(rs, err, hint);
    return ok;
}

bool sls_session_require(struct sls_req *rq, struct sls_resp *rs, struct sls_session_rec *s,
                         struct sls_user_rec *u)
{
    return require(rq, rs, s, u, false);
}

bool sls_session_require_any(struct sls_req *rq, struct sls_resp *rs, struct sls_session_rec *s,
                             struct sls_user_rec *u)
{
    return require(rq, rs, s, u, true);
}
