/* R32 device sharing: POST /v1/me/share-device (the owner's credentials,
 * then a response from the owner's device), DELETE /v1/me/share-device
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
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/lockout.h"
#include "core/sharing.h"
#include "core/username.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/login_tx.h"
#include "server/api/login_answer.h"
#include "server/flows/notice.h"
#include "server/flows/session.h"
#include "server/api/session_challenge_reply.h"
#include "server/api/step_up.h"

#define EV_REQUEST "sharing.request"
#define EV_CANCEL  "sharing.cancel"
#define MAX_LIST   100

/* Both users of a request and their own devices, read in one snapshot. */
struct parties {
    struct sls_user_rec requester, owner;
    struct sls_device_rec rdev[SLS_DEVICE_VIEW_MAX], odev[SLS_DEVICE_VIEW_MAX];
    size_t nr, no;
};

/* §10.3: a sharing that takes effect (R32) tells both users, each naming the other. */
static int shared_notices(struct sls_db *db, const struct parties *p, sls_time now)
{
    int rc = sls_notice_queue(db, &p->owner, SLS_NOTICE_DEVICE_SHARED, p->requester.username, now);

    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &p->requester, SLS_NOTICE_DEVICE_SHARED_WITH_YOU,
                              p->owner.username, now);
    return rc;
}

static int read_parties(struct sls_db *db, struct parties *p, int64_t requester_id,
                        int64_t owner_id)
{
    int rc = SLS_DB(db, user_get_by_id, requester_id, &p->requester);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, owner_id, &p->owner);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, requester_id, p->rdev, SLS_DEVICE_VIEW_MAX, &p->nr);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, owner_id, p->odev, SLS_DEVICE_VIEW_MAX, &p->no);
    return rc;
}

static void briefs(const struct sls_device_rec *d, size_t n, struct sls_device_brief *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i].type = d[i].type;
        out[i].state = d[i].state;
    }
}

static enum sls_sharing_verdict judge(const struct parties *p, enum sls_device_type shared)
{
    struct sls_device_brief rb[SLS_DEVICE_VIEW_MAX], ob[SLS_DEVICE_VIEW_MAX];
    struct sls_sharing_party r = {p->requester.identity_json, p->requester.account_id, rb, p->nr};
    struct sls_sharing_party o = {p->owner.identity_json, p->owner.account_id, ob, p->no};

    briefs(p->rdev, p->nr, rb);
    briefs(p->odev, p->no, ob);
    return sls_sharing_check(&r, &o, shared);
}

static int verdict_err(enum sls_sharing_verdict v)
{
    switch (v) {
    case SLS_SHARING_DIFFERENT_IDENTIFICATION:
        return SLS_ERR_DIFFERENT_IDENTIFICATION;
    case SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED:
        return SLS_ERR_TEMPORARY_DEVICE_ASSIGNED;
    case SLS_SHARING_IBKEY_NOT_SHAREABLE:
        return SLS_ERR_IBKEY_NOT_SHAREABLE;
    case SLS_SHARING_LESS_SECURE_DEVICE:
        return SLS_ERR_LESS_SECURE_DEVICE;
    case SLS_SHARING_IMMEDIATE:
    case SLS_SHARING_PENDING_COMPLIANCE:
        break;
    }
    return SLS_OK;
}

static void answer_verdict(struct sls_resp *rs, enum sls_sharing_verdict v)
{
    sls_resp_error_msg(rs, verdict_err(v), sls_sharing_error_message(v), NULL);
}

/* Makes the requester's active devices inactive, their ids in r->inactivated. */
static int inactivate(struct sls_db *db, const struct parties *p, struct sls_sharing_rec *r,
                      sls_time now)
{
    size_t used = 0;
    int rc;

    r->inactivated[0] = '\0';
    for (size_t i = 0; i < p->nr; i++) {
        const struct sls_device_rec *d = &p->rdev[i];
        if (d->state != SLS_DEVSTATE_ACTIVE || !sls_device_is_permanent(d->type))
            continue;
        rc = SLS_DB(db, device_set_state, d->id, SLS_DEVSTATE_INACTIVE, now);
        if (rc != SLS_OK)
            return rc;
        used += (size_t)snprintf(r->inactivated + used, sizeof(r->inactivated) - used, "%s%s",
                                 used ? " " : "", d->id);
        if (used >= sizeof(r->inactivated))
            return SLS_ERR_INTERNAL;
    }
    return SLS_OK;
}

/* ---- the request ---- */

struct owner_read {
    const char *username;
    int64_t requester_id;
    struct sls_user_rec owner;
    struct sls_sharing_rec open; /* the requester's open request */
    bool has_open;
};

static int owner_read_fn(struct sls_db *db, void *arg)
{
    struct owner_read *r = arg;
    int rc = SLS_DB(db, sharing_get_open, r->requester_id, &r->open);

    r->has_open = rc == SLS_OK;
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
        return rc;
    return SLS_DB(db, user_get_by_name, r->username, &r->owner);
}

static int parties_fn(struct sls_db *db, void *arg)
{
    struct parties *p = arg;
    return read_parties(db, p, p->requester.id, p->owner.id);
}

struct share_tx {
    /* in */
    sls_time now;
    struct parties *p;
    const struct sls_challenge_rec *c; /* the challenge answered, for its device */
    /* out */
    struct sls_sharing_rec req;
    enum sls_sharing_verdict verdict;
    bool taken; /* the challenge was used meanwhile */
    bool open;  /* a request was opened meanwhile */
    bool gone;  /* the device is no longer the owner's active one */
};

static const struct sls_device_rec *find(const struct sls_device_rec *d, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].id, id) == 0)
            return &d[i];
    return NULL;
}

static int share_fn(struct sls_db *db, void *arg)
{
    struct share_tx *t = arg;
    const struct sls_device_rec *d;
    char detail[SLS_SHARING_INACTIVATED_MAX + 256];
    int rc;

    t->taken = t->open = t->gone = false;
    rc = sls_session_challenge_take(db, t->c, &t->taken);
    if (rc != SLS_OK || t->taken)
        return rc;
    rc = read_parties(db, t->p, t->p->requester.id, t->p->owner.id);
    if (rc != SLS_OK)
        return rc;
    d = find(t->p->odev, t->p->no, t->c->device_id);
    if (d == NULL || d->state != SLS_DEVSTATE_ACTIVE) {
        t->gone = true;
        return SLS_OK;
    }
    t->verdict = judge(t->p, d->type);
    if (verdict_err(t->verdict) != SLS_OK)
        return SLS_OK; /* the challenge stays consumed: it was answered */
    sls_random_hex(t->req.id, SLS_ID_LEN / 2);
    t->req.requester_id = t->p->requester.id;
    t->req.owner_id = t->p->owner.id;
    snprintf(t->req.device_id, sizeof(t->req.device_id), "%s", d->id);
    t->req.created_at = t->now;
    t->req.state = SLS_SHARING_STATE_PENDING;
    if (t->verdict == SLS_SHARING_IMMEDIATE) {
        t->req.state = SLS_SHARING_STATE_ACTIVE;
        t->req.decided_at = t->now;
        snprintf(t->req.decided_by, sizeof(t->req.decided_by), "user:%s", t->p->requester.username);
        rc = inactivate(db, t->p, &t->req, t->now);
        if (rc == SLS_OK)
            rc = shared_notices(db, t->p, t->now);
        if (rc != SLS_OK)
            return rc;
    }
    rc = SLS_DB(db, sharing_insert, &t->req);
    if (rc == SLS_ERR_CONFLICT) {
        t->open = true;
        return SLS_ERR_CONFLICT; /* undo the inactivation; the handler answers 409 */
    }
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s owner=%s device=%s %s inactivated=%s", t->req.id,
             t->p->owner.username, d->id, sls_device_type_name(d->type),
             t->req.inactivated[0] ? t->req.inactivated : "-");
    return sls_audit_write_user(db, t->now, t->p->requester.username, EV_REQUEST,
                                sls_sharing_state_name(t->req.state), detail);
}

static void challenge_key(char *out, size_t len, const char *token_hash)
{
    snprintf(out, len, "share:%s", token_hash);
}

/* Checks the owner's password (R5: the same work for unknown names); counts
 * a wrong one toward the owner's lockout. False when answered. */
static bool owner_ok(struct sls_req *rq, struct sls_resp *rs, struct owner_read *o,
                     const char *password, int rc)
{
    bool found = rc == SLS_OK;
    bool ok = sls_password_verify(found ? o->owner.password_hash : rq->app->dummy_hash, password,
                                  strlen(password)) == 0 &&
              found;
    struct sls_attempt a;

    sls_wipe(o->owner.password_hash, sizeof(o->owner.password_hash));
    if (!found) {
        sls_resp_error(rs, SLS_ERR_INVALID_CREDENTIALS, NULL);
        return false;
    }
    if (!ok) {
        memset(&a, 0, sizeof(a));
        a.user_id = o->owner.id;
        a.username = o->owner.username;
        a.event = "sharing.owner_password";
        a.outcome = "wrong_password";
        sls_login_answer_fail(rq->app, rs, &a, rq->now, SLS_ERR_INVALID_CREDENTIALS, NULL);
        return false;
    }
    if (sls_lockout_is_locked(&o->owner.lockout, rq->now)) {
        sls_login_answer_locked(rs, o->owner.lockout.locked_until);
        return false;
    }
    return true;
}

/* The owner's device to share: the one named, else the strongest active one. */
static const struct sls_device_rec *pick(struct sls_resp *rs, const struct parties *p,
                                         const char *device_id)
{
    struct sls_device_brief b[SLS_DEVICE_VIEW_MAX];
    const struct sls_device_rec *d;
    int i;

    if (device_id != NULL) {
        d = find(p->odev, p->no, device_id);
        if (d != NULL && d->state == SLS_DEVSTATE_ACTIVE && sls_device_is_permanent(d->type))
            return d;
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such active device of the owner", NULL);
        return NULL;
    }
    briefs(p->odev, p->no, b);
    i = sls_device_pick_default(b, p->no);
    if (i < 0 || !sls_device_is_permanent(p->odev[i].type)) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The owner has no active device to share", NULL);
        return NULL;
    }
    return &p->odev[i];
}

static void complete(struct sls_req *rq, struct sls_resp *rs, struct parties *p,
                     const struct sls_device_rec *d, const char *key, const char *response)
{
    struct sls_challenge_rec *c = sls_req_alloc(rq, sizeof(*c)); /* wiped with the arena */
    struct share_tx *t;
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
    rc = sls_store_write(rq->app->store, share_fn, t);
    if (t->open)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "A sharing request of yours is already open",
                           "Cancel it first with DELETE /v1/me/share-device");
    else if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (t->taken)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The challenge was already used",
                           "Ask for a new challenge");
    else if (t->gone)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The owner's device changed meanwhile", NULL);
    else if (verdict_err(t->verdict) != SLS_OK)
        answer_verdict(rs, t->verdict);
    else
        sls_resp_json(rs, 200,
                      json_pack("{s:s, s:s, s:s}", "status", sls_sharing_state_name(t->req.state),
                                "request_id", t->req.id, "device_id", t->req.device_id));
}

void sls_api_share_device(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct owner_read *o = sls_req_alloc(rq, sizeof(*o));
    struct parties *p = sls_req_alloc(rq, sizeof(*p));
    const char *owner, *password, *device_id, *response;
    const struct sls_device_rec *d;
    enum sls_sharing_verdict v;
    char key[128];
    int rc = SLS_ERR_NOT_FOUND;

    if (o == NULL || p == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "owner_username", true, 256, &owner) ||
        !sls_body_str(rq, rs, "owner_password", true, 1024, &password) ||
        !sls_body_str(rq, rs, "device_id", false, 64, &device_id) ||
        !sls_body_str(rq, rs, "response", false, 64, &response))
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
    o->username = owner;
    o->requester_id = u->id;
    if (sls_username_could_exist(owner, strlen(owner))) {
        rc = sls_store_read(rq->app->store, owner_read_fn, o);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND) {
            sls_resp_error(rs, SLS_ERR_STORE, NULL);
            return;
        }
    }
    if (rc == SLS_OK && o->owner.id == u->id) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "The owner is another user name of yours, not this one", NULL);
        return;
    }
    if (!owner_ok(rq, rs, o, password, rc))
        return;
    if (o->has_open) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "A sharing request of yours is already open",
                           "Cancel it first with DELETE /v1/me/share-device");
        return;
    }
    p->requester.id = u->id;
    p->owner.id = o->owner.id;
    if (sls_store_read(rq->app->store, parties_fn, p) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    d = pick(rs, p, device_id);
    if (d == NULL)
        return;
    v = judge(p, d->type);
    if (verdict_err(v) != SLS_OK) {
        answer_verdict(rs, v);
        return;
    }
    challenge_key(key, sizeof(key), s.token_hash);
    if (response == NULL)
        sls_session_challenge_reply_issue(rq, rs, key, &s, &p->owner, d, true);
    else
        complete(rq, rs, p, d, key, response);
}

/* ---- cancelling ---- */

struct cancel_tx {
    sls_time now;
    int64_t user_id;
    const char *username;
    struct sls_sharing_rec req;
    json_t *restored;
    size_t nsessions;
    bool none;
};

/* Brings back the devices listed in r->inactivated that are still inactive. */
static int restore(struct sls_db *db, struct cancel_tx *t)
{
    char ids[SLS_SHARING_INACTIVATED_MAX], *save = NULL, *id;
    struct sls_device_rec d;
    int rc = SLS_OK;

    snprintf(ids, sizeof(ids), "%s", t->req.inactivated);
    for (id = strtok_r(ids, " ", &save); id != NULL && rc == SLS_OK;
         id = strtok_r(NULL, " ", &save)) {
        rc = SLS_DB(db, device_get, id, &d);
        if (rc == SLS_ERR_NOT_FOUND) {
            rc = SLS_OK;
            continue;
        }
        if (rc != SLS_OK || d.user_id != t->user_id || d.state != SLS_DEVSTATE_INACTIVE)
            continue;
        rc = SLS_DB(db, device_set_state, d.id, SLS_DEVSTATE_ACTIVE, t->now);
        if (rc == SLS_OK)
            rc = sls_notice_queue_id(db, t->user_id, SLS_NOTICE_DEVICE_ACTIVATED,
                                     sls_notice_device_name(&d), t->now);
        if (rc == SLS_OK)
            json_array_append_new(t->restored, json_string(d.id));
    }
    sls_wipe(&d, sizeof(d));
    return rc;
}

static int cancel_fn(struct sls_db *db, void *arg)
{
    struct cancel_tx *t = arg;
    enum sls_sharing_state was;
    char detail[160];
    int rc = SLS_DB(db, sharing_get_open, t->user_id, &t->req);

    t->none = false;
    t->nsessions = 0;
    json_array_clear(t->restored);
    if (rc == SLS_ERR_NOT_FOUND) {
        t->none = true;
        return SLS_OK;
    }
    if (rc != SLS_OK)
        return rc;
    was = t->req.state;
    if (was == SLS_SHARING_STATE_ACTIVE) {
        rc = restore(db, t);
        /* The requester's sessions standing on the owner's device end. */
        if (rc == SLS_OK)
            rc = SLS_DB(db, session_revoke_by_device, t->user_id, t->req.device_id, &t->nsessions);
        if (rc != SLS_OK)
            return rc;
    }
    t->req.state = SLS_SHARING_STATE_CANCELLED;
    t->req.decided_at = t->now;
    snprintf(t->req.decided_by, sizeof(t->req.decided_by), "user:%s", t->username);
    rc = SLS_DB(db, sharing_update_cas, &t->req, was);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s was=%s restored=%zu sessions_revoked=%zu", t->req.id,
             sls_sharing_state_name(was), json_array_size(t->restored), t->nsessions);
    return sls_audit_write_user(db, t->now, t->username, EV_CANCEL, "ok", detail);
}

void sls_api_share_device_cancel(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct cancel_tx *t = sls_req_alloc(rq, sizeof(*t));
    json_t *o;
    int rc;

    if (t == NULL || (t->restored = sls_req_json(rq, json_array())) == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    /* The route's gate asked for the step-up; outside SLS there is none:
     * cancelling gives back one's own devices. */
    t->now = rq->now;
    t->user_id = u->id;
    t->username = u->username;
    rc = sls_store_write(rq->app->store, cancel_fn, t);
    if (rc == SLS_ERR_CONFLICT) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The request changed meanwhile", "Try again");
    } else if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
    } else if (t->none) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No sharing request to cancel", NULL);
    } else {
        o = json_pack("{s:s, s:s, s:O}", "status", "cancelled", "request_id", t->req.id, "restored",
                      t->restored);
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

struct list_read {
    int state;
    struct sls_sharing_rec reqs[MAX_LIST];
    struct sls_user_rec a, b;
    json_t *out;
};

static int list_fn(struct sls_db *db, void *arg)
{
    struct list_read *r = arg;
    size_t n = 0;
    int rc = SLS_DB(db, sharing_list, r->state, NULL, r->reqs, MAX_LIST, &n);

    json_array_clear(r->out);
    for (size_t i = 0; rc == SLS_OK && i < n; i++) {
        rc = SLS_DB(db, user_get_by_id, r->reqs[i].requester_id, &r->a);
        if (rc == SLS_OK)
            rc = SLS_DB(db, user_get_by_id, r->reqs[i].owner_id, &r->b);
        if (rc == SLS_OK)
            json_array_append_new(r->out, request_json(&r->reqs[i], r->a.username, r->b.username));
    }
    return rc;
}

void sls_api_admin_sharing_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct list_read *r = sls_req_alloc(rq, sizeof(*r));
    const char *state = sls_req_query(rq, "state");
    enum sls_sharing_state st;
    int rc;

    if (r == NULL || (r->out = sls_req_json(rq, json_array())) == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    r->state = -1;
    if (state != NULL) {
        if (sls_sharing_state_parse(state, &st) != 0) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                               "Query 'state' must be pending_compliance, active, denied or "
                               "cancelled",
                               NULL);
            return;
        }
        r->state = (int)st;
    }
    rc = sls_store_read(rq->app->store, list_fn, r);
    if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else
        sls_resp_json(rs, 200, json_pack("{s:O}", "requests", r->out));
}

struct decide_tx {
    sls_time now;
    const char *id;
    const char *actor;
    bool approve;
    struct sls_sharing_rec req;
    struct parties p;
    enum sls_sharing_verdict verdict;
    int err;
    const char *message;
};

static int decide_refuse(struct sls_db *db, struct decide_tx *t, int err, const char *message,
                         const char *outcome)
{
    t->err = err;
    t->message = message;
    return sls_audit_write(db, t->now, t->actor, t->p.requester.username,
                           t->approve ? "sharing.approve" : "sharing.deny", outcome, t->req.id);
}

static int decide_fn(struct sls_db *db, void *arg)
{
    struct decide_tx *t = arg;
    const struct sls_device_rec *d;
    char detail[SLS_SHARING_INACTIVATED_MAX + 256];
    int rc = SLS_DB(db, sharing_get, t->id, &t->req);

    t->err = SLS_OK;
    t->message = NULL;
    if (rc == SLS_ERR_NOT_FOUND) {
        t->err = SLS_ERR_NOT_FOUND;
        t->message = "No such sharing request";
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = read_parties(db, &t->p, t->req.requester_id, t->req.owner_id);
    if (rc != SLS_OK)
        return rc;
    if (t->req.state != SLS_SHARING_STATE_PENDING)
        return decide_refuse(db, t, SLS_ERR_CONFLICT, "The request is not waiting for compliance",
                             "not_pending");
    t->req.decided_at = t->now;
    snprintf(t->req.decided_by, sizeof(t->req.decided_by), "%s", t->actor);
    if (t->approve) {
        /* The conditions again: things may have changed while it waited. */
        d = find(t->p.odev, t->p.no, t->req.device_id);
        if (d == NULL || d->state != SLS_DEVSTATE_ACTIVE)
            return decide_refuse(db, t, SLS_ERR_CONFLICT, "The owner's device is no longer active",
                                 "device_inactive");
        t->verdict = judge(&t->p, d->type);
        if (verdict_err(t->verdict) != SLS_OK)
            return decide_refuse(db, t, verdict_err(t->verdict),
                                 sls_sharing_error_message(t->verdict),
                                 sls_sharing_error_code(t->verdict));
        t->req.state = SLS_SHARING_STATE_ACTIVE;
        rc = inactivate(db, &t->p, &t->req, t->now);
        if (rc == SLS_OK)
            rc = shared_notices(db, &t->p, t->now);
        if (rc != SLS_OK)
            return rc;
    } else {
        t->req.state = SLS_SHARING_STATE_DENIED;
    }
    rc = SLS_DB(db, sharing_update_cas, &t->req, SLS_SHARING_STATE_PENDING);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s owner=%s device=%s inactivated=%s", t->req.id,
             t->p.owner.username, t->req.device_id,
             t->req.inactivated[0] ? t->req.inactivated : "-");
    return sls_audit_write(db, t->now, t->actor, t->p.requester.username,
                           t->approve ? "sharing.approve" : "sharing.deny", "ok", detail);
}

static void decide(struct sls_req *rq, struct sls_resp *rs, bool approve)
{
    struct decide_tx *t = sls_req_alloc(rq, sizeof(*t));
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
    rc = sls_store_write(rq->app->store, decide_fn, t);
    if (rc == SLS_ERR_CONFLICT)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "The request changed meanwhile", "Try again");
    else if (rc != SLS_OK)
        sls_resp_error(rs, rc, NULL);
    else if (t->err != SLS_OK)
        sls_resp_error_msg(rs, t->err, t->message, NULL);
    else
        sls_resp_json(rs, 200, request_json(&t->req, t->p.requester.username, t->p.owner.username));
}

void sls_api_admin_sharing_approve(struct sls_req *rq, struct sls_resp *rs)
{
    decide(rq, rs, true);
}

void sls_api_admin_sharing_deny(struct sls_req *rq, struct sls_resp *rs)
{
    decide(rq, rs, false);
}
