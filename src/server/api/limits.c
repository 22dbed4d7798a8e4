/* R31, R33 money movements of the signed-in user: GET /v1/me/limits, POST
 * /v1/me/withdrawals (step-up inside SLS; the limit checked and the
 * withdrawal recorded in one transaction, so two racing requests cannot both
 * take the last of a limit) and POST /v1/me/deposits (ACH and EFT capped in
 * total outside SLS; wires never). */
#include <stdlib.h>
#include <string.h>

#include "server/api/limits.h"
#include "server/app/app.h"
#include "server/flows/held_devices.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"
#include "server/flows/withdrawal_limits.h"

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

json_t *sls_limits_json(const struct sls_limits_state *st)
{
    json_t *o = json_object();

    json_object_set_new(o, "device", json_string(sls_device_type_name(st->row.device)));
    json_object_set_new(o, "per_day_cents", cents_json(st->row.per_day));
    json_object_set_new(o, "per_5_days_cents", cents_json(st->row.per_5_days));
    json_object_set_new(o, "used_today_cents", json_integer((json_int_t)st->used_today));
    json_object_set_new(o, "used_5_days_cents", json_integer((json_int_t)st->used_5_days));
    remaining_into(o, st);
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

static int limits_fn(struct sls_db *db, void *arg)
{
    return sls_limits_read(db, arg);
}

void sls_api_me_limits(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_limits_state st;

    state_init(&st, rq, &s);
    if (sls_store_read(rq->app->store, limits_fn, &st) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    sls_resp_json(rs, 200, sls_limits_json(&st));
}

struct withdraw_tx {
    struct sls_limits_state st;
    const char *username;
    int64_t amount;
    struct sls_withdrawal_rec w;
    bool allowed;
};

static int withdraw_fn(struct sls_db *db, void *arg)
{
    struct withdraw_tx *t = arg;
    char detail[160];
    int rc = sls_limits_read(db, &t->st);

    if (rc != SLS_OK)
        return rc;
    t->allowed = sls_limit_allows(&t->st.row, t->st.used_today, t->st.used_5_days, t->amount);
    snprintf(detail, sizeof(detail), "amount_cents=%lld device=%s", (long long)t->amount,
             sls_device_type_name(t->st.row.device));
    if (!t->allowed)
        return sls_audit_write_user(db, t->st.now, t->username, "withdrawal", "limit_exceeded",
                                    detail);
    memset(&t->w, 0, sizeof(t->w));
    t->w.user_id = t->st.user_id;
    t->w.amount_cents = t->amount;
    t->w.at = t->st.now;
    t->w.business_day = t->st.business_day;
    rc = SLS_DB(db, withdrawal_insert, &t->w);
    if (rc != SLS_OK)
        return rc;
    t->st.used_today += t->amount;
    t->st.used_5_days += t->amount;
    return sls_audit_write_user(db, t->st.now, t->username, "withdrawal", "ok", detail);
}

void sls_api_me_withdrawal(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct withdraw_tx t;
    char day[16];
    json_t *o;

    /* The route's gates: R34 inside SLS; outside it the `none` row applies (R31). */
    memset(&t, 0, sizeof(t));
    if (!sls_body_int(rq, rs, "amount_cents", true, 1, AMOUNT_MAX, 0, &t.amount))
        return;
    state_init(&t.st, rq, &s);
    t.username = u->username;
    if (sls_store_write(rq->app->store, withdraw_fn, &t) != SLS_OK) {
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

struct deposit_tx {
    const struct sls_user_rec *user;
    int64_t cap_cents; /* R31, as configured */
    bool outside_sls;
    struct sls_deposit_rec d;
    int64_t deposited;
    bool allowed;
};

static int deposit_fn(struct sls_db *db, void *arg)
{
    struct deposit_tx *t = arg;
    char detail[120];
    int rc = SLS_DB(db, deposit_sum_capped, t->user->id, &t->deposited);

    if (rc != SLS_OK)
        return rc;
    t->allowed = sls_deposit_allows(t->cap_cents, !t->outside_sls, t->d.capped, t->deposited,
                                    t->d.amount_cents);
    snprintf(detail, sizeof(detail), "amount_cents=%lld method=%s", (long long)t->d.amount_cents,
             t->d.method);
    if (t->allowed) {
        rc = SLS_DB(db, deposit_insert, &t->d);
        if (rc != SLS_OK)
            return rc;
    }
    return sls_audit_write_user(db, t->d.at, t->user->username, "deposit",
                                t->allowed ? "ok" : "deposit_limit", detail);
}

void sls_api_me_deposit(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_session_rec s = *rq->session;
    struct sls_user_rec *u = rq->user;
    struct deposit_tx t;
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
    if (sls_store_write(rq->app->store, deposit_fn, &t) != SLS_OK) {
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
