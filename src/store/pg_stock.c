/* The sls_db_ops of the PostgreSQL store for the token stock (SPEC §10.4),
 * read and written through its column table (columns.c). A serial is
 * stocked once (ON CONFLICT DO NOTHING: a duplicate leaves the transaction
 * usable) and never when a device already carries it; a token is taken by
 * one device only, by a compare-and-swap on its empty device_id. */
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

int sls_pg_stock_insert(struct sls_db *db, const struct sls_stock_rec *t)
{
    struct sls_pg_params p = {.n = 0};
    struct sls_stock_rec w = *t;
    int64_t on_device = 0;
    int ret;

    sls_pg_param_text(&p, 1, t->serial);
    ret = sls_pg_query_int(PG_CONN(db), PQ_STOCK_DEVICE_SERIAL,
                           "SELECT count(*) FROM devices WHERE serial = $1::text AND serial <> ''",
                           &p, &on_device);
    if (ret != SLS_OK)
        return ret;
    if (on_device > 0)
        return SLS_ERR_CONFLICT;
    return sls_pg_columns_insert(PG_CONN(db), PQ_STOCK_INSERT, &sls_columns_stock, &w);
}

int sls_pg_stock_get(struct sls_db *db, const char *serial, struct sls_stock_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_STOCK_GET, &sls_columns_stock, serial, 0, out);
}

int sls_pg_stock_assign(struct sls_db *db, const char *serial, const char *device_id, sls_time at)
{
    static const int64_t unassigned[] = {0}; /* assigned_at while in stock */
    struct sls_stock_rec w = {.assigned_at = at};

    /* A serial or id too long for its field names no stored token. */
    if (strlen(serial) >= sizeof w.serial || strlen(device_id) >= sizeof w.device_id)
        return SLS_ERR_CONFLICT;
    memcpy(w.serial, serial, strlen(serial) + 1);
    memcpy(w.device_id, device_id, strlen(device_id) + 1);
    return sls_pg_columns_cas(PG_CONN(db), PQ_STOCK_ASSIGN, &sls_columns_stock, &w,
                              SLS_STOCK_SET_ASSIGNED, "device_id = '' AND assigned_at = $101",
                              unassigned, 1);
}

int sls_pg_stock_list(struct sls_db *db, const char *after, struct sls_stock_rec *out, size_t max,
                      size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_text(&p, 1, after ? after : "");
    sls_pg_param_int(&p, 2, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_STOCK_LIST, &sls_columns_stock,
                               "serial > $1::text ORDER BY serial LIMIT $2::bigint", &p, out, max,
                               n);
}

int sls_pg_stock_count(struct sls_db *db, int64_t *total, int64_t *assigned)
{
    struct sls_pg_params p = {.n = 0};
    int ret;

    *total = *assigned = 0;
    ret = sls_pg_query_int(PG_CONN(db), PQ_STOCK_COUNT, "SELECT count(*) FROM device_stock", &p,
                           total);
    if (ret != SLS_OK)
        return ret;
    /* A second statement in the same snapshot: the write or read callback's. */
    return sls_pg_query_int(PG_CONN(db), PQ_STOCK_COUNT_ASSIGNED,
                            "SELECT count(*) FROM device_stock WHERE device_id <> ''", &p,
                            assigned);
}
