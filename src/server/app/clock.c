/* The server clock: wall time, or in --dev mode a fixed instant once a test or
 * demo has set or moved it (so boundary seconds are exact, not racing the
 * wall clock). */
#include "server/app/clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

static atomic_bool frozen;
static _Atomic sls_time frozen_at;

sls_time sls_clock_now(void)
{
    if (atomic_load(&frozen))
        return atomic_load(&frozen_at);
    return (sls_time)time(NULL);
}

void sls_clock_advance(sls_time delta)
{
    if (atomic_load(&frozen)) {
        atomic_fetch_add(&frozen_at, delta);
        return;
    }
    atomic_store(&frozen_at, (sls_time)time(NULL) + delta);
    atomic_store(&frozen, true);
}

void sls_clock_set(sls_time t)
{
    atomic_store(&frozen_at, t);
    atomic_store(&frozen, true);
}
