/* The keys of one-time secrets (store.h, struct sls_secret_rec), all in one
 * place: "<what it is for>:<whom>". The prefix also names a code's message
 * kind in the outbox ("code.<prefix>", flows/one_time_code.h), so a prefix
 * never changes once used; two purposes never share one, so no secret
 * replaces another's. A secret may hold a device challenge and the code of
 * that challenge together (an SMS device's challenge, the device challenge
 * of an app activation): one key, taken once. */
#ifndef SLS_SERVER_FLOWS_SECRET_KEY_H
#define SLS_SERVER_FLOWS_SECRET_KEY_H

#include <stddef.h>
#include <stdint.h>

enum sls_secret_for {
    SLS_SECRET_LOGIN_CODE,    /* "login:<login id>": R25 the code of an SMS login */
    SLS_SECRET_ACTIVATION,    /* "activation:<id>": R20 app activation code (+ device challenge) */
    SLS_SECRET_SMS_ENROLL,    /* "sms-enroll:<user id>": R30 SMS device enrolment code */
    SLS_SECRET_PHONE_ADD,     /* "phone-add:<user id>": a mobile number's confirmation code */
    SLS_SECRET_EMAIL_CONFIRM, /* "email:<user id>": R4 e-mail change confirmation */
    SLS_SECRET_CARD_ACTIVATION, /* "activate:<card id>": R27 online card activation */
    SLS_SECRET_REACTIVATE,      /* "reactivate:<session hash>": R28 */
    SLS_SECRET_STEP_UP,         /* "verify:<session hash>": R34 */
    SLS_SECRET_OPT_IN,          /* "optin:<session hash>": R30 opt-in */
    SLS_SECRET_SHARING,         /* "share:<session hash>": R32 */
    SLS_SECRET_RESET_CHALLENGE, /* "reset:<user id>": R3 the device challenge of a reset */
    SLS_SECRET_RESET_CODE,      /* "reset-code:<user id>": R3, R29 the reset code */
    SLS_SECRET_TOTP_ENROL, /* "totp-enrol:<user id>": §10.4 an authenticator app's sealed secret */
    /* "passkey-enrol:<session hash>": §10.5 a passkey registration's sealed challenge */
    SLS_SECRET_PASSKEY_ENROL,
    SLS_SECRET__COUNT
};

/* The key of `what` for subject (an id or a hash) into out (len bytes). */
void sls_secret_key(char *out, size_t len, enum sls_secret_for what, const char *subject);
/* The key of `what` for a user id into out (len bytes). */
void sls_secret_key_user(char *out, size_t len, enum sls_secret_for what, int64_t user_id);

#endif
