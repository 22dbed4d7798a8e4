/* R50 document intake on the admin API: POST /v1/admin/documents takes a raw
 * e-mail as a mail server hands it over, decides on it (src/intake) and
 * stores either every document of it with one audit record, or the rejection
 * with its reason — each in one transaction, never half. The GET routes list
 * a user's documents, hand out one document's bytes and list rejections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/documents.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "server/flows/audit_event.h"
#include "core/error.h"
#include "core/username.h"
#include "intake/intake.h"
#include "intake/mime_message.h"

#define LIST_MAX        1000 /* documents or rejections one answer lists */
#define DETAIL_TEXT_MAX 100  /* bytes of sender or subject kept in an audit record */

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

struct find_tx {
    bool by_account;
    const char *key;
    struct sls_user_rec user;
};

static int find_fn(struct sls_db *db, void *arg)
{
    struct find_tx *t = arg;

    if (t->by_account)
        return SLS_DB(db, user_get_by_account, t->key, &t->user);
    return SLS_DB(db, user_get_by_name, t->key, &t->user);
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

/* arg: the request, whose arena holds the lookups. */
static int find_user(void *arg, bool by_account, const char *key, struct sls_intake_user *out)
{
    struct sls_req *rq = arg;
    struct find_tx *t = sls_req_alloc(rq, sizeof(*t));
    int rc;

    if (t == NULL)
        return SLS_ERR_NOMEM;
    t->by_account = by_account;
    t->key = key;
    rc = sls_store_read(rq->app->store, find_fn, t);
    if (rc == SLS_OK && t->user.paper_of != 0)
        rc = SLS_ERR_NOT_FOUND; /* documents belong to live users */
    if (rc == SLS_OK) {
        memset(out, 0, sizeof(*out));
        out->id = t->user.id;
        copy_cut(out->username, sizeof(out->username), t->user.username);
        copy_cut(out->account_id, sizeof(out->account_id), t->user.account_id);
        residence_of(t->user.identity_json, out->residence, sizeof(out->residence));
    }
    return rc;
}

/* ---- storing the verdict ---- */

struct intake_tx {
    const struct sls_intake_verdict *v;
    const struct sls_mime_message *m; /* NULL when unreadable */
    const char *actor;
    sls_time now;
    struct sls_document_rec docs[SLS_INTAKE_MAX_DOCUMENTS];
};

static void audit_detail(const struct intake_tx *t, char *out, size_t outlen)
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
    struct intake_tx *t = arg;
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
    struct intake_tx *t = arg;
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

static void mime_free(void *m)
{
    sls_mime_message_free(m);
}

static json_t *document_json(const struct sls_document_rec *d)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)d->id,
                     "purpose", d->purpose, "sender", d->sender, "received_at",
                     sls_time_json(d->received_at), "sha256", d->sha256, "type", d->detected_type,
                     "declared_type", d->declared_type, "filename", d->filename, "size",
                     (json_int_t)d->size);
}

void sls_api_admin_document_ingest(struct sls_req *rq, struct sls_resp *rs)
{
    const struct sls_documents_config *cfg = &rq->app->cfg.documents;
    struct sls_intake_policy policy = {cfg->european_address, cfg->non_european_address,
                                       cfg->european_countries, cfg->max_document_bytes};
    struct sls_mime_message *m = NULL;
    struct sls_intake_verdict *v;
    struct intake_tx *t;
    char actor[80];
    json_t *docs, *o;
    size_t i;
    int rc;

    if (rq->raw == NULL || rq->raw_len == 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "The body must be the raw e-mail message",
                           NULL);
        return;
    }
    v = sls_req_alloc(rq, sizeof(*v));
    t = sls_req_alloc(rq, sizeof(*t));
    if (v == NULL || t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_mime_parse(rq->raw, rq->raw_len, &m);
    if (!sls_req_defer(rq, mime_free, m))
        rc = SLS_ERR_NOMEM; /* m is freed already */
    if (rc != SLS_OK && rc != SLS_ERR_BAD_REQUEST) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    rc = sls_intake_decide(&policy, m, find_user, rq, v);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    snprintf(actor, sizeof(actor), "agent:%s", rq->agent);
    t->v = v;
    t->m = m;
    t->actor = actor;
    t->now = rq->now;
    rc = sls_store_write(rq->app->store, v->reason == SLS_DOC_ACCEPTED ? accept_fn : reject_fn, t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    if (v->reason != SLS_DOC_ACCEPTED) {
        sls_resp_error_msg(rs, SLS_ERR_REJECTED, v->message, NULL);
        json_object_set_new(rs->json, "reason", json_string(sls_doc_reason_code(v->reason)));
        return;
    }
    docs = json_array();
    for (i = 0; i < v->ndocs; i++)
        json_array_append_new(docs, document_json(&t->docs[i]));
    o = json_pack("{s:s, s:s, s:s, s:o}", "user", v->user.username, "account_id",
                  v->user.account_id, "purpose", sls_doc_purpose_name(v->purpose), "documents",
                  docs);
    if (o == NULL)
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
    else
        sls_resp_json(rs, 201, o);
}

/* ---- reading ---- */

struct list_tx {
    const char *username;
    struct sls_user_rec user;
    struct sls_document_rec *docs;
    size_t n;
};

static int list_fn(struct sls_db *db, void *arg)
{
    struct list_tx *t = arg;
    int rc = SLS_DB(db, user_get_by_name, t->username, &t->user);

    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, document_list, t->user.id, t->docs, LIST_MAX, &t->n);
}

void sls_api_admin_document_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct list_tx *t;
    const char *user = sls_req_query(rq, "user");
    json_t *docs;
    size_t i;
    int rc;

    if (user == NULL || user[0] == '\0') {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'user' (a user name) is required",
                           NULL);
        return;
    }
    if (strlen(user) > SLS_USERNAME_MAX) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such user", NULL);
        return;
    }
    t = sls_req_alloc(rq, sizeof(*t));
    if (t == NULL || (t->docs = sls_req_alloc(rq, LIST_MAX * sizeof(*t->docs))) == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->username = user;
    rc = sls_store_read(rq->app->store, list_fn, t);
    if (rc == SLS_ERR_NOT_FOUND) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such user", NULL);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    docs = json_array();
    for (i = 0; i < t->n; i++)
        json_array_append_new(docs, document_json(&t->docs[i]));
    sls_resp_json(rs, 200,
                  json_pack("{s:s, s:s, s:o}", "user", t->user.username, "account_id",
                            t->user.account_id, "documents", docs));
}

struct content_tx {
    int64_t id;
    struct sls_document_rec doc;
    uint8_t *data;
    size_t len;
};

static int content_fn(struct sls_db *db, void *arg)
{
    struct content_tx *t = arg;
    int rc = SLS_DB(db, document_get, t->id, &t->doc);

    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, document_blob_get, t->doc.sha256, &t->data, &t->len);
}

void sls_api_admin_document_content(struct sls_req *rq, struct sls_resp *rs)
{
    static const char *const media[] = {"image/jpeg", "image/png", "image/heic", "application/pdf"};
    struct content_tx t;
    const char *id = rq->params[0];
    const char *ctype = "application/octet-stream";
    size_t n = strlen(id), i;
    int rc;

    memset(&t, 0, sizeof(t));
    if (n == 0 || n > 18 || strspn(id, "0123456789") != n) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such document", NULL);
        return;
    }
    t.id = atoll(id);
    rc = sls_store_read(rq->app->store, content_fn, &t);
    if (rc != SLS_OK) {
        free(t.data);
        if (rc == SLS_ERR_NOT_FOUND)
            sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such document", NULL);
        else
            sls_resp_error(rs, rc, NULL);
        return;
    }
    /* Only a type of our own table goes out as Content-Type. */
    for (i = 0; i < sizeof(media) / sizeof(media[0]); i++)
        if (strcmp(t.doc.detected_type, media[i]) == 0)
            ctype = media[i];
    sls_resp_bytes(rs, 200, ctype, t.data, t.len);
}

struct rejections_tx {
    struct sls_document_rejection_rec *recs;
    size_t max, n;
};

static int rejections_fn(struct sls_db *db, void *arg)
{
    struct rejections_tx *t = arg;
    return SLS_DB(db, document_rejection_list, t->recs, t->max, &t->n);
}

void sls_api_admin_document_rejections(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_document_rejection_rec *recs = sls_req_alloc(rq, LIST_MAX * sizeof(*recs));
    const char *limit = sls_req_query(rq, "limit");
    struct rejections_tx t = {recs, 100, 0};
    size_t i;
    json_t *list;
    int rc;

    if (recs == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (limit != NULL) {
        size_t len = strlen(limit);
        if (len == 0 || len > 4 || strspn(limit, "0123456789") != len || atoi(limit) < 1 ||
            atoi(limit) > LIST_MAX) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'limit' must be 1 to 1000",
                               NULL);
            return;
        }
        t.max = (size_t)atoi(limit);
    }
    rc = sls_store_read(rq->app->store, rejections_fn, &t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    list = json_array();
    for (i = 0; i < t.n; i++) {
        const struct sls_document_rejection_rec *r = &recs[i];
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s}", "id",
                                              (json_int_t)r->id, "received_at",
                                              sls_time_json(r->received_at), "sender", r->sender,
                                              "subject", r->subject, "reason", r->reason, "message",
                                              r->message, "user", r->username));
    }
    sls_resp_json(rs, 200, json_pack("{s:o}", "rejections", list));
}
