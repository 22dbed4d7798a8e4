/* R3, R29 password reset codes: a code sent to the e-mail on record lets the
 * user set a new password without the old one. A code issued by the service
 * desk (after an identity verification, R40) needs nothing more; one the user
 * asked for also needs a device response (R3). A code works until it expires,
 * once, and only while fewer than the allowed wrong guesses were made. */
#ifndef SLS_CORE_PASSWORD_RESET_H
#define SLS_CORE_PASSWORD_RESET_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"
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

/* What a self-service request (R3) does about the user's previous code. */
enum sls_reset_request_verdict {
    SLS_RESET_REQUEST_ISSUE = 0, /* send a new code, replacing any previous one */
    SLS_RESET_REQUEST_KEEP_DESK, /* a usable code from the service desk stays; send nothing */
};

/* The previous code of a user, as far as a new request cares. */
struct sls_reset_previous {
    bool exists;
    bool by_desk; /* issued by an agent */
    sls_time expires_at;
    int attempts;
    sls_time issued_at;
};

/* Decides a self-service request at `now` given the previous code. On
 * SLS_RESET_REQUEST_ISSUE *attempts is the wrong-guess count the new code
 * starts with: a previous code still live (now < expires_at) hands on its
 * count, so asking again never buys more guesses; otherwise 0. */
enum sls_reset_request_verdict sls_reset_request_check(const struct sls_reset_previous *prev,
                                                       int max_attempts, sls_time now,
                                                       int *attempts);

/* SPEC §10.2 [throttle] reset_interval: true when a code was sent to the
 * user less than `interval` ago (now < issued_at + interval), so a new
 * request sends nothing. Whoever sent it, the user or the service desk. */
bool sls_reset_request_too_soon(const struct sls_reset_previous *prev, sls_time interval,
                                sls_time now);

/* R3: whether a device of this type in this state answers a self-service
 * reset: an active permanent device that is challenged with a challenge (a
 * challenge/response card, a code card, or the ibkey through its
 * challenge/response fallback). SMS codes, temporary passcodes and online
 * cards do not qualify. The reset asks the strongest such device. */
bool sls_reset_device_ok(enum sls_device_type type, enum sls_device_state state);

/* Masks an e-mail address for display to an agent or a caller:
 * "alice@example.com" -> "a***@example.com". Writes "" when the address has
 * no '@' or out is too small. */
void sls_email_mask(const char *email, char *out, size_t outlen);

#endif
