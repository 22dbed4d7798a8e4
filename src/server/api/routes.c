/* The route table: every path slsd answers, on which listener, by which handler. */
#include "server/api/routes.h"
#include "server/api/admin.h"
#include "server/api/assist.h"
#include "server/api/card.h"
#include "server/api/documents.h"
#include "server/api/dsc_plus.h"
#include "server/api/dsc_plus_admin.h"
#include "server/api/ibkey.h"
#include "server/api/limits.h"
#include "server/api/login.h"
#include "server/api/me.h"
#include "server/api/ops.h"
#include "server/api/password_reset.h"
#include "server/api/password_reset_request.h"
#include "server/api/phones.h"
#include "server/api/portal.h"
#include "server/api/reactivate.h"
#include "server/api/review.h"
#include "server/api/settings.h"
#include "server/api/sharing.h"
#include "server/api/sls.h"
#include "server/api/sms.h"
#include "server/api/step_up.h"
#include "server/app/app.h"

#define PUB     SLS_ROUTE_PUBLIC
#define ADM     SLS_ROUTE_ADMIN
#define OPEN    SLS_ROUTE_OPEN
#define DEV     (SLS_ROUTE_PUBLIC | SLS_ROUTE_DEV)
#define MESSAGE SLS_ROUTE_MESSAGE
#define HASHING SLS_ROUTE_HASHING /* costs a password hash: throttled (SPEC §10.2) */

/* POST /v1/admin/users/{u}/devices registers a device, or with an order_id
 * ships a DSC+ order (R21): one path, two handlers, chosen by the body. */
static void admin_devices_post(struct sls_req *rq, struct sls_resp *rs)
{
    if (json_is_string(json_object_get(rq->body, "order_id")))
        sls_api_admin_dsc_plus_ship(rq, rs);
    else
        sls_api_admin_device_add(rq, rs);
}

const struct sls_route sls_api_routes[] = {
    {"POST", "/v1/login", sls_api_login, PUB | HASHING},
    {"POST", "/v1/login/{}/device", sls_api_login_device, PUB},
    {"POST", "/v1/login/{}/response", sls_api_login_response, PUB},
    {"GET", "/v1/login/{}", sls_api_login_status, PUB},
    {"GET", "/v1/session", sls_api_session_get, PUB},
    {"DELETE", "/v1/session", sls_api_session_delete, PUB},
    {"GET", "/v1/me", sls_api_me, PUB},
    {"POST", "/v1/me/online-card", sls_api_online_card_new, PUB},
    {"GET", "/v1/me/online-card/{}", sls_api_online_card_get, PUB},
    {"POST", "/v1/me/online-card/{}/activate", sls_api_online_card_activate, PUB},
    {"POST", "/v1/me/devices/{}/reactivate", sls_api_device_reactivate, PUB},
    {"POST", "/v1/me/verify", sls_api_me_verify, PUB},
    {"GET", "/v1/me/verify", sls_api_me_verify_status, PUB},
    {"POST", "/v1/me/sms/enroll", sls_api_sms_enroll, PUB},
    {"POST", "/v1/me/sms/confirm", sls_api_sms_confirm, PUB},
    {"GET", "/v1/me/phones", sls_api_me_phones, PUB},
    {"POST", "/v1/me/phones", sls_api_me_phone_add, PUB},
    {"POST", "/v1/me/phones/confirm", sls_api_me_phone_confirm, PUB},
    {"POST", "/v1/ibkey/activation", sls_api_ibkey_activation, PUB | HASHING},
    {"POST", "/v1/ibkey/activation/complete", sls_api_ibkey_activation_complete, PUB},
    {"GET", "/v1/ibkey/pending", sls_api_ibkey_pending, PUB},
    {"POST", "/v1/ibkey/approve", sls_api_ibkey_approve, PUB},
    {"GET", "/v1/me/limits", sls_api_me_limits, PUB},
    {"POST", "/v1/me/withdrawals", sls_api_me_withdrawal, PUB},
    {"POST", "/v1/me/deposits", sls_api_me_deposit, PUB},
    {"POST", "/v1/me/sls", sls_api_me_sls, PUB},
    {"POST", "/v1/me/password", sls_api_me_password, PUB | HASHING},
    {"POST", "/v1/me/email", sls_api_me_email, PUB | HASHING},
    {"POST", "/v1/me/bank-instructions", sls_api_me_bank, PUB},
    {"POST", "/v1/me/dsc-plus", sls_api_dsc_plus_order, PUB},
    {"GET", "/v1/me/dsc-plus", sls_api_dsc_plus_list, PUB},
    {"POST", "/v1/me/devices/{}/pin", sls_api_device_pin, PUB},
    {"POST", "/v1/me/share-device", sls_api_share_device, PUB | HASHING},
    {"DELETE", "/v1/me/share-device", sls_api_share_device_cancel, PUB},
    {"POST", "/v1/password-reset", sls_api_password_reset_request, PUB},
    {"POST", "/v1/password-reset/complete", sls_api_password_reset_complete, PUB | HASHING},
    {"GET", "/", sls_api_portal_page, PUB},
    {"GET", "/assets/{}", sls_api_portal_asset, PUB},
    {"GET", "/healthz", sls_api_healthz, PUB | OPEN},
    {"GET", "/metrics", sls_api_metrics, ADM},
    {"GET", "/v1/dev/clock", sls_api_dev_clock_get, DEV},
    {"POST", "/v1/dev/clock", sls_api_dev_clock_set, DEV},
    {"GET", "/v1/dev/outbox", sls_api_dev_outbox, DEV},
    {"POST", "/v1/admin/users", sls_api_admin_user_create, ADM},
    {"GET", "/v1/admin/users/{}", sls_api_admin_user_get, ADM},
    {"POST", "/v1/admin/users/{}/devices", admin_devices_post, ADM},
    {"POST", "/v1/admin/users/{}/devices/{}/lost", sls_api_admin_device_lost, ADM},
    {"POST", "/v1/admin/users/{}/devices/{}/pin-reset", sls_api_admin_pin_reset, ADM},
    {"POST", "/v1/admin/users/{}/devices/{}/returned", sls_api_admin_device_returned, ADM},
    {"GET", "/v1/admin/dsc-plus-orders", sls_api_admin_dsc_plus_orders, ADM},
    {"GET", "/v1/admin/sharing-requests", sls_api_admin_sharing_list, ADM},
    {"POST", "/v1/admin/sharing-requests/{}/approve", sls_api_admin_sharing_approve, ADM},
    {"POST", "/v1/admin/sharing-requests/{}/deny", sls_api_admin_sharing_deny, ADM},
    {"POST", "/v1/admin/users/{}/identity-verifications", sls_api_admin_identity_verify, ADM},
    {"POST", "/v1/admin/users/{}/unlock", sls_api_admin_unlock, ADM},
    {"POST", "/v1/admin/users/{}/temporary-passcode", sls_api_admin_temp_passcode, ADM},
    {"POST", "/v1/admin/users/{}/password-reset", sls_api_admin_password_reset, ADM},
    {"POST", "/v1/admin/users/{}/account", sls_api_admin_account, ADM},
    {"GET", "/v1/admin/reviews", sls_api_admin_review_list, ADM},
    {"POST", "/v1/admin/reviews/{}/approve", sls_api_admin_review_approve, ADM},
    {"POST", "/v1/admin/reviews/{}/deny", sls_api_admin_review_deny, ADM},
    {"GET", "/v1/admin/audit", sls_api_admin_audit, ADM},
    {"GET", "/v1/admin/audit/verify", sls_api_admin_audit_verify, ADM},
    {"POST", "/v1/admin/documents", sls_api_admin_document_ingest, ADM | MESSAGE},
    {"GET", "/v1/admin/documents", sls_api_admin_document_list, ADM},
    {"GET", "/v1/admin/documents/rejections", sls_api_admin_document_rejections, ADM},
    {"GET", "/v1/admin/documents/{}", sls_api_admin_document_content, ADM},
    {NULL, NULL, NULL, 0},
};
