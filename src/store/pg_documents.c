/* The sls_db_ops of the PostgreSQL store for R50 document intake:
 * content-addressed blobs (one row per SHA-256, stored once however often it
 * arrives), the documents that name them, and the rejected messages; the
 * documents and rejections read and written through their column tables
 * (columns.c). */
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

/* ---- blobs ---- */

int sls_pg_document_blob_put(struct sls_db *db, const char *sha256, const uint8_t *data, size_t len)
{
    struct sls_pg_params p = {.n = 0};

    if (len > (size_t)INT32_MAX)
        return SLS_ERR_STORE;
    sls_pg_param_text(&p, 1, sha256);
    sls_pg_param_int(&p, 2, (int64_t)len);
    sls_pg_param_bytes(&p, 3, data, len);
    return sls_pg_run_changed(PG_CONN(db), PQ_BLOB_PUT,
                              "INSERT INTO document_blobs(sha256, size, content) "
                              "VALUES($1::text, $2::bigint, $3::bytea) "
                              "ON CONFLICT(sha256) DO NOTHING",
                              &p, NULL);
}

int sls_pg_document_blob_get(struct sls_db *db, const char *sha256, uint8_t **data, size_t *len)
{
    struct sls_pg_params p = {.n = 0};
    PGresult *res;
    int ret;

    *data = NULL;
    *len = 0;
    sls_pg_param_text(&p, 1, sha256);
    res = sls_pg_run(PG_CONN(db), PQ_BLOB_GET,
                     "SELECT content, size FROM document_blobs WHERE sha256 = $1::text", &p, &ret);
    if (!res)
        return ret;
    if (PQntuples(res) == 0) {
        ret = SLS_ERR_NOT_FOUND;
    } else {
        /* The hex text holds two characters per byte after "\x". */
        size_t cap = (size_t)PQgetlength(res, 0, 0) / 2;

        *data = malloc(cap ? cap : 1);
        if (!*data) {
            ret = SLS_ERR_NOMEM;
        } else {
            ret = sls_pg_get_bytes(res, 0, 0, *data, cap, len);
            if (ret != SLS_OK) {
                free(*data);
                *data = NULL;
                *len = 0;
            }
        }
    }
    PQclear(res);
    return ret;
}

/* ---- documents ---- */

int sls_pg_document_insert(struct sls_db *db, struct sls_document_rec *d)
{
    return sls_pg_columns_insert(PG_CONN(db), PQ_DOCUMENT_INSERT, &sls_columns_document, d);
}

int sls_pg_document_get(struct sls_db *db, int64_t id, struct sls_document_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_DOCUMENT_GET, &sls_columns_document, NULL, id, out);
}

int sls_pg_document_list(struct sls_db *db, int64_t user_id, struct sls_document_rec *out,
                         size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_int(&p, 2, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_DOCUMENT_LIST, &sls_columns_document,
                               "user_id = $1::bigint ORDER BY id LIMIT $2::bigint", &p, out, max,
                               n);
}

/* ---- rejections ---- */

int sls_pg_document_rejection_insert(struct sls_db *db, struct sls_document_rejection_rec *r)
{
    return sls_pg_columns_insert(PG_CONN(db), PQ_REJECTION_INSERT, &sls_columns_document_rejection,
                                 r);
}

int sls_pg_document_rejection_list(struct sls_db *db, struct sls_document_rejection_rec *out,
                                   size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_REJECTION_LIST, &sls_columns_document_rejection,
                               "true ORDER BY id DESC LIMIT $1::bigint", &p, out, max, n);
}
