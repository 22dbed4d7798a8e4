/* Start-up of the crypto layer: initialises libsodium once for the process. */
#include "crypto.h"

#include <sodium.h>

int sls_crypto_init(void)
{
    /* sodium_init is thread safe and returns 1 when already initialised. */
    return sodium_init() < 0 ? -1 : 0;
}
