/* OCRA one-way challenge-response (RFC 6287): parses the suite, builds
 * DataInput = suite 0x00 [C] Q [P] [S] [T] and truncates its HMAC.
 *
 * Questions fill 128 bytes as the RFC's reference code does: numeric ones
 * become the hexadecimal digits of their decimal value, hex ones are their
 * own digits, both right-padded with '0' digits (so "BC614E" gives bytes
 * BC 61 4E 00 ...); alphanumeric ones are their ASCII bytes padded with 0x00.
 * Session information (S) is the session string's bytes padded with 0x00 to
 * the suite's length (NULL counts as empty). For P, pin_hash is used when
 * given, else pin is hashed. Truncation to 0 digits (the full HMAC) is
 * refused. */
#include "ocra.h"

#include <stdbool.h>
#include <string.h>

#include "hash.h"
#include "otp.h"
#include "secmem.h"

#define SUITE_MAX   64
#define Q_BYTES     128
#define SESSION_MAX 512
#define DATA_MAX    (SUITE_MAX + 1 + 8 + Q_BYTES + 64 + SESSION_MAX + 8)
#define NUM_BYTES   32 /* holds any 64-digit decimal number (< 2^213) */

struct suite {
    enum sls_hash_alg alg;
    int digits;
    bool has_counter;
    char qfmt; /* 'A', 'N' or 'H' */
    size_t qmax;
    bool has_pin;
    enum sls_hash_alg pin_alg;
    size_t session_len; /* 0: no S */
    bool has_time;
};

/* strlen bounded by max (C17 has no strnlen; memchr stops at the NUL). */
static size_t bounded_len(const char *s, size_t max)
{
    const char *nul = memchr(s, '\0', max);

    return nul != NULL ? (size_t)(nul - s) : max;
}

static bool take(const char **p, const char *lit)
{
    size_t n = strlen(lit);

    if (strncmp(*p, lit, n) != 0)
        return false;
    *p += n;
    return true;
}

/* Between min and max decimal digits, no leading zero unless the number is
 * a lone "0" (or fixed-width when min == max). */
static bool take_number(const char **p, int min, int max, int *val)
{
    int n = 0, v = 0;

    while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
        v = v * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n < min || ((*p)[n] >= '0' && (*p)[n] <= '9'))
        return false;
    if (min != max && n > 1 && (*p)[0] == '0')
        return false;
    *p += n;
    *val = v;
    return true;
}

static bool take_sha(const char **p, enum sls_hash_alg *alg)
{
    if (take(p, "SHA256"))
        *alg = SLS_HASH_SHA256;
    else if (take(p, "SHA512"))
        *alg = SLS_HASH_SHA512;
    else if (take(p, "SHA1"))
        *alg = SLS_HASH_SHA1;
    else
        return false;
    return true;
}

static int parse_suite(const char *s, struct suite *st)
{
    const char *p = s;
    int v;

    memset(st, 0, sizeof(*st));
    if (bounded_len(s, SUITE_MAX + 1) > SUITE_MAX)
        return -1;
    if (!take(&p, "OCRA-1:HOTP-") || !take_sha(&p, &st->alg) || !take(&p, "-"))
        return -1;
    if (!take_number(&p, 1, 2, &st->digits) || st->digits < 4 || st->digits > 10)
        return -1;
    if (!take(&p, ":"))
        return -1;
    st->has_counter = take(&p, "C-");
    if (!take(&p, "Q") || (*p != 'A' && *p != 'N' && *p != 'H'))
        return -1;
    st->qfmt = *p++;
    if (!take_number(&p, 2, 2, &v) || v < 4 || v > 64)
        return -1;
    st->qmax = (size_t)v;
    if (take(&p, "-P")) {
        if (!take_sha(&p, &st->pin_alg))
            return -1;
        st->has_pin = true;
    }
    if (take(&p, "-S")) {
        if (!take_number(&p, 3, 3, &v) || v < 1 || v > SESSION_MAX)
            return -1;
        st->session_len = (size_t)v;
    }
    if (take(&p, "-T")) {
        if (!take_number(&p, 1, 2, &v))
            return -1;
        if (!((*p == 'S' && v >= 1 && v <= 59) || (*p == 'M' && v >= 1 && v <= 59) ||
              (*p == 'H' && v >= 1 && v <= 48)))
            return -1;
        p++;
        st->has_time = true;
    }
    return *p == '\0' ? 0 : -1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Writes nibble number i (0 = high half of q[0]). */
static void put_nibble(uint8_t *q, size_t i, unsigned v)
{
    q[i / 2] |= (uint8_t)(i % 2 == 0 ? v << 4 : v);
}

/* The question's 128 bytes, or -1 when it does not fit the suite. */
static int encode_question(const struct suite *st, const char *question, uint8_t q[Q_BYTES])
{
    size_t len = bounded_len(question, st->qmax + 1);
    uint8_t num[NUM_BYTES];
    size_t k = 0;
    bool lead = true;

    if (len < 4 || len > st->qmax)
        return -1;
    memset(q, 0, Q_BYTES);
    for (size_t i = 0; i < len; i++) {
        char c = question[i];

        if ((st->qfmt == 'N' && !(c >= '0' && c <= '9')) || (st->qfmt == 'H' && hex_value(c) < 0) ||
            (st->qfmt == 'A' && !is_alnum(c)))
            return -1;
    }
    if (st->qfmt == 'A') {
        memcpy(q, question, len);
        return 0;
    }
    if (st->qfmt == 'H') {
        for (size_t i = 0; i < len; i++)
            put_nibble(q, i, (unsigned)hex_value(question[i]));
        return 0;
    }
    /* Numeric: the decimal value in big-endian binary, then its hex digits
     * without leading zeros (none at all for the value 0). */
    memset(num, 0, sizeof(num));
    for (size_t i = 0; i < len; i++) {
        unsigned carry = (unsigned)(question[i] - '0');

        for (size_t j = NUM_BYTES; j-- > 0;) {
            unsigned t = num[j] * 10u + carry;

            num[j] = (uint8_t)(t & 0xff);
            carry = t >> 8;
        }
    }
    for (size_t i = 0; i < 2 * NUM_BYTES; i++) {
        unsigned v = i % 2 == 0 ? num[i / 2] >> 4 : num[i / 2] & 0x0f;

        if (lead && v == 0)
            continue;
        lead = false;
        put_nibble(q, k++, v);
    }
    sls_wipe(num, sizeof(num));
    return 0;
}

static void put_be64(uint8_t *dst, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        dst[i] = (uint8_t)(v & 0xff);
        v >>= 8;
    }
}

int sls_ocra_compute(const char *suite, const uint8_t *key, size_t keylen,
                     const struct sls_ocra_input *in, char *out, size_t outlen)
{
    struct suite st;
    uint8_t data[DATA_MAX];
    uint8_t mac[64];
    char all[11];
    size_t n, slen;
    int rc = -1;

    if (suite == NULL || (key == NULL && keylen != 0) || in == NULL || in->question == NULL ||
        out == NULL)
        return -1;
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    if (parse_suite(suite, &st) != 0 || outlen <= (size_t)st.digits)
        return -1;

    slen = strlen(suite);
    memcpy(data, suite, slen);
    data[slen] = 0x00;
    n = slen + 1;
    if (st.has_counter) {
        put_be64(data + n, in->counter);
        n += 8;
    }
    if (encode_question(&st, in->question, data + n) != 0)
        goto out;
    n += Q_BYTES;
    if (st.has_pin) {
        size_t plen = sls_hash_len(st.pin_alg);

        if (in->pin_hash != NULL) {
            if (in->pin_hash_len != plen)
                goto out;
            memcpy(data + n, in->pin_hash, plen);
        } else if (in->pin != NULL) {
            if (sls_hash(st.pin_alg, in->pin, strlen(in->pin), data + n) != 0)
                goto out;
        } else {
            goto out;
        }
        n += plen;
    }
    if (st.session_len > 0) {
        size_t s = in->session != NULL ? bounded_len(in->session, st.session_len + 1) : 0;

        if (s > st.session_len)
            goto out;
        memset(data + n, 0, st.session_len);
        if (s > 0)
            memcpy(data + n, in->session, s);
        n += st.session_len;
    }
    if (st.has_time) {
        put_be64(data + n, in->timesteps);
        n += 8;
    }

    if (sls_hmac(st.alg, key, keylen, data, n, mac) != 0)
        goto out;
    /* The code is below 2^31 < 10^10: its last `digits` decimal digits are
     * the tail of the 10-digit rendering. */
    if (sls_otp_truncate(mac, sls_hash_len(st.alg), 10, all, sizeof(all)) != 0)
        goto out;
    memcpy(out, all + (10 - st.digits), (size_t)st.digits + 1);
    rc = 0;
out:
    if (rc != 0)
        out[0] = '\0';
    sls_wipe(data, sizeof(data));
    sls_wipe(mac, sizeof(mac));
    sls_wipe(all, sizeof(all));
    return rc;
}
