/* Bearer sessions: creation, lookup by token, expiry and sliding. */
#include "server/flows/session.h"
#include "server/flows/field_write.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    struct sls_session_rec s;
    int rc = sls_field_write_session_key(&s, t->hash);

    if (rc != SLS_OK)
        return rc;
    s.expires_at = t->expires_at;
    return SLS_DB(db, session_update, &s, SLS_SESSION_SET_EXPIRY);
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

int sls_session_find(const struct sls_app *app, const char *token, sls_time now,
                     struct sls_session_found *f, const char **hint)
{
    static struct lookup lk_zero;
    struct lookup *lk = NULL;
    char hash[65];
    int rc = SLS_ERR_UNAUTHORIZED;

    *hint = NULL;
    memset(f, 0, sizeof(*f));
    if (token == NULL || strlen(token) != 64)
        return SLS_ERR_UNAUTHORIZED;
    sls_sha256_hex(token, 64, hash);
    lk = malloc(sizeof(*lk));
    if (lk == NULL)
        return SLS_ERR_NOMEM;
    *lk = lk_zero;
    lk->hash = hash;
    lk->want_client = app->cfg.lockout_mode == SLS_LOCKOUT_MODE_CLIENT;
    rc = sls_store_read(app->store, lookup_fn, lk);
    if (rc == SLS_ERR_NOT_FOUND) {
        rc = SLS_ERR_UNAUTHORIZED;
        goto out;
    }
    if (rc != SLS_OK)
        goto out;
    rc = SLS_ERR_UNAUTHORIZED;
    if (lk->s.revoked || !sls_session_valid(lk->s.expires_at, now))
        goto out;
    lk->s.access = access_now(app, lk, now);
    if (lk->s.access == SLS_ACCESS_REFUSED) {
        if (lk->device_found && lk->d.state == SLS_DEVSTATE_ACTIVE)
            *hint = sls_access_refusal_hint(lk->s.factor, lk->s.platform, lk->d.state_changed_at,
                                            &app->cfg.access, now);
        goto out;
    }
    if (lk->client_found &&
        sls_client_token_valid(lk->ct.user_id, lk->ct.expires_at, lk->u.id, now)) {
        lk->u.lockout = lk->ct.lockout;
        snprintf(f->client_token_hash, sizeof(f->client_token_hash), "%s", lk->ct.token_hash);
    }
    f->s = lk->s;
    f->u = lk->u;
    rc = SLS_OK;
out:
    sls_wipe(lk, sizeof(*lk));
    free(lk);
    return rc;
}

int sls_session_touch(const struct sls_app *app, struct sls_session_found *f, sls_time now)
{
    struct touch t = {f->s.token_hash, f->s.expires_at};
    int rc;

    if (f->s.platform != SLS_PLATFORM_PORTAL)
        return SLS_OK;
    t.expires_at = sls_session_expiry_touch(&app->cfg.session, f->s.platform, f->s.expires_at, now);
    if (t.expires_at == f->s.expires_at)
        return SLS_OK;
    rc = sls_store_write(app->store, touch_fn, &t);
    if (rc == SLS_OK)
        f->s.expires_at = t.expires_at;
    return rc;
}
