/* R28 reactivation: POST /v1/me/devices/{id}/reactivate. Without a response
 * it issues a challenge from that device, bound to the session; with the
 * response it (re)activates the device and, in the same transaction, revokes
 * every temporary passcode and online card of the user and the sessions they
 * opened. The session making the request survives: it is bound to the
 * reactivated device from then on.
 *
 * The challenge is a session challenge (session_challenge.h): used once, a
 * wrong answer consumes it and counts toward the lockout (R8) like a wrong
 * login answer. The ibkey answers its challenge/response fallback; an SMS
 * device a code sent to it by SMS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/reactivate.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/body.h"
#include "core/challenge.h"
#include "core/error.h"
#include "core/reactivation.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/login_tx.h"
#include "server/flows/notice.h"
#include "server/flows/session.h"
#include "server/flows/session_challenge.h"

#define MSG_NO_DEVICE "No such security device"
#define EVENT         "device.reactivate"

static void challenge_key(char *out, size_t len, const char *token_hash)
{
    snprintf(out, len, "reactivate:%s", token_hash);
}

/* Answers why device d cannot be reactivated; false when it can. */
static bool refuse(struct sls_resp *rs, const struct sls_device_rec *d)
{
    switch (sls_reactivation_check(d->type, d->state)) {
    case SLS_REACTIVATION_ALLOWED:
        return false;
    case SLS_REACTIVATION_NOT_PERMANENT:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "Temporary passcodes and online cards are not reactivated", NULL);
        break;
    case SLS_REACTIVATION_LOST:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This device is marked lost and cannot be reactivated",
                           "Order a replacement, or call the service desk");
        break;
    case SLS_REACTIVATION_RETURNED:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This device has been returned", NULL);
        break;
    default:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This kind of device is not reactivated here: log in with it instead",
                           NULL);
        break;
    }
    return true;
}

struct reactivate_tx {
    /* in */
    sls_time now;
    const char *username;
    int64_t user_id;
    const char *device_id;
    const char *token_hash; /* the session asking */
    char key[128];          /* its challenge */
    const char *challenge;  /* the challenge the answer was checked against */
    enum sls_access access; /* what the session gets once bound to the device */
    /* out */
    struct sls_device_rec device;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t ndevices;
    json_t *revoked; /* ids of the temporary credentials revoked */
    size_t nsessions;
    bool changed; /* challenge taken or device changed since it was read */
};

static int reactivate_fn(struct sls_db *db, void *arg)
{
    struct reactivate_tx *t = arg;
    struct sls_challenge_rec c;
    char detail[300];
    size_t i, n;
    int rc;

    t->changed = false;
    t->nsessions = 0;
    json_array_clear(t->revoked);
    rc = SLS_DB(db, challenge_get, t->key, &c);
    if (rc == SLS_OK &&
        (strcmp(c.device_id, t->device_id) != 0 || strcmp(c.challenge, t->challenge) != 0))
        rc = SLS_ERR_NOT_FOUND;
    if (rc == SLS_OK)
        rc = SLS_DB(db, challenge_delete, t->key);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_get, t->device_id, &t->device);
    if (rc == SLS_ERR_NOT_FOUND ||
        (rc == SLS_OK &&
         (t->device.user_id != t->user_id ||
          sls_reactivation_check(t->device.type, t->device.state) != SLS_REACTIVATION_ALLOWED))) {
        t->changed = true;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_set_state, t->device.id, SLS_DEVSTATE_ACTIVE, t->now);
    /* The asking session now stands on the device, so revoking the temporary
     * credentials below does not end it. */
    if (rc == SLS_OK)
        rc = SLS_DB(db, session_rebind, t->token_hash, t->device.type, t->device.id, t->access);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->user_id, t->devices, SLS_DEVICE_VIEW_MAX, &t->ndevices);
    if (rc != SLS_OK)
        return rc;
    t->device.state = SLS_DEVSTATE_ACTIVE;
    for (i = 0; i < t->ndevices; i++) {
        const struct sls_device_rec *d = &t->devices[i];
        char key[128];
        if (!sls_reactivation_revokes(d->type, d->state))
            continue;
        rc = SLS_DB(db, device_set_state, d->id, SLS_DEVSTATE_INACTIVE, t->now);
        if (rc == SLS_OK)
            rc = SLS_DB(db, session_revoke_by_device, t->user_id, d->id, &n);
        sls_card_activation_key(key, sizeof(key), d->id);
        if (rc == SLS_OK && d->state == SLS_DEVSTATE_SHIPPED) {
            rc = SLS_DB(db, challenge_delete, key);
            if (rc == SLS_ERR_NOT_FOUND)
                rc = SLS_OK;
        }
        if (rc != SLS_OK)
            return rc;
        t->nsessions += n;
        json_array_append_new(t->revoked, json_string(d->id));
    }
    rc = sls_notice_queue_id(db, t->user_id, SLS_NOTICE_DEVICE_ACTIVATED,
                             sls_notice_device_name(&t->device), t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s revoked=%zu sessions_revoked=%zu", t->device.id,
             sls_device_type_name(t->device.type), json_array_size(t->revoked), t->nsessions);
    return sls_audit_write_user(db, t->now, t->username, EVENT, "ok", detail);
}

struct device_read {
    const char *id;
    struct sls_device_rec d;
    bool shared_away; /* made inactive by the user's active sharing (R32) */
};

static int device_read_fn(struct sls_db *db, void *arg)
{
    struct device_read *r = arg;
    struct sls_sharing_rec sharing;
    int rc = SLS_DB(db, device_get, r->id, &r->d);

    r->shared_away = false;
    if (rc != SLS_OK || r->d.state != SLS_DEVSTATE_INACTIVE)
        return rc;
    rc = SLS_DB(db, sharing_get_open, r->d.user_id, &sharing);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    r->shared_away = rc == SLS_OK && sharing.state == SLS_SHARING_STATE_ACTIVE &&
                     strstr(sharing.inactivated, r->d.id) != NULL;
    return rc;
}

/* Step two: the response. */
static void complete(struct sls_req *rq, struct sls_resp *rs, const struct sls_session_rec *s,
                     const struct sls_user_rec *u, const struct sls_device_rec *d,
                     const char *response)
{
    struct sls_challenge_rec c;
    struct reactivate_tx *t;
    char key[128];
    json_t *o;
    int rc;

    challenge_key(key, sizeof(key), s->token_hash);
    if (!sls_session_challenge_read(rq, rs, key, &c))
        return;
    if (strcmp(c.device_id, d->id) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
        return;
    }
    if (!sls_session_challenge_answer(rq, rs, &c, u, d, response, EVENT))
        return;
    t = calloc(1, sizeof(*t));
    if (t == NULL || (t->revoked = json_array()) == NULL) {
        free(t);
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->now = rq->now;
    t->username = u->username;
    t->user_id = u->id;
    t->device_id = d->id;
    t->token_hash = s->token_hash;
    snprintf(t->key, sizeof(t->key), "%s", c.key);
    t->challenge = c.challenge;
    t->access = sls_access_for_factor(d->type, s->platform, rq->now, &rq->app->cfg.access, rq->now);
    rc = sls_store_write(rq->app->store, reactivate_fn, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    } else if (t->changed) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "The challenge was already used, or the device changed meanwhile",
                           "Ask for a new challenge");
    } else {
        o = json_object();
        json_object_set_new(o, "device", sls_device_json(&t->device));
        json_object_set_new(o, "revoked", json_incref(t->revoked));
        json_object_set_new(o, "sessions_revoked", json_integer((json_int_t)t->nsessions));
        sls_resp_json(rs, 200, o);
    }
    json_decref(t->revoked);
    sls_wipe(t, sizeof(*t));
    free(t);
}

void sls_api_device_reactivate(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct device_read *r = calloc(1, sizeof(*r));
    const char *response;
    char key[128];
    int rc;

    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        goto out;
    }
    if (!sls_body_str(rq, rs, "response", false, 64, &response))
        goto out;
    if (!sls_id_valid(rq->params[0])) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        goto out;
    }
    r->id = rq->params[0];
    rc = sls_store_read(rq->app->store, device_read_fn, r);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && r->d.user_id != u->id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, MSG_NO_DEVICE, NULL);
        goto out;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        goto out;
    }
    if (refuse(rs, &r->d))
        goto out;
    if (r->shared_away) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT,
                           "This device is inactive while you share another user's device",
                           "Cancel the sharing (DELETE /v1/me/share-device) to get it back");
        goto out;
    }
    if (response == NULL) {
        challenge_key(key, sizeof(key), s.token_hash);
        /* The ibkey answers its challenge/response fallback, not a push. */
        sls_session_challenge_issue(rq, rs, key, &s, u, &r->d, true);
        goto out;
    }
    complete(rq, rs, &s, u, &r->d, response);
out:
    if (r != NULL)
        sls_wipe(r, sizeof(*r));
    free(r);
}
