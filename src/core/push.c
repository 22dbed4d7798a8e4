/* R20 push rules: states, purposes, the per-account cap and the freshness of
 * signed requests; see push.h. */
#include "push.h"

#include <stdint.h>

#include "challenge.h"

void sls_push_policy_default(struct sls_push_policy *p)
{
    p->cap = 5;
    p->window = 10 * SLS_MINUTE;
    p->ttl = 5 * SLS_MINUTE;
    p->max_skew = 5 * SLS_MINUTE;
    p->number_matching = true;
}

const char *sls_push_state_name(enum sls_push_state s)
{
    switch (s) {
    case SLS_PUSH_PENDING:
        return "pending";
    case SLS_PUSH_APPROVED:
        return "approved";
    case SLS_PUSH_DENIED:
        return "denied";
    case SLS_PUSH__COUNT:
        break;
    }
    return "unknown";
}

const char *sls_push_purpose_name(enum sls_push_purpose p)
{
    switch (p) {
    case SLS_PUSH_LOGIN:
        return "login";
    case SLS_PUSH_STEP_UP:
        return "step_up";
    case SLS_PUSH_PURPOSE__COUNT:
        break;
    }
    return "unknown";
}

sls_time sls_push_window_start(const struct sls_push_policy *p, sls_time now)
{
    return now - p->window + 1;
}

bool sls_push_allowed(const struct sls_push_policy *p, size_t recent)
{
    return recent < p->cap;
}

bool sls_push_live(const struct sls_push_policy *p, sls_time created, sls_time now)
{
    return sls_challenge_valid(created, p->ttl, now);
}

bool sls_push_timestamp_fresh(const struct sls_push_policy *p, sls_time ts, sls_time now)
{
    /* The distance of two int64 values fits in uint64. */
    uint64_t d = now >= ts ? (uint64_t)now - (uint64_t)ts : (uint64_t)ts - (uint64_t)now;

    return p->max_skew >= 0 && d <= (uint64_t)p->max_skew;
}

int sls_push_number_from(uint32_t uniform)
{
    if (uniform >= SLS_PUSH_NUMBER_COUNT)
        return 0;
    return SLS_PUSH_NUMBER_MIN + (int)uniform;
}

enum sls_push_number_verdict sls_push_number_check(int expected, bool given, int64_t typed)
{
    uint64_t diff;

    if (expected == 0)
        return SLS_PUSH_NUMBER_OK;
    if (!given)
        return SLS_PUSH_NUMBER_MISSING;
    /* Every bit of the difference folded into one: no early exit. */
    diff = (uint64_t)(int64_t)expected ^ (uint64_t)typed;
    diff |= diff >> 32;
    diff |= diff >> 16;
    diff |= diff >> 8;
    diff |= diff >> 4;
    diff |= diff >> 2;
    diff |= diff >> 1;
    return (diff & 1) == 0 ? SLS_PUSH_NUMBER_OK : SLS_PUSH_NUMBER_WRONG;
}
