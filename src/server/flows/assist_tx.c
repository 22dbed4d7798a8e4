/* The store side of login assistance by the service desk; see assist_tx.h. */
#include "server/flows/assist_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assist.h"
#include "core/error.h"
#include "core/identity.h"
#include "core/lockout.h"
#include "core/password_reset.h"
#include "core/time.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/held_devices.h"
#include "server/flows/notice.h"
#include "server/flows/reset_code.h"

#define EV_ISSUE  "temporary_passcode.issue"
#define EV_REVOKE "temporary_passcode.revoke"
#define EV_LOST   "device.lost"
#define EV_PIN    "device.pin_reset"
#define EV_RESET  "password_reset.issue"
#define EV_UNLOCK "unlock"

/* Records a refusal: the answer to give and its audit record. */
static int refuse(struct sls_db *db, struct sls_assist_tx *a, const char *event, int err,
                  const char *outcome, const char *message, const char *detail)
{
    a->err = err;
    a->message = message;
    return sls_audit_write(db, a->now, a->actor, a->user.username, event, outcome, detail);
}

/* Records a refusal of the core's (a conflict). */
static int refuse_verdict(struct sls_db *db, struct sls_assist_tx *a, const char *event,
                          enum sls_assist_verdict v, const char *detail)
{
    return refuse(db, a, event, SLS_ERR_CONFLICT, sls_assist_outcome(v), sls_assist_message(v),
                  detail);
}

/* Reads the user and checks the acting agent's verification of them (R40);
 * a refusal is audited as `event` with `detail`. */
static int begin(struct sls_db *db, struct sls_assist_tx *a, const char *event, const char *detail)
{
    sls_time at = 0;
    int rc;

    a->err = SLS_OK;
    a->message = NULL;
    rc = SLS_DB(db, user_get_by_name, a->username, &a->user);
    if (rc != SLS_OK)
        return rc;
    rc = SLS_DB(db, identity_latest, a->agent, a->user.id, &at);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
        return rc;
    if (rc == SLS_OK && sls_identity_verification_valid(at, a->ttl, a->now))
        return SLS_OK;
    return refuse(db, a, event, SLS_ERR_IDENTITY_NOT_VERIFIED, "identity_not_verified", NULL,
                  detail);
}

/* begin, then reads device_id into d: a device that is not the user's is
 * refused (404) like one that does not exist. */
static int begin_device(struct sls_db *db, struct sls_assist_tx *a, const char *event,
                        const char *device_id, struct sls_device_rec *d)
{
    int rc = begin(db, a, event, device_id);

    if (rc != SLS_OK || a->err != SLS_OK)
        return rc;
    rc = SLS_DB(db, device_get, device_id, d);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && d->user_id != a->user.id))
        return refuse(db, a, event, SLS_ERR_NOT_FOUND, "unknown_device",
                      "No such device for this user", device_id);
    return rc;
}

/* ---- R26 temporary passcode ---- */

/* Revokes an older temporary passcode and the sessions it opened. */
static int revoke_passcode(struct sls_db *db, struct sls_assist_passcode_tx *t,
                           const struct sls_device_rec *d)
{
    char detail[128];
    size_t nsessions = 0;
    int rc = sls_field_write_device_state(db, d->id, SLS_DEVSTATE_INACTIVE, t->a.now);

    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_device, t->a.user.id, d->id, &nsessions);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s replaced_by=%s sessions_revoked=%zu", d->id, t->pass.id,
             nsessions);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_REVOKE, "ok", detail);
}

static int passcode_fn(struct sls_db *db, void *arg)
{
    struct sls_assist_passcode_tx *t = arg;
    enum sls_assist_verdict v;
    char detail[160], full[SLS_TIME_TEXT], portal[SLS_TIME_TEXT];
    size_t i;
    int rc = begin(db, &t->a, EV_ISSUE, NULL);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    t->ndevices = 0;
    /* Outside SLS or closed, the records are not needed to refuse. */
    v = sls_assist_passcode_check(t->a.user.sls, t->a.user.account_state, NULL, 0, true);
    if (v == SLS_ASSIST_NOT_SLS || v == SLS_ASSIST_ACCOUNT_CLOSED)
        return refuse_verdict(db, &t->a, EV_ISSUE, v, NULL);
    rc = SLS_DB(db, device_list, t->a.user.id, t->devices, SLS_ASSIST_MAX_DEVICES, &t->ndevices);
    if (rc != SLS_OK)
        return rc;
    for (i = 0; i < t->ndevices; i++) {
        t->briefs[i].type = t->devices[i].type;
        t->briefs[i].state = t->devices[i].state;
        t->briefs[i].created_at = t->devices[i].created_at;
        t->briefs[i].state_changed_at = t->devices[i].state_changed_at;
        t->briefs[i].activated_at = t->devices[i].activated_at;
    }
    v = sls_assist_passcode_check(t->a.user.sls, t->a.user.account_state, t->briefs, t->ndevices,
                                  t->ndevices < SLS_ASSIST_MAX_DEVICES);
    if (v != SLS_ASSIST_ALLOWED)
        return refuse_verdict(db, &t->a, EV_ISSUE, v, NULL);
    for (i = 0; i < t->ndevices; i++) {
        const struct sls_device_rec *d = &t->devices[i];
        if (d->type == SLS_DEVICE_TEMP_PASSCODE && d->state == SLS_DEVSTATE_ACTIVE) {
            rc = revoke_passcode(db, t, d);
            if (rc != SLS_OK)
                return rc;
        }
    }
    t->pass.user_id = t->a.user.id;
    rc = SLS_DB(db, device_insert, &t->pass);
    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &t->a.user, SLS_NOTICE_TEMPORARY_PASSCODE, NULL, t->a.now);
    if (rc != SLS_OK)
        return rc;
    sls_time_text(t->full_until, full);
    sls_time_text(t->portal_until, portal);
    snprintf(detail, sizeof(detail), "%s full_access_until=%s portal_until=%s", t->pass.id, full,
             portal);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_ISSUE, "ok", detail);
}

int sls_assist_tx_passcode(const struct sls_app *app, struct sls_assist_passcode_tx *t)
{
    return sls_store_write(app->store, passcode_fn, t);
}

/* ---- R29 a device marked lost ---- */

static int lost_fn(struct sls_db *db, void *arg)
{
    struct sls_assist_lost_tx *t = arg;
    enum sls_device_state before;
    enum sls_assist_verdict v;
    char detail[160];
    size_t shared = 0;
    int rc = begin_device(db, &t->a, EV_LOST, t->device_id, &t->d);

    t->nsessions = 0;
    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    before = t->d.state;
    snprintf(detail, sizeof(detail), "%s %s", t->d.id, sls_device_type_name(t->d.type));
    v = sls_assist_lost_check(t->d.state);
    if (v != SLS_ASSIST_ALLOWED)
        return refuse_verdict(db, &t->a, EV_LOST, v, detail);
    rc = sls_field_write_device_state(db, t->d.id, SLS_DEVSTATE_LOST, t->a.now);
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_revoke_by_device, t->a.user.id, t->d.id, &t->nsessions);
    /* R32: users sharing the device lose their sessions on it too. */
    if (rc == SLS_OK)
        rc = sls_shared_sessions_revoke(db, t->d.id, &shared);
    if (rc != SLS_OK)
        return rc;
    t->nsessions += shared;
    rc = sls_notice_queue(db, &t->a.user, SLS_NOTICE_DEVICE_LOST, sls_notice_device_name(&t->d),
                          t->a.now);
    if (rc != SLS_OK)
        return rc;
    t->d.state = SLS_DEVSTATE_LOST;
    t->d.state_changed_at = t->a.now;
    snprintf(detail, sizeof(detail), "%s %s was=%s sessions_revoked=%zu", t->d.id,
             sls_device_type_name(t->d.type), sls_device_state_name(before), t->nsessions);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_LOST, "ok", detail);
}

int sls_assist_tx_lost(const struct sls_app *app, struct sls_assist_lost_tx *t)
{
    return sls_store_write(app->store, lost_fn, t);
}

/* ---- R21, R22 a forgotten PIN reset ---- */

static int pin_fn(struct sls_db *db, void *arg)
{
    struct sls_assist_pin_tx *t = arg;
    enum sls_assist_verdict v;
    char detail[96];
    int rc = begin_device(db, &t->a, EV_PIN, t->device_id, &t->d);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s", t->d.id, sls_device_type_name(t->d.type));
    v = sls_assist_pin_check(t->d.type, t->d.state);
    if (v != SLS_ASSIST_ALLOWED)
        return refuse_verdict(db, &t->a, EV_PIN, v, detail);
    if (t->sealed.pin_len > sizeof(t->d.pin))
        return SLS_ERR_STORE;
    memcpy(t->d.pin, t->sealed.pin, t->sealed.pin_len);
    t->d.pin_len = t->sealed.pin_len;
    rc = SLS_DB(db, device_update, &t->d, SLS_DEVICE_SET_PIN);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_PIN, "ok", detail);
}

int sls_assist_tx_pin(const struct sls_app *app, struct sls_assist_pin_tx *t)
{
    return sls_store_write(app->store, pin_fn, t);
}

/* ---- R3, R29 a password reset code sent to the e-mail on record ---- */

struct reset_tx {
    const struct sls_app *app;
    struct sls_assist_reset_tx *t;
    struct sls_outbox_rec msg;
};

static int reset_fn(struct sls_db *db, void *arg)
{
    struct reset_tx *x = arg;
    struct sls_assist_reset_tx *t = x->t;
    char detail[sizeof(t->sent_to) + 64], until[SLS_TIME_TEXT];
    int rc = begin(db, &t->a, EV_RESET, NULL);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    if (strchr(t->a.user.email, '@') == NULL)
        return refuse(db, &t->a, EV_RESET, SLS_ERR_CONFLICT, "no_email",
                      "The user has no e-mail address on record", NULL);
    t->reset.user_id = t->a.user.id;
    if (sls_reset_code_seal(x->app, &t->reset, t->code) != SLS_OK)
        return SLS_ERR_INTERNAL;
    rc = SLS_DB(db, secret_put, &t->reset);
    if (rc != SLS_OK)
        return rc;
    sls_time_text(t->reset.expires_at, until);
    memset(&x->msg, 0, sizeof(x->msg));
    snprintf(x->msg.to, sizeof(x->msg.to), "%s", t->a.user.email);
    snprintf(x->msg.channel, sizeof(x->msg.channel), "email");
    snprintf(x->msg.body, sizeof(x->msg.body),
             "Your password reset code for user %s is %s. It works once, until %s. "
             "Enter it with your new password on the password reset page. If you did not ask "
             "our service desk for it, call us.",
             t->a.user.username, t->code, until);
    snprintf(x->msg.code, sizeof(x->msg.code), "%s", t->code);
    snprintf(x->msg.kind, sizeof(x->msg.kind), "code.password_reset");
    x->msg.at = t->a.now;
    rc = SLS_DB(db, outbox_insert, &x->msg);
    if (rc != SLS_OK)
        return rc;
    sls_email_mask(t->a.user.email, t->sent_to, sizeof(t->sent_to));
    snprintf(detail, sizeof(detail), "sent_to=%s expires_at=%s", t->sent_to, until);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_RESET, "ok", detail);
}

int sls_assist_tx_reset(const struct sls_app *app, struct sls_assist_reset_tx *t)
{
    struct reset_tx *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return SLS_ERR_NOMEM;
    x->app = app;
    x->t = t;
    rc = sls_store_write(app->store, reset_fn, x);
    sls_wipe(x, sizeof(*x)); /* the message carries the code */
    free(x);
    return rc;
}

/* ---- R8, SPEC §10.3 unlock ---- */

#define UNLOCK_TRIES 8

static int unlock_fn(struct sls_db *db, void *arg)
{
    struct sls_assist_unlock_tx *t = arg;
    char detail[48];
    int rc = begin(db, &t->a, EV_UNLOCK, NULL);

    t->tokens = 0;
    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    sls_lockout_record_success(&t->a.user.lockout);
    rc = SLS_DB(db, user_update, &t->a.user, SLS_USER_SET_LOCKOUT, t->a.user.version);
    if (rc != SLS_OK)
        return rc;
    /* §10.3: and every client token's counter. */
    rc = SLS_DB(db, client_token_unlock_user, t->a.user.id, &t->tokens);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "client_tokens=%zu", t->tokens);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_UNLOCK, "ok",
                           t->tokens > 0 ? detail : NULL);
}

int sls_assist_tx_unlock(const struct sls_app *app, struct sls_assist_unlock_tx *t)
{
    int rc = SLS_ERR_CONFLICT;
    int tries;

    for (tries = 0; tries < UNLOCK_TRIES && rc == SLS_ERR_CONFLICT; tries++)
        rc = sls_store_write(app->store, unlock_fn, t);
    return rc;
}
