/* The PostgreSQL side of the column tables (columns.h): records bound to
 * statement parameters and read back from rows through their table, and the
 * SQL text of a record's statements built from the table.
 *
 * Parameters, as on the SQLite side: column i of a table is always $(i + 2)
 * of the statements built here; $1 is the field groups of an update, $(n + 2)
 * the expected version of a versioned update (n columns), $101, $102 ... the
 * caller's integers of a compare-and-swap. Every parameter is prepared with
 * its type (from the column), so numbers a statement does not use are
 * allowed. A row lists the columns in table order; results are text. Private
 * to the store. */
#ifndef SLS_STORE_PG_COLUMNS_H
#define SLS_STORE_PG_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"
#include "pg_store.h"

enum sls_pg_sql {
    /* INSERT INTO t(columns but the generated) VALUES(...) ON CONFLICT DO
     * NOTHING [RETURNING the generated column]: a key taken changes no row */
    SLS_PG_SQL_INSERT,
    /* INSERT ... ON CONFLICT (key) DO UPDATE SET every other column: the
     * row of the same key replaced whole */
    SLS_PG_SQL_PUT,
    /* SELECT columns FROM t WHERE key = $1 */
    SLS_PG_SQL_GET,
    /* SELECT columns FROM t WHERE <where> (the caller's parameters) */
    SLS_PG_SQL_SELECT,
    /* UPDATE t SET each column with a group: its parameter when $1 names the
     * group, else itself (an SLS_COL_ONCE column only while it is 0), the
     * version + 1; WHERE key = its parameter [AND version = $(n + 2)]
     * [AND (<where>)] */
    SLS_PG_SQL_UPDATE,
};

/* The first of the caller's parameters of sls_pg_columns_cas. */
#define SLS_PG_CAS_ARG 101

/* Writes the SQL text of `kind` for table t into out; `where` as described
 * above (NULL for none; required by SELECT). SLS_OK, or SLS_ERR_STORE when
 * out is too small. */
int sls_pg_columns_sql(const struct sls_columns *t, enum sls_pg_sql kind, const char *where,
                       char *out, size_t outlen);

/* Binds the columns of rec into p: with `insert` every column but the
 * generated ones, else the key and the columns of the groups in `groups`.
 * A text that does not fit its field, a blob longer than its capacity, an
 * enum out of range or a lockout state that cannot be encoded is refused
 * (SLS_ERR_STORE, logged with the table and column). rec must outlive the
 * statement; lockout text is kept in lockout_buf (one per table row at most,
 * SLS_PG_LOCKOUT_TEXT bytes). */
#define SLS_PG_LOCKOUT_TEXT 1100
int sls_pg_columns_bind(struct sls_pg_params *p, const struct sls_columns *t, const void *rec,
                        bool insert, unsigned groups, char *lockout_buf);

/* Reads row `row` of res (the columns of t in order) into rec, zeroed first,
 * with every bound checked as on the SQLite side: SLS_ERR_STORE, logged. */
int sls_pg_columns_row(const PGresult *res, int row, const struct sls_columns *t, void *rec);

/* Runs the statement of slot built from t (kind, where) with the typed
 * parameters p (nargs caller's integers after SLS_PG_CAS_ARG). NULL with
 * *err on failure. */
PGresult *sls_pg_columns_run(struct sls_pg_conn *c, enum sls_pg_slot slot,
                             const struct sls_columns *t, enum sls_pg_sql kind, const char *where,
                             const struct sls_pg_params *p, size_t nargs, int *err);

/* Inserts rec; a generated column gets the id the store assigned;
 * SLS_ERR_CONFLICT when a unique key is taken. */
int sls_pg_columns_insert(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                          void *rec);
/* Writes rec, replacing the row of the same key whole. */
int sls_pg_columns_put(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                       void *rec);
/* The row of t whose key is the text or integer given (key_text NULL: the
 * integer), into out; SLS_ERR_NOT_FOUND when none. */
int sls_pg_columns_get(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                       const char *key_text, int64_t key_int, void *out);
/* Runs the SELECT of slot (where, parameters p) and reads its first row into
 * out: SLS_ERR_NOT_FOUND when none. */
int sls_pg_columns_select_one(struct sls_pg_conn *c, enum sls_pg_slot slot,
                              const struct sls_columns *t, const char *where,
                              const struct sls_pg_params *p, void *out);
/* Runs the SELECT of slot and reads up to max rows into the array out. */
int sls_pg_columns_list(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                        const char *where, const struct sls_pg_params *p, void *out, size_t max,
                        size_t *n);
/* As sls_sqlite_columns_update: writes the columns of `groups` of the row of
 * rec's key and bumps the version; SLS_ERR_NOT_FOUND when the key is not
 * stored (looked up with the GET of get_slot), else SLS_ERR_CONFLICT when
 * the version or `where` does not hold. */
int sls_pg_columns_update(struct sls_pg_conn *c, enum sls_pg_slot slot, enum sls_pg_slot get_slot,
                          const struct sls_columns *t, const void *rec, unsigned groups,
                          int64_t expected_version, const char *where);
/* As sls_sqlite_columns_cas: a CAS whose condition `where` names the integer
 * parameters $101 ... $(100 + nargs); SLS_ERR_CONFLICT when no row changed. */
int sls_pg_columns_cas(struct sls_pg_conn *c, enum sls_pg_slot slot, const struct sls_columns *t,
                       const void *rec, unsigned groups, const char *where, const int64_t *args,
                       size_t nargs);

#endif
