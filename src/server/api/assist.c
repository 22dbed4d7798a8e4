/* Login assistance by the service desk (SPEC §6): temporary passcodes (R26),
 * devices marked lost (R29), forgotten PINs reset (R21, R22), password
 * reset codes sent to the e-mail on record (R3, R29) and unlocking a locked
 * user (R8; in [lockout] mode client both the unknown-clients counter and
 * every client token's, SPEC §10.3).
 *
 * Every action needs an identity verification of the user by the acting
 * agent in the last 15 minutes (R40); the check, the rule and the change are
 * one transaction of flows/assist_tx.h. Here: the request, and the answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/assist.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/password_reset.h"
#include "core/temporary.h"
#include "core/username.h"
#include "crypto/random.h"
#include "server/flows/device_auth.h"
#include "server/flows/assist_tx.h"
#include "server/flows/reset_code.h"

#define HINT_VERIFY "Verify the caller by telephone first (identity-verifications)"

/* Fills a from the request; answers 404 and returns false for a user name
 * that cannot exist. */
static bool assist_init(struct sls_req *rq, struct sls_resp *rs, struct sls_assist_tx *a)
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

/* Answers a failed transaction (rc) or a refusal; false when neither. */
static bool assist_answer_failure(struct sls_resp *rs, const struct sls_assist_tx *a, int rc,
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

void sls_api_admin_temp_passcode(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_assist_passcode_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    rc = sls_assist_tx_passcode(rq->app, t);
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

void sls_api_admin_device_lost(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_assist_lost_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    rc = sls_assist_tx_lost(rq->app, t);
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

void sls_api_admin_pin_reset(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_assist_pin_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    rc = sls_assist_tx_pin(rq->app, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    d = &t->d;
    sls_resp_json(rs, 200, json_pack("{s:b, s:o}", "pin_reset", 1, "device", sls_device_json(d)));
}

/* ---- R3, R29 a password reset code sent to the e-mail on record ---- */

void sls_api_admin_password_reset(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_assist_reset_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    snprintf(t->reset.issued_by, sizeof(t->reset.issued_by), "%s", t->a.actor);
    t->reset.issued_at = rq->now;
    t->reset.expires_at = rq->now + rq->app->cfg.password_reset_ttl;
    rc = sls_assist_tx_reset(rq->app, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    /* The code goes to the user's mailbox only; the agent sees where it went. */
    sls_resp_json(rs, 202,
                  json_pack("{s:s, s:o}", "sent_to", t->sent_to, "expires_at",
                            sls_time_json(t->reset.expires_at)));
}

/* ---- R8, SPEC §10.3 unlock ---- */

void sls_api_admin_unlock(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_assist_unlock_tx *t = sls_req_alloc(rq, sizeof(*t));
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!assist_init(rq, rs, &t->a))
        return;
    rc = sls_assist_tx_unlock(rq->app, t);
    if (assist_answer_failure(rs, &t->a, rc, "No such user"))
        return;
    sls_resp_json(rs, 200, json_pack("{s:b, s:i}", "unlocked", 1, "client_tokens", (int)t->tokens));
}
