/* Vendor token files (SPEC §10.4): RFC 6030 Portable Symmetric Key
 * Containers, read into plain records. Keys may be in plaintext, encrypted
 * with AES-128-CBC under a pre-shared key, or under a key derived from a
 * password with PBKDF2; encrypted values carry an HMAC-SHA1 MAC whose key
 * is itself encrypted in the file. HOTP, TOTP and OCRA keys are read; any
 * entry that cannot be trusted (a bad MAC, a wrong key or password, an
 * unknown algorithm, a serial seen twice, a missing field) is skipped with
 * its reason, and nothing of it is returned.
 *
 * Bounded: at most SLS_PSKC_MAX_BYTES of input and SLS_PSKC_MAX_KEYS keys; a
 * document type declaration (and with it every entity) is refused outright,
 * and nothing is ever fetched (no network, no external files). */
#ifndef SLS_INTAKE_PSKC_H
#define SLS_INTAKE_PSKC_H

#include <stddef.h>
#include <stdint.h>

#define SLS_PSKC_MAX_BYTES (1024 * 1024)
#define SLS_PSKC_MAX_KEYS  10000

enum sls_pskc_algorithm { SLS_PSKC_HOTP = 0, SLS_PSKC_TOTP, SLS_PSKC_OCRA };

struct sls_pskc_key {
    char serial[64];
    enum sls_pskc_algorithm algorithm;
    char suite[64]; /* OCRA: the suite of AlgorithmParameters/Suite */
    int digits;     /* ResponseFormat Length (6..10), 6 when absent for TOTP, 8 else */
    uint64_t counter;
    int64_t period; /* TOTP: TimeInterval, 30 when absent */
    uint8_t secret[64];
    size_t secret_len;
};

struct sls_pskc_skip {
    char serial[64]; /* "" when the entry has none */
    /* "bad_mac", "wrong_key", "unknown_algorithm", "duplicate_serial",
     * "no_serial", "no_secret", "bad_value", "unsupported_encryption" */
    const char *reason;
};

/* How the file's encrypted values are opened (either, or neither). */
struct sls_pskc_protection {
    const uint8_t *psk; /* a pre-shared AES-128 key, 16 bytes, or NULL */
    size_t psk_len;
    const char *password; /* PBKDF2, or NULL */
};

struct sls_pskc_result {
    struct sls_pskc_key *keys; /* nkeys of them (malloc'ed) */
    size_t nkeys;
    struct sls_pskc_skip *skipped;
    size_t nskipped;
};

/* Reads the file (len bytes) with p into out. Returns 0, or -1 when the
 * file as a whole is refused: too large, not well-formed XML, a document
 * type declaration, not a PSKC KeyContainer, or too many keys (out is then
 * empty). Free out with sls_pskc_result_free. */
int sls_pskc_parse(const char *xml, size_t len, const struct sls_pskc_protection *p,
                   struct sls_pskc_result *out);

/* Wipes the secrets and frees; NULL is a no-op. */
void sls_pskc_result_free(struct sls_pskc_result *r);

#endif
