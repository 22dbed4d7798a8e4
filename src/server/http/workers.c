/* The worker pool of SPEC §10.2 (see workers.h): a ring of jobs under one
 * mutex, two condition variables, and n threads. */
#include "server/http/workers.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct job {
    sls_job_fn fn;
    void *arg;
};

struct sls_workers {
    pthread_mutex_t lock;
    pthread_cond_t ready; /* a job was queued, or the pool is stopping */
    struct job *ring;
    unsigned cap;
    unsigned head; /* next job to run */
    unsigned len;  /* jobs queued */
    bool stopping;
    unsigned nthreads;
    pthread_t *threads;
};

static void *work(void *arg)
{
    struct sls_workers *w = arg;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        struct job j;
        while (w->len == 0 && !w->stopping)
            pthread_cond_wait(&w->ready, &w->lock);
        if (w->len == 0)
            break; /* stopping and nothing left */
        j = w->ring[w->head];
        w->head = (w->head + 1) % w->cap;
        w->len--;
        pthread_mutex_unlock(&w->lock);
        j.fn(j.arg);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct sls_workers *sls_workers_start(unsigned n, unsigned queue)
{
    struct sls_workers *w = calloc(1, sizeof(*w));
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    if (w == NULL)
        return NULL;
    if (n == 0)
        n = cpus > 0 ? 16 * (unsigned)cpus : 16;
    if (n > SLS_WORKERS_MAX)
        n = SLS_WORKERS_MAX;
    w->cap = queue ? queue : 64 * n;
    w->ring = calloc(w->cap, sizeof(*w->ring));
    w->threads = calloc(n, sizeof(*w->threads));
    if (w->ring == NULL || w->threads == NULL) {
        free(w->ring);
        free(w->threads);
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->ready, NULL);
    for (w->nthreads = 0; w->nthreads < n; w->nthreads++)
        if (pthread_create(&w->threads[w->nthreads], NULL, work, w) != 0)
            break;
    if (w->nthreads < n) {
        sls_workers_stop(w);
        return NULL;
    }
    return w;
}

bool sls_workers_submit(struct sls_workers *w, sls_job_fn fn, void *arg)
{
    bool queued = false;

    pthread_mutex_lock(&w->lock);
    if (!w->stopping && w->len < w->cap) {
        w->ring[(w->head + w->len) % w->cap] = (struct job){fn, arg};
        w->len++;
        queued = true;
        pthread_cond_signal(&w->ready);
    }
    pthread_mutex_unlock(&w->lock);
    return queued;
}

void sls_workers_stop(struct sls_workers *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_broadcast(&w->ready);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->ready);
    free(w->ring);
    free(w->threads);
    free(w);
}

unsigned sls_workers_count(const struct sls_workers *w)
{
    return w->nthreads;
}

unsigned sls_workers_queue(const struct sls_workers *w)
{
    return w->cap;
}
