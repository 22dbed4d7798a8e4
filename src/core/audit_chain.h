/* R41: checking the audit chain. Records are given one at a time in the
 * order of the log; the checker recomputes each hash and decides whether the
 * log read so far is intact, or where and why it first breaks. The hash
 * function is passed in (the core does no cryptography itself): it must be
 * the one the store chains with, SHA-256 as 64 lower-case hex characters. */
#ifndef SLS_CORE_AUDIT_CHAIN_H
#define SLS_CORE_AUDIT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"

/* Writes the hex hash of len bytes of data and a NUL into out. */
typedef void (*sls_audit_hash_fn)(const void *data, size_t len, char out[65]);

enum sls_audit_chain_verdict {
    SLS_AUDIT_CHAIN_OK = 0,
    SLS_AUDIT_CHAIN_SEQUENCE_GAP,  /* seq is not the previous seq + 1 (the first is 1) */
    SLS_AUDIT_CHAIN_PREV_MISMATCH, /* prev_hash is not the previous record's hash */
    SLS_AUDIT_CHAIN_HASH_MISMATCH, /* hash is not the hash of prev_hash and the record */
};

struct sls_audit_chain {
    sls_audit_hash_fn hash;
    int64_t records;  /* records given, the broken one included */
    int64_t last_seq; /* of the last intact record; 0 before the first */
    char last_hash[65];
    enum sls_audit_chain_verdict verdict; /* the first break, or OK */
    int64_t broken_seq;                   /* seq of the record that broke the chain */
};

/* Starts a check of a log from its beginning: no records, last_seq 0 and
 * last_hash 64 '0' (the prev_hash of the first record). */
void sls_audit_chain_init(struct sls_audit_chain *c, sls_audit_hash_fn hash);

/* Checks r against the records given before, in this order: its seq follows
 * (a gap), its prev_hash is the last hash (previous hash mismatch), its hash
 * covers prev_hash and its canonical text (hash mismatch). The first break is
 * kept; once broken, further records are neither counted nor checked.
 * Returns the chain's verdict after r. */
enum sls_audit_chain_verdict sls_audit_chain_add(struct sls_audit_chain *c,
                                                 const struct sls_audit_rec *r);

/* Whether no record given so far broke the chain. */
bool sls_audit_chain_intact(const struct sls_audit_chain *c);

/* "hash mismatch", "previous hash mismatch", "sequence gap", or "ok". */
const char *sls_audit_chain_reason(enum sls_audit_chain_verdict v);

#endif
