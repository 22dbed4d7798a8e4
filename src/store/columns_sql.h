/* The SQL text every backend builds the same way from a column table
 * (columns.h): column lists, parameter lists, the SELECT of a record by key
 * or by a condition, and the UPDATE of its field groups. Only the mark of a
 * numbered parameter differs between backends ('?' for SQLite, '$' for
 * PostgreSQL); column i is always parameter i + 2, $1 / ?1 the groups of an
 * update and n + 2 the expected version. Each backend adds its own INSERT
 * (how a taken key is answered) around these pieces. Private to the store. */
#ifndef SLS_STORE_COLUMNS_SQL_H
#define SLS_STORE_COLUMNS_SQL_H

#include <stdbool.h>
#include <stddef.h>

#include "columns.h"

/* A text being built into a caller's buffer; ok turns false, for good, as
 * soon as something does not fit (never cut). */
struct sls_sql_text {
    char *p;
    size_t len, cap;
    bool ok;
};

/* Starts an empty text in out (outlen bytes). */
void sls_sql_text_init(struct sls_sql_text *b, char *out, size_t outlen);

/* Appends printf-style. */
void sls_sql_text_add(struct sls_sql_text *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "a, b, c": every column's name, or only the written ones (not the
 * generated) with `written`. */
void sls_sql_text_names(struct sls_sql_text *b, const struct sls_columns *t, bool written);

/* "?3, ?4" / "$3, $4": the parameters of the written columns. */
void sls_sql_text_params(struct sls_sql_text *b, const struct sls_columns *t, char mark);

/* SELECT every column FROM the table WHERE the key = parameter 1 (where
 * NULL) or WHERE <where>. */
void sls_sql_text_select(struct sls_sql_text *b, const struct sls_columns *t, const char *where,
                         char mark);

/* UPDATE the table SET each column with a group: its parameter when
 * parameter 1 names the group, else itself (an SLS_COL_ONCE column only
 * while it is 0), the version + 1; WHERE key = its parameter [AND version =
 * parameter n + 2] [AND (<where>)]. */
void sls_sql_text_update(struct sls_sql_text *b, const struct sls_columns *t, const char *where,
                         char mark);

/* SLS_OK when the whole text fit, else SLS_ERR_STORE. */
int sls_sql_text_done(const struct sls_sql_text *b);

#endif
