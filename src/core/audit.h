/* R41: an audit record and its canonical text. Each record's hash is
 * SHA-256 over prev_hash and the canonical text, so the log forms a chain
 * that `verify` can walk; the first record's prev_hash is 64 '0'. */
#ifndef SLS_CORE_AUDIT_H
#define SLS_CORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "time.h"

struct sls_audit_rec {
    int64_t seq; /* 1, 2, ... assigned by the store */
    sls_time at;
    char actor[64];     /* "user:alice", "agent:admin", "system" */
    char username[33];  /* subject user, may be empty */
    char event[48];     /* "login.success", "login.failure", "lock", "unlock", ... */
    char outcome[32];   /* "ok" or a reason such as "wrong_password" */
    char detail[512];   /* free text, JSON object by convention, may be empty */
    char prev_hash[65]; /* hex */
    char hash[65];      /* hex */
};

/* Writes "seq\nat\nactor\nusername\nevent\noutcome\ndetail" into out.
 * Returns the length written (excluding NUL) or -1 if out is too small. */
int sls_audit_canonical(const struct sls_audit_rec *r, char *out, size_t outlen);

/* Room for the hash input of any record: 64 hex characters of prev_hash, the
 * canonical text of the largest fields and two 20-character numbers, a NUL. */
#define SLS_AUDIT_HASH_INPUT_MAX 1024

/* Writes what r's hash covers: the 64 characters of r->prev_hash followed by
 * the canonical text. Returns the length written (excluding NUL), or -1 when
 * prev_hash is not 64 characters long or out is too small. */
int sls_audit_hash_input(const struct sls_audit_rec *r, char *out, size_t outlen);

#endif
