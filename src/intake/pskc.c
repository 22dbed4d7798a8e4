/* RFC 6030 PSKC files read with libxml2; see pskc.h. */
#include "pskc.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/cipher.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

#define PSKC_NS    "urn:ietf:params:xml:ns:keyprov:pskc"
#define AES128_CBC "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
#define HMAC_SHA1  "http://www.w3.org/2000/09/xmldsig#hmac-sha1"
#define PBKDF2     "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2"
#define BLOB_MAX   256

/* The first child element of n named `name` (local name), or NULL. */
static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

/* child(child(...)) along a path of names ending with NULL. */
static xmlNode *path(const xmlNode *n, const char *first, ...) __attribute__((sentinel));

static xmlNode *path(const xmlNode *n, const char *first, ...)
{
    va_list ap;
    xmlNode *cur = child(n, first);
    const char *name;

    va_start(ap, first);
    while (cur != NULL && (name = va_arg(ap, const char *)) != NULL)
        cur = child(cur, name);
    va_end(ap);
    return cur;
}

/* The text of n, trimmed, into out; false when absent or too long. */
static bool text(const xmlNode *n, char *out, size_t cap)
{
    xmlChar *t;
    const char *s, *e;
    bool ok = false;

    if (n == NULL)
        return false;
    t = xmlNodeGetContent(n);
    if (t == NULL)
        return false;
    s = (const char *)t;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == '\t'))
        e--;
    if ((size_t)(e - s) < cap) {
        memcpy(out, s, (size_t)(e - s));
        out[e - s] = '\0';
        ok = true;
    }
    sls_wipe(t, strlen((const char *)t));
    xmlFree(t);
    return ok;
}

/* Base64 text of n into out; false when absent or not base64. Whitespace
 * inside the text (line breaks of long values) is dropped first. */
static bool base64(const xmlNode *n, uint8_t *out, size_t cap, size_t *len)
{
    char t[2 * BLOB_MAX], c[2 * BLOB_MAX];
    size_t j = 0;
    bool ok;

    if (!text(n, t, sizeof(t)))
        return false;
    for (size_t i = 0; t[i] != '\0'; i++)
        if (t[i] != ' ' && t[i] != '\n' && t[i] != '\r' && t[i] != '\t')
            c[j++] = t[i];
    ok = j > 0 && sls_base64_decode(c, j, 0, out, cap, len) == 0;
    sls_wipe(t, sizeof(t));
    sls_wipe(c, sizeof(c));
    return ok;
}

static bool attr_is(const xmlNode *n, const char *name, const char *want)
{
    xmlChar *v = n != NULL ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    bool same = v != NULL && strcmp((const char *)v, want) == 0;

    xmlFree(v);
    return same;
}

static bool uint_of(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;

    if (*s < '0' || *s > '9')
        return false;
    *out = strtoull(s, &end, 10);
    return *end == '\0' && *out <= max;
}

/* The container's keys: the encryption key (pre-shared, or derived from the
 * password) and the MAC key it opens. */
struct keys {
    uint8_t enc[SLS_AES128_KEY_LEN];
    bool has_enc;
    uint8_t mac[64];
    size_t mac_len;
    bool has_mac;
    bool mac_failed; /* a MAC key in the file that the key given does not open */
};

static bool derive(const xmlNode *ek, const struct sls_pskc_protection *p, struct keys *k)
{
    xmlNode *m = path(ek, "DerivedKey", "KeyDerivationMethod", NULL);
    xmlNode *params = child(m, "PBKDF2-params");
    uint8_t salt[64];
    size_t saltlen = 0;
    char num[32];
    unsigned long long iter = 0, klen = 16;

    if (p->password == NULL || !attr_is(m, "Algorithm", PBKDF2) ||
        !base64(path(params, "Salt", "Specified", NULL), salt, sizeof(salt), &saltlen) ||
        !text(child(params, "IterationCount"), num, sizeof(num)) ||
        !uint_of(num, 10000000ULL, &iter))
        return false;
    if (text(child(params, "KeyLength"), num, sizeof(num)) && !uint_of(num, 64, &klen))
        return false;
    return klen == SLS_AES128_KEY_LEN &&
           sls_pbkdf2_sha1(p->password, strlen(p->password), salt, saltlen, (unsigned long)iter,
                           k->enc, sizeof(k->enc)) == 0;
}

/* Decrypts an EncryptedValue-like element (EncryptionMethod, CipherData)
 * into out; its raw IV || ciphertext into raw for the MAC. */
static bool decrypt(const xmlNode *ev, const struct keys *k, uint8_t *raw, size_t *rawlen,
                    uint8_t *out, size_t cap, size_t *outlen)
{
    return k->has_enc && attr_is(child(ev, "EncryptionMethod"), "Algorithm", AES128_CBC) &&
           base64(path(ev, "CipherData", "CipherValue", NULL), raw, BLOB_MAX, rawlen) &&
           sls_aes128_cbc_decrypt(k->enc, raw, *rawlen, out, cap, outlen) == 0;
}

static void container_keys(const xmlNode *root, const struct sls_pskc_protection *p, struct keys *k)
{
    xmlNode *ek = child(root, "EncryptionKey");
    xmlNode *mm = child(root, "MACMethod");
    uint8_t raw[BLOB_MAX];
    size_t rawlen = 0;

    memset(k, 0, sizeof(*k));
    if (ek != NULL && child(ek, "DerivedKey") != NULL)
        k->has_enc = derive(ek, p, k);
    else if (ek != NULL && p->psk != NULL && p->psk_len == SLS_AES128_KEY_LEN) {
        memcpy(k->enc, p->psk, SLS_AES128_KEY_LEN);
        k->has_enc = true;
    }
    if (mm != NULL && attr_is(mm, "Algorithm", HMAC_SHA1) && child(mm, "MACKey") != NULL) {
        k->has_mac =
            decrypt(child(mm, "MACKey"), k, raw, &rawlen, k->mac, sizeof(k->mac), &k->mac_len);
        k->mac_failed = !k->has_mac;
    }
    sls_wipe(raw, sizeof(raw));
}

static const char *algorithm_of(const xmlNode *key, enum sls_pskc_algorithm *a)
{
    xmlChar *v = xmlGetProp(key, (const xmlChar *)"Algorithm");
    const char *s = (const char *)v, *tail;
    const char *why = "unknown_algorithm";

    if (s != NULL && strncmp(s, PSKC_NS, strlen(PSKC_NS)) == 0 &&
        (s[strlen(PSKC_NS)] == ':' || s[strlen(PSKC_NS)] == '#')) {
        tail = s + strlen(PSKC_NS) + 1;
        why = NULL;
        if (strcasecmp(tail, "hotp") == 0)
            *a = SLS_PSKC_HOTP;
        else if (strcasecmp(tail, "totp") == 0)
            *a = SLS_PSKC_TOTP;
        else if (strcasecmp(tail, "OCRA-1") == 0)
            *a = SLS_PSKC_OCRA;
        else
            why = "unknown_algorithm";
    }
    xmlFree(v);
    return why;
}

/* The secret of Data/Secret: plain, or decrypted and its MAC checked. */
static const char *secret_of(const xmlNode *data, const struct keys *k, struct sls_pskc_key *out)
{
    xmlNode *sec = child(data, "Secret");
    xmlNode *ev = child(sec, "EncryptedValue");
    uint8_t raw[BLOB_MAX], mac[20], want[64];
    size_t rawlen = 0, wantlen = 0;
    const char *why = NULL;

    if (sec == NULL)
        return "no_secret";
    if (ev == NULL) {
        if (!base64(child(sec, "PlainValue"), out->secret, sizeof(out->secret), &out->secret_len))
            return "no_secret";
        return NULL;
    }
    if (!attr_is(child(ev, "EncryptionMethod"), "Algorithm", AES128_CBC))
        why = "unsupported_encryption";
    else if (!k->has_enc || k->mac_failed ||
             !decrypt(ev, k, raw, &rawlen, out->secret, sizeof(out->secret), &out->secret_len))
        why = "wrong_key";
    /* An encrypted value without a MAC (or a MAC key) is not trusted. */
    else if (!k->has_mac || !base64(child(sec, "ValueMAC"), want, sizeof(want), &wantlen) ||
             wantlen != 20 || sls_hmac(SLS_HASH_SHA1, k->mac, k->mac_len, raw, rawlen, mac) != 0 ||
             !sls_ct_equal(mac, want, 20))
        why = "bad_mac";
    sls_wipe(raw, sizeof(raw));
    sls_wipe(mac, sizeof(mac));
    return why;
}

static const char *read_key(const xmlNode *pkg, const struct keys *k, struct sls_pskc_key *out)
{
    xmlNode *key = child(pkg, "Key");
    xmlNode *params = child(key, "AlgorithmParameters");
    xmlNode *rf = child(params, "ResponseFormat");
    char num[32];
    unsigned long long v;
    const char *why;

    memset(out, 0, sizeof(*out));
    if (!text(path(pkg, "DeviceInfo", "SerialNo", NULL), out->serial, sizeof(out->serial)) ||
        out->serial[0] == '\0')
        return "no_serial";
    if (key == NULL)
        return "no_secret";
    why = algorithm_of(key, &out->algorithm);
    if (why != NULL)
        return why;
    out->digits = out->algorithm == SLS_PSKC_TOTP ? 6 : 8;
    out->period = 30;
    if (rf != NULL) {
        xmlChar *len = xmlGetProp(rf, (const xmlChar *)"Length");
        bool ok = len != NULL && uint_of((const char *)len, 10, &v) && v >= 6;

        xmlFree(len);
        if (!ok)
            return "bad_value";
        out->digits = (int)v;
    }
    if (out->algorithm == SLS_PSKC_OCRA &&
        (!text(child(params, "Suite"), out->suite, sizeof(out->suite)) ||
         strncmp(out->suite, "OCRA-1:", 7) != 0))
        return "bad_value";
    if (text(path(key, "Data", "Counter", "PlainValue", NULL), num, sizeof(num))) {
        if (!uint_of(num, UINT64_MAX, &v))
            return "bad_value";
        out->counter = v;
    }
    if (text(path(key, "Data", "TimeInterval", "PlainValue", NULL), num, sizeof(num))) {
        if (!uint_of(num, 3600, &v) || v == 0)
            return "bad_value";
        out->period = (int64_t)v;
    }
    return secret_of(child(key, "Data"), k, out);
}

static void skip(struct sls_pskc_result *r, const char *serial, const char *why)
{
    struct sls_pskc_skip *s = &r->skipped[r->nskipped++];

    snprintf(s->serial, sizeof(s->serial), "%s", serial);
    s->reason = why;
}

/* A serial seen twice: none of its keys is trusted. */
static void drop_duplicates(struct sls_pskc_result *r)
{
    size_t i, j, kept = 0, nskipped = r->nskipped;

    for (i = 0; i < r->nkeys; i++) {
        bool dup = false;

        for (j = 0; j < r->nkeys && !dup; j++)
            dup = j != i && strcmp(r->keys[i].serial, r->keys[j].serial) == 0;
        for (j = 0; j < nskipped && !dup; j++)
            dup = strcmp(r->keys[i].serial, r->skipped[j].serial) == 0;
        if (dup) {
            skip(r, r->keys[i].serial, "duplicate_serial");
            continue;
        }
        if (kept != i)
            r->keys[kept] = r->keys[i];
        kept++;
    }
    /* what lies past the keys kept held secrets: wipe it */
    if (kept < r->nkeys)
        sls_wipe(&r->keys[kept], (r->nkeys - kept) * sizeof(r->keys[0]));
    r->nkeys = kept;
}

int sls_pskc_parse(const char *xml, size_t len, const struct sls_pskc_protection *p,
                   struct sls_pskc_result *out)
{
    xmlDoc *doc = NULL;
    xmlNode *root, *pkg;
    struct keys k;
    size_t n = 0;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    memset(&k, 0, sizeof(k));
    if (xml == NULL || len == 0 || len > SLS_PSKC_MAX_BYTES)
        return -1;
    /* No network, no DTD loaded, entities never substituted, no huge nodes. */
    doc = xmlReadMemory(xml, (int)len, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL || doc->intSubset != NULL || doc->extSubset != NULL)
        goto out;
    root = xmlDocGetRootElement(doc);
    if (root == NULL || strcmp((const char *)root->name, "KeyContainer") != 0 || root->ns == NULL ||
        strcmp((const char *)root->ns->href, PSKC_NS) != 0)
        goto out;
    for (pkg = root->children; pkg != NULL; pkg = pkg->next)
        if (pkg->type == XML_ELEMENT_NODE && strcmp((const char *)pkg->name, "KeyPackage") == 0)
            n++;
    if (n > SLS_PSKC_MAX_KEYS)
        goto out;
    out->keys = calloc(n + 1, sizeof(*out->keys));
    out->skipped = calloc(2 * n + 1, sizeof(*out->skipped));
    if (out->keys == NULL || out->skipped == NULL)
        goto out;
    container_keys(root, p, &k);
    for (pkg = root->children; pkg != NULL; pkg = pkg->next) {
        const char *why;

        if (pkg->type != XML_ELEMENT_NODE || strcmp((const char *)pkg->name, "KeyPackage") != 0)
            continue;
        why = read_key(pkg, &k, &out->keys[out->nkeys]);
        if (why == NULL)
            out->nkeys++;
        else {
            skip(out, out->keys[out->nkeys].serial, why);
            sls_wipe(&out->keys[out->nkeys], sizeof(out->keys[0]));
        }
    }
    drop_duplicates(out);
    ret = 0;
out:
    sls_wipe(&k, sizeof(k));
    xmlFreeDoc(doc);
    if (ret != 0)
        sls_pskc_result_free(out);
    return ret;
}

void sls_pskc_result_free(struct sls_pskc_result *r)
{
    if (r == NULL)
        return;
    if (r->keys != NULL)
        sls_wipe(r->keys, r->nkeys * sizeof(*r->keys));
    free(r->keys);
    free(r->skipped);
    memset(r, 0, sizeof(*r));
}
