/* The server clock: time(NULL) plus an atomic offset (zero outside --dev). */
#include "clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic sls_time offset;

sls_time sls_clock_now(void)
{
    return (sls_time)time(NULL) + atomic_load(&offset);
}

void sls_clock_advance(sls_time delta)
{
    atomic_fetch_add(&offset, delta);
}

void sls_clock_set(sls_time t)
{
    atomic_store(&offset, t - (sls_time)time(NULL));
}
