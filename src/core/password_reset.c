/* R3, R29 password reset codes; see password_reset.h. */
#include "password_reset.h"

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
