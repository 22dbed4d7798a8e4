/* Ed25519 signatures over libsodium (detached signatures, RFC 8032). */
#include "sign.h"

#include <sodium.h>

_Static_assert(crypto_sign_PUBLICKEYBYTES == SLS_SIGN_PUBLIC_BYTES, "public key size");
_Static_assert(crypto_sign_SECRETKEYBYTES == SLS_SIGN_SECRET_BYTES, "secret key size");
_Static_assert(crypto_sign_BYTES == SLS_SIGN_BYTES, "signature size");
_Static_assert(crypto_sign_SEEDBYTES == 32, "seed size");

void sls_sign_keypair(uint8_t pk[SLS_SIGN_PUBLIC_BYTES], uint8_t sk[SLS_SIGN_SECRET_BYTES])
{
    crypto_sign_keypair(pk, sk);
}

void sls_sign_seed_keypair(uint8_t pk[SLS_SIGN_PUBLIC_BYTES], uint8_t sk[SLS_SIGN_SECRET_BYTES],
                           const uint8_t seed[32])
{
    crypto_sign_seed_keypair(pk, sk, seed);
}

void sls_sign(uint8_t sig[SLS_SIGN_BYTES], const uint8_t *msg, size_t len,
              const uint8_t sk[SLS_SIGN_SECRET_BYTES])
{
    static const uint8_t empty[1];

    crypto_sign_detached(sig, NULL, msg != NULL ? msg : empty, msg != NULL ? len : 0, sk);
}

int sls_sign_verify(const uint8_t sig[SLS_SIGN_BYTES], const uint8_t *msg, size_t len,
                    const uint8_t pk[SLS_SIGN_PUBLIC_BYTES])
{
    static const uint8_t empty[1];

    if (sig == NULL || pk == NULL || (msg == NULL && len != 0))
        return -1;
    return crypto_sign_verify_detached(sig, msg != NULL ? msg : empty, len, pk) == 0 ? 0 : -1;
}

int sls_sign_public_key_check(const uint8_t pk[SLS_SIGN_PUBLIC_BYTES])
{
    if (pk == NULL)
        return -1;
    return crypto_core_ed25519_is_valid_point(pk) == 1 ? 0 : -1;
}
