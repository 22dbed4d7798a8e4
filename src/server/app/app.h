/* What every request handler may use: configuration, store, sealing key and
 * the dummy password hash that keeps unknown users as slow as known ones. */
#ifndef SLS_SERVER_APP_H
#define SLS_SERVER_APP_H

#include "server/app/config.h"
#include "crypto/password.h"
#include "crypto/seal.h"
#include "store/store.h"

struct sls_app {
    struct sls_config cfg;
    struct sls_store *store;
    struct sls_seal_key key;
    char dummy_hash[SLS_PASSWORD_HASH_MAX]; /* R5: verified when the user is unknown */
};

#endif
