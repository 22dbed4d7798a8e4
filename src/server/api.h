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
void sls_api_me_verify_status(struct sls_req *rq, struct sls_resp *rs);

/* api_limits.c: R31, R33 withdrawal limits, withdrawals and deposits */
void sls_api_me_limits(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me_withdrawal(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me_deposit(struct sls_req *rq, struct sls_resp *rs);

/* api_sls.c: R30 opt-out and opt-in */
void sls_api_me_sls(struct sls_req *rq, struct sls_resp *rs);

/* api_settings.c: R3 password change, R4 e-mail and banking changes */
void sls_api_me_password(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me_email(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me_bank(struct sls_req *rq, struct sls_resp *rs);

/* api_review.c: R4 security review queue */
void sls_api_admin_review_list(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_review_approve(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_review_deny(struct sls_req *rq, struct sls_resp *rs);

/* api_reactivate.c: R28 */
void sls_api_device_reactivate(struct sls_req *rq, struct sls_resp *rs);
void sls_api_ibkey_activation(struct sls_req *rq, struct sls_resp *rs);
void sls_api_ibkey_activation_complete(struct sls_req *rq, struct sls_resp *rs);
void sls_api_ibkey_pending(struct sls_req *rq, struct sls_resp *rs);
void sls_api_ibkey_approve(struct sls_req *rq, struct sls_resp *rs);
void sls_api_sms_enroll(struct sls_req *rq, struct sls_resp *rs);
void sls_api_sms_confirm(struct sls_req *rq, struct sls_resp *rs);
/* §10.3 the mobile numbers on record (api_phones.c). */
void sls_api_me_phones(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me_phone_add(struct sls_req *rq, struct sls_resp *rs);
void sls_api_me_phone_confirm(struct sls_req *rq, struct sls_resp *rs);

/* Checks the 6-digit code under key (one_time_code.h): on success copies the
 * record (and its user) out and returns 0; else answers 400 invalid_code
 * (a wrong code counts toward the code's tries, audited as event) and
 * returns -1. */
int sls_code_check_answer(struct sls_req *rq, struct sls_resp *rs, const char *key,
                          const char *code, const char *event, const char *hint,
                          struct sls_code_rec *out, struct sls_user_rec *user);

/* api_password_reset.c: R3, R29 completing a reset with the e-mailed code */
void sls_api_password_reset_complete(struct sls_req *rq, struct sls_resp *rs);
/* api_password_reset_request.c: R3 a self-service reset code by e-mail */
void sls_api_password_reset_request(struct sls_req *rq, struct sls_resp *rs);

/* api_documents.c: R50 document intake by e-mail */
void sls_api_admin_document_ingest(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_document_list(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_document_content(struct sls_req *rq, struct sls_resp *rs);
void sls_api_admin_document_rejections(struct sls_req *rq, struct sls_resp *rs);

/* api_portal.c: the web Client Portal (GET / and its assets) */
void sls_api_portal_page(struct sls_req *rq, struct sls_resp *rs);
void sls_api_portal_asset(struct sls_req *rq, struct sls_resp *rs);

/* api_ops.c: health, metrics, --dev clock and outbox */
void sls_api_healthz(struct sls_req *rq, struct sls_resp *rs);
void sls_api_metrics(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dev_clock_get(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dev_clock_set(struct sls_req *rq, struct sls_resp *rs);
void sls_api_dev_outbox(struct sls_req *rq, struct sls_resp *rs);

/* routes.c */
extern const struct sls_route sls_api_routes[];

#endif
