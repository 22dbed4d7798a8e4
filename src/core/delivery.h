/* When to try a message again: the retry rule of message delivery (SPEC §9).
 * A message that could not be delivered is tried again after a delay that
 * starts at retry_initial and doubles with every failed attempt, never more
 * than retry_max; after max_attempts failed attempts it is given up. A
 * settled message is deleted after the retention period (SPEC §10.3). */
#ifndef SLS_CORE_DELIVERY_H
#define SLS_CORE_DELIVERY_H

#include <stdbool.h>

#include "time.h"

#define SLS_DELIVERY_MAX_ATTEMPTS_DEFAULT  10
#define SLS_DELIVERY_RETRY_INITIAL_DEFAULT ((sls_time)10)
#define SLS_DELIVERY_RETRY_MAX_DEFAULT     SLS_HOUR
#define SLS_DELIVERY_RETENTION_DEFAULT     (30 * SLS_DAY)

struct sls_delivery_policy {
    int max_attempts;       /* attempts in all, the first included; at least 1 */
    sls_time retry_initial; /* delay after the first failed attempt; at least 1 s */
    sls_time retry_max;     /* no delay is longer; at least retry_initial */
};

void sls_delivery_policy_default(struct sls_delivery_policy *p);

/* The delay before the next attempt after `failed` failed attempts (1 after
 * the first): retry_initial * 2^(failed - 1), capped at retry_max. Values of
 * failed below 1 count as 1. Never overflows. */
sls_time sls_delivery_backoff(const struct sls_delivery_policy *p, int failed);

enum sls_delivery_verdict {
    SLS_DELIVERY_RETRY = 0, /* try again at *next_at */
    SLS_DELIVERY_GIVE_UP,   /* max_attempts reached: no more attempts */
};

/* Decides after an attempt failed at `now`, `failed` being the number of
 * failed attempts so far, this one included. SLS_DELIVERY_GIVE_UP when
 * failed >= max_attempts (*next_at is then left alone); otherwise
 * SLS_DELIVERY_RETRY with *next_at = now + sls_delivery_backoff(p, failed)
 * (INT64_MAX if that does not fit). */
enum sls_delivery_verdict sls_delivery_after_failure(const struct sls_delivery_policy *p,
                                                     int failed, sls_time now, sls_time *next_at);

/* Retention (SPEC §10.3): a message settled (delivered or given up) at
 * done_at is deleted once `retention` has passed, i.e. from
 * done_at + retention on; one second earlier it is kept. */
bool sls_delivery_expired(sls_time done_at, sls_time retention, sls_time now);

/* The latest done_at that sls_delivery_expired deletes at now: now -
 * retention (INT64_MIN when that does not fit). */
sls_time sls_delivery_purge_cutoff(sls_time retention, sls_time now);

#endif
