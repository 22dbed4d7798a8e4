/* Requests the mobile authenticator signs (R20, SPEC §8): headers
 * X-Device-Id, X-Timestamp (Unix seconds, within the configured skew of the
 * server clock) and X-Signature (base64 Ed25519 over METHOD\nPATH\nTIMESTAMP
 * with the app's key). A signed request is accepted once: its (device,
 * timestamp, signature) is recorded, and the same triple again is a replay.
 * Every refusal is audited (flows/signed_request_tx.h); one that cannot be
 * is answered as the store's error. */
#ifndef SLS_SERVER_SIGNED_REQUEST_H
#define SLS_SERVER_SIGNED_REQUEST_H

#include <stdbool.h>

#include "server/http/http.h"
#include "store/store.h"

/* The app (and the user of the device it named) behind a signed request. */
struct sls_app_caller {
    char device_id[SLS_ID_LEN + 1];
    int64_t user_id;
    char username[33];
    uint8_t public_key[32];
    int mode; /* the sls_auth_mode chosen at activation */
};

/* Authenticates rq as a request of an active ibkey device's app. On failure
 * answers 401 unauthorized with the reason (or the store's error, when the
 * refusal could not be audited) and returns false. */
bool sls_signed_request_check(struct sls_req *rq, struct sls_resp *rs, struct sls_app_caller *out);

/* Whether b64sig (base64 of 64 bytes) is public_key's signature over text. */
bool sls_signature_ok(const uint8_t public_key[32], const char *b64sig, const char *text);

#endif
