/* Login assistance by the service desk (SPEC §6): temporary passcodes (R26),
 * devices marked lost (R29), forgotten PINs reset (R21, R22) and password
 * reset codes sent to the e-mail on record (R3, R29).
 *
 * Every action needs an identity verification of the user by the acting
 * agent in the last 15 minutes (R40). The check, the rule of the action and
 * the change run in ONE store transaction, so two agents acting on one user
 * at once are decided one after the other. Refusals are audited too: their
 * transaction keeps the audit record and changes nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/assist.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/identity.h"
#include "core/password_reset.h"
#include "core/temporary.h"
#include "core/username.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/held_devices.h"
#include "server/flows/notice.h"
#include "server/flows/reset_code.h"

/* Device records read to decide R26; a user with more is refused (fail closed). */
#define MAX_DEVICES 64

#define HINT_VERIFY "Verify the caller by telephone first (identity-verifications)"

/* What every assistance transaction shares. */
struct assist {
    /* in */
    const char *agent;
    char actor[80];
    const char *username;
    sls_time now;
    sls_time ttl; /* of an identity verification */
    /* out */
    struct sls_user_rec user;
    int err;             /* SLS_OK, or the refusal to answer (its audit record is kept) */
    const char *message; /* the refusal's message; NULL: the error table's */
};

/* Fills a from the request; answers 404 and returns false for a user name
 * that cannot exist. */
static bool assist_init(struct sls_req *rq, struct sls_resp *rs, struct assist *a)
{
    a->agent = rq->agent;
    snprintf(a->actor, sizeof(a->actor), "agent:%s", rq->agent);
    a->username = rq->params[0];
    a->now = rq->now;
    a->ttl = rq->app->cfg.identity_ttl;
    if (strlen(a->username) > SLS_USERNAME_MAX) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such user", NULL);
        return false;
    }
    return true;
}

/* Records a refusal: the answer to give and its audit record. */
static int assist_refuse(struct sls_db *db, struct assist *a, const char *event, int err,
                         const char *outcome, const char *message, const char *detail)
{
    a->err = err;
    a->message = message;
    return sls_audit_write(db, a->now, a->actor, a->user.username, event, outcome, detail);
}

/* Reads the user and checks the acting agent's verification of them (R40);
 * a refusal is audited as `event` with `detail`. */
static int assist_begin(struct sls_db *db, struct assist *a, const char *event, const char *detail)
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
    return assist_refuse(db, a, event, SLS_ERR_IDENTITY_NOT_VERIFIED, "identity_not_verified", NULL,
                         detail);
}

/* Answers a failed transaction (rc) or a refusal; false when neither. */
static bool assist_answer_failure(struct sls_resp *rs, const struct assist *a, int rc,
                                  const char *not_found)
{
    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, not_found, NULL);
    } else if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
    } else if (a->err == SLS_ERR_IDENTITY_NOT_VERIFIED) {
        sls_resp_error(rs, a->err, HINT_VERIFY);
    } else if (a->err != SLS_OK) {
        if (a->message != NULL)
            sls_resp_error_msg(rs, a->err, a->message, NULL);
        else
            sls_resp_error(rs, a->err, NULL);
    } else {
        return false;
    }
    return true;
}

/* ---- R26 temporary passcode ---- */

#define EV_ISSUE  "temporary_passcode.issue"
#define EV_REVOKE "temporary_passcode.revoke"

struct passcode_tx {
    struct assist a;
    sls_time full_until, portal_until;
    struct sls_device_rec pass; /* the new passcode: id and sealed hash set by the handler */
    struct sls_device_rec devices[MAX_DEVICES];
    struct sls_temp_device briefs[MAX_DEVICES];
    size_t ndevices;
};

/* Revokes an older temporary passcode and the sessions it opened. */
static int revoke_passcode(struct sls_db *db, struct passcode_tx *t, const struct sls_device_rec *d)
{
    char detail[128];
    size_t nsessions = 0;
    int rc = SLS_DB(db, device_set_state, d->id, SLS_DEVSTATE_INACTIVE, t->a.now);

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
    struct passcode_tx *t = arg;
    char detail[160], full[32], portal[32];
    size_t i;
    int rc = assist_begin(db, &t->a, EV_ISSUE, NULL);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    if (!t->a.user.sls)
        return assist_refuse(db, &t->a, EV_ISSUE, SLS_ERR_CONFLICT, "not_sls",
                             "The user does not take part in the Secure Login System: no second "
                             "factor is asked at login",
                             NULL);
    if (t->a.user.account_state == SLS_ACCOUNT_CLOSED)
        return assist_refuse(db, &t->a, EV_ISSUE, SLS_ERR_CONFLICT, "account_closed",
                             "The account is closed: its Client Portal login asks no second factor",
                             NULL);
    rc = SLS_DB(db, device_list, t->a.user.id, t->devices, MAX_DEVICES, &t->ndevices);
    if (rc != SLS_OK)
        return rc;
    if (t->ndevices >= MAX_DEVICES)
        return assist_refuse(db, &t->a, EV_ISSUE, SLS_ERR_CONFLICT, "too_many_devices",
                             "Too many device records to decide whether a temporary passcode may "
                             "be issued",
                             NULL);
    for (i = 0; i < t->ndevices; i++) {
        t->briefs[i].type = t->devices[i].type;
        t->briefs[i].state = t->devices[i].state;
        t->briefs[i].created_at = t->devices[i].created_at;
        t->briefs[i].state_changed_at = t->devices[i].state_changed_at;
        t->briefs[i].activated_at = t->devices[i].activated_at;
    }
    if (sls_temp_passcode_may_issue(t->briefs, t->ndevices, NULL) != SLS_TEMP_ALLOWED)
        return assist_refuse(db, &t->a, EV_ISSUE, SLS_ERR_CONFLICT, "consecutive",
                             "Temporary passcodes are never issued twice in a row: the last "
                             "temporary credential was a temporary passcode and no security "
                             "device has been activated since",
                             NULL);
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

void sls_api_admin_temp_passcode(struct sls_req *rq, struct sls_resp *rs)
{
    struct passcode_tx *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_device_rec *d;
    char *passcode = sls_req_alloc(rq, SLS_TEMP_PASSCODE_LEN + 1); /* wiped with the arena */
    json_t *o;
    int rc;

    if (t == NULL || passcode == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!assist_init(rq, rs, &t->a))
        return;
    t->full_until = rq->now + rq->app->cfg.access.temp_full;
    t->portal_until = rq->now + rq->app->cfg.access.temp_portal;
    d = &t->pass;
    sls_random_hex(d->id, SLS_ID_LEN / 2);
    d->type = SLS_DEVICE_TEMP_PASSCODE;
    d->state = SLS_DEVSTATE_ACTIVE;
    snprintf(d->label, sizeof(d->label), "Temporary passcode");
    d->created_at = rq->now;
    d->state_changed_at = rq->now;
    sls_random_string(passcode, SLS_TEMP_PASSCODE_LEN, SLS_TEMP_PASSCODE_ALPHABET);
    if (sls_device_passcode_set(rq->app, d, passcode) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    rc = sls_store_write(rq->app->store, passcode_fn, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    /* Shown once: only its sealed hash is kept. */
    o = json_object();
    json_object_set_new(o, "passcode", json_string(passcode));
    json_object_set_new(o, "full_access_until", sls_time_json(t->full_until));
    json_object_set_new(o, "portal_until", sls_time_json(t->portal_until));
    json_object_set_new(o, "device_id", json_string(d->id));
    sls_resp_json(rs, 201, o);
}

/* ---- R29 a device marked lost ---- */

#define EV_LOST "device.lost"

struct lost_tx {
    struct assist a;
    const char *device_id;
    struct sls_device_rec d;
    enum sls_device_state before;
    size_t nsessions;
};

static int lost_fn(struct sls_db *db, void *arg)
{
    struct lost_tx *t = arg;
    char detail[160];
    size_t shared = 0;
    int rc = assist_begin(db, &t->a, EV_LOST, t->device_id);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    rc = SLS_DB(db, device_get, t->device_id, &t->d);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && t->d.user_id != t->a.user.id))
        return assist_refuse(db, &t->a, EV_LOST, SLS_ERR_NOT_FOUND, "unknown_device",
                             "No such device for this user", t->device_id);
    if (rc != SLS_OK)
        return rc;
    t->before = t->d.state;
    snprintf(detail, sizeof(detail), "%s %s", t->d.id, sls_device_type_name(t->d.type));
    if (t->d.state == SLS_DEVSTATE_LOST)
        return assist_refuse(db, &t->a, EV_LOST, SLS_ERR_CONFLICT, "already_lost",
                             "The device is already marked lost", detail);
    if (t->d.state == SLS_DEVSTATE_RETURNED)
        return assist_refuse(db, &t->a, EV_LOST, SLS_ERR_CONFLICT, "returned",
                             "The device has been returned", detail);
    rc = SLS_DB(db, device_set_state, t->d.id, SLS_DEVSTATE_LOST, t->a.now);
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
             sls_device_type_name(t->d.type), sls_device_state_name(t->before), t->nsessions);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_LOST, "ok", detail);
}

void sls_api_admin_device_lost(struct sls_req *rq, struct sls_resp *rs)
{
    struct lost_tx *t = sls_req_alloc(rq, sizeof(*t));
    const struct sls_device_rec *d;
    json_t *o, *dev;
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!assist_init(rq, rs, &t->a))
        return;
    t->device_id = rq->params[1];
    if (!sls_id_valid(t->device_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such device for this user", NULL);
        return;
    }
    rc = sls_store_write(rq->app->store, lost_fn, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    d = &t->d;
    dev = sls_device_json(d);
    json_object_set_new(dev, "state_changed_at", sls_time_json(d->state_changed_at));
    o = json_object();
    json_object_set_new(o, "device", dev);
    json_object_set_new(o, "sessions_revoked", json_integer((json_int_t)t->nsessions));
    sls_resp_json(rs, 200, o);
}

/* ---- R21, R22 a forgotten PIN reset ---- */

#define EV_PIN "device.pin_reset"

struct pin_tx {
    struct assist a;
    const char *device_id;
    struct sls_device_rec sealed; /* pin, pin_len: the new PIN sealed by the handler */
    struct sls_device_rec d;
};

/* Why a device's PIN cannot be reset here, or NULL when it can. */
static const char *pin_refusal(const struct sls_device_rec *d, const char **outcome)
{
    if (d->type == SLS_DEVICE_PLATINUM || d->type == SLS_DEVICE_GOLD) {
        *outcome = "pin_on_device";
        return "The PIN is kept on the device: change it on the device";
    }
    if (d->type == SLS_DEVICE_IBKEY) {
        *outcome = "pin_on_device";
        return "The PIN is kept in the mobile app: change it in the app";
    }
    if (!sls_device_pin_on_server(d->type)) {
        *outcome = "no_pin";
        return "This device has no PIN";
    }
    if (d->state == SLS_DEVSTATE_LOST || d->state == SLS_DEVSTATE_RETURNED) {
        *outcome = "device_not_held";
        return d->state == SLS_DEVSTATE_LOST ? "The device is marked lost"
                                             : "The device has been returned";
    }
    return NULL;
}

static int pin_fn(struct sls_db *db, void *arg)
{
    struct pin_tx *t = arg;
    const char *message, *outcome = NULL;
    char detail[96];
    int rc = assist_begin(db, &t->a, EV_PIN, t->device_id);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    rc = SLS_DB(db, device_get, t->device_id, &t->d);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && t->d.user_id != t->a.user.id))
        return assist_refuse(db, &t->a, EV_PIN, SLS_ERR_NOT_FOUND, "unknown_device",
                             "No such device for this user", t->device_id);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s", t->d.id, sls_device_type_name(t->d.type));
    message = pin_refusal(&t->d, &outcome);
    if (message != NULL)
        return assist_refuse(db, &t->a, EV_PIN, SLS_ERR_CONFLICT, outcome, message, detail);
    rc = SLS_DB(db, device_set_pin, t->d.id, t->sealed.pin, t->sealed.pin_len);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_PIN, "ok", detail);
}

void sls_api_admin_pin_reset(struct sls_req *rq, struct sls_resp *rs)
{
    struct pin_tx *t = sls_req_alloc(rq, sizeof(*t));
    const struct sls_device_rec *d;
    const char *pin;
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!assist_init(rq, rs, &t->a) || !sls_body_str(rq, rs, "pin", true, 16, &pin))
        return;
    t->device_id = rq->params[1];
    if (!sls_id_valid(t->device_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such device for this user", NULL);
        return;
    }
    if (strlen(pin) != 4 || strspn(pin, "0123456789") != 4) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'pin' must be 4 digits", NULL);
        return;
    }
    if (sls_device_seal(rq->app, &t->sealed, true, (const uint8_t *)pin, 4) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    }
    rc = sls_store_write(rq->app->store, pin_fn, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    d = &t->d;
    sls_resp_json(rs, 200, json_pack("{s:b, s:o}", "pin_reset", 1, "device", sls_device_json(d)));
}

/* ---- R3, R29 a password reset code sent to the e-mail on record ---- */

#define EV_RESET "password_reset.issue"

struct reset_tx {
    struct assist a;
    struct sls_reset_rec reset; /* code sealed by the handler once the user id is known */
    const char *code;
    const struct sls_app *app;
    struct sls_outbox_rec msg;
    char sent_to[160];
};

static int reset_fn(struct sls_db *db, void *arg)
{
    struct reset_tx *t = arg;
    char detail[sizeof(t->sent_to) + 64], until[32];
    int rc = assist_begin(db, &t->a, EV_RESET, NULL);

    if (rc != SLS_OK || t->a.err != SLS_OK)
        return rc;
    if (strchr(t->a.user.email, '@') == NULL)
        return assist_refuse(db, &t->a, EV_RESET, SLS_ERR_CONFLICT, "no_email",
                             "The user has no e-mail address on record", NULL);
    t->reset.user_id = t->a.user.id;
    if (sls_reset_code_seal(t->app, &t->reset, t->code) != SLS_OK)
        return SLS_ERR_INTERNAL;
    rc = SLS_DB(db, reset_put, &t->reset);
    if (rc != SLS_OK)
        return rc;
    sls_time_text(t->reset.expires_at, until);
    snprintf(t->msg.to, sizeof(t->msg.to), "%s", t->a.user.email);
    snprintf(t->msg.channel, sizeof(t->msg.channel), "email");
    snprintf(t->msg.body, sizeof(t->msg.body),
             "Your password reset code for user %s is %s. It works once, until %s. "
             "Enter it with your new password on the password reset page. If you did not ask "
             "our service desk for it, call us.",
             t->a.user.username, t->code, until);
    snprintf(t->msg.code, sizeof(t->msg.code), "%s", t->code);
    snprintf(t->msg.kind, sizeof(t->msg.kind), "code.password_reset");
    t->msg.at = t->a.now;
    rc = SLS_DB(db, outbox_insert, &t->msg);
    if (rc != SLS_OK)
        return rc;
    sls_email_mask(t->a.user.email, t->sent_to, sizeof(t->sent_to));
    snprintf(detail, sizeof(detail), "sent_to=%s expires_at=%s", t->sent_to, until);
    return sls_audit_write(db, t->a.now, t->a.actor, t->a.user.username, EV_RESET, "ok", detail);
}

void sls_api_admin_password_reset(struct sls_req *rq, struct sls_resp *rs)
{
    struct reset_tx *t = sls_req_alloc(rq, sizeof(*t));
    char *code = sls_req_alloc(rq, SLS_RESET_CODE_LEN + 1); /* wiped with the arena */
    int rc;

    if (t == NULL || code == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!assist_init(rq, rs, &t->a))
        return;
    sls_random_digits(code, SLS_RESET_CODE_LEN);
    t->code = code;
    t->app = rq->app;
    snprintf(t->reset.issued_by, sizeof(t->reset.issued_by), "%s", t->a.actor);
    t->reset.issued_at = rq->now;
    t->reset.expires_at = rq->now + rq->app->cfg.password_reset_ttl;
    rc = sls_store_write(rq->app->store, reset_fn, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    /* The code goes to the user's mailbox only; the agent sees where it went. */
    sls_resp_json(rs, 202,
                  json_pack("{s:s, s:o}", "sent_to", t->sent_to, "expires_at",
                            sls_time_json(t->reset.expires_at)));
}
