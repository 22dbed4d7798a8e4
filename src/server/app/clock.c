/* The server clock: wall time, or in --dev mode a fixed instant once a test or
 * demo has set or moved it (so boundary seconds are exact, not racing the
 * wall clock), kept in this process or by a keeper shared by every node. */
#include "server/app/clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "core/error.h"

static atomic_bool frozen;
static _Atomic sls_time frozen_at;
static const struct sls_clock_keeper *keeper;

void sls_clock_keep_in(const struct sls_clock_keeper *k)
{
    keeper = k;
}

sls_time sls_clock_now(void)
{
    bool f = false;
    sls_time at = 0;

    /* The last instant the keeper told stays in frozen/frozen_at: the
     * answer while it cannot be read. */
    if (keeper != NULL && keeper->get(&f, &at) == 0) {
        if (f)
            atomic_store(&frozen_at, at);
        atomic_store(&frozen, f);
    }
    if (atomic_load(&frozen))
        return atomic_load(&frozen_at);
    return (sls_time)time(NULL);
}

int sls_clock_advance(sls_time delta)
{
    if (keeper != NULL)
        return keeper->advance(delta, (sls_time)time(NULL));
    if (atomic_load(&frozen)) {
        atomic_fetch_add(&frozen_at, delta);
        return SLS_OK;
    }
    atomic_store(&frozen_at, (sls_time)time(NULL) + delta);
    atomic_store(&frozen, true);
    return SLS_OK;
}

int sls_clock_set(sls_time t)
{
    if (keeper != NULL)
        return keeper->set(t);
    atomic_store(&frozen_at, t);
    atomic_store(&frozen, true);
    return SLS_OK;
}
