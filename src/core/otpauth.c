/* The otpauth:// URI of an authenticator app; see otpauth.h. */
#include "otpauth.h"

#include <stdbool.h>
#include <string.h>

#include "totp.h"

struct buf {
    char *p;
    size_t len, cap;
    bool ok;
};

static void put(struct buf *b, const char *s)
{
    size_t n = strlen(s);

    if (!b->ok || n >= b->cap - b->len) {
        b->ok = false;
        return;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static void put_escaped(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char one[4] = {(char)c, '\0', '\0', '\0'};

        if (!unreserved(c)) {
            one[0] = '%';
            one[1] = hex[c >> 4];
            one[2] = hex[c & 15];
        }
        put(b, one);
    }
}

static bool base32_ok(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '2' && *s <= '7')))
            return false;
    return true;
}

int sls_otpauth_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                    size_t outlen)
{
    struct buf b = {out, 0, outlen, true};

    if (out == NULL || outlen == 0)
        return -1;
    out[0] = '\0';
    if (issuer == NULL || account == NULL || secret_b32 == NULL || *issuer == '\0' ||
        *account == '\0' || !base32_ok(secret_b32))
        return -1;
    put(&b, "otpauth://totp/");
    put_escaped(&b, issuer);
    put(&b, ":");
    put_escaped(&b, account);
    put(&b, "?secret=");
    put(&b, secret_b32);
    put(&b, "&issuer=");
    put_escaped(&b, issuer);
    /* SLS_TOTP_DIGITS and SLS_TOTP_PERIOD, written out */
    put(&b, "&algorithm=SHA1&digits=6&period=30");
    if (!b.ok) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}
