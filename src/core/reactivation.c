/* R28 reactivation rules; see reactivation.h. */
#include "reactivation.h"

enum sls_reactivation_verdict sls_reactivation_check(enum sls_device_type type,
                                                     enum sls_device_state state)
{
    enum sls_challenge_kind kind;

    if (!sls_device_is_permanent(type)) {
        return SLS_REACTIVATION_NOT_PERMANENT;
    }
    if (state == SLS_DEVSTATE_LOST) {
        return SLS_REACTIVATION_LOST;
    }
    if (state == SLS_DEVSTATE_RETURNED) {
        return SLS_REACTIVATION_RETURNED;
    }
    kind = sls_device_challenge_kind(type);
    /* The ibkey answers its manual challenge/response fallback here, an SMS
     * device a code sent to it, an authenticator app its current code, a
     * passkey an assertion (SPEC §10.5). */
    if (kind != SLS_CHALLENGE_RESPONSE && kind != SLS_CHALLENGE_CARD &&
        kind != SLS_CHALLENGE_PUSH && kind != SLS_CHALLENGE_CODE &&
        kind != SLS_CHALLENGE_APP_CODE && kind != SLS_CHALLENGE_WEBAUTHN) {
        return SLS_REACTIVATION_NO_CHALLENGE;
    }
    return SLS_REACTIVATION_ALLOWED;
}

enum sls_reactivation_verdict
sls_reactivation_request(enum sls_device_type type, enum sls_device_state state, bool shared_away)
{
    enum sls_reactivation_verdict v = sls_reactivation_check(type, state);

    if (v == SLS_REACTIVATION_ALLOWED && shared_away && state == SLS_DEVSTATE_INACTIVE)
        return SLS_REACTIVATION_SHARED_AWAY;
    return v;
}

bool sls_reactivation_revokes(enum sls_device_type type, enum sls_device_state state)
{
    return (type == SLS_DEVICE_TEMP_PASSCODE || type == SLS_DEVICE_ONLINE_CARD) &&
           (state == SLS_DEVSTATE_ACTIVE || state == SLS_DEVSTATE_SHIPPED);
}
