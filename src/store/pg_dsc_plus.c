/* The sls_db_ops of the PostgreSQL store for R21 DSC+ orders and R32
 * sharing requests, both read and written through their column tables
 * (columns.c). Every change is a compare-and-swap: an order's on its state
 * and the mask of notices sent, a request's on its state; at most one open
 * request per requester is a partial unique index (sharing_requests_open). */
#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

/* ---- DSC+ orders ---- */

int sls_pg_dsc_order_insert(struct sls_db *db, const struct sls_dsc_order_rec *o)
{
    struct sls_dsc_order_rec w = *o;

    return sls_pg_columns_insert(PG_CONN(db), PQ_DSC_ORDER_INSERT, &sls_columns_dsc_order, &w);
}

int sls_pg_dsc_order_get(struct sls_db *db, const char *id, struct sls_dsc_order_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_DSC_ORDER_GET, &sls_columns_dsc_order, id, 0, out);
}

int sls_pg_dsc_order_list(struct sls_db *db, int64_t user_id, int state,
                          struct sls_dsc_order_rec *out, size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_int(&p, 2, state);
    sls_pg_param_int(&p, 3, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_DSC_ORDER_LIST, &sls_columns_dsc_order,
                               "($1::bigint = 0 OR user_id = $1::bigint) AND ($2::integer < 0 OR "
                               "state = $2::integer) ORDER BY ordered_at, id LIMIT $3::bigint",
                               &p, out, max, n);
}

int sls_pg_dsc_order_update(struct sls_db *db, const struct sls_dsc_order_rec *o,
                            enum sls_dsc_order_state expected_state, unsigned expected_notices)
{
    const int64_t args[] = {(int64_t)expected_state, (int64_t)expected_notices};

    return sls_pg_columns_cas(PG_CONN(db), PQ_DSC_ORDER_UPDATE, &sls_columns_dsc_order, o,
                              SLS_DSC_ORDER_SET_PROGRESS, "state = $101 AND notices = $102", args,
                              2);
}

/* ---- sharing requests ---- */

int sls_pg_sharing_insert(struct sls_db *db, const struct sls_sharing_rec *r)
{
    struct sls_sharing_rec w = *r;

    return sls_pg_columns_insert(PG_CONN(db), PQ_SHARING_INSERT, &sls_columns_sharing, &w);
}

int sls_pg_sharing_get(struct sls_db *db, const char *id, struct sls_sharing_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_SHARING_GET, &sls_columns_sharing, id, 0, out);
}

int sls_pg_sharing_get_open(struct sls_db *db, int64_t requester_id, struct sls_sharing_rec *out)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, requester_id);
    return sls_pg_columns_select_one(PG_CONN(db), PQ_SHARING_GET_OPEN, &sls_columns_sharing,
                                     "requester_id = $1::bigint AND state IN (0, 1)", &p, out);
}

int sls_pg_sharing_list(struct sls_db *db, int state, const char *device_id,
                        struct sls_sharing_rec *out, size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, state);
    sls_pg_param_int(&p, 2, sls_pg_limit(max));
    if (device_id)
        sls_pg_param_text(&p, 3, device_id);
    else
        sls_pg_param_null(&p, 3);
    return sls_pg_columns_list(PG_CONN(db), PQ_SHARING_LIST, &sls_columns_sharing,
                               "($1::integer < 0 OR state = $1::integer) AND ($3::text IS NULL OR "
                               "device_id = $3::text) ORDER BY created_at, id LIMIT $2::bigint",
                               &p, out, max, n);
}

int sls_pg_sharing_update_cas(struct sls_db *db, const struct sls_sharing_rec *r,
                              enum sls_sharing_state expected)
{
    const int64_t args[] = {(int64_t)expected};

    return sls_pg_columns_cas(PG_CONN(db), PQ_SHARING_UPDATE, &sls_columns_sharing, r,
                              SLS_SHARING_SET_DECISION, "state = $101", args, 1);
}
