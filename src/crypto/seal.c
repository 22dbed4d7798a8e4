/* Sealing secrets at rest with libsodium's secretbox (XSalsa20-Poly1305).
 * Sealed layout: key id (1 byte), random nonce (24), MAC (16), ciphertext.
 * Keys and nonces always come from the CSPRNG, never from a test source. */
#include "seal.h"

#include <sodium.h>

#include "secmem.h"

#define ID_BYTES 1

_Static_assert(crypto_secretbox_KEYBYTES == SLS_SEAL_KEY_BYTES, "secretbox key size");
_Static_assert(ID_BYTES + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ==
                   SLS_SEAL_OVERHEAD,
               "seal overhead");

void sls_seal_key_generate(struct sls_seal_key *k, uint8_t id)
{
    k->id = id;
    crypto_secretbox_keygen(k->key);
}

int sls_seal(const struct sls_seal_key *k, const uint8_t *plain, size_t len, uint8_t *out,
             size_t outlen, size_t *written)
{
    uint8_t *nonce;

    if (written != NULL)
        *written = 0;
    if (k == NULL || (plain == NULL && len != 0) || out == NULL || written == NULL ||
        len > crypto_secretbox_MESSAGEBYTES_MAX || len > SIZE_MAX - SLS_SEAL_OVERHEAD ||
        outlen < len + SLS_SEAL_OVERHEAD)
        return -1;
    out[0] = k->id;
    nonce = out + ID_BYTES;
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, plain != NULL ? plain : out, len,
                              nonce, k->key) != 0) {
        sls_wipe(out, len + SLS_SEAL_OVERHEAD);
        return -1;
    }
    *written = len + SLS_SEAL_OVERHEAD;
    return 0;
}

int sls_unseal(const struct sls_seal_key *k, const uint8_t *sealed, size_t len, uint8_t *out,
               size_t outlen, size_t *written)
{
    const uint8_t *nonce;
    size_t plen;

    if (written != NULL)
        *written = 0;
    if (k == NULL || sealed == NULL || written == NULL || len < SLS_SEAL_OVERHEAD)
        return -1;
    plen = len - SLS_SEAL_OVERHEAD;
    if ((out == NULL && plen != 0) || outlen < plen || sealed[0] != k->id)
        return -1;
    nonce = sealed + ID_BYTES;
    /* Verifies the MAC before writing anything to out. */
    if (crypto_secretbox_open_easy(out, nonce + crypto_secretbox_NONCEBYTES,
                                   len - ID_BYTES - crypto_secretbox_NONCEBYTES, nonce,
                                   k->key) != 0)
        return -1;
    *written = plen;
    return 0;
}
