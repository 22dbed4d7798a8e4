/* The SQL text shared by the backends, built from a column table with the
 * backend's parameter mark (columns_sql.h). */
#include <stdarg.h>
#include <stdio.h>

#include "../core/error.h"
#include "columns_sql.h"

void sls_sql_text_init(struct sls_sql_text *b, char *out, size_t outlen)
{
    *b = (struct sls_sql_text){out, 0, outlen, outlen > 0};
    if (b->ok)
        out[0] = '\0';
}

void sls_sql_text_add(struct sls_sql_text *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!b->ok)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= b->cap - b->len) {
        b->ok = false;
        return;
    }
    b->len += (size_t)n;
}

void sls_sql_text_names(struct sls_sql_text *b, const struct sls_columns *t, bool written)
{
    const char *sep = "";

    for (size_t i = 0; i < t->n; i++)
        if (!written || !(t->cols[i].flags & SLS_COL_GENERATED)) {
            sls_sql_text_add(b, "%s%s", sep, t->cols[i].name);
            sep = ", ";
        }
}

void sls_sql_text_params(struct sls_sql_text *b, const struct sls_columns *t, char mark)
{
    const char *sep = "";

    for (size_t i = 0; i < t->n; i++)
        if (!(t->cols[i].flags & SLS_COL_GENERATED)) {
            sls_sql_text_add(b, "%s%c%zu", sep, mark, i + 2);
            sep = ", ";
        }
}

void sls_sql_text_select(struct sls_sql_text *b, const struct sls_columns *t, const char *where,
                         char mark)
{
    int key = sls_columns_find(t, SLS_COL_KEY);

    if (key < 0) {
        b->ok = false;
        return;
    }
    sls_sql_text_add(b, "SELECT ");
    sls_sql_text_names(b, t, false);
    if (!where)
        sls_sql_text_add(b, " FROM %s WHERE %s = %c1", t->table, t->cols[key].name, mark);
    else
        sls_sql_text_add(b, " FROM %s WHERE %s", t->table, where);
}

void sls_sql_text_update(struct sls_sql_text *b, const struct sls_columns *t, const char *where,
                         char mark)
{
    int key = sls_columns_find(t, SLS_COL_KEY), ver = sls_columns_find(t, SLS_COL_VERSION);
    const char *sep = "";

    if (key < 0) {
        b->ok = false;
        return;
    }
    sls_sql_text_add(b, "UPDATE %s SET ", t->table);
    for (size_t i = 0; i < t->n; i++) {
        const struct sls_column *col = &t->cols[i];
        bool once = col->flags & SLS_COL_ONCE;

        if (col->group == 0)
            continue;
        sls_sql_text_add(b, "%s%s = CASE WHEN (%c1 & %u) <> 0%s%s%s THEN %c%zu ELSE %s END", sep,
                         col->name, mark, col->group, once ? " AND " : "", once ? col->name : "",
                         once ? " = 0" : "", mark, i + 2, col->name);
        sep = ", ";
    }
    if (ver >= 0)
        sls_sql_text_add(b, "%s%s = %s + 1", sep, t->cols[ver].name, t->cols[ver].name);
    sls_sql_text_add(b, " WHERE %s = %c%d", t->cols[key].name, mark, key + 2);
    if (ver >= 0)
        sls_sql_text_add(b, " AND %s = %c%zu", t->cols[ver].name, mark, t->n + 2);
    if (where)
        sls_sql_text_add(b, " AND (%s)", where);
}

int sls_sql_text_done(const struct sls_sql_text *b)
{
    return b->ok ? SLS_OK : SLS_ERR_STORE;
}
