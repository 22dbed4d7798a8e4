/* The sls_db_ops of the SQLite store for R21 DSC+ orders and R32 sharing
 * requests. Every change is a compare-and-swap: an order's on its state and
 * the mask of auto-activation notices sent (one update for shipping,
 * notices and settling), a request's on its state, so two writers never
 * both ship one order, send one notice or decide one request. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

/* ---- DSC+ orders ---- */

#define ORDER_COLS                                                                                 \
    "id, user_id, state, address, deposit_account, hold_cents, pin, ordered_at, "                  \
    "estimated_ship_at, device_id, shipped_at, notices, settled_at"

static int row_order(sqlite3_stmt *st, void *out)
{
    struct sls_dsc_order_rec *o = out;
    int64_t state = sqlite3_column_int64(st, 2);
    int64_t notices = sqlite3_column_int64(st, 11);

    memset(o, 0, sizeof *o);
    if (state < 0 || state >= SLS_DSC_ORDER__COUNT || notices < 0 || notices > 0xff)
        return SLS_ERR_STORE;
    COLUMN_FIELD(st, 0, o->id);
    o->user_id = sqlite3_column_int64(st, 1);
    o->state = (enum sls_dsc_order_state)state;
    COLUMN_FIELD(st, 3, o->address);
    COLUMN_FIELD(st, 4, o->deposit_account);
    o->hold_cents = sqlite3_column_int64(st, 5);
    if (sls_sqlite_column_blob(st, 6, o->pin, sizeof o->pin, &o->pin_len) != SLS_OK)
        return SLS_ERR_STORE;
    o->ordered_at = sqlite3_column_int64(st, 7);
    o->estimated_ship_at = sqlite3_column_int64(st, 8);
    COLUMN_FIELD(st, 9, o->device_id);
    o->shipped_at = sqlite3_column_int64(st, 10);
    o->notices = (unsigned)notices;
    o->settled_at = sqlite3_column_int64(st, 12);
    return SLS_OK;
}

int sls_sqlite_dsc_order_insert(struct sls_db *db, const struct sls_dsc_order_rec *o)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (o->pin_len > sizeof o->pin || o->state >= SLS_DSC_ORDER__COUNT)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_DSC_ORDER_INSERT,
                             "INSERT INTO dsc_plus_orders(" ORDER_COLS ") VALUES(?1, ?2, ?3, ?4, "
                             "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (!st)
        goto out;
    BIND_FIELD(st, 1, o->id);
    sqlite3_bind_int64(st, 2, o->user_id);
    sqlite3_bind_int(st, 3, (int)o->state);
    BIND_FIELD(st, 4, o->address);
    BIND_FIELD(st, 5, o->deposit_account);
    sqlite3_bind_int64(st, 6, o->hold_cents);
    sqlite3_bind_blob(st, 7, o->pin, (int)o->pin_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, o->ordered_at);
    sqlite3_bind_int64(st, 9, o->estimated_ship_at);
    BIND_FIELD(st, 10, o->device_id);
    sqlite3_bind_int64(st, 11, o->shipped_at);
    sqlite3_bind_int64(st, 12, (int64_t)o->notices);
    sqlite3_bind_int64(st, 13, o->settled_at);
    ret = sls_sqlite_step_done(c, st);
out:
    sls_sqlite_stmt_put(c, SQ_DSC_ORDER_INSERT, st);
    return ret;
}

int sls_sqlite_dsc_order_get(struct sls_db *db, const char *id, struct sls_dsc_order_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_DSC_ORDER_GET, "SELECT " ORDER_COLS " FROM dsc_plus_orders WHERE id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_DSC_ORDER_GET, st, row_order, out);
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
    st = sls_sqlite_stmt_get(c, SQ_DSC_ORDER_LIST,
                             "SELECT " ORDER_COLS " FROM dsc_plus_orders "
                             "WHERE (?1 = 0 OR user_id = ?1) AND (?2 < 0 OR state = ?2) "
                             "ORDER BY ordered_at, id LIMIT ?3");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, state);
    sqlite3_bind_int64(st, 3, sls_sqlite_limit(max));
    ret = sls_sqlite_get_rows(c, st, row_order, out, sizeof *out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_DSC_ORDER_LIST, st);
    return ret;
}

int sls_sqlite_dsc_order_update(struct sls_db *db, const struct sls_dsc_order_rec *o,
                                enum sls_dsc_order_state expected_state, unsigned expected_notices)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret;

    if ((int)o->state < 0 || o->state >= SLS_DSC_ORDER__COUNT || o->notices > 0xff)
        return SLS_ERR_STORE;
    st = sls_sqlite_stmt_get(c, SQ_DSC_ORDER_UPDATE,
                             "UPDATE dsc_plus_orders SET state = ?2, device_id = ?3, "
                             "shipped_at = ?4, notices = ?5, settled_at = ?6 "
                             "WHERE id = ?1 AND state = ?7 AND notices = ?8");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, o->id);
    sqlite3_bind_int(st, 2, (int)o->state);
    BIND_FIELD(st, 3, o->device_id);
    sqlite3_bind_int64(st, 4, o->shipped_at);
    sqlite3_bind_int64(st, 5, (int64_t)o->notices);
    sqlite3_bind_int64(st, 6, o->settled_at);
    sqlite3_bind_int(st, 7, (int)expected_state);
    sqlite3_bind_int64(st, 8, (int64_t)expected_notices);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_DSC_ORDER_UPDATE, st);
    return ret;
}

/* ---- sharing requests ---- */

#define SHARING_COLS                                                                               \
    "id, requester_id, owner_id, device_id, state, created_at, decided_at, decided_by, "           \
    "inactivated"

static int row_sharing(sqlite3_stmt *st, void *out)
{
    struct sls_sharing_rec *r = out;
    int64_t state = sqlite3_column_int64(st, 4);

    memset(r, 0, sizeof *r);
    if (state < 0 || state >= SLS_SHARING_STATE__COUNT)
        return SLS_ERR_STORE;
    COLUMN_FIELD(st, 0, r->id);
    r->requester_id = sqlite3_column_int64(st, 1);
    r->owner_id = sqlite3_column_int64(st, 2);
    COLUMN_FIELD(st, 3, r->device_id);
    r->state = (enum sls_sharing_state)state;
    r->created_at = sqlite3_column_int64(st, 5);
    r->decided_at = sqlite3_column_int64(st, 6);
    COLUMN_FIELD(st, 7, r->decided_by);
    COLUMN_FIELD(st, 8, r->inactivated);
    return SLS_OK;
}

int sls_sqlite_sharing_insert(struct sls_db *db, const struct sls_sharing_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SHARING_INSERT,
                                           "INSERT INTO sharing_requests(" SHARING_COLS
                                           ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, r->id);
    sqlite3_bind_int64(st, 2, r->requester_id);
    sqlite3_bind_int64(st, 3, r->owner_id);
    BIND_FIELD(st, 4, r->device_id);
    sqlite3_bind_int(st, 5, (int)r->state);
    sqlite3_bind_int64(st, 6, r->created_at);
    sqlite3_bind_int64(st, 7, r->decided_at);
    BIND_FIELD(st, 8, r->decided_by);
    BIND_FIELD(st, 9, r->inactivated);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_SHARING_INSERT, st);
    return ret;
}

int sls_sqlite_sharing_get(struct sls_db *db, const char *id, struct sls_sharing_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_SHARING_GET, "SELECT " SHARING_COLS " FROM sharing_requests WHERE id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_get_row(c, SQ_SHARING_GET, st, row_sharing, out);
}

int sls_sqlite_sharing_get_open(struct sls_db *db, int64_t requester_id,
                                struct sls_sharing_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SHARING_GET_OPEN,
                                           "SELECT " SHARING_COLS " FROM sharing_requests "
                                           "WHERE requester_id = ?1 AND state IN (0, 1)");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, requester_id);
    return sls_sqlite_get_row(c, SQ_SHARING_GET_OPEN, st, row_sharing, out);
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
    st = sls_sqlite_stmt_get(c, SQ_SHARING_LIST,
                             "SELECT " SHARING_COLS " FROM sharing_requests "
                             "WHERE (?1 < 0 OR state = ?1) AND (?3 IS NULL OR device_id = ?3) "
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
    ret = sls_sqlite_get_rows(c, st, row_sharing, out, sizeof *out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_SHARING_LIST, st);
    return ret;
}

int sls_sqlite_sharing_update_cas(struct sls_db *db, const struct sls_sharing_rec *r,
                                  enum sls_sharing_state expected)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SHARING_UPDATE,
                                           "UPDATE sharing_requests SET state = ?2, "
                                           "decided_at = ?3, decided_by = ?4, inactivated = ?5 "
                                           "WHERE id = ?1 AND state = ?6");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, r->id);
    sqlite3_bind_int(st, 2, (int)r->state);
    sqlite3_bind_int64(st, 3, r->decided_at);
    BIND_FIELD(st, 4, r->decided_by);
    BIND_FIELD(st, 5, r->inactivated);
    sqlite3_bind_int(st, 6, (int)expected);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_SHARING_UPDATE, st);
    return ret;
}
