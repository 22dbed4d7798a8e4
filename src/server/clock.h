/* The server's clock: wall time plus an offset that only --dev mode moves.
 * Handlers read it once per request and pass `now` down. */
#ifndef SLS_SERVER_CLOCK_H
#define SLS_SERVER_CLOCK_H

#include "core/time.h"

sls_time sls_clock_now(void);
/* --dev only: moves the clock by delta seconds (may be negative). */
void sls_clock_advance(sls_time delta);
/* --dev only: sets the clock to t. */
void sls_clock_set(sls_time t);

#endif
