/* The SQLite side of the column tables (columns.h): records bound to
 * statements and read back from rows through their table, and the SQL text
 * of a record's statements built from the table.
 *
 * Parameters: column i of a table is always parameter ?(i + 2) of the
 * statements built here; ?1 is the field groups of an update, ?(n + 2) the
 * expected version of a versioned update (n columns). A row lists the columns
 * in table order. Private to the store. */
#ifndef SLS_STORE_SQLITE_COLUMNS_H
#define SLS_STORE_SQLITE_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "columns.h"
#include "sqlite_store.h"

enum sls_sqlite_sql {
    /* INSERT INTO t(columns but the generated) VALUES(...) */
    SLS_SQLITE_SQL_INSERT,
    /* INSERT OR REPLACE INTO t(...) VALUES(...): the row of the same key
     * replaced whole */
    SLS_SQLITE_SQL_PUT,
    /* SELECT columns FROM t WHERE key = ?1 */
    SLS_SQLITE_SQL_GET,
    /* SELECT columns FROM t WHERE <where> (the caller's parameters) */
    SLS_SQLITE_SQL_SELECT,
    /* UPDATE t SET each column with a group: its parameter when ?1 names the
     * group, else itself (an SLS_COL_ONCE column only while it is 0), the
     * version + 1; WHERE key = its parameter [AND version = ?(n + 2)]
     * [AND (<where>)] */
    SLS_SQLITE_SQL_UPDATE,
};

/* Writes the SQL text of `kind` for table t into out; `where` as described
 * above (NULL for none; required by SELECT). SLS_OK, or SLS_ERR_STORE when
 * out is too small. */
int sls_sqlite_columns_sql(const struct sls_columns *t, enum sls_sqlite_sql kind, const char *where,
                           char *out, size_t outlen);

/* The statement of `slot` (sls_sqlite_stmt_get), its text built by
 * sls_sqlite_columns_sql the first time the connection prepares it. NULL on
 * error (sls_sqlite_error(c, SQLITE_OK) tells it). */
sqlite3_stmt *sls_sqlite_columns_stmt(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                                      const struct sls_columns *t, enum sls_sqlite_sql kind,
                                      const char *where);

/* Binds the columns of rec: with `insert` every column but the generated
 * ones, else the key and the columns of the groups in `groups`. A text that
 * does not fit its field, a blob longer than its capacity, an enum out of
 * range or a lockout state that cannot be encoded is refused (SLS_ERR_STORE,
 * logged with the table and column). rec must outlive the step. */
int sls_sqlite_columns_bind(sqlite3_stmt *st, const struct sls_columns *t, const void *rec,
                            bool insert, unsigned groups);

/* Reads the current row of st (the columns of t in order) into rec, which is
 * zeroed first. A text longer than its field, a blob longer than its
 * capacity, an enum out of range or a lockout text that does not decode is
 * SLS_ERR_STORE, logged with the table and column: never cut. */
int sls_sqlite_columns_row(sqlite3_stmt *st, const struct sls_columns *t, void *rec);

/* Inserts rec with the INSERT statement of slot; a generated column gets the
 * id the store assigned. */
int sls_sqlite_columns_insert(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                              const struct sls_columns *t, void *rec);

/* As sls_sqlite_columns_insert with the PUT statement of slot: a row with
 * the same key is replaced whole. */
int sls_sqlite_columns_put(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                           const struct sls_columns *t, void *rec);

/* Steps a bound single-row query st of slot, reads its row into out and
 * hands st back. SLS_ERR_NOT_FOUND when there is no row. */
int sls_sqlite_columns_get(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                           const struct sls_columns *t, sqlite3_stmt *st, void *out);

/* Steps a bound query st and reads up to max rows into the array out; *n is
 * how many. The statement is not handed back. */
int sls_sqlite_columns_list(struct sls_sqlite_conn *c, sqlite3_stmt *st,
                            const struct sls_columns *t, void *out, size_t max, size_t *n);

/* Updates the row of rec's key with the UPDATE statement of slot (built with
 * `where`): writes the columns of `groups` and bumps the version. When no
 * row changed: SLS_ERR_NOT_FOUND when the key is not stored (looked up with
 * the GET statement of get_slot), else SLS_ERR_CONFLICT (the version differs
 * from expected_version, or `where` does not hold). expected_version is
 * ignored by a table without version. */
int sls_sqlite_columns_update(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                              enum sls_sqlite_slot get_slot, const struct sls_columns *t,
                              const void *rec, unsigned groups, int64_t expected_version,
                              const char *where);

/* The first of the caller's parameters of sls_sqlite_columns_cas, above the
 * parameters of any table: the condition names them ?101, ?102, ... */
#define SLS_SQLITE_CAS_ARG 101

/* A compare-and-swap whose condition is not a version, for a table without
 * one (SLS_ERR_STORE for a versioned table): updates the row of rec's key with the UPDATE statement
 * of slot (built with `where`), writing the columns of `groups`, when `where` holds; `where` may
 * name the integer parameters ?101 ... ?(100 + nargs), bound from args. SLS_ERR_CONFLICT when no
 * row changed (no such key, or `where` does not hold). */
int sls_sqlite_columns_cas(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                           const struct sls_columns *t, const void *rec, unsigned groups,
                           const char *where, const int64_t *args, size_t nargs);

#endif
