/* R20 push requests of the mobile authenticator: their states and purposes,
 * the cap on pending pushes per account, the freshness window of the app's
 * signed requests, and number matching (SPEC §10.3): every push carries two
 * digits shown where the user started the login or step-up, which the user
 * types into the app; a wrong number denies the push. Pure rules: time and
 * randomness are passed in. */
#ifndef SLS_CORE_PUSH_H
#define SLS_CORE_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "time.h"

enum sls_push_state { SLS_PUSH_PENDING = 0, SLS_PUSH_APPROVED, SLS_PUSH_DENIED, SLS_PUSH__COUNT };

/* What a push asks the user to approve. Step-up verification (R34) reuses
 * pushes with its own purpose. */
enum sls_push_purpose { SLS_PUSH_LOGIN = 0, SLS_PUSH_STEP_UP, SLS_PUSH_PURPOSE__COUNT };

struct sls_push_policy {
    size_t cap;           /* pushes per account within window; default 5 */
    sls_time window;      /* default 10 minutes */
    sls_time ttl;         /* a push can be decided while now <= created + ttl; 5 min */
    sls_time max_skew;    /* X-Timestamp within now +- max_skew; default 5 minutes */
    bool number_matching; /* §10.3: pushes carry a number to type; default true */
};

/* §10.3 number matching: the numbers are 10..99 (two digits, never a
 * leading zero); 0 stands for "no number" (matching off when it was sent). */
#define SLS_PUSH_NUMBER_MIN   10
#define SLS_PUSH_NUMBER_MAX   99
#define SLS_PUSH_NUMBER_COUNT (SLS_PUSH_NUMBER_MAX - SLS_PUSH_NUMBER_MIN + 1)

enum sls_push_number_verdict {
    SLS_PUSH_NUMBER_OK = 0,  /* the number typed is the push's, or it has none */
    SLS_PUSH_NUMBER_MISSING, /* the push has a number and none was typed */
    SLS_PUSH_NUMBER_WRONG,   /* a number was typed and it is not the push's */
};

void sls_push_policy_default(struct sls_push_policy *p);

/* "pending", "approved", "denied"; "login", "step_up". */
const char *sls_push_state_name(enum sls_push_state s);
const char *sls_push_purpose_name(enum sls_push_purpose p);

/* The start of the window that counts toward the cap at `now`: pushes
 * created at or after it count. */
sls_time sls_push_window_start(const struct sls_push_policy *p, sls_time now);

/* Whether another push may be sent when `recent` pushes were created inside
 * the window (recent < cap). */
bool sls_push_allowed(const struct sls_push_policy *p, size_t recent);

/* Whether a push created at `created` can still be decided at `now`. */
bool sls_push_live(const struct sls_push_policy *p, sls_time created, sls_time now);

/* Whether a signed request's timestamp is fresh: |now - ts| <= max_skew. */
bool sls_push_timestamp_fresh(const struct sls_push_policy *p, sls_time ts, sls_time now);

/* The number of a new push from `uniform`, a value drawn uniformly in
 * [0, SLS_PUSH_NUMBER_COUNT) from the CSPRNG: SLS_PUSH_NUMBER_MIN + uniform.
 * Values out of range give 0 (no number). */
int sls_push_number_from(uint32_t uniform);

/* Whether typed (when given) matches expected, the push's number (0: the
 * push has none, so nothing is required and typed is ignored). Constant time
 * in the two values. */
enum sls_push_number_verdict sls_push_number_check(int expected, bool given, int64_t typed);

#endif
