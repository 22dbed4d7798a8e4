/* PostgreSQL rows of the account holder's money and settings: withdrawals
 * (R33), deposits (R31), security reviews (R4), banking instructions (R4),
 * each read and written through its column table (columns.c). A limit
 * checked against withdrawal_sum and followed by withdrawal_insert in one
 * write stays exact across nodes: the transaction is SERIALIZABLE
 * (pg_store.c), so of two that read the same sum one runs again. */
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

/* ---- withdrawals and deposits ---- */

int sls_pg_withdrawal_insert(struct sls_db *db, struct sls_withdrawal_rec *w)
{
    return sls_pg_columns_insert(PG_CONN(db), PQ_WITHDRAWAL_INSERT, &sls_columns_withdrawal, w);
}

int sls_pg_withdrawal_sum(struct sls_db *db, int64_t user_id, int64_t from_day, int64_t to_day,
                          int64_t *sum)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_int(&p, 2, from_day);
    sls_pg_param_int(&p, 3, to_day);
    return sls_pg_query_int(PG_CONN(db), PQ_WITHDRAWAL_SUM,
                            "SELECT coalesce(sum(amount_cents), 0) FROM withdrawals WHERE "
                            "user_id = $1::bigint AND business_day BETWEEN $2::bigint AND "
                            "$3::bigint",
                            &p, sum);
}

int sls_pg_deposit_insert(struct sls_db *db, struct sls_deposit_rec *d)
{
    return sls_pg_columns_insert(PG_CONN(db), PQ_DEPOSIT_INSERT, &sls_columns_deposit, d);
}

int sls_pg_deposit_sum_capped(struct sls_db *db, int64_t user_id, int64_t *sum)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    return sls_pg_query_int(PG_CONN(db), PQ_DEPOSIT_SUM,
                            "SELECT coalesce(sum(amount_cents), 0) FROM deposits WHERE "
                            "user_id = $1::bigint AND capped = 1",
                            &p, sum);
}

/* ---- security reviews ---- */

int sls_pg_review_insert(struct sls_db *db, struct sls_review_rec *r)
{
    struct sls_review_rec w = *r;
    int ret;

    /* A review starts pending, whatever the caller left in the decision. */
    w.state = SLS_REVIEW_PENDING;
    w.decided_by[0] = '\0';
    w.decided_at = 0;
    ret = sls_pg_columns_insert(PG_CONN(db), PQ_REVIEW_INSERT, &sls_columns_review, &w);
    if (ret == SLS_OK) {
        r->id = w.id;
        r->state = w.state;
        r->decided_by[0] = '\0';
        r->decided_at = 0;
    }
    return ret;
}

int sls_pg_review_get(struct sls_db *db, int64_t id, struct sls_review_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_REVIEW_GET, &sls_columns_review, NULL, id, out);
}

int sls_pg_review_list(struct sls_db *db, int64_t user_id, int state, bool newest_first,
                       struct sls_review_rec *out, size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, sls_pg_limit(max));
    sls_pg_param_int(&p, 2, user_id);
    sls_pg_param_int(&p, 3, state);
    return sls_pg_columns_list(
        PG_CONN(db), newest_first ? PQ_REVIEW_LIST_NEWEST : PQ_REVIEW_LIST, &sls_columns_review,
        newest_first ? "($2::bigint = 0 OR user_id = $2::bigint) AND ($3::integer < 0 OR "
                       "state = $3::integer) ORDER BY id DESC LIMIT $1::bigint"
                     : "($2::bigint = 0 OR user_id = $2::bigint) AND ($3::integer < 0 OR "
                       "state = $3::integer) ORDER BY id LIMIT $1::bigint",
        &p, out, max, n);
}

int sls_pg_review_decide(struct sls_db *db, int64_t id, enum sls_review_state state, const char *by,
                         sls_time at)
{
    struct sls_review_rec w;
    size_t len = strlen(by);

    if (state != SLS_REVIEW_APPROVED && state != SLS_REVIEW_DENIED)
        return SLS_ERR_BAD_REQUEST;
    memset(&w, 0, sizeof w);
    if (len >= sizeof w.decided_by)
        return SLS_ERR_STORE; /* too long for its field: refused, never cut */
    w.id = id;
    w.state = state;
    memcpy(w.decided_by, by, len + 1);
    w.decided_at = at;
    /* Only while pending; SLS_ERR_NOT_FOUND when there is no such review. */
    return sls_pg_columns_update(PG_CONN(db), PQ_REVIEW_DECIDE, PQ_REVIEW_GET, &sls_columns_review,
                                 &w, SLS_REVIEW_SET_DECISION, 0, "state = 0");
}

/* ---- banking instructions ---- */

int sls_pg_bank_put(struct sls_db *db, const struct sls_bank_rec *b)
{
    struct sls_bank_rec w = *b;

    return sls_pg_columns_put(PG_CONN(db), PQ_BANK_PUT, &sls_columns_bank, &w);
}

int sls_pg_bank_get(struct sls_db *db, int64_t user_id, struct sls_bank_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_BANK_GET, &sls_columns_bank, NULL, user_id, out);
}
