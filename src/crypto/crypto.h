/* Start-up of the crypto layer: must be called once before anything else in
 * src/crypto (initialises libsodium). Returns 0 or -1. Thread safe. */
#ifndef SLS_CRYPTO_CRYPTO_H
#define SLS_CRYPTO_CRYPTO_H

int sls_crypto_init(void);

#endif
