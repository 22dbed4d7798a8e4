/* R50 document intake: the decisions about a document sent by e-mail, as pure
 * functions. What the subject names (an account number, candidate user names,
 * the purpose PoRes or PID), which regional address a residence calls for and
 * whether `To:` holds it, whether an attachment's bytes are one of the
 * accepted document types (JPEG, PNG, HEIC, PDF) and agree with what the
 * message declared, and the reasons a message is rejected. No I/O, no clock,
 * no allocation. */
#ifndef SLS_CORE_DOCUMENT_RULES_H
#define SLS_CORE_DOCUMENT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLS_DOC_MAX_WORDS   32 /* candidate user names kept from one subject */
#define SLS_DOC_ACCOUNT_LEN 8  /* "U" + 7 digits */

enum sls_doc_purpose {
    SLS_DOC_PURPOSE_NONE = 0,
    SLS_DOC_PURPOSE_PORES,     /* proof of residential address */
    SLS_DOC_PURPOSE_PID,       /* proof of identity */
    SLS_DOC_PURPOSE_AMBIGUOUS, /* both words appear */
};

enum sls_doc_type {
    SLS_DOC_TYPE_NONE = 0, /* not a document type we accept */
    SLS_DOC_TYPE_JPEG,
    SLS_DOC_TYPE_PNG,
    SLS_DOC_TYPE_HEIC,
    SLS_DOC_TYPE_PDF,
    SLS_DOC_TYPE__COUNT
};

/* Why a message is rejected; SLS_DOC_ACCEPTED when it is not. */
enum sls_doc_reason {
    SLS_DOC_ACCEPTED = 0,
    SLS_DOC_UNREADABLE,           /* not an RFC 5322 message */
    SLS_DOC_UNKNOWN_ACCOUNT,      /* no known account number or user name */
    SLS_DOC_AMBIGUOUS_ACCOUNT,    /* two accounts or users named */
    SLS_DOC_MISSING_PURPOSE,      /* neither PoRes nor PID */
    SLS_DOC_AMBIGUOUS_PURPOSE,    /* both */
    SLS_DOC_WRONG_ADDRESS,        /* To: is not the address of the user's region */
    SLS_DOC_NO_ATTACHMENT,        /* nothing that could be a document */
    SLS_DOC_TOO_MANY_ATTACHMENTS, /* more than the limit */
    SLS_DOC_TOO_LARGE,            /* an attachment above the size limit */
    SLS_DOC_NOT_A_DOCUMENT,       /* bytes are not JPEG, PNG, HEIC or PDF */
    SLS_DOC_TYPE_MISMATCH,        /* bytes are one type, the message declares another */
    SLS_DOC_REASON__COUNT
};

/* What a subject line names. */
struct sls_doc_subject {
    char account_id[SLS_DOC_ACCOUNT_LEN + 1]; /* "U1234567" (upper case) or "" */
    bool account_ambiguous;                   /* two different account numbers */
    enum sls_doc_purpose purpose;
    char words[SLS_DOC_MAX_WORDS][33]; /* candidate user names, lower case, distinct */
    size_t nwords;
};

/* Reads a subject (UTF-8; NULL reads as ""). Words are runs of letters and
 * digits: ASCII ones, accented Latin letters and letters of other scripts.
 * Spaces, punctuation, typographic dashes and quotes and no-break spaces
 * separate words. A word is
 *  - an account number when it is "U" or "u" and exactly 7 digits;
 *  - the purpose when it is "PoRes" or "PID" in any case (a whole word:
 *    "rapid" or "PIDs" are not);
 *  - otherwise a candidate user name when it is 3 to 32 ASCII letters and
 *    digits (kept lower case, the first SLS_DOC_MAX_WORDS distinct ones). */
void sls_doc_subject_parse(const char *subject, struct sls_doc_subject *out);

/* "PoRes", "PID", or "" for the others. */
const char *sls_doc_purpose_name(enum sls_doc_purpose p);

/* True when list, comma-separated ISO 3166-1 alpha-2 codes ("AT,BE,CH"),
 * holds country (compared without regard to case). A country that is not
 * exactly two letters is in no list. */
bool sls_doc_country_in_list(const char *country, const char *list);
/* 0 when list is well-formed: one or more two-letter codes separated by
 * commas, without spaces; -1 otherwise. */
int sls_doc_country_list_check(const char *list);

/* ASCII case-insensitive comparison of two e-mail addresses. */
bool sls_doc_address_equal(const char *a, const char *b);

/* The `To:` rule: a European resident's message must be addressed to
 * european_addr and a non-European resident's to non_european_addr; a message
 * that names the other region's address as well is refused too (it reaches
 * both mailboxes). Returns SLS_DOC_ACCEPTED or SLS_DOC_WRONG_ADDRESS. */
enum sls_doc_reason sls_doc_route_check(bool european, const char *const *to, size_t nto,
                                        const char *european_addr, const char *non_european_addr);

/* The type the first bytes show: JPEG (FF D8 FF), PNG (its 8-byte
 * signature), PDF ("%PDF-"), HEIC (an ISO BMFF "ftyp" box whose major brand
 * is heic, heix, heim, heis, hevc or hevx, or mif1/msf1 with one of those as
 * a compatible brand); SLS_DOC_TYPE_NONE otherwise. */
enum sls_doc_type sls_doc_sniff(const uint8_t *data, size_t len);

/* The document type a media type names ("image/jpeg", "image/jpg",
 * "image/pjpeg", "image/png", "image/heic", "image/heif",
 * "application/pdf"; case-insensitive); SLS_DOC_TYPE_NONE otherwise. */
enum sls_doc_type sls_doc_type_of_media(const char *media_type);
/* The document type a file name's extension names (.jpg .jpeg .jpe .png
 * .heic .heif .hif .pdf, any case); SLS_DOC_TYPE_NONE for other or no
 * extensions. */
enum sls_doc_type sls_doc_type_of_filename(const char *filename);
/* True for the media types that declare nothing in particular:
 * "application/octet-stream" and "" (or NULL). */
bool sls_doc_media_is_generic(const char *media_type);
/* The canonical media type of t ("image/jpeg"), "" for NONE. */
const char *sls_doc_type_media(enum sls_doc_type t);
/* "JPEG", "PNG", "HEIC", "PDF", "" for NONE. */
const char *sls_doc_type_name(enum sls_doc_type t);

/* One attachment: len above max_bytes is SLS_DOC_TOO_LARGE; bytes that sniff
 * as no document type (or none at all) SLS_DOC_NOT_A_DOCUMENT; a declared
 * media type that is neither generic nor the detected type, or a file name
 * extension of another document type, SLS_DOC_TYPE_MISMATCH. Other file name
 * extensions are not a declaration. *detected gets the sniffed type. */
enum sls_doc_reason sls_doc_check_attachment(const uint8_t *data, size_t len,
                                             const char *declared_media, const char *filename,
                                             size_t max_bytes, enum sls_doc_type *detected);

/* Media types of parts that are never documents and are passed over: text
 * bodies (text/...), message/... parts and detached signatures
 * (application/pkcs7-signature, application/x-pkcs7-signature,
 * application/pgp-signature). */
bool sls_doc_media_is_ignored(const char *media_type);

/* API code of a reason ("wrong_address"); never NULL. */
const char *sls_doc_reason_code(enum sls_doc_reason r);

#endif
