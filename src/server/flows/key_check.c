/* The master key check kept in the store; see key_check.h. */
#include "server/flows/key_check.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"

#define KEY   "key_check"
#define LABEL "sls master key check v1"

struct check_tx {
    const char *mine;
    bool matches, written;
};

static int check_fn(struct sls_db *db, void *arg)
{
    struct check_tx *t = arg;
    char stored[160];
    int rc = SLS_DB(db, meta_get, KEY, stored, sizeof(stored));

    if (rc == SLS_ERR_NOT_FOUND) {
        t->written = true;
        return SLS_DB(db, meta_set, KEY, t->mine);
    }
    if (rc != SLS_OK)
        return rc;
    t->matches =
        strlen(stored) == strlen(t->mine) && sls_ct_equal(stored, t->mine, strlen(t->mine));
    return SLS_OK;
}

enum sls_key_check sls_key_check_run(struct sls_store *store, const struct sls_seal_key *key,
                                     int *rc)
{
    uint8_t mac[32];
    char hex[65], mine[96];
    struct check_tx t = {.mine = mine};

    if (sls_hmac(SLS_HASH_SHA256, key->key, sizeof(key->key), (const uint8_t *)LABEL, strlen(LABEL),
                 mac) != 0 ||
        sls_hex_encode(mac, sizeof(mac), hex, sizeof(hex)) != 0) {
        *rc = SLS_ERR_INTERNAL;
        return SLS_KEY_CHECK_FAILED;
    }
    snprintf(mine, sizeof(mine), "v1:%u:%s", (unsigned)key->id, hex);
    *rc = sls_store_write(store, check_fn, &t);
    sls_wipe(mac, sizeof(mac));
    if (*rc != SLS_OK)
        return SLS_KEY_CHECK_FAILED;
    if (t.written)
        return SLS_KEY_CHECK_WRITTEN;
    return t.matches ? SLS_KEY_CHECK_MATCHES : SLS_KEY_CHECK_MISMATCH;
}
