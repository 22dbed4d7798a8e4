/* R41: the audit chain check, one record at a time, with an injected hash. */
#include "audit_chain.h"

#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

void sls_audit_chain_init(struct sls_audit_chain *c, sls_audit_hash_fn hash)
{
    memset(c, 0, sizeof(*c));
    c->hash = hash;
    memcpy(c->last_hash, ZERO_HASH, sizeof(c->last_hash));
    c->verdict = SLS_AUDIT_CHAIN_OK;
}

/* Whether a hash field (which may lack its NUL) holds exactly the 64
 * characters of want. */
static bool same_hash(const char field[65], const char want[65])
{
    return memchr(field, '\0', 65) == field + 64 && memcmp(field, want, 64) == 0;
}

/* Whether r's stored hash is the hash of its prev_hash and canonical text. */
static bool hash_holds(const struct sls_audit_chain *c, const struct sls_audit_rec *r)
{
    char input[SLS_AUDIT_HASH_INPUT_MAX];
    char computed[65];
    int len = sls_audit_hash_input(r, input, sizeof(input));

    if (len < 0)
        return false;
    c->hash(input, (size_t)len, computed);
    return same_hash(r->hash, computed);
}

enum sls_audit_chain_verdict sls_audit_chain_add(struct sls_audit_chain *c,
                                                 const struct sls_audit_rec *r)
{
    enum sls_audit_chain_verdict v = SLS_AUDIT_CHAIN_OK;

    if (c->verdict != SLS_AUDIT_CHAIN_OK)
        return c->verdict;
    c->records++;
    if (c->last_seq == INT64_MAX || r->seq != c->last_seq + 1)
        v = SLS_AUDIT_CHAIN_SEQUENCE_GAP;
    else if (!same_hash(r->prev_hash, c->last_hash))
        v = SLS_AUDIT_CHAIN_PREV_MISMATCH;
    else if (!hash_holds(c, r))
        v = SLS_AUDIT_CHAIN_HASH_MISMATCH;
    if (v != SLS_AUDIT_CHAIN_OK) {
        c->verdict = v;
        c->broken_seq = r->seq;
        return v;
    }
    c->last_seq = r->seq;
    memcpy(c->last_hash, r->hash, 64);
    c->last_hash[64] = '\0';
    return v;
}

bool sls_audit_chain_intact(const struct sls_audit_chain *c)
{
    return c->verdict == SLS_AUDIT_CHAIN_OK;
}

const char *sls_audit_chain_reason(enum sls_audit_chain_verdict v)
{
    switch (v) {
    case SLS_AUDIT_CHAIN_OK:
        return "ok";
    case SLS_AUDIT_CHAIN_SEQUENCE_GAP:
        return "sequence gap";
    case SLS_AUDIT_CHAIN_PREV_MISMATCH:
        return "previous hash mismatch";
    case SLS_AUDIT_CHAIN_HASH_MISMATCH:
        return "hash mismatch";
    }
    return "unknown";
}
