/* The server's clock: wall time, until --dev mode sets or moves it; from then
 * on it stands still at the instant given and moves only when told.
 * Handlers read it once per request and pass `now` down.
 *
 * Many nodes (SPEC §10.1): in --dev the instant is kept where every node
 * sharing the store reads it (flows/dev_clock.h installs that keeper), so a
 * move on one node is seen by the next request on any. Without a keeper (a
 * unit test) it lives in this process. */
#ifndef SLS_SERVER_CLOCK_H
#define SLS_SERVER_CLOCK_H

#include <stdbool.h>

#include "core/time.h"

/* Where the --dev instant is kept when it is shared. get answers 0 with
 * *frozen (and *at when frozen), or -1 when it cannot tell; set and advance
 * answer an SLS_ERR code (SLS_OK: done). advance moves a frozen clock by
 * delta, or stops a running one at wall + delta. */
struct sls_clock_keeper {
    int (*get)(bool *frozen, sls_time *at);
    int (*set)(sls_time t);
    int (*advance)(sls_time delta, sls_time wall);
};

/* Installs the keeper (must outlive the process's use of the clock); NULL
 * goes back to the process's own. Called once at start, before any thread. */
void sls_clock_keep_in(const struct sls_clock_keeper *k);

/* The instant: the wall clock or the --dev one. When the keeper cannot be
 * read, the instant it last told (or the wall clock, before it ever told). */
sls_time sls_clock_now(void);
/* --dev only: moves the clock by delta seconds (may be negative) and stops
 * it there. SLS_OK, or the keeper's error. */
int sls_clock_advance(sls_time delta);
/* --dev only: sets the clock to t and stops it there. SLS_OK, or the
 * keeper's error. */
int sls_clock_set(sls_time t);

#endif
