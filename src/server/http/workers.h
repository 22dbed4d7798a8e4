/* A fixed pool of threads running jobs from a bounded queue (SPEC §10.2):
 * the public listener hands every complete request to it, so that a request
 * waiting for the store or for hashing holds a worker, never the event loop.
 * When every worker is busy and the queue is full, a job is refused at once
 * rather than waited for. Safe from any thread. */
#ifndef SLS_SERVER_WORKERS_H
#define SLS_SERVER_WORKERS_H

#include <stdbool.h>

#define SLS_WORKERS_MAX 256

struct sls_workers;

typedef void (*sls_job_fn)(void *arg);

/* Starts n workers (0: 16 per processor online; at most SLS_WORKERS_MAX)
 * with room for queue waiting jobs (0: 64 per worker). NULL on failure. */
struct sls_workers *sls_workers_start(unsigned n, unsigned queue);

/* Queues fn(arg); false when the queue is full or the pool is stopping. */
bool sls_workers_submit(struct sls_workers *w, sls_job_fn fn, void *arg);

/* Runs every job already queued, then joins the workers and frees w. NULL is fine. */
void sls_workers_stop(struct sls_workers *w);

/* The sizes in force (for the start-up log). */
unsigned sls_workers_count(const struct sls_workers *w);
unsigned sls_workers_queue(const struct sls_workers *w);

#endif
