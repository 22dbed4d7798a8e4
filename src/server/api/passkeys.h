/* Passkeys (SPEC §10.5) over HTTP: POST /v1/me/passkeys/options (a device
 * change: step-up when the user holds a device, R34) answers {publicKey},
 * the creation options with a challenge bound to the session for 5 minutes;
 * POST /v1/me/passkeys {credential, label?} checks the browser's
 * PublicKeyCredential against it and makes the active device (201
 * {device_id, device}). The ceremony's checks: flows/passkey.h. */
#ifndef SLS_SERVER_API_PASSKEYS_H
#define SLS_SERVER_API_PASSKEYS_H

#include "server/http/http.h"

void sls_api_passkey_options(struct sls_req *rq, struct sls_resp *rs);

void sls_api_passkey_register(struct sls_req *rq, struct sls_resp *rs);

#endif
