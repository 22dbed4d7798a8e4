/* The SQLite side of the column tables: binding records, reading rows with
 * every bound checked, and the SQL text of insert, get, select and update
 * built from a table (sqlite_columns.h). */
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "columns_sql.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

/* Room for the SQL text of one statement of a record. */
#define SQL_MAX 4096

/* Logs a refused value by table, column and what is wrong, never by value. */
static int refuse(const struct sls_columns *t, const struct sls_column *col, int rc)
{
    const char *what = rc == SQLITE_TOOBIG     ? "too long for its field"
                       : rc == SQLITE_RANGE    ? "out of range"
                       : rc == SQLITE_MISMATCH ? "malformed"
                                               : "refused";
    char op[96];

    snprintf(op, sizeof op, "%s.%s %s", t->table, col->name, what);
    return sls_sqlite_report(NULL, op, rc, NULL, 0);
}

/* Binds column i of rec to parameter p. */
static int bind_one(sqlite3_stmt *st, const struct sls_columns *t, size_t i, const void *rec, int p)
{
    const struct sls_column *col = &t->cols[i];
    const char *field = (const char *)rec + col->offset;
    int rc = SQLITE_OK;

    switch (col->type) {
    case SLS_COL_INT64:
    case SLS_COL_TIME: {
        int64_t v = sls_columns_get_int64(rec, col);

        if ((col->flags & SLS_COL_ZERO_NULL) && v == 0)
            rc = sqlite3_bind_null(st, p);
        else
            rc = sqlite3_bind_int64(st, p, v);
        break;
    }
    case SLS_COL_INT:
        rc = sqlite3_bind_int(st, p, sls_columns_get_int(rec, col));
        break;
    case SLS_COL_ENUM: {
        int v = sls_columns_get_int(rec, col);

        if (v < 0 || v >= col->count)
            return refuse(t, col, SQLITE_RANGE);
        rc = sqlite3_bind_int(st, p, v);
        break;
    }
    case SLS_COL_BOOL: {
        rc = sqlite3_bind_int(st, p, sls_columns_get_bool(rec, col) ? 1 : 0);
        break;
    }
    case SLS_COL_TEXT:
        if (!sls_columns_text_fits(col, rec))
            return refuse(t, col, SQLITE_TOOBIG);
        rc = sqlite3_bind_text(st, p, field, (int)strlen(field), SQLITE_STATIC);
        break;
    case SLS_COL_BLOB: {
        size_t len;

        memcpy(&len, (const char *)rec + col->len_offset, sizeof len);
        if (len > col->size)
            return refuse(t, col, SQLITE_TOOBIG);
        rc = sqlite3_bind_blob(st, p, field, (int)len, SQLITE_STATIC);
        break;
    }
    case SLS_COL_LOCKOUT: {
        char text[SLS_SQLITE_LOCKOUT_TEXT];

        if (sls_lockout_encode((const struct sls_lockout_state *)(const void *)field, text,
                               sizeof text) != 0)
            return refuse(t, col, SQLITE_TOOBIG);
        rc = sqlite3_bind_text(st, p, text, -1, SQLITE_TRANSIENT);
        break;
    }
    }
    return rc == SQLITE_OK ? SLS_OK : refuse(t, col, rc);
}

int sls_sqlite_columns_bind(sqlite3_stmt *st, const struct sls_columns *t, const void *rec,
                            bool insert, unsigned groups)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct sls_column *col = &t->cols[i];
        bool want = insert ? !(col->flags & SLS_COL_GENERATED)
                           : (col->flags & SLS_COL_KEY) || (col->group & groups);
        int ret;

        if (!want)
            continue;
        ret = bind_one(st, t, i, rec, (int)i + 2);
        if (ret != SLS_OK)
            return ret;
    }
    return SLS_OK;
}

int sls_sqlite_columns_row(sqlite3_stmt *st, const struct sls_columns *t, void *rec)
{
    memset(rec, 0, t->size);
    for (size_t i = 0; i < t->n; i++) {
        const struct sls_column *col = &t->cols[i];
        char *field = (char *)rec + col->offset;
        int k = (int)i;

        switch (col->type) {
        case SLS_COL_INT64:
        case SLS_COL_TIME:
            /* NULL reads as 0 */
            sls_columns_set_int64(rec, col, sqlite3_column_int64(st, k));
            break;
        case SLS_COL_INT:
        case SLS_COL_ENUM:
            if (sls_columns_set_int(rec, col, sqlite3_column_int64(st, k)) != SLS_OK)
                return refuse(t, col, SQLITE_RANGE);
            break;
        case SLS_COL_BOOL:
            sls_columns_set_bool(rec, col, sqlite3_column_int64(st, k) != 0);
            break;
        case SLS_COL_TEXT: {
            const unsigned char *v = sqlite3_column_text(st, k);
            size_t n = v ? (size_t)sqlite3_column_bytes(st, k) : 0;

            if (sls_columns_set_text(rec, col, (const char *)v, n) != SLS_OK)
                return refuse(t, col, SQLITE_TOOBIG);
            break;
        }
        case SLS_COL_BLOB: {
            size_t len = 0;

            if (sls_sqlite_column_blob(st, k, (uint8_t *)field, col->size, &len) != SLS_OK)
                return refuse(t, col, SQLITE_TOOBIG);
            sls_columns_set_blob_len(rec, col, len);
            break;
        }
        case SLS_COL_LOCKOUT:
            if (sls_lockout_decode((const char *)sqlite3_column_text(st, k),
                                   (struct sls_lockout_state *)(void *)field) != 0)
                return refuse(t, col, SQLITE_MISMATCH);
            break;
        }
    }
    return SLS_OK;
}

int sls_sqlite_columns_sql(const struct sls_columns *t, enum sls_sqlite_sql kind, const char *where,
                           char *out, size_t outlen)
{
    struct sls_sql_text b;

    if (sls_columns_find(t, SLS_COL_KEY) < 0 || (kind == SLS_SQLITE_SQL_SELECT && !where))
        return SLS_ERR_STORE;
    sls_sql_text_init(&b, out, outlen);
    switch (kind) {
    case SLS_SQLITE_SQL_INSERT:
    case SLS_SQLITE_SQL_PUT:
        sls_sql_text_add(&b, "INSERT %sINTO %s(", kind == SLS_SQLITE_SQL_PUT ? "OR REPLACE " : "",
                         t->table);
        sls_sql_text_names(&b, t, true);
        sls_sql_text_add(&b, ") VALUES(");
        sls_sql_text_params(&b, t, '?');
        sls_sql_text_add(&b, ")");
        break;
    case SLS_SQLITE_SQL_GET:
    case SLS_SQLITE_SQL_SELECT:
        sls_sql_text_select(&b, t, kind == SLS_SQLITE_SQL_GET ? NULL : where, '?');
        break;
    case SLS_SQLITE_SQL_UPDATE:
        sls_sql_text_update(&b, t, where, '?');
        break;
    }
    return sls_sql_text_done(&b);
}

sqlite3_stmt *sls_sqlite_columns_stmt(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                                      const struct sls_columns *t, enum sls_sqlite_sql kind,
                                      const char *where)
{
    char sql[SQL_MAX];

    /* Built once: the slot keeps the statement, and its text for a copy. */
    if (c->stmt[slot])
        return sls_sqlite_stmt_get(c, slot, sqlite3_sql(c->stmt[slot]));
    c->op = slot;
    if (sls_sqlite_columns_sql(t, kind, where, sql, sizeof sql) != SLS_OK)
        return NULL;
    return sls_sqlite_stmt_get(c, slot, sql);
}

/* Writes rec with the INSERT or PUT statement of slot. */
static int write_row(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                     const struct sls_columns *t, void *rec, enum sls_sqlite_sql kind)
{
    sqlite3_stmt *st = sls_sqlite_columns_stmt(c, slot, t, kind, NULL);
    int gen = sls_columns_find(t, SLS_COL_GENERATED);
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    ret = sls_sqlite_columns_bind(st, t, rec, true, 0);
    if (ret == SLS_OK)
        ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK && gen >= 0) {
        int64_t id = sqlite3_last_insert_rowid(c->h);

        memcpy((char *)rec + t->cols[gen].offset, &id, sizeof id);
    }
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_columns_insert(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                              const struct sls_columns *t, void *rec)
{
    return write_row(c, slot, t, rec, SLS_SQLITE_SQL_INSERT);
}

int sls_sqlite_columns_put(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                           const struct sls_columns *t, void *rec)
{
    return write_row(c, slot, t, rec, SLS_SQLITE_SQL_PUT);
}

int sls_sqlite_columns_get(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                           const struct sls_columns *t, sqlite3_stmt *st, void *out)
{
    int rc = sqlite3_step(st);
    int ret;

    if (rc == SQLITE_ROW)
        ret = sls_sqlite_columns_row(st, t, out);
    else if (rc == SQLITE_DONE)
        ret = SLS_ERR_NOT_FOUND;
    else
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_columns_list(struct sls_sqlite_conn *c, sqlite3_stmt *st,
                            const struct sls_columns *t, void *out, size_t max, size_t *n)
{
    int rc = SQLITE_DONE, ret;

    *n = 0;
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = sls_sqlite_columns_row(st, t, (char *)out + *n * t->size);
        if (ret != SLS_OK)
            return ret;
        (*n)++;
    }
    if (*n < max && rc != SQLITE_DONE)
        return sls_sqlite_error(c, rc);
    return SLS_OK;
}

/* Whether the row of rec's key is stored: SLS_OK, SLS_ERR_NOT_FOUND or an error. */
static int exists(struct sls_sqlite_conn *c, enum sls_sqlite_slot get_slot,
                  const struct sls_columns *t, const void *rec)
{
    sqlite3_stmt *st = sls_sqlite_columns_stmt(c, get_slot, t, SLS_SQLITE_SQL_GET, NULL);
    int key = sls_columns_find(t, SLS_COL_KEY);
    int ret, rc;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    ret = bind_one(st, t, (size_t)key, rec, 1);
    if (ret == SLS_OK) {
        rc = sqlite3_step(st);
        ret = rc == SQLITE_ROW    ? SLS_OK
              : rc == SQLITE_DONE ? SLS_ERR_NOT_FOUND
                                  : sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, get_slot, st);
    return ret;
}

int sls_sqlite_columns_update(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                              enum sls_sqlite_slot get_slot, const struct sls_columns *t,
                              const void *rec, unsigned groups, int64_t expected_version,
                              const char *where)
{
    sqlite3_stmt *st = sls_sqlite_columns_stmt(c, slot, t, SLS_SQLITE_SQL_UPDATE, where);
    bool versioned = sls_columns_find(t, SLS_COL_VERSION) >= 0;
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    ret = sls_sqlite_columns_bind(st, t, rec, false, groups);
    if (ret == SLS_OK) {
        sqlite3_bind_int64(st, 1, (int64_t)groups);
        if (versioned)
            sqlite3_bind_int64(st, (int)t->n + 2, expected_version);
        ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    }
    sls_sqlite_stmt_put(c, slot, st);
    if (ret == SLS_ERR_NOT_FOUND && (versioned || where)) {
        ret = exists(c, get_slot, t, rec);
        if (ret == SLS_OK)
            ret = SLS_ERR_CONFLICT;
    }
    return ret;
}

int sls_sqlite_columns_cas(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                           const struct sls_columns *t, const void *rec, unsigned groups,
                           const char *where, const int64_t *args, size_t nargs)
{
    sqlite3_stmt *st;
    int ret;

    if (t->n + 2 >= SLS_SQLITE_CAS_ARG || sls_columns_find(t, SLS_COL_VERSION) >= 0)
        return SLS_ERR_STORE;
    st = sls_sqlite_columns_stmt(c, slot, t, SLS_SQLITE_SQL_UPDATE, where);
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    ret = sls_sqlite_columns_bind(st, t, rec, false, groups);
    if (ret == SLS_OK) {
        sqlite3_bind_int64(st, 1, (int64_t)groups);
        for (size_t i = 0; i < nargs; i++)
            sqlite3_bind_int64(st, SLS_SQLITE_CAS_ARG + (int)i, args[i]);
        ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    }
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}
