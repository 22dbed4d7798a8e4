/* SPEC §10.3 [lockout] mode: which R8 counter an attempt counts against.
 *
 * Mode account (the default) is R8 as written: every attempt counts against
 * the account. Mode client: an attempt that presents a valid client token
 * (known, bound to the user trying to log in, not expired) counts against
 * that token alone; every other attempt counts against the user's "unknown
 * clients" counter. Each counter follows R8's numbers (lockout.h): 10
 * consecutive failures within 24 h lock it until 24 h after its last failure,
 * failures during its lock count too. A login with a valid, unlocked token
 * proceeds while unknown clients are locked out.
 *
 * The account counter and the unknown-clients counter are one stored record
 * (the user's): the mode says what it means. A success clears only the counter
 * it counted against, so a login from the owner's own client never gives an
 * attacker on unknown clients another ten guesses. */
#ifndef SLS_CORE_CLIENT_LOCKOUT_H
#define SLS_CORE_CLIENT_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "lockout.h"
#include "time.h"

enum sls_lockout_mode {
    SLS_LOCKOUT_MODE_ACCOUNT = 0, /* R8 as written */
    SLS_LOCKOUT_MODE_CLIENT,      /* per client token, and unknown clients */
};

/* Parses "account" or "client". Returns 0, or -1 (then *out is unchanged). */
int sls_lockout_mode_parse(const char *s, enum sls_lockout_mode *out);

/* "account" or "client". */
const char *sls_lockout_mode_name(enum sls_lockout_mode m);

/* True when a presented token, stored for token_user_id until expires_at,
 * is valid for a login of user_id at `now`: bound to that user and
 * now < expires_at. Anything else is treated as no token at all. */
bool sls_client_token_valid(int64_t token_user_id, sls_time expires_at, int64_t user_id,
                            sls_time now);

/* The counters an attempt may touch. */
struct sls_counters {
    struct sls_lockout_state user;   /* the account (mode account) or unknown clients */
    struct sls_lockout_state client; /* the presented token's (has_client only) */
    bool has_client;                 /* mode client and a valid token was presented */
};

/* The counter the attempt counts against: the token's when has_client, else
 * the user's. */
struct sls_lockout_state *sls_counters_pick(struct sls_counters *c);

/* True while the counter the attempt counts against is locked at `now`;
 * *until (may be NULL) is the end of its lock. */
bool sls_counters_locked(const struct sls_counters *c, sls_time now, sls_time *until);

/* Records a failed attempt at `now` against the picked counter alone (the
 * other is left as it was). Returns true when that counter is locked after
 * it; *newly (may be NULL) says the lock began with this attempt. */
bool sls_counters_fail(struct sls_counters *c, const struct sls_lockout_policy *p, sls_time now,
                       bool *newly);

/* Records a successful login: clears the picked counter alone. */
void sls_counters_succeed(struct sls_counters *c);

#endif
