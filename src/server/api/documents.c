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
#include "server/flows/documents_tx.h"
#include "core/error.h"
#include "core/username.h"
#include "intake/intake.h"
#include "intake/mime_message.h"

#define LIST_MAX 1000 /* documents or rejections one answer lists */

/* arg: the request, whose arena holds the user records read. */
static int find_user(void *arg, bool by_account, const char *key, struct sls_intake_user *out)
{
    struct sls_req *rq = arg;
    struct sls_user_rec *u = sls_req_alloc(rq, sizeof(*u));

    if (u == NULL)
        return SLS_ERR_NOMEM;
    return sls_documents_tx_find_user(rq->app, by_account, key, u, out);
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
    struct sls_documents_tx *t;
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
    rc = sls_documents_tx_apply(rq->app, t);
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

void sls_api_admin_document_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct list {
        struct sls_user_rec user;
        struct sls_document_rec *docs;
        size_t n;
    } * t;
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
    rc = sls_documents_tx_list(rq->app, user, &t->user, t->docs, LIST_MAX, &t->n);
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

void sls_api_admin_document_content(struct sls_req *rq, struct sls_resp *rs)
{
    static const char *const media[] = {"image/jpeg", "image/png", "image/heic", "application/pdf"};
    struct sls_document_rec doc;
    uint8_t *data = NULL;
    size_t len = 0;
    const char *id = rq->params[0];
    const char *ctype = "application/octet-stream";
    size_t n = strlen(id), i;
    int rc;

    if (n == 0 || n > 18 || strspn(id, "0123456789") != n) {
        sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such document", NULL);
        return;
    }
    rc = sls_documents_tx_content(rq->app, atoll(id), &doc, &data, &len);
    if (rc != SLS_OK) {
        free(data);
        if (rc == SLS_ERR_NOT_FOUND)
            sls_resp_error_msg(rs, SLS_ERR_NOT_FOUND, "No such document", NULL);
        else
            sls_resp_error(rs, rc, NULL);
        return;
    }
    /* Only a type of our own table goes out as Content-Type. */
    for (i = 0; i < sizeof(media) / sizeof(media[0]); i++)
        if (strcmp(doc.detected_type, media[i]) == 0)
            ctype = media[i];
    sls_resp_bytes(rs, 200, ctype, data, len);
}

void sls_api_admin_document_rejections(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_document_rejection_rec *recs = sls_req_alloc(rq, LIST_MAX * sizeof(*recs));
    const char *limit = sls_req_query(rq, "limit");
    size_t max = 100, n = 0;
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
        max = (size_t)atoi(limit);
    }
    rc = sls_documents_tx_rejections(rq->app, recs, max, &n);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    list = json_array();
    for (i = 0; i < n; i++) {
        const struct sls_document_rejection_rec *r = &recs[i];
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s}", "id",
                                              (json_int_t)r->id, "received_at",
                                              sls_time_json(r->received_at), "sender", r->sender,
                                              "subject", r->subject, "reason", r->reason, "message",
                                              r->message, "user", r->username));
    }
    sls_resp_json(rs, 200, json_pack("{s:o}", "rejections", list));
}
