/* R9: whether a challenge or a pending login is still valid (inclusive end). */
#include "challenge.h"

#include <stdint.h>

bool sls_challenge_valid(sls_time issued, sls_time ttl, sls_time now)
{
    /* now <= issued + ttl, written so that it cannot overflow. */
    if (ttl < 0) {
        return false;
    }
    if (now < issued) {
        return true;
    }
    /* The difference of two int64 values with now >= issued fits in uint64. */
    return (uint64_t)now - (uint64_t)issued <= (uint64_t)ttl;
}
