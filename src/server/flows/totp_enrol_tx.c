/* Adding an authenticator app; see totp_enrol_tx.h. */
#include "server/flows/totp_enrol_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/notice.h"
#include "core/totp.h"
#include "crypto/seal.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/device_auth.h"
#include "server/flows/notice.h"
#include "server/flows/secret_key.h"
#include "server/flows/totp_check.h"

static void enrol_key(char *out, size_t len, int64_t user_id)
{
    sls_secret_key_user(out, len, SLS_SECRET_TOTP_ENROL, user_id);
}

struct begin_tx {
    const struct sls_secret_rec *s;
    const char *username;
    sls_time now;
};

static int begin_fn(struct sls_db *db, void *arg)
{
    const struct begin_tx *t = arg;
    int rc = SLS_DB(db, secret_put, t->s);

    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->username, SLS_TOTP_EVENT, "started",
                                t->s->device_id);
}

int sls_totp_enrol_begin(const struct sls_app *app, const struct sls_user_rec *u,
                         const char *device_id, const char *label, const uint8_t *seed,
                         size_t seedlen, sls_time now)
{
    struct sls_secret_rec s;
    struct begin_tx t = {&s, u->username, now};
    int rc;

    memset(&s, 0, sizeof(s));
    enrol_key(s.key, sizeof(s.key), u->id);
    s.user_id = u->id;
    snprintf(s.device_id, sizeof(s.device_id), "%s", device_id);
    s.kind = SLS_CHALLENGE_APP_CODE;
    snprintf(s.data, sizeof(s.data), "%s", label);
    s.issued_at = now;
    s.expires_at = now + app->cfg.totp_enrol_ttl;
    if (sls_seal(&app->key, seed, seedlen, s.code, sizeof(s.code), &s.code_len) != 0)
        rc = SLS_ERR_INTERNAL;
    else
        rc = sls_store_write(app->store, begin_fn, &t);
    sls_wipe(&s, sizeof(s));
    return rc;
}

struct confirm_tx {
    struct sls_totp_confirm *t;
    const struct sls_secret_rec *s; /* as read */
    bool right;
    bool last; /* a wrong code that ends the enrolment */
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct sls_secret_rec *s = arg;
    return SLS_DB(db, secret_get, s->key, s);
}

static int wrong_fn(struct sls_db *db, void *arg)
{
    struct confirm_tx *c = arg;
    int rc = SLS_DB(db, secret_fail_cas, c->s->key, c->s->attempts);

    if (rc == SLS_ERR_CONFLICT) {
        /* Counted, taken or replaced meanwhile: this one is gone. */
        c->t->outcome = SLS_TOTP_NO_ENROLMENT;
        return SLS_OK;
    }
    if (rc == SLS_OK && c->last)
        rc = SLS_DB(db, secret_take, c->s->key);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, c->t->now, c->t->user->username, SLS_TOTP_EVENT,
                                c->last ? "wrong_code_last" : "wrong_code", c->s->device_id);
}

static int right_fn(struct sls_db *db, void *arg)
{
    struct confirm_tx *c = arg;
    struct sls_totp_confirm *t = c->t;
    int rc = SLS_DB(db, secret_take, c->s->key);

    if (rc == SLS_ERR_NOT_FOUND) {
        t->outcome = SLS_TOTP_NO_ENROLMENT; /* confirmed by a racing request */
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_insert, &t->device);
    if (rc == SLS_OK)
        rc = sls_notice_queue(db, t->user, SLS_NOTICE_DEVICE_ACTIVATED,
                              sls_notice_device_name(&t->device), t->now);
    if (rc != SLS_OK)
        return rc;
    t->outcome = SLS_TOTP_CONFIRMED;
    return sls_audit_write_user(db, t->now, t->user->username, SLS_TOTP_EVENT, "ok", t->device.id);
}

/* The device the pending secret s becomes, with the step of its first code spent. */
static int make_device(const struct sls_app *app, const struct sls_secret_rec *s,
                       struct sls_totp_confirm *t, const uint8_t *seed, size_t seedlen,
                       int64_t step)
{
    struct sls_device_rec *d = &t->device;

    memset(d, 0, sizeof(*d));
    snprintf(d->id, sizeof(d->id), "%s", s->device_id);
    d->user_id = s->user_id;
    d->type = SLS_DEVICE_TOTP;
    d->state = SLS_DEVSTATE_ACTIVE;
    snprintf(d->label, sizeof(d->label), "%.*s", (int)sizeof(d->label) - 1, s->data);
    d->created_at = t->now;
    d->state_changed_at = t->now;
    d->activated_at = t->now;
    d->totp_step = step;
    return sls_device_seal(app, d, false, seed, seedlen);
}

int sls_totp_enrol_confirm(const struct sls_app *app, struct sls_totp_confirm *t)
{
    struct sls_secret_rec s;
    struct confirm_tx c = {t, &s, false, false};
    uint8_t seed[64];
    size_t seedlen = 0;
    int64_t step = 0;
    int rc;

    t->outcome = SLS_TOTP_NO_ENROLMENT;
    memset(&s, 0, sizeof(s));
    enrol_key(s.key, sizeof(s.key), t->user->id);
    rc = sls_store_read(app->store, read_fn, &s);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc != SLS_OK)
        goto out;
    /* Another pending app, another user's, or too late: nothing waits for this id. */
    if (s.user_id != t->user->id || strcmp(s.device_id, t->device_id) != 0 ||
        s.kind != SLS_CHALLENGE_APP_CODE || t->now > s.expires_at ||
        s.attempts >= app->cfg.code_tries)
        goto out;
    if (sls_unseal(&app->key, s.code, s.code_len, seed, sizeof(seed), &seedlen) != 0) {
        rc = SLS_ERR_INTERNAL;
        goto out;
    }
    c.right = sls_response_well_formed(SLS_DEVICE_TOTP, t->code, strlen(t->code)) &&
              sls_totp_code_step(seed, seedlen, t->code, t->now, 0, &step);
    if (c.right) {
        rc = make_device(app, &s, t, seed, seedlen, step);
        if (rc == SLS_OK)
            rc = sls_store_write(app->store, right_fn, &c);
        goto out;
    }
    c.last = s.attempts + 1 >= app->cfg.code_tries;
    t->outcome = c.last ? SLS_TOTP_WRONG_LAST : SLS_TOTP_WRONG_CODE;
    rc = sls_store_write(app->store, wrong_fn, &c);
out:
    sls_wipe(seed, sizeof(seed));
    sls_wipe(&s, sizeof(s));
    return rc;
}
