/* The store side of a login: its facts read, its challenge issued; see
 * login.h. */
#include "server/flows/login.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/random.h"
#include "server/flows/audit_event.h"
#include "server/flows/held_devices.h"
#include "server/flows/one_time_code.h"
#include "server/flows/push_send.h"
#include "server/flows/secret_key.h"

void sls_login_code_key(char *out, size_t len, const char *login_id)
{
    sls_secret_key(out, len, SLS_SECRET_LOGIN_CODE, login_id);
}

static int read_user_fn(struct sls_db *db, void *arg)
{
    struct sls_login_facts *f = arg;
    int rc;

    /* §10.3: looked up whenever one is presented, before the user, so that an
     * unknown user or token costs the same work as a known one. */
    if (f->client_hash[0] != '\0') {
        rc = SLS_DB(db, client_token_get, f->client_hash, &f->client);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        f->client_found = rc == SLS_OK;
    }
    rc = SLS_DB(db, user_get_by_name, f->username, &f->user);
    if (rc != SLS_OK)
        return rc;
    return sls_devices_held(db, f->user.id, f->devices, SLS_DEVICE_VIEW_MAX, &f->ndevices);
}

int sls_login_read_user(struct sls_app *app, struct sls_login_facts *f)
{
    if (f->devices == NULL)
        return SLS_ERR_INTERNAL;
    return sls_store_read(app->store, read_user_fn, f);
}

static int read_login_fn(struct sls_db *db, void *arg)
{
    struct sls_login_facts *f = arg;
    char key[128];
    uint8_t pk[32];
    int rc = SLS_DB(db, login_get, f->login_id, &f->login);

    if (rc != SLS_OK)
        return rc;
    rc = SLS_DB(db, user_get_by_id, f->login.user_id, &f->user);
    if (rc != SLS_OK)
        return rc;
    if (f->login.kind == SLS_CHALLENGE_CODE) {
        sls_login_code_key(key, sizeof(key), f->login.id);
        rc = SLS_DB(db, secret_get, key, &f->code);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        f->code_found = rc == SLS_OK;
    }
    if (f->login.kind == SLS_CHALLENGE_PUSH) {
        rc = SLS_DB(db, push_get, f->login.challenge, &f->push);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        f->push_found = rc == SLS_OK;
    }
    rc = SLS_DB(db, device_get, f->device_id ? f->device_id : f->login.device_id, &f->device);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc == SLS_OK)
        rc = sls_device_held_by(db, &f->device, f->user.id, &f->device_held);
    if (rc != SLS_OK)
        return rc;
    f->device_found = true;
    if (f->device.type != SLS_DEVICE_IBKEY)
        return SLS_OK;
    rc = SLS_DB(db, ibkey_key_get, f->device.id, pk, &f->ibkey_mode);
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

int sls_login_read_login(struct sls_app *app, struct sls_login_facts *f)
{
    return sls_store_read(app->store, read_login_fn, f);
}

struct challenge_tx {
    const struct sls_app *app;
    struct sls_login_challenge *c;
    sls_time now;
};

static int challenge_fn(struct sls_db *db, void *arg)
{
    struct challenge_tx *t = arg;
    struct sls_login_challenge *c = t->c;
    struct sls_login_rec *l = c->login;
    struct sls_push_rec push;
    struct sls_push_request pr;
    struct sls_code_send cs;
    char key[128];
    sls_time expires = 0;
    int rc = SLS_OK;

    c->capped = false;
    if (l->kind == SLS_CHALLENGE_PUSH) {
        memset(&pr, 0, sizeof(pr));
        pr.user = c->user;
        pr.device = c->device;
        pr.purpose = SLS_PUSH_LOGIN;
        pr.subject = l->id;
        pr.platform = l->platform;
        rc = sls_push_send(t->app, db, &pr, t->now, &push, &c->capped);
        if (rc != SLS_OK)
            return rc;
        if (c->capped) {
            /* No more notifications: the app's manual challenge still works. */
            l->kind = SLS_CHALLENGE_RESPONSE;
            sls_random_digits(l->challenge, 6);
            rc = sls_audit_write_user(db, t->now, c->user->username, "ibkey.push", "capped",
                                      c->device->id);
        } else {
            snprintf(l->challenge, sizeof(l->challenge), "%s", push.id);
            c->number = push.number;
        }
    } else if (l->kind == SLS_CHALLENGE_CODE) {
        sls_login_code_key(key, sizeof(key), l->id);
        memset(&cs, 0, sizeof(cs));
        cs.key = key;
        cs.user_id = c->user->id;
        cs.data = c->device->id;
        cs.to = c->to;
        cs.channel = c->channel;
        cs.purpose = "login code";
        cs.ttl = t->app->cfg.sms_code_ttl;
        /* A resend or a voice call repeats the same code with its expiry. */
        cs.reuse = strcmp(l->device_id, c->device->id) == 0 && !c->insert;
        rc = sls_code_send(t->app, db, &cs, t->now, &expires);
        if (rc != SLS_OK)
            return rc;
        snprintf(l->challenge, sizeof(l->challenge), "%s", c->channel);
        l->challenge_at = expires - t->app->cfg.sms_code_ttl;
    }
    if (rc != SLS_OK)
        return rc;
    snprintf(l->device_id, sizeof(l->device_id), "%s", c->device->id);
    if (c->insert)
        return SLS_DB(db, login_insert, l);
    return SLS_DB(db, login_update_cas, l, c->seq);
}

int sls_login_challenge_issue(const struct sls_app *app, struct sls_login_challenge *c,
                              sls_time now)
{
    struct challenge_tx t = {app, c, now};
    return sls_store_write(app->store, challenge_fn, &t);
}
