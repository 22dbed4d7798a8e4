/* The route table: every path slsd answers, on which listener, by which
 * handler, behind which gates (checked before the handler: gates.h). */
#include "server/api/routes.h"
#include "server/api/admin.h"
#include "server/api/assist.h"
#include "server/api/device_stock.h"
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
#include "server/api/passkeys.h"
#include "server/api/totp.h"
#include "server/api/user_import.h"
#include "server/app/app.h"

#define PUB     SLS_ROUTE_PUBLIC
#define ADM     SLS_ROUTE_ADMIN
#define OPEN    SLS_ROUTE_OPEN
#define DEV     (SLS_ROUTE_PUBLIC | SLS_ROUTE_DEV)
#define MESSAGE SLS_ROUTE_MESSAGE
#define PSKC    SLS_ROUTE_PSKC    /* the body is a vendor token file (SPEC §10.4) */
#define LINES   SLS_ROUTE_LINES   /* a JSON-lines body (bulk import) */
#define HASHING SLS_ROUTE_HASHING /* costs a password hash: throttled (SPEC §10.2) */
/* The gates (server/api/gates.h), checked before the handler runs. */
#define SESSION SLS_ROUTE_SESSION      /* a live session, online_card_only too */
#define FULL    SLS_ROUTE_FULL_SESSION /* a live session beyond the online card */
/* A live session (online_card_only too) opened with a temporary passcode (R27). */
#define PASSCODE (SLS_ROUTE_SESSION | SLS_ROUTE_PASSCODE)
#define PRIMARY  SLS_ROUTE_PRIMARY /* the account's primary user (R30) */
#define STEP_UP  SLS_ROUTE_STEP_UP /* a fresh step-up (R34) */

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
    {"POST", "/v1/login", sls_api_login, PUB | HASHING, NULL},
    {"POST", "/v1/login/{}/device", sls_api_login_device, PUB, NULL},
    {"POST", "/v1/login/{}/response", sls_api_login_response, PUB, NULL},
    {"GET", "/v1/login/{}", sls_api_login_status, PUB, NULL},
    {"GET", "/v1/session", sls_api_session_get, PUB | SESSION, NULL},
    {"DELETE", "/v1/session", sls_api_session_delete, PUB | SESSION, NULL},
    {"GET", "/v1/me", sls_api_me, PUB | FULL, NULL},
    {"POST", "/v1/me/online-card", sls_api_online_card_new, PUB | PASSCODE, NULL},
    {"GET", "/v1/me/online-card/{}", sls_api_online_card_get, PUB | PASSCODE, NULL},
    {"POST", "/v1/me/online-card/{}/activate", sls_api_online_card_activate, PUB | PASSCODE, NULL},
    {"POST", "/v1/me/devices/{}/reactivate", sls_api_device_reactivate, PUB | FULL, NULL},
    {"POST", "/v1/me/verify", sls_api_me_verify, PUB | FULL, NULL},
    {"GET", "/v1/me/verify", sls_api_me_verify_status, PUB | FULL, NULL},
    {"POST", "/v1/me/sms/enroll", sls_api_sms_enroll, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/me/sms/confirm", sls_api_sms_confirm, PUB | FULL, NULL},
    {"GET", "/v1/me/phones", sls_api_me_phones, PUB | FULL, NULL},
    {"POST", "/v1/me/phones", sls_api_me_phone_add, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/me/phones/confirm", sls_api_me_phone_confirm, PUB | FULL, NULL},
    {"POST", "/v1/ibkey/activation", sls_api_ibkey_activation, PUB | HASHING, NULL},
    {"POST", "/v1/ibkey/activation/complete", sls_api_ibkey_activation_complete, PUB, NULL},
    {"GET", "/v1/ibkey/pending", sls_api_ibkey_pending, PUB, NULL},
    {"POST", "/v1/ibkey/approve", sls_api_ibkey_approve, PUB, NULL},
    {"GET", "/v1/me/limits", sls_api_me_limits, PUB | FULL, NULL},
    {"POST", "/v1/me/withdrawals", sls_api_me_withdrawal, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/me/deposits", sls_api_me_deposit, PUB | FULL, NULL},
    {"POST", "/v1/me/sls", sls_api_me_sls, PUB | FULL | PRIMARY | STEP_UP,
     sls_api_me_sls_sensitive},
    {"POST", "/v1/me/password", sls_api_me_password, PUB | HASHING | FULL, NULL},
    {"POST", "/v1/me/email", sls_api_me_email, PUB | HASHING | FULL | STEP_UP,
     sls_api_me_email_sensitive},
    {"POST", "/v1/me/bank-instructions", sls_api_me_bank, PUB | FULL | STEP_UP, NULL},
    {"GET", "/v1/me/bank-instructions", sls_api_me_bank_get, PUB | FULL, NULL},
    {"GET", "/v1/me/reviews", sls_api_me_reviews, PUB | FULL, NULL},
    {"POST", "/v1/me/dsc-plus", sls_api_dsc_plus_order, PUB | FULL | STEP_UP, NULL},
    {"GET", "/v1/me/dsc-plus", sls_api_dsc_plus_list, PUB | FULL, NULL},
    {"POST", "/v1/me/devices/{}/pin", sls_api_device_pin, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/me/share-device", sls_api_share_device, PUB | HASHING | FULL | STEP_UP, NULL},
    {"GET", "/v1/me/share-device", sls_api_share_device_get, PUB | FULL, NULL},
    {"DELETE", "/v1/me/share-device", sls_api_share_device_cancel, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/password-reset", sls_api_password_reset_request, PUB, NULL},
    {"POST", "/v1/password-reset/complete", sls_api_password_reset_complete, PUB | HASHING, NULL},
    {"GET", "/", sls_api_portal_page, PUB, NULL},
    {"GET", "/assets/{}", sls_api_portal_asset, PUB, NULL},
    {"GET", "/healthz", sls_api_healthz, PUB | OPEN, NULL},
    {"GET", "/metrics", sls_api_metrics, ADM, NULL},
    {"GET", "/v1/dev/clock", sls_api_dev_clock_get, DEV, NULL},
    {"POST", "/v1/dev/clock", sls_api_dev_clock_set, DEV, NULL},
    {"GET", "/v1/dev/outbox", sls_api_dev_outbox, DEV, NULL},
    {"POST", "/v1/admin/users", sls_api_admin_user_create, ADM, NULL},
    {"POST", "/v1/admin/users/import", sls_api_admin_user_import, ADM | LINES, NULL},
    {"GET", "/v1/admin/users/{}", sls_api_admin_user_get, ADM, NULL},
    {"POST", "/v1/admin/users/{}/devices", admin_devices_post, ADM, NULL},
    {"POST", "/v1/admin/users/{}/devices/{}/lost", sls_api_admin_device_lost, ADM, NULL},
    {"POST", "/v1/admin/users/{}/devices/{}/pin-reset", sls_api_admin_pin_reset, ADM, NULL},
    {"POST", "/v1/admin/users/{}/devices/{}/returned", sls_api_admin_device_returned, ADM, NULL},
    {"POST", "/v1/admin/device-stock", sls_api_admin_stock_import, ADM | PSKC, NULL},
    {"GET", "/v1/admin/device-stock", sls_api_admin_stock_list, ADM, NULL},
    {"GET", "/v1/admin/dsc-plus-orders", sls_api_admin_dsc_plus_orders, ADM, NULL},
    {"GET", "/v1/admin/sharing-requests", sls_api_admin_sharing_list, ADM, NULL},
    {"POST", "/v1/admin/sharing-requests/{}/approve", sls_api_admin_sharing_approve, ADM, NULL},
    {"POST", "/v1/admin/sharing-requests/{}/deny", sls_api_admin_sharing_deny, ADM, NULL},
    {"POST", "/v1/admin/users/{}/identity-verifications", sls_api_admin_identity_verify, ADM, NULL},
    {"POST", "/v1/admin/users/{}/unlock", sls_api_admin_unlock, ADM, NULL},
    {"POST", "/v1/admin/users/{}/temporary-passcode", sls_api_admin_temp_passcode, ADM, NULL},
    {"POST", "/v1/admin/users/{}/password-reset", sls_api_admin_password_reset, ADM, NULL},
    {"POST", "/v1/admin/users/{}/account", sls_api_admin_account, ADM, NULL},
    {"GET", "/v1/admin/reviews", sls_api_admin_review_list, ADM, NULL},
    {"POST", "/v1/admin/reviews/{}/approve", sls_api_admin_review_approve, ADM, NULL},
    {"POST", "/v1/admin/reviews/{}/deny", sls_api_admin_review_deny, ADM, NULL},
    {"GET", "/v1/admin/audit", sls_api_admin_audit, ADM, NULL},
    {"GET", "/v1/admin/audit/verify", sls_api_admin_audit_verify, ADM, NULL},
    {"POST", "/v1/admin/documents", sls_api_admin_document_ingest, ADM | MESSAGE, NULL},
    {"GET", "/v1/admin/documents", sls_api_admin_document_list, ADM, NULL},
    {"GET", "/v1/admin/documents/rejections", sls_api_admin_document_rejections, ADM, NULL},
    {"GET", "/v1/admin/documents/{}", sls_api_admin_document_content, ADM, NULL},
    {"POST", "/v1/me/totp", sls_api_totp_enrol, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/me/totp/{}/confirm", sls_api_totp_confirm, PUB | FULL, NULL},
    {"POST", "/v1/me/passkeys/options", sls_api_passkey_options, PUB | FULL | STEP_UP, NULL},
    {"POST", "/v1/me/passkeys", sls_api_passkey_register, PUB | FULL, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
