/* The sls_db_ops of the SQLite store for one-time secrets: device challenges
 * waiting for their answer and sealed codes, one row per key, read and
 * written through their column table (columns.c). A wrong code
 * is counted by a compare-and-swap UPDATE on attempts; taking a secret is a
 * DELETE that must change one row, so two racing requests never both use
 * it. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

int sls_sqlite_secret_put(struct sls_db *db, const struct sls_secret_rec *r)
{
    struct sls_secret_rec w = *r;

    return sls_sqlite_columns_put((struct sls_sqlite_conn *)db, SQ_SECRET_PUT, &sls_columns_secret,
                                  &w);
}

int sls_sqlite_secret_get(struct sls_db *db, const char *key, struct sls_secret_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_SECRET_GET, &sls_columns_secret, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_SECRET_GET, &sls_columns_secret, st, out);
}

int sls_sqlite_secret_fail_cas(struct sls_db *db, const char *key, int expected_attempts)
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
    ret = sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_SECRET_FAIL, SQ_SECRET_GET,
                                    &sls_columns_secret, &w, 0, expected_attempts, NULL);
    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

int sls_sqlite_secret_take(struct sls_db *db, const char *key)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SECRET_TAKE, "DELETE FROM secrets WHERE key = ?1");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_NOT_FOUND);
    sls_sqlite_stmt_put(c, SQ_SECRET_TAKE, st);
    return ret;
}
