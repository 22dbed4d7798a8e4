/* R50: the rules of document intake by e-mail — subject words, regional
 * addresses, document types — as pure functions (see document_rules.h). */
#include "document_rules.h"

#include <string.h>

static bool ascii_alnum(unsigned c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool ascii_equal_nocase(const char *a, size_t alen, const char *b)
{
    size_t i;

    if (strlen(b) != alen)
        return false;
    for (i = 0; i < alen; i++)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

/* Decodes one UTF-8 code point at s (n bytes left) into *cp; returns its
 * length, or 1 with *cp = 0xFFFD for a malformed byte. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0], need, v, min;
    size_t i;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n < need + 1) {
        *cp = 0xFFFD;
        return 1;
    }
    for (i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return need + 1;
}

/* Letters and digits join a word; everything else separates. Beyond ASCII:
 * Latin-1 and Latin Extended letters (not × and ÷), and every code point from
 * Greek on except the punctuation and space blocks phones insert (general
 * punctuation, CJK punctuation, fullwidth ASCII punctuation). */
static bool word_char(unsigned cp)
{
    if (cp < 0x80)
        return ascii_alnum(cp);
    if (cp == 0xFFFD)
        return false;
    if (cp >= 0xC0 && cp <= 0x24F)
        return cp != 0xD7 && cp != 0xF7;
    if (cp < 0x370)
        return false;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
        (cp >= 0xFF1A && cp <= 0xFF20))
        return false;
    return true;
}

static bool is_account_word(const char *w, size_t n)
{
    size_t i;

    if (n != SLS_DOC_ACCOUNT_LEN || (w[0] != 'U' && w[0] != 'u'))
        return false;
    for (i = 1; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return false;
    return true;
}

static bool ascii_word(const char *w, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!ascii_alnum((unsigned char)w[i]))
            return false;
    return true;
}

static void take_word(struct sls_doc_subject *out, const char *w, size_t n)
{
    enum sls_doc_purpose p = SLS_DOC_PURPOSE_NONE;
    char lower[33];
    size_t i;

    if (is_account_word(w, n)) {
        char id[SLS_DOC_ACCOUNT_LEN + 1];
        memcpy(id, w, n);
        id[0] = 'U';
        id[n] = '\0';
        if (out->account_id[0] == '\0')
            memcpy(out->account_id, id, sizeof(id));
        else if (strcmp(out->account_id, id) != 0)
            out->account_ambiguous = true;
        return;
    }
    if (ascii_equal_nocase(w, n, "pores"))
        p = SLS_DOC_PURPOSE_PORES;
    else if (ascii_equal_nocase(w, n, "pid"))
        p = SLS_DOC_PURPOSE_PID;
    if (p != SLS_DOC_PURPOSE_NONE) {
        if (out->purpose == SLS_DOC_PURPOSE_NONE)
            out->purpose = p;
        else if (out->purpose != p)
            out->purpose = SLS_DOC_PURPOSE_AMBIGUOUS;
        return;
    }
    if (n < 3 || n > 32 || !ascii_word(w, n) || out->nwords == SLS_DOC_MAX_WORDS)
        return;
    for (i = 0; i < n; i++)
        lower[i] = ascii_lower(w[i]);
    lower[n] = '\0';
    for (i = 0; i < out->nwords; i++)
        if (strcmp(out->words[i], lower) == 0)
            return;
    memcpy(out->words[out->nwords++], lower, n + 1);
}

void sls_doc_subject_parse(const char *subject, struct sls_doc_subject *out)
{
    const unsigned char *s = (const unsigned char *)(subject ? subject : "");
    size_t n = strlen((const char *)s);
    size_t i = 0, start = 0;
    bool in_word = false;

    memset(out, 0, sizeof(*out));
    while (i < n) {
        unsigned cp;
        size_t len = utf8_next(s + i, n - i, &cp);
        bool w = word_char(cp);
        if (w && !in_word) {
            start = i;
            in_word = true;
        } else if (!w && in_word) {
            take_word(out, (const char *)s + start, i - start);
            in_word = false;
        }
        i += len;
    }
    if (in_word)
        take_word(out, (const char *)s + start, n - start);
}

const char *sls_doc_purpose_name(enum sls_doc_purpose p)
{
    switch (p) {
    case SLS_DOC_PURPOSE_PORES:
        return "PoRes";
    case SLS_DOC_PURPOSE_PID:
        return "PID";
    default:
        return "";
    }
}

static bool two_letters(const char *s)
{
    return s != NULL && strlen(s) == 2 && ascii_alnum((unsigned char)s[0]) &&
           ascii_alnum((unsigned char)s[1]) && !(s[0] >= '0' && s[0] <= '9') &&
           !(s[1] >= '0' && s[1] <= '9');
}

bool sls_doc_country_in_list(const char *country, const char *list)
{
    const char *p = list;

    if (!two_letters(country) || list == NULL)
        return false;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 2 && ascii_lower(p[0]) == ascii_lower(country[0]) &&
            ascii_lower(p[1]) == ascii_lower(country[1]))
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

int sls_doc_country_list_check(const char *list)
{
    const char *p = list;
    char code[3];

    if (list == NULL || *list == '\0')
        return -1;
    for (;;) {
        size_t n = strcspn(p, ",");
        if (n != 2)
            return -1;
        memcpy(code, p, 2);
        code[2] = '\0';
        if (!two_letters(code))
            return -1;
        p += n;
        if (*p == '\0')
            return 0;
        p++; /* the comma; a trailing one leaves an empty code */
    }
}

bool sls_doc_address_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    return ascii_equal_nocase(a, strlen(a), b);
}

enum sls_doc_reason sls_doc_route_check(bool european, const char *const *to, size_t nto,
                                        const char *european_addr, const char *non_european_addr)
{
    const char *want = european ? european_addr : non_european_addr;
    const char *other = european ? non_european_addr : european_addr;
    bool has_want = false, has_other = false;
    size_t i;

    for (i = 0; i < nto; i++) {
        has_want = has_want || sls_doc_address_equal(to[i], want);
        has_other = has_other || sls_doc_address_equal(to[i], other);
    }
    return has_want && !has_other ? SLS_DOC_ACCEPTED : SLS_DOC_WRONG_ADDRESS;
}

static bool starts_with(const uint8_t *d, size_t len, const char *magic, size_t mlen)
{
    return len >= mlen && memcmp(d, magic, mlen) == 0;
}

static bool heif_brand(const uint8_t *b)
{
    static const char *const brands[] = {"heic", "heix", "heim", "heis", "hevc", "hevx"};
    size_t i;

    for (i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
        if (memcmp(b, brands[i], 4) == 0)
            return true;
    return false;
}

static bool sniff_heic(const uint8_t *d, size_t len)
{
    uint32_t box;
    size_t off;

    if (len < 16 || memcmp(d + 4, "ftyp", 4) != 0)
        return false;
    box = ((uint32_t)d[0] << 24) | ((uint32_t)d[1] << 16) | ((uint32_t)d[2] << 8) | d[3];
    if (box < 16 || box > len || box % 4 != 0)
        return false;
    if (heif_brand(d + 8))
        return true;
    if (memcmp(d + 8, "mif1", 4) != 0 && memcmp(d + 8, "msf1", 4) != 0)
        return false;
    for (off = 16; off + 4 <= box; off += 4) /* the compatible brands */
        if (heif_brand(d + off))
            return true;
    return false;
}

enum sls_doc_type sls_doc_sniff(const uint8_t *data, size_t len)
{
    if (data == NULL)
        return SLS_DOC_TYPE_NONE;
    if (starts_with(data, len, "\xFF\xD8\xFF", 3))
        return SLS_DOC_TYPE_JPEG;
    if (starts_with(data, len, "\x89PNG\r\n\x1A\n", 8))
        return SLS_DOC_TYPE_PNG;
    if (starts_with(data, len, "%PDF-", 5))
        return SLS_DOC_TYPE_PDF;
    if (sniff_heic(data, len))
        return SLS_DOC_TYPE_HEIC;
    return SLS_DOC_TYPE_NONE;
}

struct name_type {
    const char *name;
    enum sls_doc_type type;
};

static const struct name_type media_types[] = {
    {"image/jpeg", SLS_DOC_TYPE_JPEG},     {"image/jpg", SLS_DOC_TYPE_JPEG},
    {"image/pjpeg", SLS_DOC_TYPE_JPEG},    {"image/png", SLS_DOC_TYPE_PNG},
    {"image/heic", SLS_DOC_TYPE_HEIC},     {"image/heif", SLS_DOC_TYPE_HEIC},
    {"application/pdf", SLS_DOC_TYPE_PDF},
};

static const struct name_type extensions[] = {
    {"jpg", SLS_DOC_TYPE_JPEG}, {"jpeg", SLS_DOC_TYPE_JPEG}, {"jpe", SLS_DOC_TYPE_JPEG},
    {"png", SLS_DOC_TYPE_PNG},  {"heic", SLS_DOC_TYPE_HEIC}, {"heif", SLS_DOC_TYPE_HEIC},
    {"hif", SLS_DOC_TYPE_HEIC}, {"pdf", SLS_DOC_TYPE_PDF},
};

enum sls_doc_type sls_doc_type_of_media(const char *media_type)
{
    size_t i;

    if (media_type == NULL)
        return SLS_DOC_TYPE_NONE;
    for (i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++)
        if (ascii_equal_nocase(media_type, strlen(media_type), media_types[i].name))
            return media_types[i].type;
    return SLS_DOC_TYPE_NONE;
}

enum sls_doc_type sls_doc_type_of_filename(const char *filename)
{
    const char *dot;
    size_t i;

    if (filename == NULL || (dot = strrchr(filename, '.')) == NULL)
        return SLS_DOC_TYPE_NONE;
    dot++;
    for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
        if (ascii_equal_nocase(dot, strlen(dot), extensions[i].name))
            return extensions[i].type;
    return SLS_DOC_TYPE_NONE;
}

bool sls_doc_media_is_generic(const char *media_type)
{
    return media_type == NULL || media_type[0] == '\0' ||
           ascii_equal_nocase(media_type, strlen(media_type), "application/octet-stream");
}

const char *sls_doc_type_media(enum sls_doc_type t)
{
    switch (t) {
    case SLS_DOC_TYPE_JPEG:
        return "image/jpeg";
    case SLS_DOC_TYPE_PNG:
        return "image/png";
    case SLS_DOC_TYPE_HEIC:
        return "image/heic";
    case SLS_DOC_TYPE_PDF:
        return "application/pdf";
    default:
        return "";
    }
}

const char *sls_doc_type_name(enum sls_doc_type t)
{
    switch (t) {
    case SLS_DOC_TYPE_JPEG:
        return "JPEG";
    case SLS_DOC_TYPE_PNG:
        return "PNG";
    case SLS_DOC_TYPE_HEIC:
        return "HEIC";
    case SLS_DOC_TYPE_PDF:
        return "PDF";
    default:
        return "";
    }
}

enum sls_doc_reason sls_doc_check_attachment(const uint8_t *data, size_t len,
                                             const char *declared_media, const char *filename,
                                             size_t max_bytes, enum sls_doc_type *detected)
{
    enum sls_doc_type by_name = sls_doc_type_of_filename(filename);

    *detected = SLS_DOC_TYPE_NONE;
    if (len > max_bytes)
        return SLS_DOC_TOO_LARGE;
    *detected = sls_doc_sniff(data, len);
    if (*detected == SLS_DOC_TYPE_NONE)
        return SLS_DOC_NOT_A_DOCUMENT;
    if (!sls_doc_media_is_generic(declared_media) &&
        sls_doc_type_of_media(declared_media) != *detected)
        return SLS_DOC_TYPE_MISMATCH;
    if (by_name != SLS_DOC_TYPE_NONE && by_name != *detected)
        return SLS_DOC_TYPE_MISMATCH;
    return SLS_DOC_ACCEPTED;
}

bool sls_doc_media_is_ignored(const char *media_type)
{
    static const char *const signatures[] = {"application/pkcs7-signature",
                                             "application/x-pkcs7-signature",
                                             "application/pgp-signature"};
    size_t n, i;

    if (media_type == NULL)
        return false;
    n = strlen(media_type);
    if ((n >= 5 && ascii_equal_nocase(media_type, 5, "text/")) ||
        (n >= 8 && ascii_equal_nocase(media_type, 8, "message/")))
        return true;
    for (i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
        if (ascii_equal_nocase(media_type, n, signatures[i]))
            return true;
    return false;
}

const char *sls_doc_reason_code(enum sls_doc_reason r)
{
    static const char *const codes[SLS_DOC_REASON__COUNT] = {
        [SLS_DOC_ACCEPTED] = "accepted",
        [SLS_DOC_UNREADABLE] = "unreadable",
        [SLS_DOC_UNKNOWN_ACCOUNT] = "unknown_account",
        [SLS_DOC_AMBIGUOUS_ACCOUNT] = "ambiguous_account",
        [SLS_DOC_MISSING_PURPOSE] = "missing_purpose",
        [SLS_DOC_AMBIGUOUS_PURPOSE] = "ambiguous_purpose",
        [SLS_DOC_WRONG_ADDRESS] = "wrong_address",
        [SLS_DOC_NO_ATTACHMENT] = "no_attachment",
        [SLS_DOC_TOO_MANY_ATTACHMENTS] = "too_many_attachments",
        [SLS_DOC_TOO_LARGE] = "too_large",
        [SLS_DOC_NOT_A_DOCUMENT] = "not_a_document",
        [SLS_DOC_TYPE_MISMATCH] = "type_mismatch",
    };

    if ((int)r < 0 || r >= SLS_DOC_REASON__COUNT || codes[r] == NULL)
        return "unreadable";
    return codes[r];
}
