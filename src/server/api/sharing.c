/* R32 device sharing: POST /v1/me/share-device (the owner's credentials,
 * then a response from the owner's device), GET /v1/me/share-device (the
 * open request, as the requester sees it), DELETE /v1/me/share-device
 * (cancel), and the desk's compliance queue: GET /v1/admin/sharing-requests,
 * POST /v1/admin/sharing-requests/{id}/approve|deny.
 *
 * The requester is the logged-in user; the owner is another user name whose
 * password and device response the requester gives. The conditions of
 * core/sharing.h are checked before the challenge is issued and again, with
 * fresh data, in the transaction that records the request (and at approval).
 * A request that takes effect makes the requester's active devices inactive
 * and records which: cancelling brings back exactly those. While active, the
 * owner's device answers logins and step-ups of the requester too
 * (held_devices.h).
 *
 * Wrong owner passwords and wrong owner-device responses count toward the
 * owner's lockout (R8): they are guesses at the owner's credentials. Sharing
 * needs a step-up (R34); outside SLS it is refused (the requester opts in
 * first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/sharing.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/lockout.h"
#include "core/sharing.h"
#include "core/username.h"
#include "crypto/password.h"
#include "crypto/secmem.h"
#include "server/flows/held_devices.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/session.h"
#include "server/flows/sharing_read.h"
#include "server/flows/sharing_tx.h"
#include "server/api/session_challenge_reply.h"
#include "server/api/step_up.h"
#include "server/flows/secret_key.h"

#define EV_REQUEST "sharing.request"
#define MAX_LIST   100

static void answer_verdict(struct sls_resp *rs, enum sls_sharing_verdict v)
{
    sls_resp_error_msg(rs, sls_sharing_error(v), sls_sharing_error_message(v), NULL);
}

static void answer_open(struct sls_resp *rs)
{
    sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "A sharing request of yours is already open",
                       "Cancel it first with DELETE /v1/me/share-device");
}

/* ---- the request ---- */

static void challenge_key(char *out, size_t len, const char *token_hash)
{
    sls_secret_key(out, len, SLS_SECRET_SHARING, token_hash);
}

/* Checks the owner's password (R5: the same work for unknown names); counts
 * a wrong one toward the owner's lockout. False when answered. */
static bool owner_ok(struct sls_req *rq, struct sls_resp *rs, struct sls_user_rec *owner,
                     const char *password, int rc)
{
    bool found = rc == SLS_OK;
    bool ok = sls_password_verify(found ? owner->password_hash : rq->app->dummy_hash, password,
                                  strlen(password)) == 0 &&
              found;
    struct sls_attempt a;

    sls_wipe(owner->password_hash, sizeof(owner->password_hash));
    if (!found) {
        sls_resp_error(rs, SLS_ERR_INVALID_CREDENTIALS, NULL);
        return false;
    }
    if (!ok) {
        memset(&a, 0, sizeof(a));
        a.user_id = owner->id;
        a.username = owner->username;
        a.event = "sharing.owner_password";
        a.outcome = "wrong_password";
        sls_login_answer_fail(rq->app, rs, &a, rq->now, SLS_ERR_INVALID_CREDENTIALS, NULL);
        return false;
    }
    if (sls_lockout_is_locked(&owner->lockout, rq->now)) {
        sls_login_answer_locked(rs, owner->lockout.locked_until);
        return false;
    }
    return true;
}

/* The owner's device to share: the one named, else the strongest active one. */
static const struct sls_device_rec *pick(struct sls_resp *rs, const struct sls_sharing_parties *p,
                                         const char *device_id)
{
    int i = sls_devices_pick(p->odev, p->no, device_id, sls_sharing_device_shareable);

    if (i >= 0)
        return &p->odev[i];
    if (device_id != NULL)
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active device of the owner", NULL);
    else
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The owner has no active device to share", NULL);
    return NULL;
}

static void complete(struct sls_req *rq, struct sls_resp *rs, struct sls_sharing_parties *p,
                     const struct sls_device_rec *d, const char *key, const char *response)
{
    struct sls_secret_rec *c = sls_req_alloc(rq, sizeof(*c)); /* wiped with the arena */
    struct sls_sharing_request_tx *t;
    int rc;

    if (c == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_session_challenge_reply_read(rq, rs, key, c))
        return;
    if (strcmp(c->device_id, d->id) != 0 || c->user_id != p->owner.id) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No challenge is waiting for this device",
                           "Ask for a challenge first: the same call without a response");
        return;
    }
    if (!sls_session_challenge_reply_answer(rq, rs, c, &p->owner, d, response, EV_REQUEST))
        return;
    t = sls_req_alloc(rq, sizeof(*t));
    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->now = rq->now;
    t->p = p;
    t->c = c;
    rc = sls_sharing_tx_request(rq->app, t);
    if (t->open)
        answer_open(rs);
    else if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (t->taken)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The challenge was already used",
                           "Ask for a new challenge");
    else if (t->step.device_gone)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The owner's device changed meanwhile", NULL);
    else if (t->step.err != SLS_OK)
        answer_verdict(rs, t->step.verdict);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:s, s:s, s:s}", "status", sls_sharing_state_name(t->req.state),
                                "request_id", t->req.id, "device_id", t->req.device_id));
}

void sls_api_share_device(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_user_rec *owner_rec = sls_req_alloc(rq, sizeof(*owner_rec));
    struct sls_sharing_parties *p = sls_req_alloc(rq, sizeof(*p));
    const char *owner, *password, *device_id, *response;
    const struct sls_device_rec *d;
    struct sls_sharing_step step;
    bool has_open = false;
    char key[128];
    int rc = SLS_ERR_NOT_FOUND;

    if (owner_rec == NULL || p == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "owner_username", true, 256, &owner) ||
        !sls_body_str(rq, rs, "owner_password", true, 1024, &password) ||
        !sls_body_str(rq, rs, "device_id", false, 64, &device_id) ||
        !sls_session_challenge_reply_body(rq, rs, &response))
        return;
    if (device_id != NULL && !sls_id_valid(device_id)) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active device of the owner", NULL);
        return;
    }
    switch (rq->step_up) { /* the route's gate asked for the step-up */
    case SLS_STEP_UP_REQUIRED:
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return;
    case SLS_STEP_UP_OUTSIDE_SLS:
        sls_resp_error_msg(rs, SLS_ERR_FORBIDDEN,
                           "Device sharing is for users of the Secure Login System",
                           "Opt in to the Secure Login System first");
        return;
    case SLS_STEP_UP_PASS:
        break;
    }
    if (sls_username_could_exist(owner, strlen(owner))) {
        rc = sls_sharing_tx_owner_read(rq->app, u->id, owner, owner_rec, &has_open);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
            sls_resp_error(rs, rc == SLS_ERR_NOMEM ? SLS_ERR_NOMEM : SLS_ERR_STORE, NULL);
            return;
        }
    }
    if (rc == SLS_OK && owner_rec->id == u->id) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "The owner is another user name of yours, not this one", NULL);
        return;
    }
    if (!owner_ok(rq, rs, owner_rec, password, rc))
        return;
    if (has_open) {
        answer_open(rs);
        return;
    }
    p->requester.id = u->id;
    p->owner.id = owner_rec->id;
    if (sls_sharing_tx_parties_read(rq->app, p) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    d = pick(rs, p, device_id);
    if (d == NULL)
        return;
    step = sls_sharing_tx_judge(p, d->id);
    if (step.err != SLS_OK) {
        answer_verdict(rs, step.verdict);
        return;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    if (response == NULL)
        sls_session_challenge_reply_issue(rq, rs, key, &s, &p->owner, d, true);
    else
        complete(rq, rs, p, d, key, response);
}

/* ---- reading the open request ---- */

/* Only what the requester typed or was shown already: the owner's user name
 * and the shared device; nothing else of the owner. */
void sls_api_share_device_get(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_sharing_view *v = sls_req_alloc(rq, sizeof(*v));
    json_t *o;
    int rc;

    if (v == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_sharing_read_open(rq->app, rq->user->id, v);
    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No open sharing request", NULL);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc == SLS_ERR_NOMEM ? SLS_ERR_NOMEM : SLS_ERR_STORE, NULL);
        return;
    }
    o = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:o}", "request_id", v->req.id, "status",
                  sls_sharing_state_name(v->req.state), "owner_username", v->owner, "device", "id",
                  v->req.device_id, "type", sls_device_type_name(v->device_type), "label",
                  v->device_label, "state", sls_device_state_name(v->device_state), "requested_at",
                  sls_time_json(v->req.created_at));
    json_object_set_new(o, "approved_at",
                        v->req.state == SLS_SHARING_STATE_ACTIVE && v->req.decided_at
                            ? sls_time_json(v->req.decided_at)
                            : json_null());
    sls_resp_json(rs, 200, o);
}

/* ---- cancelling ---- */

void sls_api_share_device_cancel(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_sharing_cancel_tx *t = sls_req_alloc(rq, sizeof(*t));
    json_t *o, *restored;
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    /* The route's gate asked for the step-up; outside SLS there is none:
     * cancelling gives back one's own devices. */
    t->now = rq->now;
    t->user_id = u->id;
    t->username = u->username;
    rc = sls_sharing_tx_cancel(rq->app, t);
    if (rc == SLS_ERR_CONFLICT) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The request changed meanwhile", "Try again");
    } else if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
    } else if (t->none) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No sharing request to cancel", NULL);
    } else {
        restored = json_array();
        for (size_t i = 0; i < t->nrestored; i++)
            json_array_append_new(restored, json_string(t->restored[i]));
        o = json_pack("{s:s, s:s, s:o}", "status", "cancelled", "request_id", t->req.id, "restored",
                      restored);
        json_object_set_new(o, "sessions_revoked", json_integer((json_int_t)t->nsessions));
        sls_resp_json(rs, 200, o);
    }
}

/* ---- the desk: list, approve, deny ---- */

static json_t *request_json(const struct sls_sharing_rec *r, const char *requester,
                            const char *owner)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "request_id", r->id, "requester", requester,
                  "owner", owner, "device_id", r->device_id, "state",
                  sls_sharing_state_name(r->state), "created_at", sls_time_json(r->created_at));

    json_object_set_new(o, "decided_at",
                        r->decided_at ? sls_time_json(r->decided_at) : json_null());
    json_object_set_new(o, "decided_by",
                        r->decided_by[0] ? json_string(r->decided_by) : json_null());
    return o;
}

void sls_api_admin_sharing_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_sharing_listed *l = sls_req_alloc(rq, MAX_LIST * sizeof(*l));
    const char *state = sls_req_query(rq, "state");
    enum sls_sharing_state st;
    int wanted = -1;
    json_t *out;
    size_t n = 0;
    int rc;

    if (l == NULL || (out = sls_req_json(rq, json_array())) == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (state != NULL) {
        if (sls_sharing_state_parse(state, &st) != 0) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                               "Query 'state' must be pending_compliance, active, denied or "
                               "cancelled",
                               NULL);
            return;
        }
        wanted = (int)st;
    }
    rc = sls_sharing_tx_list(rq->app, wanted, l, MAX_LIST, &n);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, request_json(&l[i].req, l[i].requester, l[i].owner));
    sls_resp_json(rs, 200, json_pack("{s:O}", "requests", out));
}

static void decide(struct sls_req *rq, struct sls_resp *rs, bool approve)
{
    struct sls_sharing_decide_tx *t = sls_req_alloc(rq, sizeof(*t));
    char actor[80];
    int rc;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_id_valid(rq->params[0])) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such sharing request", NULL);
        return;
    }
    snprintf(actor, sizeof(actor), "agent:%s", rq->agent);
    t->now = rq->now;
    t->id = rq->params[0];
    t->actor = actor;
    t->approve = approve;
    rc = sls_sharing_tx_decide(rq->app, t);
    if (rc == SLS_ERR_CONFLICT) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The request changed meanwhile", "Try again");
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    switch (t->result) {
    case SLS_SHARING_DECIDED:
        sls_resp_json(rs, 200, request_json(&t->req, t->p.requester.username, t->p.owner.username));
        break;
    case SLS_SHARING_NO_REQUEST:
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such sharing request", NULL);
        break;
    case SLS_SHARING_NOT_PENDING:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The request is not waiting for compliance", NULL);
        break;
    case SLS_SHARING_DEVICE_INACTIVE:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The owner's device is no longer active", NULL);
        break;
    case SLS_SHARING_REFUSED:
        answer_verdict(rs, t->step.verdict);
        break;
    }
}

void sls_api_admin_sharing_approve(struct sls_req *rq, struct sls_resp *rs)
{
    decide(rq, rs, true);
}

void sls_api_admin_sharing_deny(struct sls_req *rq, struct sls_resp *rs)
{
    decide(rq, rs, false);
}
