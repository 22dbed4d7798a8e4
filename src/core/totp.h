/* The TOTP device (SPEC §10.4): a standard authenticator app that shows
 * RFC 6238 codes (HMAC-SHA1, 6 digits, 30-second steps from the Unix epoch).
 * A code is taken from the step of `now` or one step either side, and each
 * step is accepted once: the device keeps the last step it accepted, and a
 * code of that step or an earlier one is refused (a replay), like the other
 * single-use answers (R9, R25). Which steps may still be typed is decided
 * here; the codes are computed by crypto/otp.h and the last step is moved
 * forward by compare-and-swap in the store, so that of two requests racing
 * with one code only one passes. */
#ifndef SLS_CORE_TOTP_H
#define SLS_CORE_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "time.h"

#define SLS_TOTP_PERIOD         30 /* seconds per step */
#define SLS_TOTP_DIGITS         6
#define SLS_TOTP_WINDOW         1  /* steps accepted either side of now's */
#define SLS_TOTP_SECRET_LEN     20 /* bytes of a secret the server makes (RFC 4226 §4) */
#define SLS_TOTP_CANDIDATES_MAX (2 * SLS_TOTP_WINDOW + 1)

/* A pending enrolment waits this long for its first code by default
 * ([policy] totp_enrol_ttl). */
#define SLS_TOTP_ENROL_TTL_DEFAULT (10 * SLS_MINUTE)

/* The step of `now`: floor(now / 30), also for times before the epoch. */
int64_t sls_totp_step_of(sls_time now);

/* The steps a code typed at `now` may come from, oldest first, leaving out
 * every step <= last_accepted (0: none accepted yet; step 0, the first 30
 * seconds of 1970, is never accepted). Writes at most
 * SLS_TOTP_CANDIDATES_MAX steps into out and returns how many. */
size_t sls_totp_candidates(sls_time now, int64_t last_accepted,
                           int64_t out[SLS_TOTP_CANDIDATES_MAX]);

#endif
