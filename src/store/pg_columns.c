/* The PostgreSQL side of the column tables: binding records as statement
 * parameters, reading rows with every bound checked, and the SQL text of
 * insert, put, get, select and update built from a table (pg_columns.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "columns_sql.h"
#include "pg_columns.h"

/* Room for the SQL text of one statement of a record. */
#define SQL_MAX 4096

/* Type OIDs of the parameters (pg_type.h, stable across versions). */
#define OID_BYTEA 17
#define OID_INT8  20
#define OID_TEXT  25

/* Logs a refused value by table, column and what is wrong, never by value. */
static int refuse(const struct sls_columns *t, const struct sls_column *col, const char *what)
{
    char op[96];

    snprintf(op, sizeof op, "%s.%s %s", t->table, col->name, what);
    sls_pg_report(op, "-", "refused", NULL, 0);
    return SLS_ERR_STORE;
}

/* Binds column i of rec to parameter pn. */
static int bind_one(struct sls_pg_params *p, const struct sls_columns *t, size_t i, const void *rec,
                    int pn, char *lockout_buf)
{
    const struct sls_column *col = &t->cols[i];
    const char *field = (const char *)rec + col->offset;

    switch (col->type) {
    case SLS_COL_INT64:
    case SLS_COL_TIME: {
        int64_t v = sls_columns_get_int64(rec, col);

        if ((col->flags & SLS_COL_ZERO_NULL) && v == 0)
            sls_pg_param_null(p, pn);
        else
            sls_pg_param_int(p, pn, v);
        break;
    }
    case SLS_COL_INT:
        sls_pg_param_int(p, pn, sls_columns_get_int(rec, col));
        break;
    case SLS_COL_ENUM: {
        int v = sls_columns_get_int(rec, col);

        if (v < 0 || v >= col->count)
            return refuse(t, col, "out of range");
        sls_pg_param_int(p, pn, v);
        break;
    }
    case SLS_COL_BOOL: {
        sls_pg_param_int(p, pn, sls_columns_get_bool(rec, col) ? 1 : 0);
        break;
    }
    case SLS_COL_TEXT:
        if (!sls_columns_text_fits(col, rec))
            return refuse(t, col, "too long for its field");
        sls_pg_param_text(p, pn, field);
        break;
    case SLS_COL_BLOB: {
        size_t len;

        memcpy(&len, (const char *)rec + col->len_offset, sizeof len);
        if (len > col->size)
            return refuse(t, col, "too long for its field");
        sls_pg_param_bytes(p, pn, (const uint8_t *)field, len);
        break;
    }
    case SLS_COL_LOCKOUT:
        if (!lockout_buf ||
            sls_lockout_encode((const struct sls_lockout_state *)(const void *)field, lockout_buf,
                               SLS_PG_LOCKOUT_TEXT) != 0)
            return refuse(t, col, "too long for its field");
        sls_pg_param_text(p, pn, lockout_buf);
        break;
    }
    return SLS_OK;
}

int sls_pg_columns_bind(struct sls_pg_params *p, const struct sls_columns *t, const void *rec,
                        bool insert, unsigned groups, char *lockout_buf)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct sls_column *col = &t->cols[i];
        bool want = insert ? !(col->flags & SLS_COL_GENERATED)
                           : (col->flags & SLS_COL_KEY) || (col->group & groups);
        int ret;

        if (!want)
            continue;
        ret = bind_one(p, t, i, rec, (int)i + 2, lockout_buf);
        if (ret != SLS_OK)
            return ret;
    }
    return SLS_OK;
}

int sls_pg_columns_row(const PGresult *res, int row, const struct sls_columns *t, void *rec)
{
    memset(rec, 0, t->size);
    if ((size_t)PQnfields(res) != t->n)
        return SLS_ERR_STORE;
    for (size_t i = 0; i < t->n; i++) {
        const struct sls_column *col = &t->cols[i];
        char *field = (char *)rec + col->offset;
        int k = (int)i;

        switch (col->type) {
        case SLS_COL_INT64:
        case SLS_COL_TIME:
        case SLS_COL_INT:
        case SLS_COL_ENUM:
        case SLS_COL_BOOL: {
            int64_t v;

            if (sls_pg_get_int(res, row, k, &v) != SLS_OK)
                return refuse(t, col, "malformed");
            if (col->type == SLS_COL_INT64 || col->type == SLS_COL_TIME)
                sls_columns_set_int64(rec, col, v);
            else if (col->type == SLS_COL_BOOL)
                sls_columns_set_bool(rec, col, v != 0);
            else if (sls_columns_set_int(rec, col, v) != SLS_OK)
                return refuse(t, col, "out of range");
            break;
        }
        case SLS_COL_TEXT: {
            const char *v = PQgetvalue(res, row, k);
            size_t n = PQgetisnull(res, row, k) ? 0 : (size_t)PQgetlength(res, row, k);

            if (sls_columns_set_text(rec, col, v, n) != SLS_OK)
                return refuse(t, col, "too long for its field");
            break;
        }
        case SLS_COL_BLOB: {
            size_t len = 0;

            if (sls_pg_get_bytes(res, row, k, (uint8_t *)field, col->size, &len) != SLS_OK)
                return refuse(t, col, "too long for its field");
            sls_columns_set_blob_len(rec, col, len);
            break;
        }
        case SLS_COL_LOCKOUT:
            if (PQgetisnull(res, row, k) ||
                sls_lockout_decode(PQgetvalue(res, row, k),
                                   (struct sls_lockout_state *)(void *)field) != 0)
                return refuse(t, col, "malformed");
            break;
        }
    }
    return SLS_OK;
}

int sls_pg_columns_sql(const struct sls_columns *t, enum sls_pg_sql kind, const char *where,
                       char *out, size_t outlen)
{
    struct sls_sql_text b;
    int key = sls_columns_find(t, SLS_COL_KEY), gen = sls_columns_find(t, SLS_COL_GENERATED);
    const char *sep = "";

    if (key < 0 || (kind == SLS_PG_SQL_SELECT && !where))
        return SLS_ERR_STORE;
    sls_sql_text_init(&b, out, outlen);
    switch (kind) {
    case SLS_PG_SQL_INSERT:
    case SLS_PG_SQL_PUT:
        sls_sql_text_add(&b, "INSERT INTO %s(", t->table);
        sls_sql_text_names(&b, t, true);
        sls_sql_text_add(&b, ") VALUES(");
        sls_sql_text_params(&b, t, '$');
        sls_sql_text_add(&b, ")");
        if (kind == SLS_PG_SQL_INSERT) {
            sls_sql_text_add(&b, " ON CONFLICT DO NOTHING");
        } else {
            sls_sql_text_add(&b, " ON CONFLICT (%s) DO UPDATE SET ", t->cols[key].name);
            for (size_t i = 0; i < t->n; i++)
                if ((int)i != key && !(t->cols[i].flags & SLS_COL_GENERATED)) {
                    sls_sql_text_add(&b, "%s%s = EXCLUDED.%s", sep, t->cols[i].name,
                                     t->cols[i].name);
                    sep = ", ";
                }
        }
        if (gen >= 0)
            sls_sql_text_add(&b, " RETURNING %s", t->cols[gen].name);
        break;
    case SLS_PG_SQL_GET:
    case SLS_PG_SQL_SELECT:
        sls_sql_text_select(&b, t, kind == SLS_PG_SQL_GET ? NULL : where, '$');
        break;
    case SLS_PG_SQL_UPDATE:
        sls_sql_text_update(&b, t, where, '$');
        break;
    }
    return sls_sql_text_done(&b);
}

/* The OID of a column's parameter. */
static unsigned col_oid(const struct sls_column *col)
{
    switch (col->type) {
    case SLS_COL_TEXT:
    case SLS_COL_LOCKOUT:
        return OID_TEXT;
    case SLS_COL_BLOB:
        return OID_BYTEA;
    default:
        return OID_INT8;
    }
}

PGresult *sls_pg_columns_run(struct sls_pg_conn *c, enum sls_pg_slot slot,
                             const struct sls_columns *t, enum sls_pg_sql kind, const char *where,
                             const struct sls_pg_params *p, size_t nargs, int *err)
{
    char sql[SQL_MAX], name[16];
    Oid types[SLS_PG_PARAMS_MAX];
    int ntypes = 0;
    PGresult *res;

    c->op = slot;
    if (c->failed) {
        /* sls_pg_run answers for a failed transaction without sending. */
        return sls_pg_run(c, slot, "", p, err);
    }
    if (!c->prepared[slot]) {
        if (sls_pg_columns_sql(t, kind, where, sql, sizeof sql) != SLS_OK) {
            *err = SLS_ERR_STORE;
            return NULL;
        }
        /* SELECT: the caller's parameters, whose types the server infers
         * from the text; the others: typed from the table. */
        if (kind != SLS_PG_SQL_SELECT && kind != SLS_PG_SQL_GET) {
            ntypes = (int)t->n + 2;
            types[0] = OID_INT8;
            for (size_t i = 0; i < t->n; i++)
                types[i + 1] = col_oid(&t->cols[i]);
            types[t->n + 1] = OID_INT8;
            if (nargs) {
                for (int i = ntypes; i < SLS_PG_CAS_ARG - 1; i++)
                    types[i] = OID_INT8;
                ntypes = SLS_PG_CAS_ARG - 1 + (int)nargs;
                for (int i = SLS_PG_CAS_ARG - 1; i < ntypes; i++)
                    types[i] = OID_INT8;
            }
        } else if (kind == SLS_PG_SQL_GET) {
            int key = sls_columns_find(t, SLS_COL_KEY);

            ntypes = 1;
            types[0] = col_oid(&t->cols[key]);
        }
        snprintf(name, sizeof name, "s%d", (int)slot);
        res = PQprepare(c->h, name, sql, ntypes, ntypes ? types : NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            *err = sls_pg_error(c, t->table, res);
            PQclear(res);
            return NULL;
        }
        PQclear(res);
        c->prepared[slot] = true;
    }
    /* Prepared: the text only tells sls_pg_run what kind of statement it is. */
    return sls_pg_run(
        c, slot, kind == SLS_PG_SQL_SELECT || kind == SLS_PG_SQL_GET ? "SELECT" : "UPDATE", p, err);
}

/* Writes rec with the INSERT or PUT statement of slot. */
static int write_row(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                     void *rec, enum sls_pg_sql kind)
{
    struct sls_pg_params p = {.n = 0};
    char lockout[SLS_PG_LOCKOUT_TEXT];
    int gen = sls_columns_find(t, SLS_COL_GENERATED);
    PGresult *res;
    int ret;

    ret = sls_pg_columns_bind(&p, t, rec, true, 0, lockout);
    if (ret != SLS_OK)
        return ret;
    /* Every typed parameter gets a value: the unused ones NULL. */
    if (p.n < (int)t->n + 2)
        sls_pg_param_null(&p, (int)t->n + 2);
    res = sls_pg_columns_run(c, slot, t, kind, NULL, &p, 0, &ret);
    if (!res)
        return ret;
    if (kind == SLS_PG_SQL_INSERT && strcmp(PQcmdTuples(res), "0") == 0) {
        ret = SLS_ERR_CONFLICT; /* ON CONFLICT DO NOTHING: a key was taken */
    } else if (gen >= 0) {
        int64_t id = 0;

        if (PQntuples(res) != 1 || sls_pg_get_int(res, 0, 0, &id) != SLS_OK)
            ret = SLS_ERR_STORE;
        else
            memcpy((char *)rec + t->cols[gen].offset, &id, sizeof id);
    }
    PQclear(res);
    return ret;
}

int sls_pg_columns_insert(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                          void *rec)
{
    return write_row(c, slot, t, rec, SLS_PG_SQL_INSERT);
}

int sls_pg_columns_put(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                       void *rec)
{
    return write_row(c, slot, t, rec, SLS_PG_SQL_PUT);
}

/* Reads the first row of res into out (NOT_FOUND when none) and clears res. */
static int first_row(PGresult *res, const struct sls_columns *t, void *out)
{
    int ret = PQntuples(res) > 0 ? sls_pg_columns_row(res, 0, t, out) : SLS_ERR_NOT_FOUND;

    PQclear(res);
    return ret;
}

int sls_pg_columns_get(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                       const char *key_text, int64_t key_int, void *out)
{
    struct sls_pg_params p = {.n = 0};
    PGresult *res;
    int ret;

    if (key_text)
        sls_pg_param_text(&p, 1, key_text);
    else
        sls_pg_param_int(&p, 1, key_int);
    res = sls_pg_columns_run(c, slot, t, SLS_PG_SQL_GET, NULL, &p, 0, &ret);
    return res ? first_row(res, t, out) : ret;
}

int sls_pg_columns_select_one(struct sls_pg_conn *c, enum sls_pg_slot slot,
                              const struct sls_columns *t, const char *where,
                              const struct sls_pg_params *p, void *out)
{
    int ret;
    PGresult *res = sls_pg_columns_run(c, slot, t, SLS_PG_SQL_SELECT, where, p, 0, &ret);

    return res ? first_row(res, t, out) : ret;
}

int sls_pg_columns_list(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                        const char *where, const struct sls_pg_params *p, void *out, size_t max,
                        size_t *n)
{
    int ret;
    PGresult *res;
    size_t rows;

    *n = 0;
    if (max == 0)
        return SLS_OK;
    res = sls_pg_columns_run(c, slot, t, SLS_PG_SQL_SELECT, where, p, 0, &ret);
    if (!res)
        return ret;
    rows = (size_t)PQntuples(res);
    ret = SLS_OK;
    for (size_t i = 0; i < rows && i < max; i++) {
        ret = sls_pg_columns_row(res, (int)i, t, (char *)out + i * t->size);
        if (ret != SLS_OK)
            break;
        (*n)++;
    }
    PQclear(res);
    return ret;
}

/* Whether the row of rec's key is stored: SLS_OK, SLS_ERR_NOT_FOUND or an error. */
static int exists(struct sls_pg_conn *c, enum sls_pg_slot get_slot, const struct sls_columns *t,
                  const void *rec)
{
    struct sls_pg_params p = {.n = 0};
    int key = sls_columns_find(t, SLS_COL_KEY);
    PGresult *res;
    int ret;

    ret = bind_one(&p, t, (size_t)key, rec, 1, NULL);
    if (ret != SLS_OK)
        return ret;
    res = sls_pg_columns_run(c, get_slot, t, SLS_PG_SQL_GET, NULL, &p, 0, &ret);
    if (!res)
        return ret;
    ret = PQntuples(res) > 0 ? SLS_OK : SLS_ERR_NOT_FOUND;
    PQclear(res);
    return ret;
}

/* Runs a bound update: SLS_OK, `none` when no row changed, or an error. */
static int run_update(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                      const char *where, struct sls_pg_params *p, size_t nargs, int none)
{
    PGresult *res;
    int ret;
    int need = nargs ? SLS_PG_CAS_ARG - 1 + (int)nargs : (int)t->n + 2;

    /* Every typed parameter gets a value: the unused ones NULL. */
    if (p->n < need)
        sls_pg_param_null(p, need);
    res = sls_pg_columns_run(c, slot, t, SLS_PG_SQL_UPDATE, where, p, nargs, &ret);
    if (!res)
        return ret;
    ret = strcmp(PQcmdTuples(res), "0") == 0 ? none : SLS_OK;
    PQclear(res);
    return ret;
}

int sls_pg_columns_update(struct sls_pg_conn *c, enum sls_pg_slot slot, enum sls_pg_slot get_slot,
                          const struct sls_columns *t, const void *rec, unsigned groups,
                          int64_t expected_version, const char *where)
{
    struct sls_pg_params p = {.n = 0};
    char lockout[SLS_PG_LOCKOUT_TEXT];
    bool versioned = sls_columns_find(t, SLS_COL_VERSION) >= 0;
    int ret;

    ret = sls_pg_columns_bind(&p, t, rec, false, groups, lockout);
    if (ret != SLS_OK)
        return ret;
    sls_pg_param_int(&p, 1, (int64_t)groups);
    if (versioned)
        sls_pg_param_int(&p, (int)t->n + 2, expected_version);
    ret = run_update(c, slot, t, where, &p, 0, SLS_ERR_NOT_FOUND);
    if (ret == SLS_ERR_NOT_FOUND && (versioned || where)) {
        ret = exists(c, get_slot, t, rec);
        if (ret == SLS_OK)
            ret = SLS_ERR_CONFLICT;
    }
    return ret;
}

int sls_pg_columns_cas(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                       const void *rec, unsigned groups, const char *where, const int64_t *args,
                       size_t nargs)
{
    struct sls_pg_params p = {.n = 0};
    char lockout[SLS_PG_LOCKOUT_TEXT];
    int ret;

    if (t->n + 2 >= SLS_PG_CAS_ARG || nargs == 0 ||
        SLS_PG_CAS_ARG - 1 + nargs > SLS_PG_PARAMS_MAX || sls_columns_find(t, SLS_COL_VERSION) >= 0)
        return SLS_ERR_STORE;
    ret = sls_pg_columns_bind(&p, t, rec, false, groups, lockout);
    if (ret != SLS_OK)
        return ret;
    sls_pg_param_int(&p, 1, (int64_t)groups);
    for (size_t i = 0; i < nargs; i++)
        sls_pg_param_int(&p, SLS_PG_CAS_ARG + (int)i, args[i]);
    return run_update(c, slot, t, where, &p, nargs, SLS_ERR_CONFLICT);
}
