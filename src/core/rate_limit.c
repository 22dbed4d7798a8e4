/* The per-client token bucket of SPEC §10.2 (see rate_limit.h). */
#include "rate_limit.h"

/* Tokens in thousandths: per_minute tokens refill in 60 s, so per_minute * 1000
 * / 60 thousandths a second; keeping the product per_minute * 1000 and
 * dividing by 60 only when comparing avoids rounding drift. */
static int64_t capacity(unsigned per_minute)
{
    return (int64_t)per_minute * 1000;
}

/* The bucket's level at now, in thousandths, capped at the capacity. */
static int64_t level(const struct sls_rate_bucket *b, unsigned per_minute, sls_time now)
{
    int64_t cap = capacity(per_minute);
    sls_time dt;

    if (!b->seen)
        return cap;
    dt = now > b->updated ? now - b->updated : 0;
    if (dt >= 60)
        return cap;
    /* per_minute * 1000 / 60 thousandths per second, over dt < 60 seconds. */
    int64_t refill = cap * dt / 60;
    return b->milli_tokens + refill >= cap ? cap : b->milli_tokens + refill;
}

sls_time sls_rate_take(struct sls_rate_bucket *b, unsigned per_minute, sls_time now)
{
    int64_t have = level(b, per_minute, now);
    int64_t missing;
    sls_time dt, wait;

    if (have >= 1000) {
        /* A clock that went back keeps the later time, so it refills nothing. */
        if (!b->seen || now > b->updated)
            b->updated = now;
        b->seen = true;
        b->milli_tokens = have - 1000;
        return 0;
    }
    /* Refused only when seen less than a minute ago: the level at now + s
     * is milli_tokens + capacity * (dt + s) / 60 (rounded down), so the
     * first s that reaches a whole token is the one below. */
    dt = now > b->updated ? now - b->updated : 0;
    missing = 1000 - b->milli_tokens;
    wait = (sls_time)((missing * 60 + capacity(per_minute) - 1) / capacity(per_minute)) - dt;
    return wait < 1 ? 1 : wait;
}

int64_t sls_rate_level(const struct sls_rate_bucket *b, unsigned per_minute, sls_time now)
{
    return level(b, per_minute, now);
}

bool sls_rate_is_full(const struct sls_rate_bucket *b, unsigned per_minute, sls_time now)
{
    return level(b, per_minute, now) >= capacity(per_minute);
}
