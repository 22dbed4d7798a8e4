/* The one error enum of sls, with the API code, HTTP status and message of each.
 *
 * 0 is success. Verdicts (accepted, rejected, locked) are not errors: the core
 * returns them as values; these codes are what a caller reports to a client. */
#ifndef SLS_CORE_ERROR_H
#define SLS_CORE_ERROR_H

enum sls_err {
    SLS_OK = 0,
    SLS_ERR_BAD_REQUEST,           /* 400 bad_request: malformed or missing field */
    SLS_ERR_BAD_JSON,              /* 400 bad_json: body is not valid JSON */
    SLS_ERR_BAD_CHARACTER,         /* 400 bad_character: R1 */
    SLS_ERR_INVALID_USERNAME,      /* 400 invalid_username: R1 length / case at creation */
    SLS_ERR_WEAK_PASSWORD,         /* 400 weak_password: R2 */
    SLS_ERR_INVALID_CREDENTIALS,   /* 401 invalid_credentials: R5 */
    SLS_ERR_LOGIN_FAILED,          /* 401 login_failed: R6 */
    SLS_ERR_UNAUTHORIZED,          /* 401 unauthorized: missing/invalid bearer token */
    SLS_ERR_LOCKED,                /* 403 locked: R8 */
    SLS_ERR_PLATFORM_NOT_ALLOWED,  /* 403 platform_not_allowed: R12 */
    SLS_ERR_NO_ACTIVE_DEVICE,      /* 403 no_active_device */
    SLS_ERR_FORBIDDEN,             /* 403 forbidden */
    SLS_ERR_IDENTITY_NOT_VERIFIED, /* 403 identity_not_verified: R40 */
    SLS_ERR_NOT_FOUND,             /* 404 not_found */
    SLS_ERR_METHOD_NOT_ALLOWED,    /* 405 method_not_allowed */
    SLS_ERR_CONFLICT,              /* 409 conflict: already exists / changed concurrently */
    SLS_ERR_TOO_LARGE,             /* 413 too_large */
    SLS_ERR_UNSUPPORTED_MEDIA,     /* 415 unsupported_media_type */
    SLS_ERR_INTERNAL,              /* 500 internal */
    SLS_ERR_STORE,                 /* 500 store_error */
    SLS_ERR_NOMEM,                 /* 500 out_of_memory */
    SLS_ERR_ONLINE_CARD_ONLY,      /* 403 online_card_only: R11 temporary passcode days 2-12 */
    SLS_ERR_VERIFICATION_FAILED,   /* 403 verification_failed: a device response inside a session */
    SLS_ERR_INVALID_CODE,          /* 400 invalid_code: wrong, used or expired e-mailed code */
    SLS_ERR_REJECTED,              /* 422 rejected: R50 document intake refused the message */
    SLS_ERR_STEP_UP_REQUIRED,      /* 403 step_up_required: R34 verify with a device first */
    SLS_ERR_LIMIT_EXCEEDED,        /* 403 limit_exceeded: R33 withdrawal over the limit */
    SLS_ERR_DEPOSIT_LIMIT,         /* 403 deposit_limit: R31 ACH/EFT cap outside SLS */
    SLS_ERR_NOT_PRIMARY_USER,      /* 403 not_primary_user: R30 security settings */
    SLS_ERR_NOT_ELIGIBLE, /* 403 not_eligible: R21 a DSC+ order without equity or replacement */
    SLS_ERR_DIFFERENT_IDENTIFICATION,  /* 403 different_identification: R32 */
    SLS_ERR_TEMPORARY_DEVICE_ASSIGNED, /* 409 temporary_device_assigned: R32 */
    SLS_ERR_LESS_SECURE_DEVICE,        /* 409 less_secure_device: R32 */
    SLS_ERR_IBKEY_NOT_SHAREABLE,       /* 409 ibkey_not_shareable: R32 */
    SLS_ERR_PHONE_NOT_ON_RECORD,       /* 403 phone_not_on_record: §10.3 activation */
    SLS_ERR_WRONG_NUMBER,              /* 403 wrong_number: §10.3 push number matching */
    SLS_ERR_TOO_MANY_REQUESTS,         /* 429 too_many_requests: SPEC §10.2 throttling */
    SLS_ERR_TOO_BUSY,                  /* 503 too_busy: SPEC §10.2 every worker busy, queue full */
    SLS_ERR_STORE_UNAVAILABLE, /* 503 store_unavailable: the store cannot write or be reached */
    SLS_ERR__COUNT
};

/* API error code string, e.g. "bad_character". Never NULL; unknown codes map to "internal". */
const char *sls_err_code(int err);

/* Human message, e.g. "BAD CHARACTER". Never NULL. */
const char *sls_err_message(int err);

/* HTTP status to answer with. */
int sls_err_http_status(int err);

#endif
