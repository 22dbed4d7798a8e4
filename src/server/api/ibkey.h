/* The device side of the mobile authenticator (R20, SPEC §8): activation
 * with an SMS code, the list of pending pushes and their approval or
 * denial, every app request signed (signed_request.h).
 *
 * Activation: username + password (a wrong password counts toward R8), a
 * phone on record or a new one, a 6-digit code by SMS (single use, valid
 * [policy] activation_code_ttl, [policy] code_tries wrong codes), then the
 * app's Ed25519 public key and mode. The same transaction creates the ibkey
 * device with a random OCRA secret (sealed), revokes the user's previous
 * ibkey devices and their sessions, and retires the user's SMS devices.
 *
 * Approval: the body signature covers PUSH_ID\nCHALLENGE\nDECISION, and
 * with number matching (SPEC §10.3, the push has a number) \nNUMBER, the
 * number the user typed (empty for a denial without one). The app must hold
 * the key of the device the push went to. An approval only marks the push
 * approved; the login's session is opened by the front end's next poll
 * (api_login.c), so the token never travels through the app. A denial ends
 * the login as denied and counts as a failed attempt (R8). An approval with
 * a wrong number is a denial too: the push denied, its login closed and the
 * failure counted in one transaction, audited as wrong_number. */
#ifndef SLS_SERVER_API_IBKEY_H
#define SLS_SERVER_API_IBKEY_H

#include "server/http/http.h"

void sls_api_ibkey_activation(struct sls_req *rq, struct sls_resp *rs);

void sls_api_ibkey_activation_complete(struct sls_req *rq, struct sls_resp *rs);

void sls_api_ibkey_pending(struct sls_req *rq, struct sls_resp *rs);

void sls_api_ibkey_approve(struct sls_req *rq, struct sls_resp *rs);

#endif
