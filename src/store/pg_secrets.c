/* The sls_db_ops of the PostgreSQL store for one-time secrets: device
 * challenges waiting for their answer and sealed codes, one row per key,
 * read and written through their column table (columns.c). A wrong code is
 * counted by a compare-and-swap UPDATE on attempts; taking a secret is a
 * DELETE that must change one row, so of two racing requests (on any nodes)
 * only one uses it. */
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

int sls_pg_secret_put(struct sls_db *db, const struct sls_secret_rec *r)
{
    struct sls_secret_rec w = *r;

    return sls_pg_columns_put(PG_CONN(db), PQ_SECRET_PUT, &sls_columns_secret, &w);
}

int sls_pg_secret_get(struct sls_db *db, const char *key, struct sls_secret_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_SECRET_GET, &sls_columns_secret, key, 0, out);
}

int sls_pg_secret_fail_cas(struct sls_db *db, const char *key, int expected_attempts)
{
    struct sls_secret_rec w;
    int ret;

    /* A key too long for the field names no stored secret: nothing counted. */
    memset(&w, 0, sizeof w);
    if (strlen(key) >= sizeof w.key)
        return SLS_ERR_CONFLICT;
    memcpy(w.key, key, strlen(key) + 1);
    /* attempts is the table's version: the update writes nothing else and
     * bumps it when it still equals expected_attempts. */
    ret = sls_pg_columns_update(PG_CONN(db), PQ_SECRET_FAIL, PQ_SECRET_GET, &sls_columns_secret, &w,
                                0, expected_attempts, NULL);
    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

int sls_pg_secret_take(struct sls_db *db, const char *key)
{
    struct sls_pg_params p = {.n = 0};
    size_t changed = 0;
    int ret;

    sls_pg_param_text(&p, 1, key);
    ret = sls_pg_run_changed(PG_CONN(db), PQ_SECRET_TAKE,
                             "DELETE FROM secrets WHERE key = $1::text", &p, &changed);
    if (ret == SLS_OK && changed == 0)
        ret = SLS_ERR_NOT_FOUND;
    return ret;
}
