/* The store side of R50 document intake on the admin API: finding the user
 * a message names, storing the intake's verdict (every document of the
 * message with one audit record, or the rejection with its reason, in one
 * transaction), and the reads of the GET routes. The decision is
 * intake/intake.h's. */
#ifndef SLS_SERVER_DOCUMENTS_TX_H
#define SLS_SERVER_DOCUMENTS_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intake/intake.h"
#include "intake/mime_message.h"
#include "server/app/app.h"
#include "store/store.h"

/* The live user named by key (an account number when by_account, else a
 * user name) read into u (the caller's scratch), and what the intake needs
 * of them into out. Returns SLS_OK, SLS_ERR_NOT_FOUND (a paper user too:
 * documents belong to live users) or the store's error. */
int sls_documents_tx_find_user(const struct sls_app *app, bool by_account, const char *key,
                               struct sls_user_rec *u, struct sls_intake_user *out);

struct sls_documents_tx {
    /* in */
    const struct sls_intake_verdict *v;
    const struct sls_mime_message *m; /* NULL when unreadable */
    const char *actor;
    sls_time now;
    /* out: the documents stored, v->ndocs of them, when accepted */
    struct sls_document_rec docs[SLS_INTAKE_MAX_DOCUMENTS];
};

/* In one transaction: an accepted message's documents (their bytes and
 * records) with the audit record document.accept, or a rejected one's
 * rejection with document.reject. Returns SLS_OK or the store's error. */
int sls_documents_tx_apply(const struct sls_app *app, struct sls_documents_tx *t);

/* The user named username into u and up to max of their documents into
 * docs (*n of them). Returns SLS_OK, SLS_ERR_NOT_FOUND (no such user) or
 * the store's error. */
int sls_documents_tx_list(const struct sls_app *app, const char *username, struct sls_user_rec *u,
                          struct sls_document_rec *docs, size_t max, size_t *n);

/* Document id into doc, with its bytes into *data (malloc'd, *len bytes;
 * the caller frees it, whatever the result). Returns SLS_OK,
 * SLS_ERR_NOT_FOUND or the store's error. */
int sls_documents_tx_content(const struct sls_app *app, int64_t id, struct sls_document_rec *doc,
                             uint8_t **data, size_t *len);

/* The latest max rejections into recs (*n of them). Returns SLS_OK or the
 * store's error. */
int sls_documents_tx_rejections(const struct sls_app *app, struct sls_document_rejection_rec *recs,
                                size_t max, size_t *n);

#endif
