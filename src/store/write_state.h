/* Whether a store can write, as sls_store_health reports it: set by the
 * backend after each write (unavailable with the reason when the store could
 * not write, cleared by the next write that commits), and the pacing of the
 * probe write that health runs while it is set, so that a store that
 * recovers by itself is seen as soon as the next probe. Thread-safe; the
 * same for every backend. Private to the store. */
#ifndef SLS_STORE_WRITE_STATE_H
#define SLS_STORE_WRITE_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seconds between two probes while the store cannot write. */
#define SLS_WRITE_STATE_PROBE_SECONDS 5

struct sls_write_state {
    pthread_mutex_t mu; /* guards the fields below */
    bool unavailable;   /* the last write found the store unable to write */
    char reason[256];   /* why, as logged */
    bool probed;        /* health has probed since ... */
    int64_t probed_at;  /* ... at this time */
};

#define SLS_WRITE_STATE_INIT                                                                       \
    {                                                                                              \
        .mu = PTHREAD_MUTEX_INITIALIZER                                                            \
    }

/* Records the outcome of a write: unavailable with its reason, or able. */
void sls_write_state_set(struct sls_write_state *w, bool unavailable, const char *reason);

/* True when health should run a probe write now: the store is unavailable
 * and has not been probed within SLS_WRITE_STATE_PROBE_SECONDS of now (the
 * probe is then counted as made at now). */
bool sls_write_state_probe_due(struct sls_write_state *w, int64_t now);

/* SLS_ERR_STORE_UNAVAILABLE with the reason, or SLS_OK with "" (reason may
 * be NULL when reasonlen is 0). */
int sls_write_state_report(struct sls_write_state *w, char *reason, size_t reasonlen);

#endif
