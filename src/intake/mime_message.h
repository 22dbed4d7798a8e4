/* An e-mail message (RFC 5322, MIME) read into plain C: the sender, the
 * decoded subject, the `To:` addresses and every part that may carry a
 * document, with its bytes decoded (base64, quoted-printable). Parsing is done
 * by GMime in mime_message.c, the only file of sls that includes GMime or
 * glib headers; callers see this interface only.
 *
 * All strings are valid UTF-8 (invalid bytes replaced), NUL-terminated and
 * cut at a character boundary to fit their fields. */
#ifndef SLS_INTAKE_MIME_MESSAGE_H
#define SLS_INTAKE_MIME_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLS_MIME_ADDR_MAX       256 /* one address */
#define SLS_MIME_SUBJECT_MAX    512
#define SLS_MIME_MAX_RECIPIENTS 16
#define SLS_MIME_MAX_PARTS      32  /* candidate parts kept from one message */
#define SLS_MIME_MAX_DEPTH      8   /* nested multiparts and attached messages */
#define SLS_MIME_MAX_HEADERS    256 /* Content-Type header lines in one message */

/* A leaf part that is not a text body, a nested message or a signature. */
struct sls_mime_part {
    char media_type[128]; /* "image/jpeg", lower case, as declared */
    char filename[256];   /* from Content-Disposition or Content-Type name; "" */
    uint8_t *data;        /* decoded bytes (owned by the message) */
    size_t len;
};

struct sls_mime_message {
    char from[SLS_MIME_ADDR_MAX]; /* the first From: address, "" if none */
    char subject[SLS_MIME_SUBJECT_MAX];
    char to[SLS_MIME_MAX_RECIPIENTS][SLS_MIME_ADDR_MAX]; /* addr-specs of To: */
    size_t nto;
    struct sls_mime_part parts[SLS_MIME_MAX_PARTS];
    size_t nparts;
    bool too_many_parts; /* more candidate parts than SLS_MIME_MAX_PARTS */
};

/* Parses len bytes of a raw message. Parts nested deeper than
 * SLS_MIME_MAX_DEPTH are not looked at. Returns SLS_OK with *out (free it with
 * sls_mime_message_free), SLS_ERR_BAD_REQUEST when the bytes are not a
 * message (no header, or more than SLS_MIME_MAX_HEADERS Content-Type lines),
 * or SLS_ERR_NOMEM. Thread-safe. */
int sls_mime_parse(const uint8_t *raw, size_t len, struct sls_mime_message **out);

/* NULL is a no-op. */
void sls_mime_message_free(struct sls_mime_message *m);

#endif
