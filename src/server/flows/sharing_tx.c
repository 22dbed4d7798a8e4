/* The store side of R32 device sharing; see sharing_tx.h. */
#include "server/flows/sharing_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"
#include "server/flows/session_challenge.h"

#define EV_REQUEST "sharing.request"
#define EV_CANCEL  "sharing.cancel"

static int read_parties(struct sls_db *db, struct sls_sharing_parties *p, int64_t requester_id,
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

static const struct sls_device_rec *find(const struct sls_device_rec *d, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].id, id) == 0)
            return &d[i];
    return NULL;
}

static void briefs(const struct sls_device_rec *d, size_t n, struct sls_device_brief *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i].type = d[i].type;
        out[i].state = d[i].state;
    }
}

struct sls_sharing_step sls_sharing_tx_judge(const struct sls_sharing_parties *p,
                                             const char *device_id)
{
    struct sls_device_brief rb[SLS_DEVICE_VIEW_MAX], ob[SLS_DEVICE_VIEW_MAX], shared;
    struct sls_sharing_party r = {p->requester.identity_json, p->requester.account_id, rb, p->nr};
    struct sls_sharing_party o = {p->owner.identity_json, p->owner.account_id, ob, p->no};
    const struct sls_device_rec *d = find(p->odev, p->no, device_id);

    briefs(p->rdev, p->nr, rb);
    briefs(p->odev, p->no, ob);
    if (d != NULL)
        briefs(d, 1, &shared);
    return sls_sharing_decide(&r, &o, d != NULL ? &shared : NULL);
}

/* §10.3: a sharing that takes effect (R32) tells both users, each naming the other. */
static int shared_notices(struct sls_db *db, const struct sls_sharing_parties *p, sls_time now)
{
    int rc = sls_notice_queue(db, &p->owner, SLS_NOTICE_DEVICE_SHARED, p->requester.username, now);

    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &p->requester, SLS_NOTICE_DEVICE_SHARED_WITH_YOU,
                              p->owner.username, now);
    return rc;
}

/* A request takes effect: the requester's active devices become inactive,
 * their ids in r->inactivated, and both users are told. */
static int take_effect(struct sls_db *db, const struct sls_sharing_parties *p,
                       struct sls_sharing_rec *r, sls_time now)
{
    size_t used = 0;
    int rc;

    r->inactivated[0] = '\0';
    for (size_t i = 0; i < p->nr; i++) {
        const struct sls_device_rec *d = &p->rdev[i];
        if (!sls_sharing_device_shareable(d->type, d->state))
            continue;
        rc = sls_field_write_device_state(db, d->id, SLS_DEVSTATE_INACTIVE, now);
        if (rc != SLS_OK)
            return rc;
        used += (size_t)snprintf(r->inactivated + used, sizeof(r->inactivated) - used, "%s%s",
                                 used ? " " : "", d->id);
        if (used >= sizeof(r->inactivated))
            return SLS_ERR_INTERNAL;
    }
    return shared_notices(db, p, now);
}

/* ---- reads ---- */

struct owner_read {
    int64_t requester_id;
    const char *username;
    struct sls_user_rec *owner;
    struct sls_sharing_rec open;
    bool has_open;
};

static int owner_read_fn(struct sls_db *db, void *arg)
{
    struct owner_read *r = arg;
    int rc = SLS_DB(db, sharing_get_open, r->requester_id, &r->open);

    r->has_open = rc == SLS_OK;
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
        return rc;
    return SLS_DB(db, user_get_by_name, r->username, r->owner);
}

int sls_sharing_tx_owner_read(const struct sls_app *app, int64_t requester_id,
                              const char *owner_username, struct sls_user_rec *owner,
                              bool *has_open)
{
    struct owner_read *r = calloc(1, sizeof(*r));
    int rc;

    if (r == NULL)
        return SLS_ERR_NOMEM;
    r->requester_id = requester_id;
    r->username = owner_username;
    r->owner = owner;
    rc = sls_store_read(app->store, owner_read_fn, r);
    *has_open = r->has_open;
    sls_wipe(r, sizeof(*r));
    free(r);
    return rc;
}

static int parties_fn(struct sls_db *db, void *arg)
{
    struct sls_sharing_parties *p = arg;
    return read_parties(db, p, p->requester.id, p->owner.id);
}

int sls_sharing_tx_parties_read(const struct sls_app *app, struct sls_sharing_parties *p)
{
    return sls_store_read(app->store, parties_fn, p);
}

/* ---- the request ---- */

static int request_fn(struct sls_db *db, void *arg)
{
    struct sls_sharing_request_tx *t = arg;
    struct sls_sharing_parties *p = t->p;
    const struct sls_device_rec *d;
    char detail[SLS_SHARING_INACTIVATED_MAX + 256];
    int rc;

    t->taken = t->open = false;
    memset(&t->step, 0, sizeof(t->step));
    rc = sls_session_challenge_take(db, t->c, &t->taken);
    if (rc != SLS_OK || t->taken)
        return rc;
    rc = read_parties(db, p, p->requester.id, p->owner.id);
    if (rc != SLS_OK)
        return rc;
    t->step = sls_sharing_tx_judge(p, t->c->device_id);
    if (t->step.device_gone || t->step.err != SLS_OK)
        return SLS_OK; /* the challenge stays consumed: it was answered */
    d = find(p->odev, p->no, t->c->device_id);
    memset(&t->req, 0, sizeof(t->req));
    sls_random_hex(t->req.id, SLS_ID_LEN / 2);
    t->req.requester_id = p->requester.id;
    t->req.owner_id = p->owner.id;
    snprintf(t->req.device_id, sizeof(t->req.device_id), "%.*s", SLS_ID_LEN, d->id);
    t->req.created_at = t->now;
    t->req.state = t->step.state;
    if (t->req.state == SLS_SHARING_STATE_ACTIVE) {
        t->req.decided_at = t->now;
        snprintf(t->req.decided_by, sizeof(t->req.decided_by), "user:%s", p->requester.username);
        rc = take_effect(db, p, &t->req, t->now);
        if (rc != SLS_OK)
            return rc;
    }
    rc = SLS_DB(db, sharing_insert, &t->req);
    if (rc == SLS_ERR_CONFLICT) {
        t->open = true;
        return SLS_ERR_CONFLICT; /* undoes the inactivation */
    }
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s owner=%s device=%.*s %s inactivated=%s", t->req.id,
             p->owner.username, SLS_ID_LEN, d->id, sls_device_type_name(d->type),
             t->req.inactivated[0] ? t->req.inactivated : "-");
    return sls_audit_write_user(db, t->now, p->requester.username, EV_REQUEST,
                                sls_sharing_state_name(t->req.state), detail);
}

int sls_sharing_tx_request(const struct sls_app *app, struct sls_sharing_request_tx *t)
{
    return sls_store_write(app->store, request_fn, t);
}

/* ---- cancelling ---- */

/* Brings back the devices listed in t->req.inactivated that are still inactive. */
static int restore(struct sls_db *db, struct sls_sharing_cancel_tx *t)
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
        rc = sls_field_write_device_state(db, d.id, SLS_DEVSTATE_ACTIVE, t->now);
        if (rc == SLS_OK)
            rc = sls_notice_queue_id(db, t->user_id, SLS_NOTICE_DEVICE_ACTIVATED,
                                     sls_notice_device_name(&d), t->now);
        if (rc == SLS_OK && t->nrestored < SLS_DEVICE_VIEW_MAX)
            snprintf(t->restored[t->nrestored++], sizeof(t->restored[0]), "%s", d.id);
    }
    sls_wipe(&d, sizeof(d));
    return rc;
}

static int cancel_fn(struct sls_db *db, void *arg)
{
    struct sls_sharing_cancel_tx *t = arg;
    enum sls_sharing_state was;
    char detail[160];
    int rc = SLS_DB(db, sharing_get_open, t->user_id, &t->req);

    t->none = false;
    t->nsessions = 0;
    t->nrestored = 0;
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
             sls_sharing_state_name(was), t->nrestored, t->nsessions);
    return sls_audit_write_user(db, t->now, t->username, EV_CANCEL, "ok", detail);
}

int sls_sharing_tx_cancel(const struct sls_app *app, struct sls_sharing_cancel_tx *t)
{
    return sls_store_write(app->store, cancel_fn, t);
}

/* ---- the desk ---- */

struct list_read {
    int state;
    struct sls_sharing_listed *out;
    size_t max, n;
    struct sls_sharing_rec *reqs;
    struct sls_user_rec a, b;
};

static int list_fn(struct sls_db *db, void *arg)
{
    struct list_read *r = arg;
    size_t n = 0;
    int rc = SLS_DB(db, sharing_list, r->state, NULL, r->reqs, r->max, &n);

    r->n = 0;
    for (size_t i = 0; rc == SLS_OK && i < n; i++) {
        rc = SLS_DB(db, user_get_by_id, r->reqs[i].requester_id, &r->a);
        if (rc == SLS_OK)
            rc = SLS_DB(db, user_get_by_id, r->reqs[i].owner_id, &r->b);
        if (rc != SLS_OK)
            break;
        r->out[r->n].req = r->reqs[i];
        snprintf(r->out[r->n].requester, sizeof(r->out[0].requester), "%s", r->a.username);
        snprintf(r->out[r->n].owner, sizeof(r->out[0].owner), "%s", r->b.username);
        r->n++;
    }
    return rc;
}

int sls_sharing_tx_list(const struct sls_app *app, int state, struct sls_sharing_listed *out,
                        size_t max, size_t *n)
{
    struct list_read *r = calloc(1, sizeof(*r));
    int rc = SLS_ERR_NOMEM;

    *n = 0;
    if (r == NULL)
        return rc;
    r->reqs = calloc(max ? max : 1, sizeof(*r->reqs));
    if (r->reqs != NULL) {
        r->state = state;
        r->out = out;
        r->max = max;
        rc = sls_store_read(app->store, list_fn, r);
        *n = r->n;
        sls_wipe(r->reqs, (max ? max : 1) * sizeof(*r->reqs));
    }
    free(r->reqs);
    sls_wipe(r, sizeof(*r));
    free(r);
    return rc;
}

static int decide_refuse(struct sls_db *db, struct sls_sharing_decide_tx *t,
                         enum sls_sharing_decision result, const char *outcome)
{
    t->result = result;
    return sls_audit_write(db, t->now, t->actor, t->p.requester.username,
                           t->approve ? "sharing.approve" : "sharing.deny", outcome, t->req.id);
}

static int decide_fn(struct sls_db *db, void *arg)
{
    struct sls_sharing_decide_tx *t = arg;
    char detail[SLS_SHARING_INACTIVATED_MAX + 256];
    int rc = SLS_DB(db, sharing_get, t->id, &t->req);

    t->result = SLS_SHARING_DECIDED;
    memset(&t->step, 0, sizeof(t->step));
    if (rc == SLS_ERR_NOT_FOUND) {
        t->result = SLS_SHARING_NO_REQUEST;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = read_parties(db, &t->p, t->req.requester_id, t->req.owner_id);
    if (rc != SLS_OK)
        return rc;
    if (t->req.state != SLS_SHARING_STATE_PENDING)
        return decide_refuse(db, t, SLS_SHARING_NOT_PENDING, "not_pending");
    t->req.decided_at = t->now;
    snprintf(t->req.decided_by, sizeof(t->req.decided_by), "%s", t->actor);
    if (t->approve) {
        /* The conditions again: things may have changed while it waited. */
        t->step = sls_sharing_tx_judge(&t->p, t->req.device_id);
        if (t->step.device_gone)
            return decide_refuse(db, t, SLS_SHARING_DEVICE_INACTIVE, "device_inactive");
        if (t->step.err != SLS_OK)
            return decide_refuse(db, t, SLS_SHARING_REFUSED,
                                 sls_sharing_error_code(t->step.verdict));
        t->req.state = SLS_SHARING_STATE_ACTIVE;
        rc = take_effect(db, &t->p, &t->req, t->now);
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

int sls_sharing_tx_decide(const struct sls_app *app, struct sls_sharing_decide_tx *t)
{
    return sls_store_write(app->store, decide_fn, t);
}
