/* HOTP (RFC 4226) and TOTP (RFC 6238): HMAC of a big-endian counter and
 * dynamic truncation to decimal digits. The caller passes the time. */
#include "otp.h"

#include "secmem.h"

int sls_otp_truncate(const uint8_t *mac, size_t maclen, int digits, char *out, size_t outlen)
{
    uint32_t code;
    unsigned off;

    if (mac == NULL || maclen < 20 || digits < 6 || digits > 10 || out == NULL ||
        outlen <= (size_t)digits)
        return -1;
    off = mac[maclen - 1] & 0x0f;
    code = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
           (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
    /* code < 2^31 < 10^10: the low `digits` decimal digits, zero padded. */
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (char)('0' + code % 10);
        code /= 10;
    }
    out[digits] = '\0';
    return 0;
}

static int hotp_alg(enum sls_hash_alg alg, const uint8_t *key, size_t keylen, uint64_t counter,
                    int digits, char *out, size_t outlen)
{
    uint8_t msg[8];
    uint8_t mac[64];
    int rc = -1;

    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)(counter & 0xff);
        counter >>= 8;
    }
    if (sls_hmac(alg, key, keylen, msg, sizeof(msg), mac) != 0)
        goto out;
    rc = sls_otp_truncate(mac, sls_hash_len(alg), digits, out, outlen);
out:
    sls_wipe(mac, sizeof(mac));
    return rc;
}

int sls_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits, char *out,
             size_t outlen)
{
    return hotp_alg(SLS_HASH_SHA1, key, keylen, counter, digits, out, outlen);
}

int sls_totp(enum sls_hash_alg alg, const uint8_t *key, size_t keylen, int64_t now, int64_t t0,
             int64_t step, int digits, char *out, size_t outlen)
{
    uint64_t elapsed;

    if (step <= 0 || now < t0)
        return -1;
    /* now >= t0, so the difference fits in 64 unsigned bits. */
    elapsed = (uint64_t)now - (uint64_t)t0;
    return hotp_alg(alg, key, keylen, elapsed / (uint64_t)step, digits, out, outlen);
}
