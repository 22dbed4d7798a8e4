/* R8: lockout after consecutive failed logins.
 *
 * An account with max_failures consecutive failed attempts (stage 1 or 2) whose
 * first and last lie within `window` seconds (strictly less apart than window)
 * is locked. While locked every attempt is refused and counts as a failure.
 * The lock lasts until lock_duration seconds have passed since the last
 * unsuccessful attempt: locked iff now < last_failure + lock_duration.
 * A successful login (both stages) clears the record. */
#ifndef SLS_CORE_LOCKOUT_H
#define SLS_CORE_LOCKOUT_H

#include <stdbool.h>
#include "time.h"

#define SLS_LOCKOUT_MAX_TRACKED 64

struct sls_lockout_policy {
    int max_failures;       /* default 10; 1..SLS_LOCKOUT_MAX_TRACKED */
    sls_time window;        /* default 24 h */
    sls_time lock_duration; /* default 24 h */
};

struct sls_lockout_state {
    int nfail;                                 /* consecutive failures kept, <= max_failures */
    sls_time fail_at[SLS_LOCKOUT_MAX_TRACKED]; /* their times, oldest first */
    sls_time locked_until;                     /* 0 when never locked */
};

/* Fills the defaults (10, 24 h, 24 h). */
void sls_lockout_policy_default(struct sls_lockout_policy *p);

/* True while the account is locked at `now`. */
bool sls_lockout_is_locked(const struct sls_lockout_state *s, sls_time now);

/* Records a failed attempt at `now` (including one refused because of the
 * lock). Keeps only the most recent max_failures times. Returns true when the
 * account is locked after this attempt; sets s->locked_until accordingly. */
bool sls_lockout_record_failure(struct sls_lockout_state *s, const struct sls_lockout_policy *p,
                                sls_time now);

/* Records a successful login: clears failures and lock. */
void sls_lockout_record_success(struct sls_lockout_state *s);

/* Encodes the state as text for storage ("locked_until;t1,t2,...") into out.
 * Returns 0, or -1 if out is too small. 1100 bytes always suffice. */
int sls_lockout_encode(const struct sls_lockout_state *s, char *out, size_t outlen);

/* Decodes what sls_lockout_encode wrote. Empty or NULL text is the clear
 * state. Returns 0, or -1 on malformed text (then *s is the clear state). */
int sls_lockout_decode(const char *text, struct sls_lockout_state *s);

#endif
