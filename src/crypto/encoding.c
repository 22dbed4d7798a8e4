/* Hex and base64 encodings over libsodium's constant-time codecs. The length
 * checks come first: libsodium aborts when an output buffer is too small. */
#include "encoding.h"

#include <sodium.h>

#include "secmem.h"

int sls_hex_encode(const uint8_t *bin, size_t len, char *out, size_t outlen)
{
    if (out == NULL || (bin == NULL && len != 0) || len >= SIZE_MAX / 2 || outlen <= 2 * len)
        return -1;
    sodium_bin2hex(out, outlen, bin, len);
    return 0;
}

int sls_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outlen, size_t *written)
{
    size_t binlen = 0;

    if (written != NULL)
        *written = 0;
    if ((hex == NULL && hexlen != 0) || (out == NULL && outlen != 0) || written == NULL ||
        hexlen % 2 != 0 || outlen < hexlen / 2)
        return -1;
    if (hexlen == 0)
        return 0;
    /* No ignore set and no end pointer: anything but hex digits fails. */
    if (sodium_hex2bin(out, outlen, hex, hexlen, NULL, &binlen, NULL) != 0 ||
        binlen != hexlen / 2) {
        sls_wipe(out, hexlen / 2);
        return -1;
    }
    *written = binlen;
    return 0;
}

static int variant_of(int urlsafe)
{
    return urlsafe ? sodium_base64_VARIANT_URLSAFE_NO_PADDING : sodium_base64_VARIANT_ORIGINAL;
}

int sls_base64_encode(const uint8_t *bin, size_t len, int urlsafe, char *out, size_t outlen)
{
    int variant = variant_of(urlsafe);

    if (out == NULL || (bin == NULL && len != 0) || len > SIZE_MAX / 4 * 3 - 3 ||
        outlen < sodium_base64_ENCODED_LEN(len, variant))
        return -1;
    sodium_bin2base64(out, outlen, bin, len, variant);
    return 0;
}

int sls_base64_decode(const char *b64, size_t b64len, int urlsafe, uint8_t *out, size_t outlen,
                      size_t *written)
{
    static uint8_t none[1];
    size_t binlen = 0;

    if (written != NULL)
        *written = 0;
    if ((b64 == NULL && b64len != 0) || (out == NULL && outlen != 0) || written == NULL)
        return -1;
    if (b64len == 0)
        return 0;
    /* Strict: padding as the variant requires, canonical trailing bits, no
     * characters outside the alphabet, output large enough. */
    if (sodium_base642bin(out != NULL ? out : none, outlen, b64, b64len, NULL, &binlen, NULL,
                          variant_of(urlsafe)) != 0) {
        sls_wipe(out, outlen < b64len ? outlen : b64len);
        return -1;
    }
    *written = binlen;
    return 0;
}

/* One 5-bit value to its character without a table lookup indexed by the
 * secret: 0-25 -> 'A'-'Z', 26-31 -> '2'-'7'. */
static char base32_char(unsigned v)
{
    /* mask is all ones when v >= 26 */
    unsigned mask = 0u - ((v - 26u) >> (sizeof(unsigned) * 8 - 1) ^ 1u);

    return (char)((('A' + v) & ~mask) | (('2' + v - 26u) & mask));
}

int sls_base32_encode(const uint8_t *bin, size_t len, char *out, size_t outlen)
{
    size_t n = 0, i;
    unsigned acc = 0, bits = 0;

    if (out == NULL || (bin == NULL && len != 0) || len > SIZE_MAX / 8 - 1 ||
        outlen <= (len * 8 + 4) / 5)
        return -1;
    for (i = 0; i < len; i++) {
        acc = (acc << 8) | bin[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[n++] = base32_char((acc >> bits) & 31u);
        }
        acc &= (1u << bits) - 1u;
    }
    if (bits > 0)
        out[n++] = base32_char((acc << (5 - bits)) & 31u);
    out[n] = '\0';
    return 0;
}
