/* The retry rule of message delivery: exponential backoff, capped, and a
 * limit on attempts, and how long settled messages are kept; see
 * delivery.h. */
#include "delivery.h"

#include <stdint.h>

void sls_delivery_policy_default(struct sls_delivery_policy *p)
{
    p->max_attempts = SLS_DELIVERY_MAX_ATTEMPTS_DEFAULT;
    p->retry_initial = SLS_DELIVERY_RETRY_INITIAL_DEFAULT;
    p->retry_max = SLS_DELIVERY_RETRY_MAX_DEFAULT;
}

sls_time sls_delivery_backoff(const struct sls_delivery_policy *p, int failed)
{
    sls_time delay = p->retry_initial;

    if (delay >= p->retry_max)
        return p->retry_max;
    /* Doubling stops at the cap, so the product never leaves the range. */
    for (int i = 1; i < failed; i++) {
        if (delay >= p->retry_max / 2)
            return p->retry_max;
        delay *= 2;
    }
    return delay;
}

enum sls_delivery_verdict sls_delivery_after_failure(const struct sls_delivery_policy *p,
                                                     int failed, sls_time now, sls_time *next_at)
{
    sls_time delay;

    if (failed >= p->max_attempts)
        return SLS_DELIVERY_GIVE_UP;
    delay = sls_delivery_backoff(p, failed);
    *next_at = now > 0 && delay > INT64_MAX - now ? INT64_MAX : now + delay;
    return SLS_DELIVERY_RETRY;
}

sls_time sls_delivery_purge_cutoff(sls_time retention, sls_time now)
{
    if (retention > 0 && now < INT64_MIN + retention)
        return INT64_MIN;
    if (retention < 0 && now > INT64_MAX + retention)
        return INT64_MAX;
    return now - retention;
}

bool sls_delivery_expired(sls_time done_at, sls_time retention, sls_time now)
{
    return done_at <= sls_delivery_purge_cutoff(retention, now);
}
