/* R40: whether a service-desk identity verification still covers an action. */
#include "identity.h"

#include <stdint.h>

bool sls_identity_verification_valid(sls_time verified_at, sls_time ttl, sls_time now)
{
    /* now < verified_at + ttl, written so that it cannot overflow. */
    if (ttl <= 0) {
        return false;
    }
    if (now < verified_at) {
        return true;
    }
    /* The difference of two int64 values with now >= verified_at fits in uint64. */
    return (uint64_t)now - (uint64_t)verified_at < (uint64_t)ttl;
}
