/* R31, R33 money movements of the signed-in user: GET /v1/me/limits, POST
 * /v1/me/withdrawals (step-up inside SLS; the limit checked and the
 * withdrawal recorded in one transaction, so two racing requests cannot both
 * take the last of a limit) and POST /v1/me/deposits (ACH and EFT capped in
 * total outside SLS; wires never). */
#include <stdlib.h>
#include <string.h>

#include "server/api/limits.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"
#include "server/flows/limits_tx.h"

#define AMOUNT_MAX ((int64_t)1000000000000000) /* USD 10 trillion: beyond any account */

static json_t *cents_json(struct sls_limit l)
{
    return l.unlimited ? json_null() : json_integer((json_int_t)l.cents);
}

static void remaining_into(json_t *o, const struct sls_limits_state *st)
{
    json_object_set_new(o, "remaining_today_cents",
                        cents_json(sls_limit_remaining(st->row.per_day, st->used_today)));
    json_object_set_new(o, "remaining_5_days_cents",
                        cents_json(sls_limit_remaining(st->row.per_5_days, st->used_5_days)));
}

/* The configured R33 table, one row per class ("none" first: the row of
 * sessions outside SLS, R31), so that clients need not know the figures. */
static json_t *rows_json(const struct sls_limit_policy *p)
{
    json_t *a = json_array();
    int c;

    for (c = 0; c < SLS_LIMIT__COUNT; c++)
        json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "device",
                                           sls_limit_class_name((enum sls_limit_class)c),
                                           "per_day_cents", cents_json(p->per_day[c]),
                                           "per_5_days_cents", cents_json(p->per_5_days[c])));
    return a;
}

json_t *sls_limits_json(const struct sls_limits_state *st)
{
    json_t *o = json_object();

    json_object_set_new(o, "device", json_string(sls_device_type_name(st->row.device)));
    json_object_set_new(o, "per_day_cents", cents_json(st->row.per_day));
    json_object_set_new(o, "per_5_days_cents", cents_json(st->row.per_5_days));
    json_object_set_new(o, "used_today_cents", json_integer((json_int_t)st->used_today));
    json_object_set_new(o, "used_5_days_cents", json_integer((json_int_t)st->used_5_days));
    remaining_into(o, st);
    json_object_set_new(o, "withdrawal_rows", rows_json(st->policy));
    json_object_set_new(o, "deposit_cap_cents",
                        json_integer((json_int_t)st->policy->deposit_cap_cents));
    return o;
}

static void state_init(struct sls_limits_state *st, struct sls_req *rq,
                       const struct sls_session_rec *s)
{
    memset(st, 0, sizeof(*st));
    st->user_id = s->user_id;
    st->factor = s->factor;
    st->now = rq->now;
    st->holidays = &rq->app->cfg.holidays;
    st->policy = &rq->app->cfg.limits;
}

void sls_api_me_limits(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_limits_state st;

    state_init(&st, rq, &s);
    if (sls_limits_tx_read(rq->app, &st) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    sls_resp_json(rs, 200, sls_limits_json(&st));
}

void sls_api_me_withdrawal(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_withdrawal_tx t;
    char day[16];
    json_t *o;

    /* The route's gates: R34 inside SLS; outside it the `none` row applies (R31). */
    memset(&t, 0, sizeof(t));
    if (!sls_body_int(rq, rs, "amount_cents", true, 1, AMOUNT_MAX, 0, &t.amount))
        return;
    state_init(&t.st, rq, &s);
    t.username = u->username;
    if (sls_withdrawal_tx_apply(rq->app, &t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (!t.allowed) {
        sls_resp_error(rs, SLS_ERR_LIMIT_EXCEEDED,
                       "See GET /v1/me/limits; a stronger security device has higher limits");
        remaining_into(rs->json, &t.st);
        return;
    }
    o = json_pack("{s:I, s:I}", "id", (json_int_t)t.w.id, "amount_cents", (json_int_t)t.amount);
    /* The business day it counts for (a weekend's counts for Monday). */
    if (sls_time_format_date(t.w.business_day * SLS_DAY, day, sizeof(day)) == 0)
        json_object_set_new(o, "business_day", json_string(day));
    remaining_into(o, &t.st);
    sls_resp_json(rs, 201, o);
}

void sls_api_me_deposit(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct sls_deposit_tx t;
    const char *method;
    int64_t left;

    memset(&t, 0, sizeof(t));
    if (!sls_body_int(rq, rs, "amount_cents", true, 1, AMOUNT_MAX, 0, &t.d.amount_cents) ||
        !sls_body_str(rq, rs, "method", true, 8, &method))
        return;
    if (strcmp(method, "ach") != 0 && strcmp(method, "eft") != 0 && strcmp(method, "wire") != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Field 'method' must be ach, eft or wire",
                           NULL);
        return;
    }
    t.user = u;
    t.cap_cents = rq->app->cfg.limits.deposit_cap_cents;
    t.outside_sls = sls_step_up_gate(u->sls, s.factor, 0, rq->now) == SLS_STEP_UP_OUTSIDE_SLS;
    t.d.user_id = u->id;
    snprintf(t.d.method, sizeof(t.d.method), "%s", method);
    t.d.capped = strcmp(method, "wire") != 0;
    t.d.at = rq->now;
    if (sls_deposit_tx_apply(rq->app, &t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (!t.allowed) {
        sls_resp_error(rs, SLS_ERR_DEPOSIT_LIMIT,
                       "Send a wire, or opt back into the Secure Login System");
        left = t.cap_cents - t.deposited;
        json_object_set_new(rs->json, "remaining_cents", json_integer(left > 0 ? left : 0));
        return;
    }
    sls_resp_json(rs, 201,
                  json_pack("{s:I, s:I, s:s}", "id", (json_int_t)t.d.id, "amount_cents",
                            (json_int_t)t.d.amount_cents, "method", t.d.method));
}
