/* Password hashing with Argon2id (libsodium's crypto_pwhash_str). */
#ifndef SLS_CRYPTO_PASSWORD_H
#define SLS_CRYPTO_PASSWORD_H

#include <stddef.h>
#include "../core/must_use.h"

#define SLS_PASSWORD_HASH_MAX 128 /* >= crypto_pwhash_STRBYTES */

struct sls_pwhash_cost {
    unsigned long long opslimit; /* default 2 (libsodium's interactive) */
    size_t memlimit;             /* bytes; default 64 MiB */
};

/* The production default cost. */
void sls_pwhash_cost_default(struct sls_pwhash_cost *c);
/* The cheapest cost Argon2id allows (tests and the second-factor benchmark). */
void sls_pwhash_cost_min(struct sls_pwhash_cost *c);

/* Hashes pw into out (NUL-terminated encoded string). Returns 0 or -1. */
SLS_MUST_USE int sls_password_hash(const char *pw, size_t len, const struct sls_pwhash_cost *cost,
                                   char out[SLS_PASSWORD_HASH_MAX]);

/* Returns 0 when pw matches the encoded hash, -1 otherwise (also on a
 * malformed hash). Time depends on the hash's cost, not on where pw differs. */
SLS_MUST_USE int sls_password_verify(const char *hash, const char *pw, size_t len);

/* The bounds of an Argon2id cost slsd accepts: in its configuration and in
 * a hash handed to it ready-made (sls_password_hash_acceptable). */
#define SLS_PWHASH_OPS_MIN     1
#define SLS_PWHASH_OPS_MAX     100
#define SLS_PWHASH_MEM_KIB_MIN 8
#define SLS_PWHASH_MEM_KIB_MAX (4 * 1024 * 1024)

/* Returns 0 when hash is an encoded Argon2id hash as sls_password_hash
 * makes them ("$argon2id$v=19$m=M,t=T,p=1$salt$hash", read by libsodium's
 * own parser) with M and T within the bounds above; -1 otherwise (another
 * algorithm or version, a malformed string, more lanes, a cost out of
 * bounds). */
SLS_MUST_USE int sls_password_hash_acceptable(const char *hash);

#endif
