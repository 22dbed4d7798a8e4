/* The server's clock: wall time, until --dev mode sets or moves it; from then
 * on it stands still at the instant given and moves only when told.
 * Handlers read it once per request and pass `now` down. */
#ifndef SLS_SERVER_CLOCK_H
#define SLS_SERVER_CLOCK_H

#include "core/time.h"

sls_time sls_clock_now(void);
/* --dev only: moves the clock by delta seconds (may be negative) and stops it there. */
void sls_clock_advance(sls_time delta);
/* --dev only: sets the clock to t and stops it there. */
void sls_clock_set(sls_time t);

#endif
