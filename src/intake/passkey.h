/* Passkey (WebAuthn) ceremonies read and checked (SPEC §10.5): the
 * authenticator data, the attestation object (format "none" only), COSE
 * public keys (ES256 and Ed25519) read with libcbor, and the client data
 * JSON read with jansson; then a registration or an assertion checked
 * against what the server expects: the type, the single-use challenge
 * (compared in constant time), the origin among the configured ones, no
 * cross-origin call, the hash of the RP ID, user presence and user
 * verification, the signature and a signature counter that only moves
 * forward.
 *
 * Pure: no I/O, no clock, no store. Bounded: every input has a maximum size
 * and every length inside is checked before it is used.
 A CBOR head may not declare more entries than
 * the bytes after it could hold (libcbor 0.8 allocates a declared size
 * before reading the entries). */
#ifndef SLS_INTAKE_PASSKEY_H
#define SLS_INTAKE_PASSKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../crypto/passkey_sig.h"

#define SLS_PASSKEY_MAX_CREDENTIAL_ID 1023
#define SLS_PASSKEY_MAX_CLIENT_DATA   4096
#define SLS_PASSKEY_MAX_AUTH_DATA     2048
#define SLS_PASSKEY_MAX_ATTESTATION   4096
#define SLS_PASSKEY_MAX_USER_HANDLE   64
#define SLS_PASSKEY_CHALLENGE_BYTES   32
#define SLS_PASSKEY_RP_ID_HASH_BYTES  32

/* Authenticator data flags (WebAuthn §6.1). */
#define SLS_PASSKEY_FLAG_UP 0x01
#define SLS_PASSKEY_FLAG_UV 0x04
#define SLS_PASSKEY_FLAG_AT 0x40
#define SLS_PASSKEY_FLAG_ED 0x80

/* Why a ceremony is refused; SLS_PASSKEY_OK when it is accepted. */
enum sls_passkey_verdict {
    SLS_PASSKEY_OK = 0,
    SLS_PASSKEY_MALFORMED,  /* not parseable, a length out of bounds, trailing bytes */
    SLS_PASSKEY_WRONG_TYPE, /* clientData type is not the ceremony's */
    SLS_PASSKEY_WRONG_CHALLENGE,
    SLS_PASSKEY_WRONG_ORIGIN,    /* not among the configured origins, or crossOrigin true */
    SLS_PASSKEY_WRONG_RP,        /* rpIdHash is not SHA-256 of the RP ID */
    SLS_PASSKEY_NO_PRESENCE,     /* UP flag not set */
    SLS_PASSKEY_NO_VERIFICATION, /* UV flag not set */
    SLS_PASSKEY_ATTESTATION,     /* fmt other than "none", or a non-empty attStmt */
    SLS_PASSKEY_ALGORITHM, /* a key type or algorithm other than ES256/Ed25519, or a bad key */
    SLS_PASSKEY_BAD_SIGNATURE,
    SLS_PASSKEY_COUNTER_BACK, /* the signature counter did not move forward */
};

/* A short stable name of v ("ok", "malformed", "wrong_origin", ...). */
const char *sls_passkey_verdict_name(enum sls_passkey_verdict v);

/* A COSE key read into its algorithm and raw key (passkey_sig.h). */
struct sls_passkey_public_key {
    int alg;
    uint8_t key[SLS_PASSKEY_MAX_KEY_BYTES];
    size_t key_len;
};

struct sls_passkey_auth_data {
    uint8_t rp_id_hash[SLS_PASSKEY_RP_ID_HASH_BYTES];
    uint8_t flags;
    uint32_t sign_count;
    /* Attested credential data, when flags has AT. */
    bool has_credential;
    uint8_t aaguid[16];
    uint8_t credential_id[SLS_PASSKEY_MAX_CREDENTIAL_ID];
    size_t credential_id_len;
    struct sls_passkey_public_key public_key;
};

/* Reads a COSE_Key (one CBOR map) at the start of data; *used gets its
 * length. SLS_PASSKEY_ALGORITHM when it is well-formed but not an accepted
 * key (another kty, alg or curve, a coordinate of the wrong length, a point
 * not on the curve). */
enum sls_passkey_verdict sls_passkey_cose_key_parse(const uint8_t *data, size_t len,
                                                    struct sls_passkey_public_key *out,
                                                    size_t *used);

/* Reads authenticator data: 32 bytes of RP ID hash, flags, a big-endian
 * counter, the attested credential data when AT is set and an extensions
 * map when ED is set, and nothing after. */
enum sls_passkey_verdict sls_passkey_auth_data_parse(const uint8_t *data, size_t len,
                                                     struct sls_passkey_auth_data *out);

/* What the server expects of a ceremony. */
struct sls_passkey_expect {
    const char *rp_id;
    const char *const *origins; /* norigins exact origins, e.g. "https://sls.example" */
    size_t norigins;
    const uint8_t *challenge; /* the challenge the server issued */
    size_t challenge_len;
};

/* A registration (navigator.credentials.create) checked: client data of type
 * webauthn.create, an attestation object of format "none" with an empty
 * statement, UP and UV, attested credential data with an ES256 or Ed25519
 * key. credential_id/credential_id_len is the credential's id as the client
 * reports it (rawId); it must equal the attested one. On SLS_PASSKEY_OK,
 * *out holds the credential. */
enum sls_passkey_verdict
sls_passkey_registration_check(const struct sls_passkey_expect *expect, const uint8_t *client_data,
                               size_t client_data_len, const uint8_t *attestation,
                               size_t attestation_len, const uint8_t *credential_id,
                               size_t credential_id_len, struct sls_passkey_auth_data *out);

/* An assertion (navigator.credentials.get) checked against a stored key:
 * client data of type webauthn.get, authenticator data without attested
 * credential data, UP and UV, the signature over authenticatorData ||
 * SHA-256(clientDataJSON), and the counter: when either the stored or the new
 * counter is not zero, the new one must be greater (a counter that went
 * back is SLS_PASSKEY_COUNTER_BACK, checked after the signature, so only the
 * credential's holder or a clone of it gets that answer). *new_count gets
 * the authenticator's counter on SLS_PASSKEY_OK and SLS_PASSKEY_COUNTER_BACK. */
enum sls_passkey_verdict sls_passkey_assertion_check(
    const struct sls_passkey_expect *expect, const uint8_t *client_data, size_t client_data_len,
    const uint8_t *auth_data, size_t auth_data_len, const uint8_t *signature, size_t signature_len,
    const struct sls_passkey_public_key *key, uint32_t stored_count, uint32_t *new_count);

#endif
