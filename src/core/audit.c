/* R41: the canonical text of an audit record and the input of its chain hash. */
#include "audit.h"

#include <string.h>

#define FIELD_SIZE(f) sizeof(((struct sls_audit_rec *)0)->f)
_Static_assert(SLS_AUDIT_HASH_INPUT_MAX >= 64 + 20 + 20 + FIELD_SIZE(actor) + FIELD_SIZE(username) +
                                               FIELD_SIZE(event) + FIELD_SIZE(outcome) +
                                               FIELD_SIZE(detail) + 6 + 1,
               "SLS_AUDIT_HASH_INPUT_MAX holds the hash input of any record");

/* Appends len bytes of s at out[*pos], keeping room for a NUL. */
static int put_bytes(char *out, size_t outlen, size_t *pos, const char *s, size_t len)
{
    if (*pos + len >= outlen) {
        return -1;
    }
    memcpy(out + *pos, s, len);
    *pos += len;
    return 0;
}

/* Appends a field stored in a fixed array, which may lack its NUL. */
static int put_field(char *out, size_t outlen, size_t *pos, const char *field, size_t cap)
{
    const char *nul = memchr(field, '\0', cap);
    return put_bytes(out, outlen, pos, field, nul != NULL ? (size_t)(nul - field) : cap);
}

/* Appends the decimal form of v. */
static int put_int(char *out, size_t outlen, size_t *pos, int64_t v)
{
    char tmp[24];
    size_t start = sizeof tmp;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--start] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    if (v < 0) {
        tmp[--start] = '-';
    }
    return put_bytes(out, outlen, pos, tmp + start, sizeof tmp - start);
}

int sls_audit_canonical(const struct sls_audit_rec *r, char *out, size_t outlen)
{
    size_t pos = 0;
    if (r == NULL || out == NULL || outlen == 0) {
        return -1;
    }
    if (put_int(out, outlen, &pos, r->seq) != 0 || put_bytes(out, outlen, &pos, "\n", 1) != 0 ||
        put_int(out, outlen, &pos, r->at) != 0 || put_bytes(out, outlen, &pos, "\n", 1) != 0 ||
        put_field(out, outlen, &pos, r->actor, sizeof r->actor) != 0 ||
        put_bytes(out, outlen, &pos, "\n", 1) != 0 ||
        put_field(out, outlen, &pos, r->username, sizeof r->username) != 0 ||
        put_bytes(out, outlen, &pos, "\n", 1) != 0 ||
        put_field(out, outlen, &pos, r->event, sizeof r->event) != 0 ||
        put_bytes(out, outlen, &pos, "\n", 1) != 0 ||
        put_field(out, outlen, &pos, r->outcome, sizeof r->outcome) != 0 ||
        put_bytes(out, outlen, &pos, "\n", 1) != 0 ||
        put_field(out, outlen, &pos, r->detail, sizeof r->detail) != 0) {
        out[0] = '\0';
        return -1;
    }
    out[pos] = '\0';
    return (int)pos;
}

int sls_audit_hash_input(const struct sls_audit_rec *r, char *out, size_t outlen)
{
    int len;

    if (r == NULL || out == NULL || outlen <= 64) {
        return -1;
    }
    if (memchr(r->prev_hash, '\0', 64) != NULL) {
        out[0] = '\0';
        return -1;
    }
    memcpy(out, r->prev_hash, 64);
    len = sls_audit_canonical(r, out + 64, outlen - 64);
    if (len < 0) {
        out[0] = '\0';
        return -1;
    }
    return 64 + len;
}
