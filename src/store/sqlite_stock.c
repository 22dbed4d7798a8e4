/* The sls_db_ops of the SQLite store for the token stock (SPEC §10.4): the
 * tokens vendors delivered, read and written through their column table
 * (columns.c). A serial is stocked once and never when a device already
 * carries it; a token is taken by one device only, by a compare-and-swap on
 * its empty device_id. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

/* SLS_ERR_CONFLICT when a registered device carries serial, else SLS_OK. */
static int serial_on_device(struct sls_sqlite_conn *c, const char *serial)
{
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_STOCK_DEVICE_SERIAL, "SELECT 1 FROM devices WHERE serial = ?1 AND serial <> ''");
    int rc, ret = SLS_OK;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        ret = SLS_ERR_CONFLICT;
    else if (rc != SQLITE_DONE)
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, SQ_STOCK_DEVICE_SERIAL, st);
    return ret;
}

int sls_sqlite_stock_insert(struct sls_db *db, const struct sls_stock_rec *t)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    struct sls_stock_rec w = *t;
    int ret = serial_on_device(c, t->serial);

    if (ret == SLS_OK)
        ret = sls_sqlite_columns_insert(c, SQ_STOCK_INSERT, &sls_columns_stock, &w);
    return ret;
}

int sls_sqlite_stock_get(struct sls_db *db, const char *serial, struct sls_stock_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_STOCK_GET, &sls_columns_stock, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_STOCK_GET, &sls_columns_stock, st, out);
}

int sls_sqlite_stock_assign(struct sls_db *db, const char *serial, const char *device_id,
                            sls_time at)
{
    struct sls_stock_rec w = {.assigned_at = at};

    /* A serial or id too long for its field names no stored token. */
    if (strlen(serial) >= sizeof w.serial || strlen(device_id) >= sizeof w.device_id)
        return SLS_ERR_CONFLICT;
    memcpy(w.serial, serial, strlen(serial) + 1);
    memcpy(w.device_id, device_id, strlen(device_id) + 1);
    return sls_sqlite_columns_cas((struct sls_sqlite_conn *)db, SQ_STOCK_ASSIGN, &sls_columns_stock,
                                  &w, SLS_STOCK_SET_ASSIGNED, "device_id = ''", NULL, 0);
}

int sls_sqlite_stock_list(struct sls_db *db, const char *after, struct sls_stock_rec *out,
                          size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_columns_stmt(c, SQ_STOCK_LIST, &sls_columns_stock, SLS_SQLITE_SQL_SELECT,
                                 "serial > ?1 ORDER BY serial LIMIT ?2");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_text(st, 1, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_stock, out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_STOCK_LIST, st);
    return ret;
}

int sls_sqlite_stock_count(struct sls_db *db, int64_t *total, int64_t *assigned)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_STOCK_COUNT, "SELECT count(*), coalesce(sum(device_id <> ''), 0) FROM device_stock");
    int rc, ret = SLS_OK;

    *total = *assigned = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *total = sqlite3_column_int64(st, 0);
        *assigned = sqlite3_column_int64(st, 1);
    } else {
        ret = sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, SQ_STOCK_COUNT, st);
    return ret;
}
