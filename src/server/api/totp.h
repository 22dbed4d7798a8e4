/* Authenticator apps (SPEC §10.4): POST /v1/me/totp {label?} (a device
 * change: step-up when the user holds a device, R34) makes a new 20-byte
 * secret and answers {device_id, otpauth_uri, qr_svg, secret, expires_at}
 * — the secret in base32 for typing it in, the same one in the URI and its
 * QR code; POST /v1/me/totp/{id}/confirm {code} with the app's first code
 * makes the device active (201 {device}). Enrolment: totp_enrol_tx.h. */
#ifndef SLS_SERVER_API_TOTP_H
#define SLS_SERVER_API_TOTP_H

#include "server/http/http.h"

void sls_api_totp_enrol(struct sls_req *rq, struct sls_resp *rs);

void sls_api_totp_confirm(struct sls_req *rq, struct sls_resp *rs);

#endif
