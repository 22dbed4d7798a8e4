/* The State of a RADIUS login; see state.h. */
#include "server/radius/state.h"

#include <string.h>

#include "crypto/hash.h"
#include "crypto/secmem.h"

#define LABEL "sls radius state v1"
#define TAG   16 /* octets of the HMAC kept, shown as 32 hex */

int sls_radius_state_key(const uint8_t *key, size_t keylen, uint8_t out[SLS_RADIUS_STATE_KEY])
{
    return sls_hmac(SLS_HASH_SHA256, key, keylen, (const uint8_t *)LABEL, strlen(LABEL), out);
}

/* The tag of login_id for client as 32 hex characters. */
static int tag_hex(const uint8_t key[SLS_RADIUS_STATE_KEY], const char *client,
                   const char *login_id, char out[2 * TAG])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t msg[64 + 1 + SLS_ID_LEN], mac[32];
    size_t cl = strlen(client);

    if (cl > 64 || strlen(login_id) != SLS_ID_LEN)
        return -1;
    memcpy(msg, client, cl);
    msg[cl] = 0; /* the client's name ends here: names cannot run into ids */
    memcpy(msg + cl + 1, login_id, SLS_ID_LEN);
    if (sls_hmac(SLS_HASH_SHA256, key, SLS_RADIUS_STATE_KEY, msg, cl + 1 + SLS_ID_LEN, mac) != 0)
        return -1;
    for (size_t i = 0; i < TAG; i++) {
        out[2 * i] = digits[mac[i] >> 4];
        out[2 * i + 1] = digits[mac[i] & 0x0f];
    }
    return 0;
}

int sls_radius_state_make(const uint8_t key[SLS_RADIUS_STATE_KEY], const char *client,
                          const char *login_id, uint8_t out[SLS_RADIUS_STATE_LEN])
{
    char tag[2 * TAG];

    if (tag_hex(key, client, login_id, tag) != 0)
        return -1;
    memcpy(out, "S1", 2);
    memcpy(out + 2, login_id, SLS_ID_LEN);
    memcpy(out + 2 + SLS_ID_LEN, tag, sizeof(tag));
    return 0;
}

bool sls_radius_state_check(const uint8_t key[SLS_RADIUS_STATE_KEY], const char *client,
                            const uint8_t *state, size_t len, char login_id[SLS_ID_LEN + 1])
{
    char tag[2 * TAG];

    login_id[0] = '\0';
    if (len != SLS_RADIUS_STATE_LEN || memcmp(state, "S1", 2) != 0)
        return false;
    memcpy(login_id, state + 2, SLS_ID_LEN);
    login_id[SLS_ID_LEN] = '\0';
    if (!sls_id_valid(login_id) || tag_hex(key, client, login_id, tag) != 0 ||
        !sls_ct_equal(tag, state + 2 + SLS_ID_LEN, sizeof(tag))) {
        login_id[0] = '\0';
        return false;
    }
    return true;
}
