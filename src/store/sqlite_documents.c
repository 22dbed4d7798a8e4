/* The sls_db_ops of the SQLite store for R50 document intake: content-
 * addressed blobs (one row per SHA-256, stored once however often it
 * arrives), the documents that name them, and the rejected messages; the
 * documents and rejections read and written through their column tables
 * (columns.c). */
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

/* ---- blobs ---- */

int sls_sqlite_document_blob_put(struct sls_db *db, const char *sha256, const uint8_t *data,
                                 size_t len)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st;
    int ret;

    if (len > (size_t)INT32_MAX)
        return SLS_ERR_STORE;
    st = sls_sqlite_stmt_get(c, SQ_BLOB_PUT,
                             "INSERT INTO document_blobs(sha256, size, content) "
                             "VALUES(?1, ?2, ?3) ON CONFLICT(sha256) DO NOTHING");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)len);
    sqlite3_bind_blob(st, 3, len ? (const void *)data : "", (int)len, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    sls_sqlite_stmt_put(c, SQ_BLOB_PUT, st);
    return ret;
}

int sls_sqlite_document_blob_get(struct sls_db *db, const char *sha256, uint8_t **data, size_t *len)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_BLOB_GET, "SELECT content FROM document_blobs WHERE sha256 = ?1");
    int ret, rc;

    *data = NULL;
    *len = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *v = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *data = malloc(n ? n : 1);
        if (*data == NULL) {
            ret = SLS_ERR_NOMEM;
        } else {
            if (n)
                memcpy(*data, v, n);
            *len = n;
            ret = SLS_OK;
        }
    } else if (rc == SQLITE_DONE) {
        ret = SLS_ERR_NOT_FOUND;
    } else {
        ret = sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, SQ_BLOB_GET, st);
    return ret;
}

/* ---- documents ---- */

int sls_sqlite_document_insert(struct sls_db *db, struct sls_document_rec *d)
{
    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_DOCUMENT_INSERT,
                                     &sls_columns_document, d);
}

int sls_sqlite_document_get(struct sls_db *db, int64_t id, struct sls_document_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_columns_stmt(c, SQ_DOCUMENT_GET, &sls_columns_document,
                                               SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    return sls_sqlite_columns_get(c, SQ_DOCUMENT_GET, &sls_columns_document, st, out);
}

int sls_sqlite_document_list(struct sls_db *db, int64_t user_id, struct sls_document_rec *out,
                             size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_DOCUMENT_LIST, &sls_columns_document, SLS_SQLITE_SQL_SELECT,
                                "user_id = ?1 ORDER BY id LIMIT ?2");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_document, out, max, n);
    sls_sqlite_stmt_put(c, SQ_DOCUMENT_LIST, st);
    return ret;
}

/* ---- rejections ---- */

int sls_sqlite_document_rejection_insert(struct sls_db *db, struct sls_document_rejection_rec *r)
{
    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_REJECTION_INSERT,
                                     &sls_columns_document_rejection, r);
}

int sls_sqlite_document_rejection_list(struct sls_db *db, struct sls_document_rejection_rec *out,
                                       size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_REJECTION_LIST, &sls_columns_document_rejection,
                                SLS_SQLITE_SQL_SELECT, "1 = 1 ORDER BY id DESC LIMIT ?1");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_document_rejection, out, max, n);
    sls_sqlite_stmt_put(c, SQ_REJECTION_LIST, st);
    return ret;
}
