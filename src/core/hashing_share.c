/* The sharing of hashing places between client addresses (see
 * hashing_share.h). */
#include "hashing_share.h"

bool sls_hashing_address_busy(int64_t milli_tokens, unsigned per_minute)
{
    /* More than half spent: fewer than per_minute / 2 tokens left. */
    return milli_tokens * 2 < (int64_t)per_minute * 1000;
}

unsigned sls_hashing_busy_share(const struct sls_hashing_limits *lim)
{
    return lim->places - lim->places / 2;
}

enum sls_hashing_verdict sls_hashing_admit(const struct sls_hashing_limits *lim,
                                           const struct sls_hashing_load *load, unsigned held,
                                           bool busy)
{
    if (held >= lim->per_address)
        return SLS_HASHING_ADDRESS_FULL;
    if (load->admitted >= lim->places)
        return SLS_HASHING_FULL;
    if (busy && load->admitted_busy >= sls_hashing_busy_share(lim))
        return SLS_HASHING_FULL;
    return SLS_HASHING_ADMIT;
}

/* True when a goes before b. */
static bool before(const struct sls_hashing_waiter *a, const struct sls_hashing_waiter *b)
{
    if (a->busy != b->busy)
        return !a->busy;
    if (a->hashing != b->hashing)
        return a->hashing < b->hashing;
    return a->arrival < b->arrival;
}

unsigned sls_hashing_busy_slots(unsigned slots)
{
    return slots - slots / 2;
}

size_t sls_hashing_next(const struct sls_hashing_waiter *w, size_t n, bool busy_may_run)
{
    size_t best = n;

    for (size_t i = 0; i < n; i++) {
        if (w[i].busy && !busy_may_run)
            continue;
        if (best == n || before(&w[i], &w[best]))
            best = i;
    }
    return best;
}
