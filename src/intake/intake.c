/* R50: the verdict on one e-mailed message (see intake.h): who it is for,
 * why, whether it went to the right regional address, and which of its
 * parts are documents to keep. */
#include "intake.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/hash.h"

/* Drops a trailing incomplete UTF-8 sequence left by a cut. */
static void trim_utf8(char *s)
{
    size_t n = strlen(s), back = 0, need;
    unsigned char lead;

    while (back < 4 && back < n && ((unsigned char)s[n - 1 - back] & 0xC0) == 0x80)
        back++;
    if (back == n)
        return;
    lead = (unsigned char)s[n - 1 - back];
    if (lead < 0x80)
        return;
    need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (back != need)
        s[n - 1 - back] = '\0';
}

static int reject(struct sls_intake_verdict *v, enum sls_doc_reason reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int reject(struct sls_intake_verdict *v, enum sls_doc_reason reason, const char *fmt, ...)
{
    va_list ap;

    v->reason = reason;
    v->ndocs = 0;
    va_start(ap, fmt);
    vsnprintf(v->message, sizeof(v->message), fmt, ap);
    va_end(ap);
    trim_utf8(v->message);
    return SLS_OK;
}

/* Finds the one user the subject names; SLS_OK with v->user_found, or the
 * reason in v, or an error of find_user. */
static int find_subject_user(const struct sls_doc_subject *s, sls_intake_find_user_fn find_user,
                             void *arg, struct sls_intake_verdict *v)
{
    struct sls_intake_user u;
    size_t i;
    int rc;

    if (s->account_ambiguous)
        return reject(v, SLS_DOC_AMBIGUOUS_ACCOUNT,
                      "The subject names more than one account number: send one message per "
                      "account");
    if (s->account_id[0] != '\0') {
        rc = find_user(arg, true, s->account_id, &v->user);
        if (rc == SLS_ERR_NOT_FOUND)
            return reject(v, SLS_DOC_UNKNOWN_ACCOUNT, "There is no account %s", s->account_id);
        if (rc != SLS_OK)
            return rc;
        v->user_found = true;
        return SLS_OK;
    }
    for (i = 0; i < s->nwords; i++) {
        rc = find_user(arg, false, s->words[i], &u);
        if (rc == SLS_ERR_NOT_FOUND)
            continue;
        if (rc != SLS_OK)
            return rc;
        if (v->user_found && v->user.id != u.id) {
            v->user_found = false;
            return reject(v, SLS_DOC_AMBIGUOUS_ACCOUNT,
                          "The subject names more than one user (%s, %s): give the account "
                          "number (U and 7 digits) instead",
                          v->user.username, u.username);
        }
        v->user = u;
        v->user_found = true;
    }
    if (!v->user_found)
        return reject(v, SLS_DOC_UNKNOWN_ACCOUNT,
                      "The subject must hold your account number (U and 7 digits) or your user "
                      "name; it names neither");
    return SLS_OK;
}

static const char *part_name(const struct sls_mime_part *p, size_t i, char *buf, size_t buflen)
{
    if (p->filename[0] != '\0')
        snprintf(buf, buflen, "'%s'", p->filename);
    else
        snprintf(buf, buflen, "number %zu", i + 1);
    return buf;
}

static int check_parts(const struct sls_intake_policy *p, const struct sls_mime_message *m,
                       struct sls_intake_verdict *v)
{
    char name[300];
    size_t i;

    if (m->too_many_parts || m->nparts > SLS_INTAKE_MAX_DOCUMENTS)
        return reject(v, SLS_DOC_TOO_MANY_ATTACHMENTS, "A message may carry at most %d documents",
                      SLS_INTAKE_MAX_DOCUMENTS);
    if (m->nparts == 0)
        return reject(v, SLS_DOC_NO_ATTACHMENT,
                      "The message has no attachment: attach a photo (JPEG, PNG or HEIC) or a "
                      "PDF of the document");
    for (i = 0; i < m->nparts; i++) {
        const struct sls_mime_part *part = &m->parts[i];
        enum sls_doc_type detected;
        enum sls_doc_reason r =
            sls_doc_check_attachment(part->data, part->len, part->media_type, part->filename,
                                     p->max_document_bytes, &detected);
        part_name(part, i, name, sizeof(name));
        switch (r) {
        case SLS_DOC_ACCEPTED:
            break;
        case SLS_DOC_TOO_LARGE:
            return reject(v, r, "Attachment %s is larger than %zu bytes", name,
                          p->max_document_bytes);
        case SLS_DOC_NOT_A_DOCUMENT:
            return reject(v, r, "Attachment %s is not a JPEG, PNG, HEIC or PDF document", name);
        default:
            return reject(v, SLS_DOC_TYPE_MISMATCH, "Attachment %s is a %s but is declared as %s",
                          name, sls_doc_type_name(detected),
                          part->media_type[0] ? part->media_type : "another type");
        }
        v->docs[i].part = part;
        v->docs[i].detected = detected;
    }
    for (i = 0; i < m->nparts; i++)
        sls_sha256_hex(m->parts[i].data, m->parts[i].len, v->docs[i].sha256);
    v->ndocs = m->nparts;
    return SLS_OK;
}

int sls_intake_decide(const struct sls_intake_policy *p, const struct sls_mime_message *m,
                      sls_intake_find_user_fn find_user, void *arg, struct sls_intake_verdict *v)
{
    struct sls_doc_subject subject;
    const char *to[SLS_MIME_MAX_RECIPIENTS];
    bool european;
    size_t i;
    int rc;

    memset(v, 0, sizeof(*v));
    if (m == NULL)
        return reject(v, SLS_DOC_UNREADABLE, "The message could not be read as an e-mail");
    if (m->from[0] == '\0') /* RFC 5322 requires it, and the reply needs it */
        return reject(v, SLS_DOC_UNREADABLE,
                      "The message could not be read as an e-mail: it has no From: address");
    sls_doc_subject_parse(m->subject, &subject);
    rc = find_subject_user(&subject, find_user, arg, v);
    if (rc != SLS_OK || v->reason != SLS_DOC_ACCEPTED)
        return rc;
    if (subject.purpose == SLS_DOC_PURPOSE_NONE)
        return reject(v, SLS_DOC_MISSING_PURPOSE,
                      "The subject must say what the document proves: PoRes (proof of "
                      "residential address) or PID (proof of identity)");
    if (subject.purpose == SLS_DOC_PURPOSE_AMBIGUOUS)
        return reject(v, SLS_DOC_AMBIGUOUS_PURPOSE,
                      "The subject names both PoRes and PID: send one message per purpose");
    v->purpose = subject.purpose;
    european = sls_doc_country_in_list(v->user.residence, p->european_countries);
    for (i = 0; i < m->nto; i++)
        to[i] = m->to[i];
    if (sls_doc_route_check(european, to, m->nto, p->european_address, p->non_european_address) !=
        SLS_DOC_ACCEPTED)
        return reject(v, SLS_DOC_WRONG_ADDRESS, "Documents of %s residents go to %s only",
                      european ? "European" : "non-European",
                      european ? p->european_address : p->non_european_address);
    return check_parts(p, m, v);
}
