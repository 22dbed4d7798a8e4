/* The store side of R50 document intake; see documents_tx.h. */
#include "server/flows/documents_tx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/flows/audit_event.h"

#define DETAIL_TEXT_MAX 100 /* bytes of sender or subject kept in an audit record */

/* Copies src into dst (cap bytes) without splitting a UTF-8 character. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- finding the user a message names ---- */

struct find_read {
    bool by_account;
    const char *key;
    struct sls_user_rec *u;
};

static int find_fn(struct sls_db *db, void *arg)
{
    struct find_read *r = arg;

    if (r->by_account)
        return SLS_DB(db, user_get_by_account, r->key, r->u);
    return SLS_DB(db, user_get_by_name, r->key, r->u);
}

static void residence_of(const char *identity_json, char *out, size_t outlen)
{
    json_t *id = identity_json[0] ? json_loads(identity_json, 0, NULL) : NULL;
    const char *r = json_string_value(json_object_get(id, "residence"));

    out[0] = '\0';
    if (r != NULL && strlen(r) < outlen)
        memcpy(out, r, strlen(r) + 1);
    json_decref(id);
}

int sls_documents_tx_find_user(const struct sls_app *app, bool by_account, const char *key,
                               struct sls_user_rec *u, struct sls_intake_user *out)
{
    struct find_read r = {by_account, key, u};
    int rc = sls_store_read(app->store, find_fn, &r);

    if (rc == SLS_OK && u->paper_of != 0)
        rc = SLS_ERR_NOT_FOUND; /* documents belong to live users */
    if (rc == SLS_OK) {
        memset(out, 0, sizeof(*out));
        out->id = u->id;
        copy_cut(out->username, sizeof(out->username), u->username);
        copy_cut(out->account_id, sizeof(out->account_id), u->account_id);
        residence_of(u->identity_json, out->residence, sizeof(out->residence));
    }
    return rc;
}

/* ---- storing the verdict ---- */

static void audit_detail(const struct sls_documents_tx *t, char *out, size_t outlen)
{
    char sender[DETAIL_TEXT_MAX + 1], subject[DETAIL_TEXT_MAX + 1];
    json_t *o;
    char *text;

    copy_cut(sender, sizeof(sender), t->m ? t->m->from : "");
    copy_cut(subject, sizeof(subject), t->m ? t->m->subject : "");
    if (t->v->reason == SLS_DOC_ACCEPTED)
        o = json_pack("{s:s, s:s, s:i}", "sender", sender, "purpose",
                      sls_doc_purpose_name(t->v->purpose), "documents", (int)t->v->ndocs);
    else
        o = json_pack("{s:s, s:s}", "sender", sender, "subject", subject);
    text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    snprintf(out, outlen, "%s", text && strlen(text) < outlen ? text : "");
    free(text);
    json_decref(o);
}

static int accept_fn(struct sls_db *db, void *arg)
{
    struct sls_documents_tx *t = arg;
    const struct sls_intake_verdict *v = t->v;
    char detail[512];
    size_t i;
    int rc;

    for (i = 0; i < v->ndocs; i++) {
        const struct sls_intake_document *doc = &v->docs[i];
        struct sls_document_rec *d = &t->docs[i];
        rc = SLS_DB(db, document_blob_put, doc->sha256, doc->part->data, doc->part->len);
        if (rc != SLS_OK)
            return rc;
        memset(d, 0, sizeof(*d));
        d->user_id = v->user.id;
        copy_cut(d->purpose, sizeof(d->purpose), sls_doc_purpose_name(v->purpose));
        copy_cut(d->sender, sizeof(d->sender), t->m->from);
        d->received_at = t->now;
        copy_cut(d->sha256, sizeof(d->sha256), doc->sha256);
        copy_cut(d->detected_type, sizeof(d->detected_type), sls_doc_type_media(doc->detected));
        copy_cut(d->declared_type, sizeof(d->declared_type), doc->part->media_type);
        copy_cut(d->filename, sizeof(d->filename), doc->part->filename);
        d->size = (int64_t)doc->part->len;
        rc = SLS_DB(db, document_insert, d);
        if (rc != SLS_OK)
            return rc;
    }
    audit_detail(t, detail, sizeof(detail));
    return sls_audit_write(db, t->now, t->actor, v->user.username, "document.accept", "ok", detail);
}

static int reject_fn(struct sls_db *db, void *arg)
{
    struct sls_documents_tx *t = arg;
    const struct sls_intake_verdict *v = t->v;
    struct sls_document_rejection_rec r;
    char detail[512];
    int rc;

    memset(&r, 0, sizeof(r));
    r.received_at = t->now;
    copy_cut(r.sender, sizeof(r.sender), t->m ? t->m->from : "");
    copy_cut(r.subject, sizeof(r.subject), t->m ? t->m->subject : "");
    copy_cut(r.reason, sizeof(r.reason), sls_doc_reason_code(v->reason));
    copy_cut(r.message, sizeof(r.message), v->message);
    copy_cut(r.username, sizeof(r.username), v->user_found ? v->user.username : "");
    rc = SLS_DB(db, document_rejection_insert, &r);
    if (rc != SLS_OK)
        return rc;
    audit_detail(t, detail, sizeof(detail));
    return sls_audit_write(db, t->now, t->actor, r.username, "document.reject", r.reason, detail);
}

int sls_documents_tx_apply(const struct sls_app *app, struct sls_documents_tx *t)
{
    return sls_store_write(app->store, t->v->reason == SLS_DOC_ACCEPTED ? accept_fn : reject_fn, t);
}

/* ---- reading ---- */

struct list_read {
    const char *username;
    struct sls_user_rec *u;
    struct sls_document_rec *docs;
    size_t max;
    size_t *n;
};

static int list_fn(struct sls_db *db, void *arg)
{
    struct list_read *r = arg;
    int rc = SLS_DB(db, user_get_by_name, r->username, r->u);

    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, document_list, r->u->id, r->docs, r->max, r->n);
}

int sls_documents_tx_list(const struct sls_app *app, const char *username, struct sls_user_rec *u,
                          struct sls_document_rec *docs, size_t max, size_t *n)
{
    struct list_read r = {username, u, docs, max, n};

    *n = 0;
    return sls_store_read(app->store, list_fn, &r);
}

struct content_read {
    int64_t id;
    struct sls_document_rec *doc;
    uint8_t **data;
    size_t *len;
};

static int content_fn(struct sls_db *db, void *arg)
{
    struct content_read *r = arg;
    int rc = SLS_DB(db, document_get, r->id, r->doc);

    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, document_blob_get, r->doc->sha256, r->data, r->len);
}

int sls_documents_tx_content(const struct sls_app *app, int64_t id, struct sls_document_rec *doc,
                             uint8_t **data, size_t *len)
{
    struct content_read r = {id, doc, data, len};

    *data = NULL;
    *len = 0;
    return sls_store_read(app->store, content_fn, &r);
}

struct rejections_read {
    struct sls_document_rejection_rec *recs;
    size_t max;
    size_t *n;
};

static int rejections_fn(struct sls_db *db, void *arg)
{
    struct rejections_read *r = arg;
    return SLS_DB(db, document_rejection_list, r->recs, r->max, r->n);
}

int sls_documents_tx_rejections(const struct sls_app *app, struct sls_document_rejection_rec *recs,
                                size_t max, size_t *n)
{
    struct rejections_read r = {recs, max, n};

    *n = 0;
    return sls_store_read(app->store, rejections_fn, &r);
}
