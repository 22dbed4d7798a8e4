/* R3, R29 password reset codes: a code sent to the e-mail on record lets the
 * user set a new password without the old one. A code issued by the service
 * desk (after an identity verification, R40) needs nothing more; one the user
 * asked for also needs a device response (R3). A code works until it expires,
 * once, and only while fewer than the allowed wrong guesses were made. */
#ifndef SLS_CORE_PASSWORD_RESET_H
#define SLS_CORE_PASSWORD_RESET_H

#include <stddef.h>

#include "time.h"

#define SLS_RESET_CODE_LEN          8 /* digits */
#define SLS_RESET_CODE_MAX_ATTEMPTS 5 /* wrong codes before the code is void */

enum sls_reset_verdict {
    SLS_RESET_USABLE = 0,
    SLS_RESET_EXPIRED,   /* now >= expires_at */
    SLS_RESET_EXHAUSTED, /* attempts >= max_attempts */
};

/* Whether a code expiring at `expires_at` after `attempts` wrong guesses may
 * still be tried at `now`. Half-open: usable while now < expires_at. */
enum sls_reset_verdict sls_reset_code_check(sls_time expires_at, int attempts, int max_attempts,
                                            sls_time now);

/* Masks an e-mail address for display to an agent or a caller:
 * "alice@example.com" -> "a***@example.com". Writes "" when the address has
 * no '@' or out is too small. */
void sls_email_mask(const char *email, char *out, size_t outlen);

#endif
