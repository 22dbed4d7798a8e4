/* The sls_db_ops of the SQLite store for R21 DSC+ orders and R32 sharing
 * requests, both read and written through their column tables (columns.c).
 * Every change is a compare-and-swap: an order's on its state and the mask
 * of auto-activation notices sent (one update for shipping, notices and
 * settling), a request's on its state, so two writers never both ship one
 * order, send one notice or decide one request. */
#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

/* ---- DSC+ orders ---- */

int sls_sqlite_dsc_order_insert(struct sls_db *db, const struct sls_dsc_order_rec *o)
{
    struct sls_dsc_order_rec w = *o;

    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_DSC_ORDER_INSERT,
                                     &sls_columns_dsc_order, &w);
}

int sls_sqlite_dsc_order_get(struct sls_db *db, const char *id, struct sls_dsc_order_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_columns_stmt(c, SQ_DSC_ORDER_GET, &sls_columns_dsc_order,
                                               SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_DSC_ORDER_GET, &sls_columns_dsc_order, st, out);
}

int sls_sqlite_dsc_order_list(struct sls_db *db, int64_t user_id, int state,
                              struct sls_dsc_order_rec *out, size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st =
        sls_sqlite_columns_stmt(c, SQ_DSC_ORDER_LIST, &sls_columns_dsc_order, SLS_SQLITE_SQL_SELECT,
                                "(?1 = 0 OR user_id = ?1) AND (?2 < 0 OR state = ?2) "
                                "ORDER BY ordered_at, id LIMIT ?3");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, state);
    sqlite3_bind_int64(st, 3, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_dsc_order, out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_DSC_ORDER_LIST, st);
    return ret;
}

int sls_sqlite_dsc_order_update(struct sls_db *db, const struct sls_dsc_order_rec *o,
                                enum sls_dsc_order_state expected_state, unsigned expected_notices)
{
    const int64_t args[] = {(int64_t)expected_state, (int64_t)expected_notices};

    return sls_sqlite_columns_cas((struct sls_sqlite_conn *)db, SQ_DSC_ORDER_UPDATE,
                                  &sls_columns_dsc_order, o, SLS_DSC_ORDER_SET_PROGRESS,
                                  "state = ?101 AND notices = ?102", args, 2);
}

/* ---- sharing requests ---- */

int sls_sqlite_sharing_insert(struct sls_db *db, const struct sls_sharing_rec *r)
{
    struct sls_sharing_rec w = *r;

    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_SHARING_INSERT,
                                     &sls_columns_sharing, &w);
}

int sls_sqlite_sharing_get(struct sls_db *db, const char *id, struct sls_sharing_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_SHARING_GET, &sls_columns_sharing, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_SHARING_GET, &sls_columns_sharing, st, out);
}

int sls_sqlite_sharing_get_open(struct sls_db *db, int64_t requester_id,
                                struct sls_sharing_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_SHARING_GET_OPEN, &sls_columns_sharing, SLS_SQLITE_SQL_SELECT,
                                "requester_id = ?1 AND state IN (0, 1)");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, requester_id);
    return sls_sqlite_columns_get(c, SQ_SHARING_GET_OPEN, &sls_columns_sharing, st, out);
}

int sls_sqlite_sharing_list(struct sls_db *db, int state, const char *device_id,
                            struct sls_sharing_rec *out, size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_columns_stmt(c, SQ_SHARING_LIST, &sls_columns_sharing, SLS_SQLITE_SQL_SELECT,
                                 "(?1 < 0 OR state = ?1) AND (?3 IS NULL OR device_id = ?3) "
                                 "ORDER BY created_at, id LIMIT ?2");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int(st, 1, state);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    if (device_id != NULL)
        sqlite3_bind_text(st, 3, device_id, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 3);
    ret = sls_sqlite_columns_list(c, st, &sls_columns_sharing, out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_SHARING_LIST, st);
    return ret;
}

int sls_sqlite_sharing_update_cas(struct sls_db *db, const struct sls_sharing_rec *r,
                                  enum sls_sharing_state expected)
{
    const int64_t args[] = {(int64_t)expected};

    return sls_sqlite_columns_cas((struct sls_sqlite_conn *)db, SQ_SHARING_UPDATE,
                                  &sls_columns_sharing, r, SLS_SHARING_SET_DECISION, "state = ?101",
                                  args, 1);
}
