/* Password hashing with Argon2id through libsodium's crypto_pwhash_str_alg
 * (encoded "$argon2id$v=19$m=...,t=...,p=1$salt$hash" strings). */
#include "password.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "secmem.h"

_Static_assert(crypto_pwhash_STRBYTES <= SLS_PASSWORD_HASH_MAX, "encoded hash does not fit");

#define ARGON2ID_PREFIX "$argon2id$"

void sls_pwhash_cost_default(struct sls_pwhash_cost *c)
{
    c->opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
    c->memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
}

void sls_pwhash_cost_min(struct sls_pwhash_cost *c)
{
    c->opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
    c->memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
}

int sls_password_hash(const char *pw, size_t len, const struct sls_pwhash_cost *cost,
                      char out[SLS_PASSWORD_HASH_MAX])
{
    struct sls_pwhash_cost c;

    if (out == NULL)
        return -1;
    memset(out, 0, SLS_PASSWORD_HASH_MAX);
    if (pw == NULL && len != 0)
        return -1;
    if (cost != NULL)
        c = *cost;
    else
        sls_pwhash_cost_default(&c);
    if (crypto_pwhash_str_alg(out, pw != NULL ? pw : "", len, c.opslimit, c.memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        memset(out, 0, SLS_PASSWORD_HASH_MAX);
        return -1;
    }
    return 0;
}

int sls_password_verify(const char *hash, const char *pw, size_t len)
{
    const char *nul;
    size_t hlen;

    if (hash == NULL || (pw == NULL && len != 0))
        return -1;
    /* Only Argon2id strings, NUL-terminated within libsodium's bound. */
    nul = memchr(hash, '\0', crypto_pwhash_STRBYTES);
    if (nul == NULL)
        return -1;
    hlen = (size_t)(nul - hash);
    if (hlen < sizeof(ARGON2ID_PREFIX) - 1 ||
        memcmp(hash, ARGON2ID_PREFIX, sizeof(ARGON2ID_PREFIX) - 1) != 0)
        return -1;
    return crypto_pwhash_str_verify(hash, pw != NULL ? pw : "", len) == 0 ? 0 : -1;
}

int sls_password_hash_acceptable(const char *hash)
{
    static const char head[] = ARGON2ID_PREFIX "v=19$";
    unsigned long m, t, p;
    int used = 0;

    if (hash == NULL || memchr(hash, '\0', crypto_pwhash_STRBYTES) == NULL ||
        strncmp(hash, head, sizeof(head) - 1) != 0)
        return -1;
    /* libsodium's decoder: the fields, their order, the salt and hash in
     * base64 of sane lengths; -1 when it cannot read the string. */
    if (crypto_pwhash_argon2id_str_needs_rehash(hash, crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                                crypto_pwhash_argon2id_MEMLIMIT_MIN) < 0)
        return -1;
    if (sscanf(hash + sizeof(head) - 1, "m=%lu,t=%lu,p=%lu$%n", &m, &t, &p, &used) != 3 ||
        used == 0)
        return -1;
    if (p != 1 || t < SLS_PWHASH_OPS_MIN || t > SLS_PWHASH_OPS_MAX || m < SLS_PWHASH_MEM_KIB_MIN ||
        m > SLS_PWHASH_MEM_KIB_MAX)
        return -1;
    return 0;
}
