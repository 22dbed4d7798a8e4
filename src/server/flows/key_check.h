/* The master key check (SPEC §10.1): every node of a store must seal and open
 * with the same master key. The store keeps a check value of the key in meta
 * ("key_check": "v1:<key id>:<hex of HMAC-SHA256(key, fixed label)>"), which
 * tells whether a key is the one the data was written with and helps nobody
 * guess the key (it is a keyed hash of a constant, never the key or anything
 * sealed with it that could be compared offline more cheaply than the key
 * could be searched). Written by the first node to start (or the first start
 * of a store made before this check existed), compared by every start after. */
#ifndef SLS_SERVER_KEY_CHECK_H
#define SLS_SERVER_KEY_CHECK_H

#include "crypto/seal.h"
#include "store/store.h"

enum sls_key_check {
    SLS_KEY_CHECK_MATCHES,  /* the stored check value is this key's */
    SLS_KEY_CHECK_WRITTEN,  /* there was none: this key's is stored now */
    SLS_KEY_CHECK_MISMATCH, /* the store's data was written with another key */
    SLS_KEY_CHECK_FAILED,   /* the store could not be read or written (*rc says) */
};

/* Compares key with the store's check value, writing it when there is none,
 * in one write transaction. *rc gets the store's code. */
enum sls_key_check sls_key_check_run(struct sls_store *store, const struct sls_seal_key *key,
                                     int *rc);

#endif
