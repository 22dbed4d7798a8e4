/* R4, R31 the security review queue: e-mail and banking changes of users
 * outside SLS wait here for an agent. GET /v1/admin/reviews?state= lists
 * them (pending by default); POST /v1/admin/reviews/{id}/approve applies the
 * change, /deny drops it. A review is decided once; both are audited with
 * the agent's name and the user is told by e-mail. GET /v1/me/reviews lists
 * the signed-in user's own reviews, showing only the fields of the change
 * meant for display. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/review.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "server/flows/review_tx.h"
#include "server/flows/user_reviews.h"

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

void sls_api_admin_review_list(struct sls_req *rq, struct sls_resp *rs)
{
    const char *q = sls_req_query(rq, "state");
    struct sls_review_tx_list *l = sls_req_alloc(rq, sizeof(*l));
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
    if (sls_review_tx_list(rq->app, l) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    arr = json_array();
    for (i = 0; i < l->n; i++)
        json_array_append_new(arr, review_json(&l->reviews[i], l->usernames[i]));
    sls_resp_json(rs, 200, json_pack("{s:o}", "reviews", arr));
}

static void decide(struct sls_req *rq, struct sls_resp *rs, enum sls_review_state state)
{
    struct sls_review_tx *t;
    char *end = NULL;
    char actor[80];
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
    snprintf(actor, sizeof(actor), "agent:%s", rq->agent);
    t->actor = actor;
    if (sls_review_tx_apply(rq->app, t) != SLS_OK)
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

/* The fields of a change that its user is shown, by kind: the new address
 * of an e-mail change; the bank, routing number and last 4 digits of a bank
 * change. Anything else the payload may hold is left out. */
static json_t *own_change_json(const struct sls_review_rec *r)
{
    static const char *const email[] = {"new_email", NULL};
    static const char *const bank[] = {"bank_name", "routing_number", "account_number_last4", NULL};
    const char *const *keys = strcmp(r->kind, "email") == 0  ? email
                              : strcmp(r->kind, "bank") == 0 ? bank
                                                             : NULL;
    json_t *payload = json_loads(r->payload, 0, NULL);
    json_t *o = json_object();
    json_t *v;

    for (; keys != NULL && *keys != NULL; keys++) {
        v = json_object_get(payload, *keys);
        if (json_is_string(v))
            json_object_set(o, *keys, v);
    }
    json_decref(payload);
    return o;
}

void sls_api_me_reviews(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_reviews *l = sls_req_alloc(rq, sizeof(*l));
    const struct sls_review_rec *r;
    json_t *arr;
    size_t i;

    if (l == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    l->user_id = rq->user->id;
    if (sls_user_reviews_read(rq->app, l) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    arr = json_array();
    for (i = 0; i < l->n; i++) {
        r = &l->reviews[i];
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)r->id, "kind",
                           r->kind, "state", state_name(r->state), "change", own_change_json(r),
                           "created_at", sls_time_json(r->created_at), "decided_at",
                           r->decided_at ? sls_time_json(r->decided_at) : json_null()));
    }
    sls_resp_json(rs, 200, json_pack("{s:o}", "reviews", arr));
}
