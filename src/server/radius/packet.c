/* RADIUS packets parsed and built; see packet.h. */
#include "server/radius/packet.h"

#include <string.h>

#include "crypto/md5.h"
#include "crypto/secmem.h"

#define HEADER 20

int sls_radius_parse(const uint8_t *buf, size_t n, struct sls_radius_packet *p)
{
    size_t len, off;

    memset(p, 0, sizeof(*p));
    if (buf == NULL || n < SLS_RADIUS_MIN)
        return -1;
    len = (size_t)buf[2] << 8 | buf[3];
    /* RFC 2865 §3: octets past Length are padding; a Length past what came is malformed. */
    if (len < SLS_RADIUS_MIN || len > SLS_RADIUS_MAX || len > n)
        return -1;
    p->code = buf[0];
    p->id = buf[1];
    p->auth = buf + 4;
    p->raw = buf;
    p->len = len;
    for (off = HEADER; off < len;) {
        size_t alen;
        if (len - off < 2)
            return -1;
        alen = buf[off + 1];
        if (alen < 2 || alen > len - off)
            return -1;
        if (p->nattrs == SLS_RADIUS_ATTRS_MAX)
            return -1;
        p->attrs[p->nattrs].type = buf[off];
        p->attrs[p->nattrs].len = (uint8_t)(alen - 2);
        p->attrs[p->nattrs].value = buf + off + 2;
        p->nattrs++;
        off += alen;
    }
    return 0;
}

const struct sls_radius_attr *sls_radius_find(const struct sls_radius_packet *p, uint8_t t)
{
    for (size_t i = 0; i < p->nattrs; i++)
        if (p->attrs[i].type == t)
            return &p->attrs[i];
    return NULL;
}

size_t sls_radius_count(const struct sls_radius_packet *p, uint8_t t)
{
    size_t n = 0;

    for (size_t i = 0; i < p->nattrs; i++)
        n += p->attrs[i].type == t;
    return n;
}

/* The HMAC-MD5 of the packet raw[len] with the Message-Authenticator value
 * at offset `at` zeroed and ra (when not NULL) as its Authenticator. */
static int message_auth(const uint8_t *raw, size_t len, size_t at, const uint8_t *ra,
                        const uint8_t *secret, size_t secretlen, uint8_t out[SLS_MD5_LEN])
{
    uint8_t copy[SLS_RADIUS_MAX];

    if (len > sizeof(copy) || at + SLS_MD5_LEN > len)
        return -1;
    memcpy(copy, raw, len);
    if (ra != NULL)
        memcpy(copy + 4, ra, SLS_RADIUS_AUTH_LEN);
    memset(copy + at, 0, SLS_MD5_LEN);
    return sls_hmac_md5(secret, secretlen, copy, len, out);
}

/* The Message-Authenticator of p checked (ra: the Authenticator it is
 * computed with, NULL: p's own). */
static bool message_auth_ok(const struct sls_radius_packet *p, const uint8_t *ra,
                            const uint8_t *secret, size_t secretlen)
{
    const struct sls_radius_attr *a = sls_radius_find(p, SLS_RADIUS_MESSAGE_AUTHENTICATOR);
    uint8_t mac[SLS_MD5_LEN];

    if (a == NULL || a->len != SLS_MD5_LEN ||
        sls_radius_count(p, SLS_RADIUS_MESSAGE_AUTHENTICATOR) != 1)
        return false;
    if (message_auth(p->raw, p->len, (size_t)(a->value - p->raw), ra, secret, secretlen, mac) != 0)
        return false;
    return sls_ct_equal(mac, a->value, SLS_MD5_LEN);
}

bool sls_radius_request_authentic(const struct sls_radius_packet *p, const uint8_t *secret,
                                  size_t secretlen)
{
    return message_auth_ok(p, NULL, secret, secretlen);
}

/* RFC 2865 §5.2: b(i) = MD5(secret + c(i-1)), c(0) = the Request Authenticator. */
static int pad_block(const uint8_t *secret, size_t secretlen, const uint8_t *prev,
                     uint8_t out[SLS_MD5_LEN])
{
    struct sls_md5_part parts[2] = {{secret, secretlen}, {prev, SLS_MD5_LEN}};
    return sls_md5(parts, 2, out);
}

int sls_radius_password_unhide(const struct sls_radius_packet *p, const uint8_t *secret,
                               size_t secretlen, char out[SLS_RADIUS_PASSWORD_MAX + 1])
{
    const struct sls_radius_attr *a = sls_radius_find(p, SLS_RADIUS_USER_PASSWORD);
    uint8_t b[SLS_MD5_LEN];
    size_t i, j, n;

    out[0] = '\0';
    if (a == NULL || sls_radius_count(p, SLS_RADIUS_USER_PASSWORD) != 1 || a->len < 16 ||
        a->len > SLS_RADIUS_PASSWORD_MAX || a->len % 16 != 0)
        return -1;
    for (i = 0; i < a->len; i += 16) {
        if (pad_block(secret, secretlen, i == 0 ? p->auth : a->value + i - 16, b) != 0) {
            sls_wipe(out, SLS_RADIUS_PASSWORD_MAX + 1);
            return -1;
        }
        for (j = 0; j < 16; j++)
            out[i + j] = (char)(a->value[i + j] ^ b[j]);
    }
    sls_wipe(b, sizeof(b));
    n = a->len;
    while (n > 0 && out[n - 1] == '\0')
        n--;
    out[n] = '\0';
    if (memchr(out, '\0', n) != NULL) {
        sls_wipe(out, SLS_RADIUS_PASSWORD_MAX + 1);
        return -1;
    }
    return (int)n;
}

int sls_radius_password_hide(const char *password, size_t len, const uint8_t *secret,
                             size_t secretlen, const uint8_t ra[SLS_RADIUS_AUTH_LEN],
                             uint8_t out[SLS_RADIUS_PASSWORD_MAX])
{
    uint8_t b[SLS_MD5_LEN];
    size_t i, j, n = len == 0 ? 16 : (len + 15) / 16 * 16;

    if (len > SLS_RADIUS_PASSWORD_MAX)
        return -1;
    memset(out, 0, n);
    memcpy(out, password, len);
    for (i = 0; i < n; i += 16) {
        if (pad_block(secret, secretlen, i == 0 ? ra : out + i - 16, b) != 0)
            return -1;
        for (j = 0; j < 16; j++)
            out[i + j] ^= b[j];
    }
    sls_wipe(b, sizeof(b));
    return (int)n;
}

void sls_radius_build_start(struct sls_radius_builder *b, uint8_t code, uint8_t id)
{
    memset(b->buf, 0, HEADER);
    b->buf[0] = code;
    b->buf[1] = id;
    b->len = HEADER;
    b->overflow = false;
}

void sls_radius_build_attr(struct sls_radius_builder *b, uint8_t type, const void *value,
                           size_t len)
{
    if (len > SLS_RADIUS_VALUE_MAX || b->len + 2 + len > SLS_RADIUS_MAX) {
        b->overflow = true;
        return;
    }
    b->buf[b->len] = type;
    b->buf[b->len + 1] = (uint8_t)(len + 2);
    if (len > 0)
        memcpy(b->buf + b->len + 2, value, len);
    b->len += 2 + len;
}

void sls_radius_build_int(struct sls_radius_builder *b, uint8_t type, uint32_t v)
{
    uint8_t be[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    sls_radius_build_attr(b, type, be, sizeof(be));
}

int sls_radius_build_finish(struct sls_radius_builder *b, const uint8_t ra[SLS_RADIUS_AUTH_LEN],
                            bool response, const uint8_t *secret, size_t secretlen)
{
    static const uint8_t zero[SLS_MD5_LEN];
    uint8_t mac[SLS_MD5_LEN];
    size_t at;

    sls_radius_build_attr(b, SLS_RADIUS_MESSAGE_AUTHENTICATOR, zero, sizeof(zero));
    if (b->overflow)
        return -1;
    at = b->len - SLS_MD5_LEN;
    b->buf[2] = (uint8_t)(b->len >> 8);
    b->buf[3] = (uint8_t)b->len;
    memcpy(b->buf + 4, ra, SLS_RADIUS_AUTH_LEN);
    if (message_auth(b->buf, b->len, at, NULL, secret, secretlen, mac) != 0)
        return -1;
    memcpy(b->buf + at, mac, SLS_MD5_LEN);
    if (response) {
        struct sls_md5_part parts[2] = {{b->buf, b->len}, {secret, secretlen}};
        if (sls_md5(parts, 2, mac) != 0)
            return -1;
        memcpy(b->buf + 4, mac, SLS_MD5_LEN);
    }
    return (int)b->len;
}

bool sls_radius_response_authentic(const struct sls_radius_packet *p,
                                   const uint8_t ra[SLS_RADIUS_AUTH_LEN], const uint8_t *secret,
                                   size_t secretlen)
{
    uint8_t copy[SLS_RADIUS_MAX], mac[SLS_MD5_LEN];
    struct sls_md5_part parts[2] = {{copy, p->len}, {secret, secretlen}};

    memcpy(copy, p->raw, p->len);
    memcpy(copy + 4, ra, SLS_RADIUS_AUTH_LEN);
    if (sls_md5(parts, 2, mac) != 0 || !sls_ct_equal(mac, p->auth, SLS_MD5_LEN))
        return false;
    return sls_radius_find(p, SLS_RADIUS_MESSAGE_AUTHENTICATOR) == NULL ||
           message_auth_ok(p, ra, secret, secretlen);
}
