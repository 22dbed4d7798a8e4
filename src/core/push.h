/* R20 push requests of the mobile authenticator: their states and purposes,
 * the cap on pending pushes per account, and the freshness window of the
 * app's signed requests. Pure rules: time is passed in. */
#ifndef SLS_CORE_PUSH_H
#define SLS_CORE_PUSH_H

#include <stdbool.h>
#include <stddef.h>

#include "time.h"

enum sls_push_state { SLS_PUSH_PENDING = 0, SLS_PUSH_APPROVED, SLS_PUSH_DENIED, SLS_PUSH__COUNT };

/* What a push asks the user to approve. Step-up verification (R34) reuses
 * pushes with its own purpose. */
enum sls_push_purpose { SLS_PUSH_LOGIN = 0, SLS_PUSH_STEP_UP, SLS_PUSH_PURPOSE__COUNT };

struct sls_push_policy {
    size_t cap;        /* pushes per account within window; default 5 */
    sls_time window;   /* default 10 minutes */
    sls_time ttl;      /* a push can be decided while now <= created + ttl; 5 min */
    sls_time max_skew; /* X-Timestamp within now +- max_skew; default 5 minutes */
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

#endif
