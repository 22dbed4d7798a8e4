/* R32 device sharing: POST /v1/me/share-device (the owner's credentials,
 * then a response from the owner's device), GET /v1/me/share-device (the
 * open request, as the requester sees it), DELETE /v1/me/share-device
 * (cancel), and the desk's compliance queue: GET /v1/admin/sharing-requests,
 * POST /v1/admin/sharing-requests/{id}/approve|deny.
 *
 * The requester is the logged-in user; the owner is another user name whose
 * password and device response the requester gives. The conditions of
 * core/sharing.h are checked before the challenge is issued and again, with
 * fresh data, in the transaction that records the request (and at approval).
 * A request that takes effect makes the requester's active devices inactive
 * and records which: cancelling brings back exactly those. While active, the
 * owner's device answers logins and step-ups of the requester too
 * (held_devices.h).
 *
 * Wrong owner passwords and wrong owner-device responses count toward the
 * owner's lockout (R8): they are guesses at the owner's credentials. Sharing
 * needs a step-up (R34); outside SLS it is refused (the requester opts in
 * first). */
#ifndef SLS_SERVER_API_SHARING_H
#define SLS_SERVER_API_SHARING_H

#include "server/http/http.h"

void sls_api_share_device(struct sls_req *rq, struct sls_resp *rs);

/* GET /v1/me/share-device: the user's open request, 404 when none. */
void sls_api_share_device_get(struct sls_req *rq, struct sls_resp *rs);

void sls_api_share_device_cancel(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_sharing_list(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_sharing_approve(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_sharing_deny(struct sls_req *rq, struct sls_resp *rs);

#endif
