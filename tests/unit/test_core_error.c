/* Tests of src/core/error.c: every error code has a code, a message and a status. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/error.h"

struct err_case {
    int err;
    const char *code;
    int status;
    const char *message; /* NULL: only checked non-empty */
};

static const struct err_case cases[] = {
    {SLS_OK, "ok", 200, NULL},
    {SLS_ERR_BAD_REQUEST, "bad_request", 400, NULL},
    {SLS_ERR_BAD_JSON, "bad_json", 400, NULL},
    {SLS_ERR_BAD_CHARACTER, "bad_character", 400, "BAD CHARACTER"},
    {SLS_ERR_INVALID_USERNAME, "invalid_username", 400, NULL},
    {SLS_ERR_WEAK_PASSWORD, "weak_password", 400, NULL},
    {SLS_ERR_INVALID_CREDENTIALS, "invalid_credentials", 401,
     "Invalid user name password combination"},
    {SLS_ERR_LOGIN_FAILED, "login_failed", 401, "Login failed"},
    {SLS_ERR_UNAUTHORIZED, "unauthorized", 401, NULL},
    {SLS_ERR_LOCKED, "locked", 403, "Account locked after too many failed login attempts"},
    {SLS_ERR_PLATFORM_NOT_ALLOWED, "platform_not_allowed", 403, "Platform not allowed"},
    {SLS_ERR_NO_ACTIVE_DEVICE, "no_active_device", 403,
     "No active security device: please call the service desk"},
    {SLS_ERR_FORBIDDEN, "forbidden", 403, NULL},
    {SLS_ERR_IDENTITY_NOT_VERIFIED, "identity_not_verified", 403,
     "Caller identity must be verified by this agent in the last 15 minutes"},
    {SLS_ERR_NOT_FOUND, "not_found", 404, NULL},
    {SLS_ERR_METHOD_NOT_ALLOWED, "method_not_allowed", 405, NULL},
    {SLS_ERR_CONFLICT, "conflict", 409, NULL},
    {SLS_ERR_TOO_LARGE, "too_large", 413, NULL},
    {SLS_ERR_UNSUPPORTED_MEDIA, "unsupported_media_type", 415, NULL},
    {SLS_ERR_INTERNAL, "internal", 500, NULL},
    {SLS_ERR_STORE, "store_error", 500, NULL},
    {SLS_ERR_NOMEM, "out_of_memory", 500, NULL},
    {SLS_ERR_ONLINE_CARD_ONLY, "online_card_only", 403,
     "This session may only print and activate an online security card (temporary passcode "
     "access)"},
    {SLS_ERR_VERIFICATION_FAILED, "verification_failed", 403,
     "The security device response is not correct"},
    {SLS_ERR_INVALID_CODE, "invalid_code", 400, "Invalid or expired code"},
    {SLS_ERR_REJECTED, "rejected", 422, "The message was rejected"},
    {SLS_ERR_STEP_UP_REQUIRED, "step_up_required", 403,
     "Confirm this change with a response from your security device"},
    {SLS_ERR_LIMIT_EXCEEDED, "limit_exceeded", 403,
     "The amount is over the withdrawal limit of your security device"},
    {SLS_ERR_DEPOSIT_LIMIT, "deposit_limit", 403,
     "ACH and EFT deposits are capped at USD 20,000 in total outside the Secure Login System"},
    {SLS_ERR_NOT_PRIMARY_USER, "not_primary_user", 403,
     "Only the primary user of the account may change its security settings"},
    {SLS_ERR_NOT_ELIGIBLE, "not_eligible", 403,
     "A Digital Security Card+ is available with equity of USD 1,000,000 or more, or to replace "
     "a lost or broken DSC+, Platinum or Gold card"},
    {SLS_ERR_DIFFERENT_IDENTIFICATION, "different_identification", 403,
     "Different identification information"},
    {SLS_ERR_TEMPORARY_DEVICE_ASSIGNED, "temporary_device_assigned", 409,
     "A temporary security device is assigned"},
    {SLS_ERR_LESS_SECURE_DEVICE, "less_secure_device", 409, "Less secure device"},
    {SLS_ERR_IBKEY_NOT_SHAREABLE, "ibkey_not_shareable", 409,
     "The mobile authenticator is not shared this way"},
    {SLS_ERR_PHONE_NOT_ON_RECORD, "phone_not_on_record", 403,
     "The activation code goes only to a mobile number on record"},
    {SLS_ERR_WRONG_NUMBER, "wrong_number", 403,
     "The number typed is not the one shown: the request is denied"},
    {SLS_ERR_TOO_MANY_REQUESTS, "too_many_requests", 429,
     "Too many requests: try again in a moment"},
    {SLS_ERR_TOO_BUSY, "too_busy", 503, "The server is too busy: try again in a moment"},
    {SLS_ERR_STORE_UNAVAILABLE, "store_unavailable", 503,
     "The store cannot save or read right now: try again in a moment"},
};

static void test_table_covers_enum(void **state)
{
    (void)state;
    assert_int_equal(sizeof cases / sizeof cases[0], SLS_ERR__COUNT);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(cases[i].err, (int)i);
    }
}

static void test_expected_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct err_case *c = &cases[i];
        assert_string_equal(sls_err_code(c->err), c->code);
        assert_int_equal(sls_err_http_status(c->err), c->status);
        if (c->message != NULL) {
            assert_string_equal(sls_err_message(c->err), c->message);
        }
    }
}

static void test_every_code_complete(void **state)
{
    (void)state;
    for (int e = 0; e < SLS_ERR__COUNT; e++) {
        const char *code = sls_err_code(e);
        const char *msg = sls_err_message(e);
        int status = sls_err_http_status(e);
        assert_non_null(code);
        assert_non_null(msg);
        assert_true(strlen(code) > 0);
        assert_true(strlen(msg) > 0);
        assert_true(status >= 200 && status <= 599);
        if (e != SLS_OK) {
            assert_true(status >= 400);
        }
    }
}

static void test_codes_unique(void **state)
{
    (void)state;
    for (int a = 0; a < SLS_ERR__COUNT; a++) {
        for (int b = a + 1; b < SLS_ERR__COUNT; b++) {
            assert_string_not_equal(sls_err_code(a), sls_err_code(b));
        }
    }
}

static void test_out_of_range(void **state)
{
    (void)state;
    static const int bad[] = {-1, -1000, SLS_ERR__COUNT, SLS_ERR__COUNT + 1, 1 << 30};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_string_equal(sls_err_code(bad[i]), "internal");
        assert_int_equal(sls_err_http_status(bad[i]), 500);
        assert_string_equal(sls_err_message(bad[i]), sls_err_message(SLS_ERR_INTERNAL));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_covers_enum),   cmocka_unit_test(test_expected_values),
        cmocka_unit_test(test_every_code_complete), cmocka_unit_test(test_codes_unique),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
