/* The SQLite backend of the store: one writer thread that commits write jobs
 * in groups, and a pool of read-only connections for snapshots.
 *
 * Group commit. sls_store_write queues a job and sleeps on the job's own
 * semaphore. The writer takes every queued job (up to BATCH_MAX),
 * opens one BEGIN IMMEDIATE transaction, runs each job inside SAVEPOINT j
 * (rolled back to when the job answers non-zero, so its changes vanish and the
 * others stay), COMMITs once with synchronous=FULL, and only then wakes the
 * jobs with their results, each with one sem_post and no lock held (so the
 * jobs of a batch do not queue for the store mutex to leave their wait).
 * There is no timer: jobs pile up while the previous
 * commit is being synced, and the next batch takes them all.
 *
 * Reads. Each sls_store_read borrows an idle read-only connection (or opens a
 * new one: one per concurrent reader) and runs the callback inside BEGIN ...
 * COMMIT, one consistent WAL snapshot.
 *
 * Checkpoints. The writer's connection does not copy the WAL into the
 * database file inside its COMMIT: a thread of its own does, once the WAL is
 * long enough (sqlite_checkpoint.h).
 *
 * Write state. A batch that fails because the store cannot write (a job or
 * the transaction met sls_sqlite_unavailable) marks the store unavailable,
 * with the reason; the next batch that commits without such a failure clears
 * it (write_state.h). sls_store_health reports it, and while it is set runs
 * a probe write at most every SLS_WRITE_STATE_PROBE_SECONDS (see probe_fn). */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/error.h"
#include "sqlite_checkpoint.h"
#include "sqlite_records.h"
#include "write_state.h"

#define BATCH_MAX    512
#define IDLE_READERS 32 /* idle read connections kept; more are closed */

struct job {
    sls_store_fn fn;
    void *arg;
    int result;
    sem_t done; /* posted once by the writer when result is set */
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
    struct sls_write_state state; /* what the last batch found (own lock) */
    int64_t max_bytes;            /* [store] max_size, 0: no cap */
    struct sls_sqlite_conn *idle; /* idle read connections */
    size_t nidle;

    struct sls_sqlite_conn *writer;               /* owned by the writer thread once started */
    struct sls_sqlite_checkpointer *checkpointer; /* the writer's WAL checkpoints */
    pthread_t thread;
    bool started;
};

/* ---- writer ---- */

/* Runs jobs[0..n) in one transaction and sets their results. When the
 * transaction itself fails, every job of it gets the error of the failure.
 * Returns true when a job or the transaction found the store unavailable. */
static bool run_batch(struct sls_sqlite_conn *w, struct job **jobs, size_t n)
{
    bool unavailable = false;
    int err = SLS_ERR_STORE;
    int rc;
    size_t i;

    w->unavailable = false;
    w->audit_tail_known = false; /* another process may have appended since */
    rc = sls_sqlite_exec(w, SQ_BEGIN_WRITE, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        err = sls_sqlite_error(w, rc);
        goto fail;
    }
    for (i = 0; i < n; i++) {
        struct job *j = jobs[i];

        rc = sls_sqlite_exec(w, SQ_SAVEPOINT, "SAVEPOINT j");
        if (rc != SQLITE_OK)
            goto abort;
        w->unavailable = false;
        j->result = j->fn(&w->db, j->arg);
        /* A job that failed after the store could not write answers so,
         * whatever code it passed on. */
        if (j->result != SLS_OK && w->unavailable) {
            j->result = SLS_ERR_STORE_UNAVAILABLE;
            unavailable = true;
        }
        /* Some errors (I/O, full disk) end the whole transaction by themselves. */
        if (sqlite3_get_autocommit(w->h)) {
            err = w->unavailable ? SLS_ERR_STORE_UNAVAILABLE : SLS_ERR_STORE;
            goto fail;
        }
        if (j->result != 0) {
            w->audit_tail_known = false; /* its appends are undone */
            rc = sls_sqlite_exec(w, SQ_ROLLBACK_TO, "ROLLBACK TO j");
            if (rc != SQLITE_OK)
                goto abort;
        }
        rc = sls_sqlite_exec(w, SQ_RELEASE, "RELEASE j");
        if (rc != SQLITE_OK)
            goto abort;
    }
    rc = sls_sqlite_exec(w, SQ_COMMIT, "COMMIT");
    if (rc != SQLITE_OK)
        goto abort;
    return unavailable;
abort:
    err = sls_sqlite_error(w, rc);
    if (!sqlite3_get_autocommit(w->h))
        sls_sqlite_exec(w, SQ_ROLLBACK, "ROLLBACK");
fail:
    for (i = 0; i < n; i++)
        jobs[i]->result = err;
    return err == SLS_ERR_STORE_UNAVAILABLE;
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

        bool unavailable = run_batch(s->writer, batch, n);

        sls_write_state_set(&s->state, unavailable, s->writer->reason);
        pthread_mutex_lock(&s->mu);
        s->stats.batches++;
        s->stats.jobs += n;
        pthread_mutex_unlock(&s->mu);
        /* A job posted may return at once: its struct is gone after the post. */
        for (size_t i = 0; i < n; i++)
            sem_post(&batch[i]->done);
        pthread_mutex_lock(&s->mu);
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
    if (sem_init(&j.done, 0, 0) != 0)
        return SLS_ERR_STORE;
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        sem_destroy(&j.done);
        return SLS_ERR_STORE;
    }
    if (s->tail)
        s->tail->next = &j;
    else
        s->head = &j;
    s->tail = &j;
    s->queued++;
    pthread_cond_signal(&s->work);
    pthread_mutex_unlock(&s->mu);
    while (sem_wait(&j.done) != 0)
        ; /* EINTR: a signal handler ran; the job is still the writer's */
    sem_destroy(&j.done);
    return j.result;
}

/* ---- readers ---- */

static int sq_read(struct sls_store *base, sls_store_fn fn, void *arg)
{
    struct sqlite_store *s = (struct sqlite_store *)base;
    struct sls_sqlite_conn *c;
    int ret, rc;

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
        ret = sls_sqlite_conn_open(s->path, true, 0, &c, NULL, 0);
        if (ret != SLS_OK)
            goto out;
    }

    c->unavailable = false;
    rc = sls_sqlite_exec(c, SQ_BEGIN_READ, "BEGIN");
    if (rc != SQLITE_OK) {
        ret = sls_sqlite_error(c, rc);
        goto out;
    }
    ret = fn(&c->db, arg);
    if (ret != SLS_OK && c->unavailable)
        ret = SLS_ERR_STORE_UNAVAILABLE;
    rc = sls_sqlite_exec(c, SQ_COMMIT, "COMMIT");
    if (rc != SQLITE_OK && ret == SLS_OK)
        ret = sls_sqlite_error(c, rc);
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

int sls_sqlite_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    int rc;

    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(thread, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

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
    sls_sqlite_checkpointer_stop(s->checkpointer);
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

/* How long an empty file may stay empty before it is refused: another node
 * starting on the same new path at the same moment has created the file and
 * not yet written its first page. */
#define EMPTY_GRACE_MS 2000
#define EMPTY_POLL_MS  50

/* Refuses an existing empty file unless asked to make a store in it: an
 * empty file where a store was expected is more often a botched copy or
 * restore than a wish for a new store. A file that another process fills
 * within EMPTY_GRACE_MS (a first start of several nodes at once) is not
 * refused. */
static int check_file(const char *path, const struct sls_store_options *opts, char *why,
                      size_t whylen)
{
    struct stat st;

    for (int waited = 0;; waited += EMPTY_POLL_MS) {
        if (stat(path, &st) != 0 || st.st_size != 0 || opts->init_empty || waited >= EMPTY_GRACE_MS)
            break;
        nanosleep(&(struct timespec){.tv_nsec = EMPTY_POLL_MS * 1000000L}, NULL);
    }
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return SLS_OK; /* created: a first start */
        snprintf(why, whylen, "%s", strerror(errno));
        return SLS_ERR_STORE_UNAVAILABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "not a regular file");
        return SLS_ERR_STORE;
    }
    if (st.st_size == 0 && !opts->init_empty) {
        snprintf(why, whylen,
                 "the file is empty (0 bytes), not an sls store; to make a new store in it, "
                 "start once with --init-store");
        return SLS_ERR_STORE;
    }
    return SLS_OK;
}

static int sq_open(const char *location, const struct sls_store_options *opts,
                   struct sls_store **out, char *why, size_t whylen)
{
    static const struct sqlite_store blank = {
        .base.backend = &sls_sqlite_backend,
        .mu = PTHREAD_MUTEX_INITIALIZER,
        .work = PTHREAD_COND_INITIALIZER,
        .state = SLS_WRITE_STATE_INIT,
    };
    struct sqlite_store *s = NULL;
    int ret = SLS_ERR_STORE;

    *out = NULL;
    /* Every connection must reach the same file: no in-memory or temporary ones. */
    if (!location || !*location || strcmp(location, ":memory:") == 0) {
        snprintf(why, whylen, "a store needs the path of a file");
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
    s->max_bytes = opts->max_size > 0 ? opts->max_size : 0;
    ret = check_file(s->path, opts, why, whylen);
    if (ret != SLS_OK)
        goto out;
    ret = sls_sqlite_conn_open(s->path, false, s->max_bytes, &s->writer, why, whylen);
    if (ret != SLS_OK)
        goto out;
    ret = sls_sqlite_check_existing(s->writer->h, why, whylen);
    if (ret != SLS_OK)
        goto out;
    ret = sls_sqlite_migrate(s->writer->h, why, whylen);
    if (ret != SLS_OK)
        goto out;
    ret = sls_sqlite_checkpointer_start(s->path, s->max_bytes, s->writer->h, &s->checkpointer, why,
                                        whylen);
    if (ret != SLS_OK)
        goto out;
    if (sls_sqlite_thread_start(&s->thread, writer_main, s) != 0) {
        snprintf(why, whylen, "cannot start the writer thread");
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
    out->checkpoints = sls_sqlite_checkpointer_runs(s->checkpointer);
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

    int rc;

    ret = sls_sqlite_conn_open(s->path, false, s->max_bytes, &c, NULL, 0);
    if (ret != SLS_OK)
        return ret;
    rc = sqlite3_wal_checkpoint_v2(c->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    if (rc != SQLITE_OK)
        ret = sls_sqlite_report(c->h, "scrub", rc, NULL, 0);
    sls_sqlite_conn_close(c);
    return ret;
}

/* The probe of sls_store_health: a real write that needs free pages (a row
 * larger than a page, which cannot fit in the free room of a page and takes
 * overflow pages, deleted again in the same job: the file grows by those few
 * pages at most once, later probes and writes reuse them) and a committed
 * change (the time of the probe in meta), so that both a size cap reached
 * and a disk that cannot take the WAL fail it. */
static int probe_fn(struct sls_db *db, void *arg)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    char at[32];
    int rc;

    snprintf(at, sizeof at, "%lld", (long long)*(const int64_t *)arg);
    rc = sqlite3_exec(c->h,
                      "INSERT INTO meta(key, value) VALUES('health_probe_page', "
                      "hex(zeroblob(4096)));"
                      "DELETE FROM meta WHERE key = 'health_probe_page';",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = sls_sqlite_report(c->h, "health_probe", rc, c->reason, sizeof c->reason);
        if (rc == SLS_ERR_STORE_UNAVAILABLE)
            c->unavailable = true;
        return rc;
    }
    return sls_sqlite_meta_set(db, "health_probe", at);
}

static int sq_health(struct sls_store *base, int64_t now, char *reason, size_t reasonlen)
{
    struct sqlite_store *s = (struct sqlite_store *)base;

    if (sls_write_state_probe_due(&s->state, now))
        (void)sq_write(base, probe_fn, &now); /* the batch sets or clears the state */
    return sls_write_state_report(&s->state, reason, reasonlen);
}

const struct sls_store_backend sls_sqlite_backend = {
    .scheme = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .read = sq_read,
    .write = sq_write,
    .scrub = sq_scrub,
    .health = sq_health,
};
