/* SPEC §10.2: how often one client may ask for work that costs a password
 * hash. A token bucket per client address: it holds at most `per_minute`
 * tokens, refills at per_minute / 60 tokens a second, and every admitted
 * request takes one. A bucket never seen before is full, so a client may
 * spend a whole minute's worth at once and then one every 60 / per_minute
 * seconds. Time is whole seconds of the app clock; a clock that goes back
 * refills nothing. */
#ifndef SLS_CORE_RATE_LIMIT_H
#define SLS_CORE_RATE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "time.h"

struct sls_rate_bucket {
    bool seen;            /* false: a new client, the bucket is full */
    int64_t milli_tokens; /* tokens left, in thousandths */
    sls_time updated;     /* when milli_tokens was last refilled */
};

/* Takes one token from b at `now` under `per_minute` (>= 1). Returns 0 when
 * the request is admitted, otherwise the whole seconds (>= 1) until a token
 * will be there; a refused request takes nothing. */
sls_time sls_rate_take(struct sls_rate_bucket *b, unsigned per_minute, sls_time now);

/* The tokens left in b at `now`, in thousandths. */
int64_t sls_rate_level(const struct sls_rate_bucket *b, unsigned per_minute, sls_time now);

/* True when b would be full at `now`: forgetting it changes nothing. */
bool sls_rate_is_full(const struct sls_rate_bucket *b, unsigned per_minute, sls_time now);

#endif
