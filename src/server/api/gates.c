/* The route gates, checked once before the handler: the session, the
 * temporary-passcode session of the online card routes, the primary user
 * and the step-up. See gates.h for what each answers. */
#include "server/api/gates.h"

#include <stdio.h>

#include "server/app/app.h"
#include "server/flows/session.h"
#include "server/flows/settings_tx.h"
#include "server/http/arena.h"
#include "core/error.h"
#include "core/online_card.h"
#include "core/step_up.h"

#define SESSION_GATES (SLS_ROUTE_SESSION | SLS_ROUTE_FULL_SESSION)

/* A store that could not answer is an error of ours, not a missing session. */
static void answer_store(struct sls_resp *rs, int rc)
{
    if (rc != SLS_ERR_NOMEM && rc != SLS_ERR_STORE_UNAVAILABLE)
        rc = SLS_ERR_STORE;
    sls_resp_error(rs, rc, NULL);
}

static bool session_gate(struct sls_req *rq, struct sls_resp *rs, int flags)
{
    struct sls_session_found *f = sls_req_alloc(rq, sizeof(*f));
    const char *hint = NULL;
    int rc;

    if (f == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    rc = sls_session_find(rq->app, sls_req_bearer(rq), rq->now, f, &hint);
    if (rc == SLS_ERR_UNAUTHORIZED) {
        sls_resp_error(rs, SLS_ERR_UNAUTHORIZED, hint);
        return false;
    }
    if (rc != SLS_OK) {
        answer_store(rs, rc);
        return false;
    }
    if (f->s.access == SLS_ACCESS_ONLINE_CARD_ONLY && (flags & SLS_ROUTE_FULL_SESSION)) {
        sls_resp_error(rs, SLS_ERR_ONLINE_CARD_ONLY,
                       "Get and activate an online security card, or call the service desk");
        return false;
    }
    rc = sls_session_touch(rq->app, f, rq->now);
    if (rc == SLS_ERR_NOT_FOUND) {
        /* Ended between the read and the write: a logout raced us. */
        sls_resp_error(rs, SLS_ERR_UNAUTHORIZED, NULL);
        return false;
    }
    if (rc != SLS_OK) {
        answer_store(rs, rc);
        return false;
    }
    rq->session = &f->s;
    rq->user = &f->u;
    snprintf(rq->client_token_hash, sizeof(rq->client_token_hash), "%s", f->client_token_hash);
    return true;
}

static bool passcode_gate(struct sls_req *rq, struct sls_resp *rs)
{
    if (sls_online_card_session_may_manage(rq->session->factor))
        return true;
    sls_resp_error_msg(rs, SLS_ERR_FORBIDDEN,
                       "Online security cards are requested and activated from a session opened "
                       "with a temporary passcode",
                       NULL);
    return false;
}

static bool primary_gate(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *p;
    char msg[160];
    int rc;

    if (sls_settings_is_primary(rq->user))
        return true;
    p = sls_req_alloc(rq, sizeof(*p));
    rc = p != NULL ? sls_settings_primary_read(rq->app, rq->user->account_id, p) : SLS_ERR_NOMEM;
    if (rc == SLS_OK) {
        snprintf(msg, sizeof(msg),
                 "Only the primary user %s may change the security settings of this account",
                 p->username);
        sls_resp_error_msg(rs, SLS_ERR_NOT_PRIMARY_USER, msg, "Log in as that user");
    } else if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error(rs, SLS_ERR_NOT_PRIMARY_USER, "Call the service desk");
    } else {
        answer_store(rs, rc);
    }
    return false;
}

static bool step_up_gate(struct sls_req *rq, struct sls_resp *rs, const struct sls_route *route)
{
    rq->step_up =
        sls_step_up_gate(rq->user->sls, rq->session->factor, rq->session->verified_until, rq->now);
    if (rq->step_up != SLS_STEP_UP_REQUIRED)
        return true;
    if (route->sensitive != NULL && !route->sensitive(rq))
        return true;
    sls_resp_error(rs, SLS_ERR_STEP_UP_REQUIRED,
                   "Ask for a challenge with POST /v1/me/verify, answer it, then try again "
                   "within 5 minutes");
    return false;
}

bool sls_api_gates(struct sls_req *rq, struct sls_resp *rs, const struct sls_route *route)
{
    int flags = route->flags;

    /* Every other gate is about the session's user: none goes without one. */
    if (!(flags & SESSION_GATES)) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return false;
    }
    if (!session_gate(rq, rs, flags))
        return false;
    if ((flags & SLS_ROUTE_PASSCODE) && !passcode_gate(rq, rs))
        return false;
    if ((flags & SLS_ROUTE_PRIMARY) && !primary_gate(rq, rs))
        return false;
    if ((flags & SLS_ROUTE_STEP_UP) && !step_up_gate(rq, rs, route))
        return false;
    return true;
}
