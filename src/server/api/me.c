/* The signed-in user's API: the session itself (R10) and the profile. A
 * session limited to the online card (R11) may read and end itself only. */
#include <stdlib.h>
#include <string.h>

#include "server/api/me.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/online_card.h"
#include "server/flows/device_auth.h"
#include "server/flows/me_tx.h"
#include "server/flows/session.h"
#include "server/api/session_json.h"
#include "server/api/limits.h"

/* A device, with the windows of a temporary credential still in force (R11). */
static json_t *device_json(const struct sls_device_rec *d, const struct sls_access_policy *p)
{
    json_t *o = sls_device_json(d);

    if (d->state != SLS_DEVSTATE_ACTIVE)
        return o;
    if (d->type == SLS_DEVICE_TEMP_PASSCODE) {
        json_object_set_new(o, "full_access_until",
                            sls_time_json(d->state_changed_at + p->temp_full));
        json_object_set_new(o, "portal_until", sls_time_json(d->state_changed_at + p->temp_portal));
    } else if (d->type == SLS_DEVICE_ONLINE_CARD) {
        json_object_set_new(o, "expires_at",
                            sls_time_json(sls_online_card_expires_at(d->state_changed_at, p)));
    }
    return o;
}

void sls_api_session_get(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    json_t *o;

    o = sls_session_json(&s, NULL, u->sls);
    json_object_set_new(o, "username", json_string(u->username));
    sls_resp_json(rs, 200, o);
}

void sls_api_session_delete(struct sls_req *rq, struct sls_resp *rs)
{
    if (sls_me_tx_logout(rq->app, rq->session->token_hash) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    sls_resp_json(rs, 200, json_pack("{s:b}", "logged_out", 1));
}

void sls_api_me(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_me_tx_read *m = sls_req_alloc(rq, sizeof(*m));
    json_t *o, *devs;
    size_t i;

    if (m == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    m->user_id = u->id;
    m->limits.user_id = u->id;
    m->limits.factor = s.factor;
    m->limits.now = rq->now;
    m->limits.holidays = &rq->app->cfg.holidays;
    m->limits.policy = &rq->app->cfg.limits;
    if (sls_me_tx_read(rq->app, m) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    devs = json_array();
    for (i = 0; i < m->n; i++) {
        json_t *d = device_json(&m->devices[i], &rq->app->cfg.access);
        /* R32: another user's device shared with this one. */
        if (m->devices[i].user_id != u->id)
            json_object_set_new(d, "shared", json_true());
        json_array_append_new(devs, d);
    }
    o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "username", u->username, "account_id",
                  u->account_id, "account_state", sls_account_state_name(u->account_state), "email",
                  u->email, "sls", u->sls, "primary", u->primary);
    json_object_set_new(o, "devices", devs);
    json_object_set_new(o, "session", sls_session_json(&s, NULL, u->sls));
    json_object_set_new(o, "limits", sls_limits_json(&m->limits));
    sls_resp_json(rs, 200, o);
}
