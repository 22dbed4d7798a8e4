/* R3, R29 password reset codes; see password_reset.h. */
#include "password_reset.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

enum sls_reset_verdict sls_reset_code_check(sls_time expires_at, int attempts, int max_attempts,
                                            sls_time now)
{
    if (attempts >= max_attempts) {
        return SLS_RESET_EXHAUSTED;
    }
    if (now >= expires_at) {
        return SLS_RESET_EXPIRED;
    }
    return SLS_RESET_USABLE;
}

enum sls_reset_request_verdict sls_reset_request_check(const struct sls_reset_previous *prev,
                                                       int max_attempts, sls_time now,
                                                       int *attempts)
{
    bool live = prev != NULL && prev->exists && now < prev->expires_at;

    *attempts = 0;
    if (!live) {
        return SLS_RESET_REQUEST_ISSUE;
    }
    if (prev->by_desk && prev->attempts < max_attempts) {
        return SLS_RESET_REQUEST_KEEP_DESK;
    }
    *attempts = prev->attempts;
    return SLS_RESET_REQUEST_ISSUE;
}

/* Devices that answer a challenge the user can type in: not the SMS code,
 * which needs a message of its own. */
static bool answers_reset(enum sls_device_type t)
{
    enum sls_challenge_kind k = sls_device_challenge_kind(t);

    return sls_device_is_permanent(t) &&
           (k == SLS_CHALLENGE_RESPONSE || k == SLS_CHALLENGE_CARD || k == SLS_CHALLENGE_PUSH);
}

int sls_reset_device_pick(const struct sls_device_brief *devs, size_t n)
{
    int best = -1;
    int best_strength = 0;

    if (devs == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n && i <= (size_t)INT_MAX; i++) {
        int strength;
        if (devs[i].state != SLS_DEVSTATE_ACTIVE || !answers_reset(devs[i].type)) {
            continue;
        }
        strength = sls_device_strength(devs[i].type);
        if (strength > best_strength) {
            best = (int)i;
            best_strength = strength;
        }
    }
    return best;
}

void sls_email_mask(const char *email, char *out, size_t outlen)
{
    const char *at = email != NULL ? strchr(email, '@') : NULL;
    int n;

    if (outlen == 0) {
        return;
    }
    out[0] = '\0';
    if (at == NULL || at == email) {
        return;
    }
    n = snprintf(out, outlen, "%c***%s", email[0], at);
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
    }
}
