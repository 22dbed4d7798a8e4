/* Reading an e-mail message with GMime (multipart, base64, quoted-printable,
 * RFC 2047 encoded-word and RFC 2231 parameters, legacy 8-bit headers) into
 * the plain-C struct sls_mime_message. The only file that includes GMime or
 * glib headers. */
#include "mime_message.h"

#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/document_rules.h"
#include "core/error.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
    g_mime_init();
}

/* Copies src (NULL reads as "") into dst: invalid UTF-8 replaced, control
 * characters turned into spaces, cut at a character boundary to fit cap. */
static void copy_text(char *dst, size_t cap, const char *src)
{
    gchar *valid = g_utf8_make_valid(src ? src : "", -1);
    size_t n, i;

    if (valid == NULL) {
        dst[0] = '\0';
        return;
    }
    n = strlen(valid);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)valid[n] & 0xC0) == 0x80)
            n--; /* do not split a character */
    }
    for (i = 0; i < n; i++)
        dst[i] = ((unsigned char)valid[i] < 0x20 || valid[i] == 0x7F) ? ' ' : valid[i];
    dst[n] = '\0';
    g_free(valid);
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Calls take(addr) for every mailbox of list, group members included. */
static void each_mailbox(InternetAddressList *list, void (*take)(const char *, void *), void *arg)
{
    int i, n;

    if (list == NULL)
        return;
    n = internet_address_list_length(list);
    for (i = 0; i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            take(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), arg);
        } else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            InternetAddressList *members =
                internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
            int j, m = members ? internet_address_list_length(members) : 0;
            for (j = 0; j < m; j++) {
                InternetAddress *member = internet_address_list_get_address(members, j);
                if (INTERNET_ADDRESS_IS_MAILBOX(member))
                    take(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(member)), arg);
            }
        }
    }
}

static void take_to(const char *addr, void *arg)
{
    struct sls_mime_message *m = arg;

    if (addr == NULL || addr[0] == '\0' || m->nto == SLS_MIME_MAX_RECIPIENTS)
        return;
    copy_text(m->to[m->nto++], SLS_MIME_ADDR_MAX, addr);
}

static void take_from(const char *addr, void *arg)
{
    struct sls_mime_message *m = arg;

    if (m->from[0] == '\0' && addr != NULL)
        copy_text(m->from, sizeof(m->from), addr);
}

struct walk {
    struct sls_mime_message *m;
    int err;
};

/* Keeps one leaf part that may be a document, its content decoded. */
static void take_part(GMimePart *part, struct walk *w)
{
    struct sls_mime_message *m = w->m;
    GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    gchar *media = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    GMimeDataWrapper *content;
    GMimeStream *mem = NULL;
    GByteArray *bytes;
    struct sls_mime_part *p;

    if (media != NULL && sls_doc_media_is_ignored(media))
        goto out;
    if (m->nparts == SLS_MIME_MAX_PARTS) {
        m->too_many_parts = true;
        goto out;
    }
    p = &m->parts[m->nparts];
    copy_text(p->media_type, sizeof(p->media_type), media);
    lower_ascii(p->media_type);
    copy_text(p->filename, sizeof(p->filename), g_mime_part_get_filename(part));
    mem = g_mime_stream_mem_new();
    if (mem == NULL) {
        w->err = SLS_ERR_NOMEM;
        goto out;
    }
    content = g_mime_part_get_content(part);
    if (content != NULL && g_mime_data_wrapper_write_to_stream(content, mem) < 0)
        g_byte_array_set_size(g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem)), 0);
    bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    p->len = bytes ? bytes->len : 0;
    p->data = malloc(p->len ? p->len : 1);
    if (p->data == NULL) {
        w->err = SLS_ERR_NOMEM;
        p->len = 0;
        goto out;
    }
    if (p->len)
        memcpy(p->data, bytes->data, p->len);
    m->nparts++;
out:
    if (mem != NULL)
        g_object_unref(mem);
    g_free(media);
}

static void walk(GMimeObject *obj, int depth, struct walk *w)
{
    if (obj == NULL || depth > SLS_MIME_MAX_DEPTH || w->err != SLS_OK)
        return;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int i, n = g_mime_multipart_get_count(mp);
        for (i = 0; i < n; i++)
            walk(g_mime_multipart_get_part(mp, i), depth + 1, w);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (inner != NULL)
            walk(g_mime_message_get_mime_part(inner), depth + 1, w);
    } else if (GMIME_IS_PART(obj)) {
        take_part(GMIME_PART(obj), w);
    }
}

static uint8_t lower_byte(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c - 'A' + 'a') : c;
}

/* Counts the lines that start a Content-Type header. Every level of nesting
 * needs one, so this bounds how deep GMime's parser recurses. */
static size_t content_type_lines(const uint8_t *raw, size_t len)
{
    static const char name[] = "content-type";
    size_t i = 0, count = 0;

    while (i < len) {
        size_t j = 0, k;
        while (j < sizeof(name) - 1 && i + j < len && lower_byte(raw[i + j]) == (uint8_t)name[j])
            j++;
        if (j == sizeof(name) - 1) {
            k = i + j;
            while (k < len && (raw[k] == ' ' || raw[k] == '\t'))
                k++;
            if (k < len && raw[k] == ':')
                count++;
        }
        while (i < len && raw[i] != '\n')
            i++;
        i++;
    }
    return count;
}

int sls_mime_parse(const uint8_t *raw, size_t len, struct sls_mime_message **out)
{
    const char *charsets[] = {"utf-8", "iso-8859-1", NULL};
    struct sls_mime_message *m = NULL;
    GMimeStream *stream = NULL;
    GMimeParser *parser = NULL;
    GMimeParserOptions *options = NULL;
    GMimeMessage *msg = NULL;
    struct walk w;
    int ret = SLS_ERR_BAD_REQUEST;

    *out = NULL;
    if (raw == NULL || len == 0 || content_type_lines(raw, len) > SLS_MIME_MAX_HEADERS)
        return SLS_ERR_BAD_REQUEST;
    pthread_once(&gmime_once, gmime_start);
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return SLS_ERR_NOMEM;
    stream = g_mime_stream_mem_new_with_buffer((const char *)raw, len);
    options = g_mime_parser_options_new();
    if (stream == NULL || options == NULL) {
        ret = SLS_ERR_NOMEM;
        goto out;
    }
    g_mime_parser_options_set_fallback_charsets(options, charsets);
    parser = g_mime_parser_new_with_stream(stream);
    if (parser == NULL) {
        ret = SLS_ERR_NOMEM;
        goto out;
    }
    msg = g_mime_parser_construct_message(parser, options);
    if (msg == NULL)
        goto out;
    copy_text(m->subject, sizeof(m->subject), g_mime_message_get_subject(msg));
    each_mailbox(g_mime_message_get_from(msg), take_from, m);
    each_mailbox(g_mime_message_get_to(msg), take_to, m);
    w.m = m;
    w.err = SLS_OK;
    walk(g_mime_message_get_mime_part(msg), 0, &w);
    ret = w.err;
out:
    if (msg != NULL)
        g_object_unref(msg);
    if (parser != NULL)
        g_object_unref(parser);
    if (stream != NULL)
        g_object_unref(stream);
    if (options != NULL)
        g_mime_parser_options_free(options);
    if (ret != SLS_OK) {
        sls_mime_message_free(m);
        return ret;
    }
    *out = m;
    return SLS_OK;
}

void sls_mime_message_free(struct sls_mime_message *m)
{
    size_t i;

    if (m == NULL)
        return;
    for (i = 0; i < m->nparts; i++)
        free(m->parts[i].data);
    free(m);
}
