/* The keys of one-time secrets; see secret_key.h. */
#include "server/flows/secret_key.h"

#include <inttypes.h>
#include <stdio.h>

static const char *const prefixes[SLS_SECRET__COUNT] = {
    [SLS_SECRET_LOGIN_CODE] = "login",      [SLS_SECRET_ACTIVATION] = "activation",
    [SLS_SECRET_SMS_ENROLL] = "sms-enroll", [SLS_SECRET_PHONE_ADD] = "phone-add",
    [SLS_SECRET_EMAIL_CONFIRM] = "email",   [SLS_SECRET_CARD_ACTIVATION] = "activate",
    [SLS_SECRET_REACTIVATE] = "reactivate", [SLS_SECRET_STEP_UP] = "verify",
    [SLS_SECRET_OPT_IN] = "optin",          [SLS_SECRET_SHARING] = "share",
    [SLS_SECRET_RESET_CHALLENGE] = "reset", [SLS_SECRET_RESET_CODE] = "reset-code",
    [SLS_SECRET_TOTP_ENROL] = "totp-enrol", [SLS_SECRET_PASSKEY_ENROL] = "passkey-enrol",
};

void sls_secret_key(char *out, size_t len, enum sls_secret_for what, const char *subject)
{
    const char *p = (unsigned)what < SLS_SECRET__COUNT ? prefixes[what] : "unknown";

    snprintf(out, len, "%s:%s", p, subject);
}

void sls_secret_key_user(char *out, size_t len, enum sls_secret_for what, int64_t user_id)
{
    char id[24];

    snprintf(id, sizeof(id), "%" PRId64, user_id);
    sls_secret_key(out, len, what, id);
}
