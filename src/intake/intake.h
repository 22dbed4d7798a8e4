/* Document intake by e-mail (R50): from a parsed message, the policy and a
 * way to find users, the verdict — the documents to store for one user and
 * purpose, or the one reason the message is refused, worded for a reply to
 * its sender. Nothing here touches the store or the clock: the caller finds
 * users through find_user and stores what the verdict says. */
#ifndef SLS_INTAKE_INTAKE_H
#define SLS_INTAKE_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/document_rules.h"
#include "intake/mime_message.h"

#define SLS_INTAKE_MAX_DOCUMENTS 10 /* documents one message may carry */

struct sls_intake_policy {
    const char *european_address;     /* To: of residents of Europe */
    const char *non_european_address; /* To: of everybody else */
    const char *european_countries;   /* "AT,BE,...": ISO 3166-1 alpha-2 */
    size_t max_document_bytes;        /* per attachment, decoded */
};

struct sls_intake_user {
    int64_t id;
    char username[33];
    char account_id[16];
    char residence[8]; /* ISO 3166-1 alpha-2 as on record; "" when unknown */
};

/* How users are found: by account number (its primary live user) when
 * by_account, else by user name (a live user, not a paper one). Returns
 * SLS_OK with *out filled, SLS_ERR_NOT_FOUND, or another error that stops
 * the intake. */
typedef int (*sls_intake_find_user_fn)(void *arg, bool by_account, const char *key,
                                       struct sls_intake_user *out);

struct sls_intake_document {
    const struct sls_mime_part *part; /* bytes, declared type and name, in the message */
    enum sls_doc_type detected;
    char sha256[65]; /* hex of the bytes */
};

struct sls_intake_verdict {
    enum sls_doc_reason reason; /* SLS_DOC_ACCEPTED, or why not */
    char message[512];          /* one sentence for the sender, UTF-8 */
    bool user_found;
    struct sls_intake_user user;
    enum sls_doc_purpose purpose;
    struct sls_intake_document docs[SLS_INTAKE_MAX_DOCUMENTS];
    size_t ndocs;
};

/* Decides on m (NULL: the bytes were not a message). The checks, in order,
 * each giving the reason when it fails: the message has a From: address
 * (else it is unreadable); the subject names exactly one
 * account (an account number wins over user names; several user names that
 * are users are ambiguous); the subject names one purpose; `To:` is the
 * address of the user's region (Europe when the residence on record is in
 * european_countries); the message carries 1 to SLS_INTAKE_MAX_DOCUMENTS
 * candidate parts, each a document within the size limit whose type agrees
 * with its declaration. Returns SLS_OK with *v filled, or the error of
 * find_user. v->docs point into m. */
int sls_intake_decide(const struct sls_intake_policy *p, const struct sls_mime_message *m,
                      sls_intake_find_user_fn find_user, void *arg, struct sls_intake_verdict *v);

#endif
