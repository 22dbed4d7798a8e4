/* The shape of the fixed passkey vectors (vectors.inc): a registration or
 * an assertion as an authenticator sent it, and the verdict it must get.
 * Shared by the unit test and the fuzz target that mutates the vectors. */
#ifndef SLS_TEST_PASSKEY_VECTORS_H
#define SLS_TEST_PASSKEY_VECTORS_H

#include <stdint.h>

#include "intake/passkey.h"

struct reg_vector {
    const char *name;
    enum sls_passkey_verdict verdict;
    const char *client_data;
    const char *attestation;
    const char *credential_id;
};

struct get_vector {
    const char *name;
    enum sls_passkey_verdict verdict;
    uint32_t stored_count;
    const char *client_data;
    const char *auth_data;
    const char *signature;
};

#endif
