/* The HTTP API's handlers, grouped by file, and the route table binding them
 * to methods and paths (SPEC §8). */
#ifndef SLS_SERVER_API_H
#define SLS_SERVER_API_H

#include "http.h"

/* api_login.c: R5-R9, R12 */
void sls_api_login(struct sls_req *rq, struct sls_resp *rs);
void sls_api_login_device(struct sls_req *rq, struct sls_resp *rs);
void sls_api_login_response(struct sls_req *rq, struct sls_resp *rs);
void sls_api_login_status(struct sls_req *rq, struct sls_resp *rs);

/* api_me.c: R10 sessions and the profile */
void sls_api_session_get(struct sls_req *rq, struct sls_resp *rs);
void sls_api_session_delete(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me(struct sls_req *rq, struct sls_resp *rs);

/* api_admin.c: users, devices, R40 verifications, unlock, account state, audit and its check */
void sls_api_admin_user_create(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_user_get(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_device_add(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_identity_verify(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_unlock(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_account(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_audit(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_audit_verify(struct sls_req *rq, struct sls_resp *rs);

/* api_assist.c: login assistance by the service desk (R26, R29, PIN and password reset; R40) */
void sls_api_admin_temp_passcode(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_device_lost(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_pin_reset(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_password_reset(struct sls_req *rq, struct sls_resp *rs);

/* api_dsc_plus.c: R21 ordering a DSC+, reading one's orders, PIN change */
void sls_api_dsc_plus_order(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dsc_plus_list(struct sls_req *rq, struct sls_resp *rs);
void sls_api_device_pin(struct sls_req *rq, struct sls_resp *rs);

/* api_dsc_plus_admin.c: R21 at the desk. sls_api_admin_dsc_plus_ship handles
 * POST /v1/admin/users/{u}/devices when the body names an order_id (and
 * returns true); otherwise it answers nothing and returns false. */
bool sls_api_admin_dsc_plus_ship(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_device_returned(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_dsc_plus_orders(struct sls_req *rq, struct sls_resp *rs);

/* api_sharing.c: R32 device sharing, by the user and at the desk */
void sls_api_share_device(struct sls_req *rq, struct sls_resp *rs);
void sls_api_share_device_cancel(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_sharing_list(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_sharing_approve(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_sharing_deny(struct sls_req *rq, struct sls_resp *rs);

/* api_card.c: R27 online security cards */
void sls_api_online_card_new(struct sls_req *rq, struct sls_resp *rs);
void sls_api_online_card_get(struct sls_req *rq, struct sls_resp *rs);
void sls_api_online_card_activate(struct sls_req *rq, struct sls_resp *rs);

/* api_step_up.c: R34 */
void sls_api_me_verify(struct sls_req *rq, struct sls_resp *rs);

/* api_reactivate.c: R28 */
void sls_api_device_reactivate(struct sls_req *rq, struct sls_resp *rs);

/* api_password_reset.c: R3, R29 completing a reset with the e-mailed code */
void sls_api_password_reset_complete(struct sls_req *rq, struct sls_resp *rs);

/* api_documents.c: R50 document intake by e-mail */
void sls_api_admin_document_ingest(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_document_list(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_document_content(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_document_rejections(struct sls_req *rq, struct sls_resp *rs);

/* api_ops.c: health, metrics, --dev clock and outbox */
void sls_api_healthz(struct sls_req *rq, struct sls_resp *rs);
void sls_api_metrics(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dev_clock_get(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dev_clock_set(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dev_outbox(struct sls_req *rq, struct sls_resp *rs);

/* routes.c */
extern const struct sls_route sls_api_routes[];

#endif
