/* The RADIUS State attribute of a login waiting for its second factor
 * (SPEC §10.4): it names the login, and an HMAC under a key derived from
 * the server's key binds it to the RADIUS client it was issued to, so a
 * State made up or taken to another client is refused. It is 66 octets:
 * "S1", the login id (32 hex) and 32 hex of HMAC-SHA256. */
#ifndef SLS_SERVER_RADIUS_STATE_H
#define SLS_SERVER_RADIUS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/id.h"

#define SLS_RADIUS_STATE_LEN 66
#define SLS_RADIUS_STATE_KEY 32

/* Derives the key of States from the server's key (key, keylen) into out.
 * Returns 0 or -1. */
int sls_radius_state_key(const uint8_t *key, size_t keylen, uint8_t out[SLS_RADIUS_STATE_KEY]);

/* The State of login_id for client (its name) into out. Returns 0 or -1. */
int sls_radius_state_make(const uint8_t key[SLS_RADIUS_STATE_KEY], const char *client,
                          const char *login_id, uint8_t out[SLS_RADIUS_STATE_LEN]);

/* Whether state (len octets) is one this server made for client; then the
 * login id goes into login_id. Compared in constant time. */
bool sls_radius_state_check(const uint8_t key[SLS_RADIUS_STATE_KEY], const char *client,
                            const uint8_t *state, size_t len, char login_id[SLS_ID_LEN + 1]);

#endif
