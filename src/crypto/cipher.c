/* AES-128-CBC decryption and PBKDF2 for PSKC files; see cipher.h. */
#include "cipher.h"

#include <limits.h>
#include <openssl/evp.h>

#include "secmem.h"

int sls_aes128_cbc_decrypt(const uint8_t key[SLS_AES128_KEY_LEN], const uint8_t *in, size_t inlen,
                           uint8_t *out, size_t cap, size_t *outlen)
{
    EVP_CIPHER_CTX *ctx = NULL;
    int n = 0, m = 0, ret = -1;

    *outlen = 0;
    if (in == NULL || out == NULL || inlen < 2 * SLS_AES_BLOCK_LEN ||
        inlen % SLS_AES_BLOCK_LEN != 0 || inlen > INT_MAX || cap < inlen - SLS_AES_BLOCK_LEN)
        return -1;
    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL)
        return -1;
    if (EVP_DecryptInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, in) != 1 ||
        EVP_DecryptUpdate(ctx, out, &n, in + SLS_AES_BLOCK_LEN, (int)(inlen - SLS_AES_BLOCK_LEN)) !=
            1 ||
        EVP_DecryptFinal_ex(ctx, out + n, &m) != 1)
        goto out;
    *outlen = (size_t)n + (size_t)m;
    ret = 0;
out:
    EVP_CIPHER_CTX_free(ctx);
    if (ret != 0)
        sls_wipe(out, cap);
    return ret;
}

int sls_pbkdf2_sha1(const char *password, size_t passlen, const uint8_t *salt, size_t saltlen,
                    unsigned long iterations, uint8_t *out, size_t outlen)
{
    if (password == NULL || salt == NULL || out == NULL || passlen > INT_MAX || saltlen > INT_MAX ||
        iterations < 1 || iterations > 10000000UL || outlen < 1 || outlen > 64)
        return -1;
    return PKCS5_PBKDF2_HMAC(password, (int)passlen, salt, (int)saltlen, (int)iterations,
                             EVP_sha1(), (int)outlen, out) == 1
               ? 0
               : -1;
}
