/* The SQLite backend of the store: one writer thread that commits write jobs
 * in groups, and a pool of read-only connections for snapshots.
 *
 * Group commit. sls_store_write queues a job and sleeps on the job's own
 * condition variable. The writer takes every queued job (up to BATCH_MAX),
 * opens one BEGIN IMMEDIATE transaction, runs each job inside SAVEPOINT j
 * (rolled back to when the job answers non-zero, so its changes vanish and the
 * others stay), COMMITs once with synchronous=FULL, and only then wakes the
 * jobs with their results. There is no timer: jobs pile up while the previous
 * commit is being synced, and the next batch takes them all.
 *
 * Reads. Each sls_store_read borrows an idle read-only connection (or opens a
 * new one: one per concurrent reader) and runs the callback inside BEGIN ...
 * COMMIT, one consistent WAL snapshot. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "sqlite_store.h"

#define BATCH_MAX    512
#define IDLE_READERS 32 /* idle read connections kept; more are closed */

struct job {
    sls_store_fn fn;
    void *arg;
    int result;
    bool done;
    pthread_cond_t cond; /* signalled under the store mutex when done */
    struct job *next;
};

struct sqlite_store {
    struct sls_store base; /* first: what callers hold */
    char *path;

    pthread_mutex_t mu;  /* guards everything below */
    pthread_cond_t work; /* the writer waits here for jobs */
    struct job *head, *tail;
    size_t queued;
    bool stopping;
    struct sls_sqlite_stats stats;
    struct sls_sqlite_conn *idle; /* idle read connections */
    size_t nidle;

    struct sls_sqlite_conn *writer; /* owned by the writer thread once started */
    pthread_t thread;
    bool started;
};

/* ---- writer ---- */

/* Runs jobs[0..n) in one transaction and sets their results. When the
 * transaction itself fails, every job of it gets SLS_ERR_STORE. */
static void run_batch(struct sls_sqlite_conn *w, struct job **jobs, size_t n)
{
    size_t i;

    if (sls_sqlite_exec(w, SQ_BEGIN_WRITE, "BEGIN IMMEDIATE") != SQLITE_OK)
        goto fail;
    for (i = 0; i < n; i++) {
        struct job *j = jobs[i];

        if (sls_sqlite_exec(w, SQ_SAVEPOINT, "SAVEPOINT j") != SQLITE_OK)
            goto abort;
        j->result = j->fn(&w->db, j->arg);
        /* Some errors (I/O, full disk) end the whole transaction by themselves. */
        if (sqlite3_get_autocommit(w->h))
            goto fail;
        if (j->result != 0 && sls_sqlite_exec(w, SQ_ROLLBACK_TO, "ROLLBACK TO j") != SQLITE_OK)
            goto abort;
        if (sls_sqlite_exec(w, SQ_RELEASE, "RELEASE j") != SQLITE_OK)
            goto abort;
    }
    if (sls_sqlite_exec(w, SQ_COMMIT, "COMMIT") != SQLITE_OK)
        goto abort;
    return;
abort:
    if (!sqlite3_get_autocommit(w->h))
        sls_sqlite_exec(w, SQ_ROLLBACK, "ROLLBACK");
fail:
    for (i = 0; i < n; i++)
        jobs[i]->result = SLS_ERR_STORE;
}

static void *writer_main(void *p)
{
    struct sqlite_store *s = p;
    struct job *batch[BATCH_MAX];

    pthread_mutex_lock(&s->mu);
    for (;;) {
        size_t n = 0;

        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->work, &s->mu);
        if (!s->head)
            break; /* stopping, and the queue is drained */
        while (s->head && n < BATCH_MAX) {
            batch[n++] = s->head;
            s->head = s->head->next;
        }
        if (!s->head)
            s->tail = NULL;
        s->queued -= n;
        pthread_mutex_unlock(&s->mu);

        run_batch(s->writer, batch, n);

        pthread_mutex_lock(&s->mu);
        s->stats.batches++;
        s->stats.jobs += n;
        for (size_t i = 0; i < n; i++) {
            batch[i]->done = true;
            pthread_cond_signal(&batch[i]->cond);
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static int sq_write(struct sls_store *base, sls_store_fn fn, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct job j = {.fn = fn, .arg = arg, .result = SLS_ERR_STORE};

    /* A write callback that writes again would wait for itself forever. */
    if (pthread_equal(pthread_self(), s->thread))
        return SLS_ERR_STORE;
    if (pthread_cond_init(&j.cond, NULL) != 0)
        return SLS_ERR_STORE;
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        pthread_cond_destroy(&j.cond);
        return SLS_ERR_STORE;
    }
    if (s->tail)
        s->tail->next = &j;
    else
        s->head = &j;
    s->tail = &j;
    s->queued++;
    pthread_cond_signal(&s->work);
    while (!j.done)
        pthread_cond_wait(&j.cond, &s->mu);
    pthread_mutex_unlock(&s->mu);
    pthread_cond_destroy(&j.cond);
    return j.result;
}

/* ---- readers ---- */

static int sq_read(struct sls_store *base, sls_store_fn fn, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct sls_sqlite_conn *c;
    int ret;

    if (pthread_equal(pthread_self(), s->thread))
        return SLS_ERR_STORE; /* a write callback must not read beside its transaction */
    pthread_mutex_lock(&s->mu);
    c = s->idle;
    if (c) {
        s->idle = c->next;
        s->nidle--;
    }
    pthread_mutex_unlock(&s->mu);
    if (!c) {
        ret = sls_sqlite_conn_open(s->path, true, &c);
        if (ret != SLS_OK)
            goto out;
    }

    if (sls_sqlite_exec(c, SQ_BEGIN_READ, "BEGIN") != SQLITE_OK) {
        ret = SLS_ERR_STORE;
        goto out;
    }
    ret = fn(&c->db, arg);
    if (sls_sqlite_exec(c, SQ_COMMIT, "COMMIT") != SQLITE_OK && ret == SLS_OK)
        ret = SLS_ERR_STORE;
out:
    /* Back to the pool, unless it is stuck inside a transaction or the pool is full. */
    if (c && sqlite3_get_autocommit(c->h)) {
        pthread_mutex_lock(&s->mu);
        if (s->nidle < IDLE_READERS) {
            c->next = s->idle;
            s->idle = c;
            s->nidle++;
            c = NULL;
        }
        pthread_mutex_unlock(&s->mu);
    }
    sls_sqlite_conn_close(c);
    return ret;
}

/* ---- open and close ---- */

static void sq_close(struct sls_store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    if (!s)
        return;
    if (s->started) {
        pthread_mutex_lock(&s->mu);
        s->stopping = true;
        pthread_cond_signal(&s->work);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
    }
    while (s->idle) {
        struct sls_sqlite_conn *c = s->idle;

        s->idle = c->next;
        sls_sqlite_conn_close(c);
    }
    sls_sqlite_conn_close(s->writer);
    pthread_cond_destroy(&s->work);
    pthread_mutex_destroy(&s->mu);
    free(s->path);
    free(s);
}

static int sq_open(const char *location, struct sls_store **out)
{
    static const struct sqlite_store blank = {
        .base.backend = &sls_sqlite_backend,
        .mu = PTHREAD_MUTEX_INITIALIZER,
        .work = PTHREAD_COND_INITIALIZER,
    };
    struct sqlite_store *s = NULL;
    int ret = SLS_ERR_STORE;

    *out = NULL;
    /* Every connection must reach the same file: no in-memory or temporary ones. */
    if (!location || !*location || strcmp(location, ":memory:") == 0) {
        ret = SLS_ERR_BAD_REQUEST;
        goto out;
    }
    s = malloc(sizeof *s);
    if (!s) {
        ret = SLS_ERR_NOMEM;
        goto out;
    }
    *s = blank;
    s->path = strdup(location);
    if (!s->path) {
        ret = SLS_ERR_NOMEM;
        goto out;
    }
    ret = sls_sqlite_conn_open(s->path, false, &s->writer);
    if (ret != SLS_OK)
        goto out;
    ret = sls_sqlite_migrate(s->writer->h);
    if (ret != SLS_OK)
        goto out;
    if (pthread_create(&s->thread, NULL, writer_main, s) != 0) {
        ret = SLS_ERR_STORE;
        goto out;
    }
    s->started = true;
    *out = &s->base;
    s = NULL;
    ret = SLS_OK;
out:
    sq_close(s ? &s->base : NULL);
    return ret;
}

void sls_sqlite_stats(struct sls_store *base, struct sls_sqlite_stats *out)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    pthread_mutex_lock(&s->mu);
    *out = s->stats;
    out->queued = s->queued;
    pthread_mutex_unlock(&s->mu);
}

/* A connection of its own (the writer's belongs to the writer thread):
 * TRUNCATE copies every frame of the WAL into the database, whose freed
 * space secure_delete has zeroed, then cuts the WAL to zero bytes, so no
 * older image of a page survives in it. */
static int sq_scrub(struct sls_store *base)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct sls_sqlite_conn *c = NULL;
    int ret;

    ret = sls_sqlite_conn_open(s->path, false, &c);
    if (ret != SLS_OK)
        return ret;
    if (sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
        ret = SLS_ERR_STORE;
    sls_sqlite_conn_close(c);
    return ret;
}

const struct sls_store_backend sls_sqlite_backend = {
    .scheme = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .read = sq_read,
    .write = sq_write,
    .scrub = sq_scrub,
};
