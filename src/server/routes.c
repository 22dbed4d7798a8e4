/* The route table: every path slsd answers, on which listener, by which handler. */
#include "api.h"

#define PUB     SLS_ROUTE_PUBLIC
#define ADM     SLS_ROUTE_ADMIN
#define OPEN    SLS_ROUTE_OPEN
#define DEV     (SLS_ROUTE_PUBLIC | SLS_ROUTE_DEV)
#define MESSAGE SLS_ROUTE_MESSAGE

const struct sls_route sls_api_routes[] = {
    {"POST", "/v1/login", sls_api_login, PUB},
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
    {"POST", "/v1/me/dsc-plus", sls_api_dsc_plus_order, PUB},
    {"GET", "/v1/me/dsc-plus", sls_api_dsc_plus_list, PUB},
    {"POST", "/v1/me/devices/{}/pin", sls_api_device_pin, PUB},
    {"POST", "/v1/me/share-device", sls_api_share_device, PUB},
    {"DELETE", "/v1/me/share-device", sls_api_share_device_cancel, PUB},
    {"POST", "/v1/password-reset/complete", sls_api_password_reset_complete, PUB},
    {"GET", "/healthz", sls_api_healthz, PUB | OPEN},
    {"GET", "/metrics", sls_api_metrics, OPEN},
    {"GET", "/v1/dev/clock", sls_api_dev_clock_get, DEV},
    {"POST", "/v1/dev/clock", sls_api_dev_clock_set, DEV},
    {"GET", "/v1/dev/outbox", sls_api_dev_outbox, DEV},
    {"POST", "/v1/admin/users", sls_api_admin_user_create, ADM},
    {"GET", "/v1/admin/users/{}", sls_api_admin_user_get, ADM},
    {"POST", "/v1/admin/users/{}/devices", sls_api_admin_device_add, ADM},
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
    {"GET", "/v1/admin/audit", sls_api_admin_audit, ADM},
    {"GET", "/v1/admin/audit/verify", sls_api_admin_audit_verify, ADM},
    {"POST", "/v1/admin/documents", sls_api_admin_document_ingest, ADM | MESSAGE},
    {"GET", "/v1/admin/documents", sls_api_admin_document_list, ADM},
    {"GET", "/v1/admin/documents/rejections", sls_api_admin_document_rejections, ADM},
    {"GET", "/v1/admin/documents/{}", sls_api_admin_document_content, ADM},
    {NULL, NULL, NULL, 0},
};
