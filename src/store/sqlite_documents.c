/* The sls_db_ops of the SQLite store for R50 document intake: content-
 * addressed blobs (one row per SHA-256, stored once however often it
 * arrives), the documents that name them, and the rejected messages. */
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
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

#define DOCUMENT_COLS                                                                              \
    "id, user_id, purpose, sender, received_at, sha256, detected_type, declared_type, filename, "  \
    "size"

static void row_document(sqlite3_stmt *st, struct sls_document_rec *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    d->user_id = sqlite3_column_int64(st, 1);
    COLUMN_FIELD(st, 2, d->purpose);
    COLUMN_FIELD(st, 3, d->sender);
    d->received_at = sqlite3_column_int64(st, 4);
    COLUMN_FIELD(st, 5, d->sha256);
    COLUMN_FIELD(st, 6, d->detected_type);
    COLUMN_FIELD(st, 7, d->declared_type);
    COLUMN_FIELD(st, 8, d->filename);
    d->size = sqlite3_column_int64(st, 9);
}

int sls_sqlite_document_insert(struct sls_db *db, struct sls_document_rec *d)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_DOCUMENT_INSERT,
                                           "INSERT INTO documents(user_id, purpose, sender, "
                                           "received_at, sha256, detected_type, declared_type, "
                                           "filename, size) "
                                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, d->user_id);
    BIND_FIELD(st, 2, d->purpose);
    BIND_FIELD(st, 3, d->sender);
    sqlite3_bind_int64(st, 4, d->received_at);
    BIND_FIELD(st, 5, d->sha256);
    BIND_FIELD(st, 6, d->detected_type);
    BIND_FIELD(st, 7, d->declared_type);
    BIND_FIELD(st, 8, d->filename);
    sqlite3_bind_int64(st, 9, d->size);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        d->id = sqlite3_last_insert_rowid(c->h);
    sls_sqlite_stmt_put(c, SQ_DOCUMENT_INSERT, st);
    return ret;
}

int sls_sqlite_document_get(struct sls_db *db, int64_t id, struct sls_document_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_DOCUMENT_GET,
                                           "SELECT " DOCUMENT_COLS " FROM documents WHERE id = ?1");
    int ret, rc;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row_document(st, out);
        ret = SLS_OK;
    } else if (rc == SQLITE_DONE) {
        ret = SLS_ERR_NOT_FOUND;
    } else {
        ret = sls_sqlite_error(c, rc);
    }
    sls_sqlite_stmt_put(c, SQ_DOCUMENT_GET, st);
    return ret;
}

int sls_sqlite_document_list(struct sls_db *db, int64_t user_id, struct sls_document_rec *out,
                             size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_DOCUMENT_LIST,
                                           "SELECT " DOCUMENT_COLS " FROM documents "
                                           "WHERE user_id = ?1 ORDER BY id LIMIT ?2");
    int ret = SLS_OK, rc = SQLITE_DONE;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        row_document(st, &out[(*n)++]);
    if (*n < max && rc != SQLITE_DONE)
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, SQ_DOCUMENT_LIST, st);
    return ret;
}

/* ---- rejections ---- */

int sls_sqlite_document_rejection_insert(struct sls_db *db, struct sls_document_rejection_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_REJECTION_INSERT,
                                           "INSERT INTO document_rejections(received_at, sender, "
                                           "subject, reason, message, username) "
                                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, r->received_at);
    BIND_FIELD(st, 2, r->sender);
    BIND_FIELD(st, 3, r->subject);
    BIND_FIELD(st, 4, r->reason);
    BIND_FIELD(st, 5, r->message);
    BIND_FIELD(st, 6, r->username);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        r->id = sqlite3_last_insert_rowid(c->h);
    sls_sqlite_stmt_put(c, SQ_REJECTION_INSERT, st);
    return ret;
}

int sls_sqlite_document_rejection_list(struct sls_db *db, struct sls_document_rejection_rec *out,
                                       size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_REJECTION_LIST,
                                           "SELECT id, received_at, sender, subject, reason, "
                                           "message, username FROM document_rejections "
                                           "ORDER BY id DESC LIMIT ?1");
    int ret = SLS_OK, rc = SQLITE_DONE;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, sls_sqlite_limit(max));
    while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sls_document_rejection_rec *r = &out[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->received_at = sqlite3_column_int64(st, 1);
        COLUMN_FIELD(st, 2, r->sender);
        COLUMN_FIELD(st, 3, r->subject);
        COLUMN_FIELD(st, 4, r->reason);
        COLUMN_FIELD(st, 5, r->message);
        COLUMN_FIELD(st, 6, r->username);
    }
    if (*n < max && rc != SQLITE_DONE)
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, SQ_REJECTION_LIST, st);
    return ret;
}
