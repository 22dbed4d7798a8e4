/* R4, R31 the security review queue: e-mail and banking changes of users
 * outside SLS wait here for an agent. GET /v1/admin/reviews?state= lists
 * them (pending by default); POST /v1/admin/reviews/{id}/approve applies the
 * change, /deny drops it. A review is decided once; both are audited with
 * the agent's name and the user is told by e-mail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/review.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/notice.h"
#include "server/flows/settings_tx.h"

#define REVIEW_LIST_MAX 200

static const char *state_name(enum sls_review_state s)
{
    switch (s) {
    case SLS_REVIEW_APPROVED:
        return "approved";
    case SLS_REVIEW_DENIED:
        return "denied";
    default:
        return "pending";
    }
}

static json_t *review_json(const struct sls_review_rec *r, const char *username)
{
    json_t *o = json_object();
    json_t *payload = json_loads(r->payload, 0, NULL);

    json_object_set_new(o, "id", json_integer((json_int_t)r->id));
    json_object_set_new(o, "kind", json_string(r->kind));
    json_object_set_new(o, "username", json_string(username));
    json_object_set_new(o, "state", json_string(state_name(r->state)));
    json_object_set_new(o, "change", payload ? payload : json_object());
    json_object_set_new(o, "created_at", sls_time_json(r->created_at));
    json_object_set_new(o, "decided_by",
                        r->decided_by[0] ? json_string(r->decided_by) : json_null());
    json_object_set_new(o, "decided_at",
                        r->decided_at ? sls_time_json(r->decided_at) : json_null());
    return o;
}

struct list_read {
    enum sls_review_state state;
    struct sls_review_rec reviews[REVIEW_LIST_MAX];
    char usernames[REVIEW_LIST_MAX][33];
    size_t n;
    struct sls_user_rec user; /* scratch */
};

static int list_fn(struct sls_db *db, void *arg)
{
    struct list_read *l = arg;
    struct sls_user_rec *u = &l->user;
    size_t i;
    int rc = SLS_DB(db, review_list, l->state, l->reviews, REVIEW_LIST_MAX, &l->n);

    for (i = 0; rc == SLS_OK && i < l->n; i++) {
        rc = SLS_DB(db, user_get_by_id, l->reviews[i].user_id, u);
        if (rc == SLS_OK)
            snprintf(l->usernames[i], sizeof(l->usernames[i]), "%s", u->username);
    }
    return rc;
}

void sls_api_admin_review_list(struct sls_req *rq, struct sls_resp *rs)
{
    const char *q = sls_req_query(rq, "state");
    struct list_read *l = sls_req_alloc(rq, sizeof(*l));
    json_t *arr;
    size_t i;

    if (l == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (q == NULL || strcmp(q, "pending") == 0)
        l->state = SLS_REVIEW_PENDING;
    else if (strcmp(q, "approved") == 0)
        l->state = SLS_REVIEW_APPROVED;
    else if (strcmp(q, "denied") == 0)
        l->state = SLS_REVIEW_DENIED;
    else if (strcmp(q, "all") == 0)
        l->state = SLS_REVIEW__COUNT;
    else {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Query 'state' must be pending, approved, denied or all", NULL);
        return;
    }
    if (sls_store_read(rq->app->store, list_fn, l) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    arr = json_array();
    for (i = 0; i < l->n; i++)
        json_array_append_new(arr, review_json(&l->reviews[i], l->usernames[i]));
    sls_resp_json(rs, 200, json_pack("{s:o}", "reviews", arr));
}

struct decide_tx {
    sls_time now;
    int64_t id;
    enum sls_review_state state;
    char actor[80];
    struct sls_review_rec review;
    struct sls_user_rec user;
    int outcome; /* SLS_OK, or the error to answer */
};

/* Applies an approved review: the new e-mail, or the banking instructions. */
static int apply(struct sls_db *db, struct decide_tx *t)
{
    struct sls_bank_rec b;
    json_t *p = json_loads(t->review.payload, 0, NULL);
    const char *s;
    int rc = SLS_ERR_STORE;

    if (p == NULL)
        return SLS_ERR_STORE;
    if (strcmp(t->review.kind, "email") == 0) {
        s = json_string_value(json_object_get(p, "new_email"));
        if (s != NULL)
            rc = SLS_DB(db, user_set_email, t->user.id, s);
        /* t->user was read before the change: its address is the old one. */
        if (rc == SLS_OK)
            rc = sls_notice_queue_to(db, t->user.email, SLS_NOTICE_EMAIL_CHANGED, s, t->now);
    } else if (strcmp(t->review.kind, "bank") == 0) {
        memset(&b, 0, sizeof(b));
        b.user_id = t->user.id;
        s = json_string_value(json_object_get(p, "bank_name"));
        snprintf(b.bank_name, sizeof(b.bank_name), "%s", s ? s : "");
        s = json_string_value(json_object_get(p, "routing_number"));
        snprintf(b.routing_number, sizeof(b.routing_number), "%s", s ? s : "");
        s = json_string_value(json_object_get(p, "account_number_last4"));
        snprintf(b.account_last4, sizeof(b.account_last4), "%s", s ? s : "");
        if (t->review.secret_len <= sizeof(b.account_sealed)) {
            memcpy(b.account_sealed, t->review.secret, t->review.secret_len);
            b.account_sealed_len = t->review.secret_len;
            b.updated_at = t->now;
            rc = SLS_DB(db, bank_put, &b);
        }
        if (rc == SLS_OK)
            rc = sls_notice_queue(db, &t->user, SLS_NOTICE_BANK_CHANGED, NULL, t->now);
        sls_wipe(&b, sizeof(b));
    }
    json_decref(p);
    return rc;
}

static int decide_fn(struct sls_db *db, void *arg)
{
    struct decide_tx *t = arg;
    char detail[64];
    int rc = SLS_DB(db, review_decide, t->id, t->state, t->actor, t->now);

    t->outcome = SLS_OK;
    if (rc == SLS_ERR_NOT_FOUND || rc == SLS_ERR_CONFLICT) {
        t->outcome = rc;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, review_get, t->id, &t->review);
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, t->review.user_id, &t->user);
    if (rc == SLS_OK && t->state == SLS_REVIEW_APPROVED)
        rc = apply(db, t);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "review=%lld kind=%s", (long long)t->id, t->review.kind);
    return sls_audit_write(db, t->now, t->actor, t->user.username,
                           t->state == SLS_REVIEW_APPROVED ? "review.approve" : "review.deny", "ok",
                           detail);
}

static void decide(struct sls_req *rq, struct sls_resp *rs, enum sls_review_state state)
{
    struct decide_tx *t;
    char *end = NULL;
    long long id;

    errno = 0;
    id = strtoll(rq->params[0], &end, 10);
    if (rq->params[0][0] < '1' || rq->params[0][0] > '9' || *end != '\0' || errno != 0) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such review", NULL);
        return;
    }
    t = sls_req_alloc(rq, sizeof(*t));
    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->now = rq->now;
    t->id = id;
    t->state = state;
    snprintf(t->actor, sizeof(t->actor), "agent:%s", rq->agent);
    if (sls_store_write(rq->app->store, decide_fn, t) != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else if (t->outcome == SLS_ERR_NOT_FOUND)
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such review", NULL);
    else if (t->outcome == SLS_ERR_CONFLICT)
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This review was already decided", NULL);
    else
        sls_resp_json(rs, 200, review_json(&t->review, t->user.username));
}

void sls_api_admin_review_approve(struct sls_req *rq, struct sls_resp *rs)
{
    decide(rq, rs, SLS_REVIEW_APPROVED);
}

void sls_api_admin_review_deny(struct sls_req *rq, struct sls_resp *rs)
{
    decide(rq, rs, SLS_REVIEW_DENIED);
}
