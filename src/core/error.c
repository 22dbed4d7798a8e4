/* The table behind enum sls_err: API code, HTTP status and message of every error. */
#include "error.h"

#include <stddef.h>

struct err_entry {
    const char *code;
    int status;
    const char *message;
};

static const struct err_entry entries[SLS_ERR__COUNT] = {
    [SLS_OK] = {"ok", 200, "OK"},
    [SLS_ERR_BAD_REQUEST] = {"bad_request", 400, "Malformed request or missing field"},
    [SLS_ERR_BAD_JSON] = {"bad_json", 400, "Request body is not valid JSON"},
    [SLS_ERR_BAD_CHARACTER] = {"bad_character", 400, "BAD CHARACTER"},
    [SLS_ERR_INVALID_USERNAME] = {"invalid_username", 400,
                                  "User name must be 3 to 32 lower-case letters and digits"},
    [SLS_ERR_WEAK_PASSWORD] = {"weak_password", 400,
                               "Password must be 6 to 40 characters with at least one letter "
                               "and one digit"},
    [SLS_ERR_INVALID_CREDENTIALS] = {"invalid_credentials", 401,
                                     "Invalid user name password combination"},
    [SLS_ERR_LOGIN_FAILED] = {"login_failed", 401, "Login failed"},
    [SLS_ERR_UNAUTHORIZED] = {"unauthorized", 401, "Missing or invalid bearer token"},
    [SLS_ERR_LOCKED] = {"locked", 403, "Account locked after too many failed login attempts"},
    [SLS_ERR_PLATFORM_NOT_ALLOWED] = {"platform_not_allowed", 403, "Platform not allowed"},
    [SLS_ERR_NO_ACTIVE_DEVICE] = {"no_active_device", 403,
                                  "No active security device: please call the service desk"},
    [SLS_ERR_FORBIDDEN] = {"forbidden", 403, "Not allowed"},
    [SLS_ERR_IDENTITY_NOT_VERIFIED] = {"identity_not_verified", 403,
                                       "Caller identity must be verified by this agent in the "
                                       "last 15 minutes"},
    [SLS_ERR_NOT_FOUND] = {"not_found", 404, "Not found"},
    [SLS_ERR_METHOD_NOT_ALLOWED] = {"method_not_allowed", 405, "Method not allowed"},
    [SLS_ERR_CONFLICT] = {"conflict", 409, "Conflict with the current state"},
    [SLS_ERR_TOO_LARGE] = {"too_large", 413, "Request too large"},
    [SLS_ERR_UNSUPPORTED_MEDIA] = {"unsupported_media_type", 415, "Unsupported media type"},
    [SLS_ERR_INTERNAL] = {"internal", 500, "Internal error"},
    [SLS_ERR_STORE] = {"store_error", 500, "Storage error"},
    [SLS_ERR_NOMEM] = {"out_of_memory", 500, "Out of memory"},
    [SLS_ERR_ONLINE_CARD_ONLY] = {"online_card_only", 403,
                                  "This session may only print and activate an online security "
                                  "card (temporary passcode access)"},
    [SLS_ERR_VERIFICATION_FAILED] = {"verification_failed", 403,
                                     "The security device response is not correct"},
    [SLS_ERR_INVALID_CODE] = {"invalid_code", 400, "Invalid or expired code"},
    [SLS_ERR_REJECTED] = {"rejected", 422, "The message was rejected"},
    [SLS_ERR_STEP_UP_REQUIRED] = {"step_up_required", 403,
                                  "Confirm this change with a response from your security device"},
    [SLS_ERR_LIMIT_EXCEEDED] = {"limit_exceeded", 403,
                                "The amount is over the withdrawal limit of your security "
                                "device"},
    [SLS_ERR_DEPOSIT_LIMIT] = {"deposit_limit", 403,
                               "ACH and EFT deposits are capped at USD 20,000 in total outside the "
                               "Secure Login System"},
    [SLS_ERR_NOT_PRIMARY_USER] = {"not_primary_user", 403,
                                  "Only the primary user of the account may change its security "
                                  "settings"},
    [SLS_ERR_NOT_ELIGIBLE] =
        {"not_eligible", 403,
         "A Digital Security Card+ is available with equity of USD 1,000,000 "
         "or more, or to replace a lost or broken DSC+, Platinum or Gold card"},
    [SLS_ERR_DIFFERENT_IDENTIFICATION] = {"different_identification", 403,
                                          "Different identification information"},
    [SLS_ERR_TEMPORARY_DEVICE_ASSIGNED] = {"temporary_device_assigned", 409,
                                           "A temporary security device is assigned"},
    [SLS_ERR_LESS_SECURE_DEVICE] = {"less_secure_device", 409, "Less secure device"},
    [SLS_ERR_IBKEY_NOT_SHAREABLE] = {"ibkey_not_shareable", 409,
                                     "The mobile authenticator is not shared this way"},
    [SLS_ERR_PHONE_NOT_ON_RECORD] = {"phone_not_on_record", 403,
                                     "The activation code goes only to a mobile number on "
                                     "record"},
    [SLS_ERR_WRONG_NUMBER] = {"wrong_number", 403,
                              "The number typed is not the one shown: the request is denied"},
    [SLS_ERR_TOO_MANY_REQUESTS] = {"too_many_requests", 429,
                                   "Too many requests: try again in a moment"},
    [SLS_ERR_TOO_BUSY] = {"too_busy", 503, "The server is too busy: try again in a moment"},
    [SLS_ERR_STORE_UNAVAILABLE] = {"store_unavailable", 503,
                                   "The store cannot save or read right now: try again in a "
                                   "moment"},
};

/* The entry of err, or that of SLS_ERR_INTERNAL when err is out of range. */
static const struct err_entry *lookup(int err)
{
    if (err < 0 || err >= SLS_ERR__COUNT || entries[err].code == NULL) {
        return &entries[SLS_ERR_INTERNAL];
    }
    return &entries[err];
}

const char *sls_err_code(int err)
{
    return lookup(err)->code;
}

const char *sls_err_message(int err)
{
    return lookup(err)->message;
}

int sls_err_http_status(int err)
{
    return lookup(err)->status;
}
