/* R2: password shape — 6..40 code points of valid UTF-8 (no NUL), with at
 * least one ASCII letter and one ASCII digit. */
#include "password_policy.h"

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Decodes one UTF-8 sequence at s[0..avail). Returns its length in bytes, or
 * 0 when it is invalid: truncated, overlong, a surrogate, above U+10FFFF, a
 * stray continuation byte, or NUL. */
static size_t utf8_step(const unsigned char *s, size_t avail)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t cp, min;
    if (b == 0) {
        return 0;
    }
    if (b < 0x80) {
        return 1;
    }
    if (b >= 0xc2 && b <= 0xdf) {
        n = 2;
        cp = b & 0x1fu;
        min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
        n = 3;
        cp = b & 0x0fu;
        min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
        n = 4;
        cp = b & 0x07u;
        min = 0x10000;
    } else {
        return 0; /* continuation byte, 0xc0/0xc1 (always overlong) or 0xf5.. */
    }
    if (avail < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return n;
}

int sls_password_check(const char *pw, size_t len)
{
    const unsigned char *s = (const unsigned char *)pw;
    size_t points = 0;
    bool letter = false, digit = false;
    if (pw == NULL) {
        return SLS_ERR_WEAK_PASSWORD;
    }
    for (size_t i = 0; i < len;) {
        size_t n = utf8_step(s + i, len - i);
        if (n == 0) {
            return SLS_ERR_WEAK_PASSWORD;
        }
        if (n == 1) {
            unsigned char c = s[i];
            letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            digit = digit || (c >= '0' && c <= '9');
        }
        i += n;
        points++;
    }
    if (points < SLS_PASSWORD_MIN || points > SLS_PASSWORD_MAX || !letter || !digit) {
        return SLS_ERR_WEAK_PASSWORD;
    }
    return SLS_OK;
}
