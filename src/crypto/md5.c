/* MD5 and HMAC-MD5 for RADIUS; see md5.h. */
#include "crypto/md5.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

int sls_md5(const struct sls_md5_part *parts, size_t n, uint8_t out[SLS_MD5_LEN])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int outlen = 0;
    int rc = -1;
    size_t i;

    if (ctx == NULL)
        return -1;
    if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1)
        goto out;
    for (i = 0; i < n; i++)
        if (parts[i].len > 0 && EVP_DigestUpdate(ctx, parts[i].data, parts[i].len) != 1)
            goto out;
    if (EVP_DigestFinal_ex(ctx, out, &outlen) == 1 && outlen == SLS_MD5_LEN)
        rc = 0;
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}

int sls_hmac_md5(const uint8_t *key, size_t keylen, const uint8_t *data, size_t len,
                 uint8_t out[SLS_MD5_LEN])
{
    static const uint8_t empty[1];
    unsigned int outlen = 0;

    if (keylen > INT32_MAX)
        return -1;
    if (HMAC(EVP_md5(), key != NULL ? key : empty, (int)keylen, data != NULL ? data : empty, len,
             out, &outlen) == NULL ||
        outlen != SLS_MD5_LEN)
        return -1;
    return 0;
}
