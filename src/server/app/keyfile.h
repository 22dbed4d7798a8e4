/* Files slsd creates on first start and reads afterwards: the master key that
 * seals device secrets at rest, and the generated admin token. Both are
 * created with mode 0600 and refused when others may read them. */
#ifndef SLS_SERVER_KEYFILE_H
#define SLS_SERVER_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/seal.h"

/* Loads the key from path, or creates it (key id 1) when the file does not
 * exist; *created tells which. Returns 0, or -1 with a message in err. */
int sls_keyfile_load_or_create(const char *path, struct sls_seal_key *key, bool *created, char *err,
                               size_t errlen);

/* Reads the token in path, or creates a random one there. The token (64 hex
 * characters) is written into out[65]. Returns 0 or -1 with a message. */
int sls_tokenfile_load_or_create(const char *path, char out[65], bool *created, char *err,
                                 size_t errlen);

#endif
