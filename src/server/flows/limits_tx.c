/* The store side of R31 and R33 money movements; see limits_tx.h. */
#include "server/flows/limits_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/limits.h"
#include "server/flows/audit_event.h"

static int limits_fn(struct sls_db *db, void *arg)
{
    return sls_limits_read(db, arg);
}

int sls_limits_tx_read(const struct sls_app *app, struct sls_limits_state *st)
{
    return sls_store_read(app->store, limits_fn, st);
}

/* What a withdrawal and a deposit share once the rule was asked: the
 * movement recorded when allowed, and the audit record either way. */
struct movement {
    sls_time now;
    const char *username;
    const char *event;   /* "withdrawal", "deposit" */
    const char *refused; /* the audit outcome of a refusal */
    bool allowed;
    const char *detail;
    int (*insert)(struct sls_db *db, void *rec);
    void *rec;
};

static int record(struct sls_db *db, const struct movement *m)
{
    int rc = m->allowed ? m->insert(db, m->rec) : SLS_OK;

    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, m->now, m->username, m->event, m->allowed ? "ok" : m->refused,
                                m->detail);
}

static int withdrawal_insert(struct sls_db *db, void *rec)
{
    return SLS_DB(db, withdrawal_insert, rec);
}

static int withdrawal_fn(struct sls_db *db, void *arg)
{
    struct sls_withdrawal_tx *t = arg;
    char detail[160];
    struct movement m = {t->st.now, t->username, "withdrawal",      "limit_exceeded",
                         false,     detail,      withdrawal_insert, &t->w};
    int rc = sls_limits_read(db, &t->st);

    if (rc != SLS_OK)
        return rc;
    t->allowed = sls_limit_allows(&t->st.row, t->st.used_today, t->st.used_5_days, t->amount);
    snprintf(detail, sizeof(detail), "amount_cents=%lld device=%s", (long long)t->amount,
             sls_device_type_name(t->st.row.device));
    memset(&t->w, 0, sizeof(t->w));
    t->w.user_id = t->st.user_id;
    t->w.amount_cents = t->amount;
    t->w.at = t->st.now;
    t->w.business_day = t->st.business_day;
    m.allowed = t->allowed;
    rc = record(db, &m);
    if (rc == SLS_OK && t->allowed) {
        t->st.used_today += t->amount;
        t->st.used_5_days += t->amount;
    }
    return rc;
}

int sls_withdrawal_tx_apply(const struct sls_app *app, struct sls_withdrawal_tx *t)
{
    return sls_store_write(app->store, withdrawal_fn, t);
}

static int deposit_insert(struct sls_db *db, void *rec)
{
    return SLS_DB(db, deposit_insert, rec);
}

static int deposit_fn(struct sls_db *db, void *arg)
{
    struct sls_deposit_tx *t = arg;
    char detail[120];
    struct movement m = {t->d.at, t->user->username, "deposit", "deposit_limit", false,
                         detail,  deposit_insert,    &t->d};
    int rc = SLS_DB(db, deposit_sum_capped, t->user->id, &t->deposited);

    if (rc != SLS_OK)
        return rc;
    t->allowed = sls_deposit_allows(t->cap_cents, !t->outside_sls, t->d.capped, t->deposited,
                                    t->d.amount_cents);
    snprintf(detail, sizeof(detail), "amount_cents=%lld method=%s", (long long)t->d.amount_cents,
             t->d.method);
    m.allowed = t->allowed;
    return record(db, &m);
}

int sls_deposit_tx_apply(const struct sls_app *app, struct sls_deposit_tx *t)
{
    return sls_store_write(app->store, deposit_fn, t);
}
