/* Reading and writing one field of a record through its column, with the
 * column's bounds checked here for every backend (columns.h). */
#include <string.h>

#include "../core/error.h"
#include "columns.h"

int64_t sls_columns_get_int64(const void *rec, const struct sls_column *col)
{
    int64_t v;

    memcpy(&v, (const char *)rec + col->offset, sizeof v);
    return v;
}

int sls_columns_get_int(const void *rec, const struct sls_column *col)
{
    int v;

    memcpy(&v, (const char *)rec + col->offset, sizeof v);
    return v;
}

bool sls_columns_get_bool(const void *rec, const struct sls_column *col)
{
    bool v;

    memcpy(&v, (const char *)rec + col->offset, sizeof v);
    return v;
}

void sls_columns_set_int64(void *rec, const struct sls_column *col, int64_t v)
{
    memcpy((char *)rec + col->offset, &v, sizeof v);
}

int sls_columns_set_int(void *rec, const struct sls_column *col, int64_t v)
{
    int x;

    if (col->type == SLS_COL_ENUM ? (v < 0 || v >= col->count) : (v < INT32_MIN || v > INT32_MAX))
        return SLS_ERR_STORE;
    x = (int)v;
    memcpy((char *)rec + col->offset, &x, sizeof x);
    return SLS_OK;
}

void sls_columns_set_bool(void *rec, const struct sls_column *col, bool v)
{
    memcpy((char *)rec + col->offset, &v, sizeof v);
}

int sls_columns_set_text(void *rec, const struct sls_column *col, const char *v, size_t n)
{
    char *field = (char *)rec + col->offset;

    if (n >= col->size || (n && memchr(v, '\0', n)))
        return SLS_ERR_STORE;
    if (n)
        memcpy(field, v, n);
    field[n] = '\0';
    return SLS_OK;
}

void sls_columns_set_blob_len(void *rec, const struct sls_column *col, size_t len)
{
    memcpy((char *)rec + col->len_offset, &len, sizeof len);
}
