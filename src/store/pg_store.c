/* The PostgreSQL backend of the store: opening (the schema created or
 * migrated under an advisory lock), a pool of connections, transactions and
 * health.
 *
 * Every rule stays exact across nodes because each write callback runs as
 * one SERIALIZABLE transaction: PostgreSQL lets it commit only if it has the
 * same effect as some serial order of all transactions. That covers the
 * read-then-insert patterns a compare-and-swap on a row cannot (a sum of
 * withdrawals checked against a limit, then a new withdrawal inserted; the
 * audit tail read, then the next record appended). A transaction that loses
 * (SQLSTATE 40001 serialization_failure, 40P01 deadlock) is rolled back and
 * its callback run again from the start on a fresh snapshot, up to
 * WRITE_ATTEMPTS times with a short randomized backoff (from the LOCK_AFTER-th
 * on one at a time, under an advisory lock); after the last the
 * caller gets SLS_ERR_STORE_UNAVAILABLE and one log line (the store is too
 * contended to answer now; the callers' own CAS retries are separate and
 * answer SLS_ERR_CONFLICT as on SQLite). So a write callback may run more
 * than once: it must only write its outputs (overwritten on each run) and
 * never act outside the db (store.h).
 *
 * A read callback runs in one REPEATABLE READ READ ONLY transaction: one
 * snapshot, no writes.
 *
 * Pool: up to `pool` connections, opened on demand, one borrowed per
 * transaction; a borrower waits at most `timeout` seconds for one, then gets
 * SLS_ERR_STORE_UNAVAILABLE. A connection that was lost (or a server that
 * cannot serve) fails its transaction with SLS_ERR_STORE_UNAVAILABLE and is
 * closed; the next borrower connects anew, so the store recovers by itself
 * once PostgreSQL is back. A connection found dead at BEGIN (the server
 * restarted while it was idle) is replaced at once: nothing ran on it.
 *
 * No scrub: what PostgreSQL overwrites is its own to recycle (WAL segments,
 * VACUUM), which the operator runs (docs/operations.md). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/error.h"
#include "pg_store.h"
#include "write_state.h"

#define WRITE_ATTEMPTS 20
/* From this attempt on, a write that keeps failing to serialize runs alone:
 * every write holds the cluster-wide advisory lock RETRY_LOCK around its
 * transaction (a session lock, taken before BEGIN), shared on its first
 * attempts and exclusive from this one. The exclusive holder waits for the
 * writers running, new ones queue behind it, and it then runs with no
 * concurrent writer on any node, so it cannot fail to serialize again: a hot
 * row (one user's counter under attack from many addresses) cannot starve a
 * writer into 503s. */
#define LOCK_AFTER      3
#define RETRY_LOCK      "7564404" /* the schema's lock is 7564403 */
#define DEFAULT_POOL    8
#define DEFAULT_TIMEOUT 2

struct pg_store {
    struct sls_store base;
    char *conninfo;
    int pool;    /* most connections open at once */
    int timeout; /* seconds: connect, statements, locks, waiting for a connection */
    pthread_mutex_t mu;
    pthread_cond_t freed;
    struct sls_pg_conn **idle;
    int nidle;
    int open;                     /* connections open: idle or borrowed */
    struct sls_write_state state; /* what the last write found (own lock) */
};

/* A callback that calls the store again would hold two connections, and
 * could wait for itself when the pool is empty: refused, as on SQLite. */
static _Thread_local int depth;

/* A connection for one transaction: an idle one, a new one while the pool
 * has room, or the first freed within the timeout. *fresh tells a new one. */
static int borrow(struct pg_store *s, struct sls_pg_conn **out, bool *fresh)
{
    struct timespec deadline;
    char why[256] = "";
    int ret;

    *out = NULL;
    *fresh = false;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += s->timeout;
    pthread_mutex_lock(&s->mu);
    while (s->nidle == 0 && s->open >= s->pool) {
        if (pthread_cond_timedwait(&s->freed, &s->mu, &deadline) == ETIMEDOUT && s->nidle == 0 &&
            s->open >= s->pool) {
            pthread_mutex_unlock(&s->mu);
            snprintf(why, sizeof why, "no free connection within %d s (pool %d)", s->timeout,
                     s->pool);
            sls_pg_report("pool", "-", why, NULL, 0);
            return SLS_ERR_STORE_UNAVAILABLE;
        }
    }
    if (s->nidle > 0) {
        *out = s->idle[--s->nidle];
        pthread_mutex_unlock(&s->mu);
        return SLS_OK;
    }
    s->open++;
    pthread_mutex_unlock(&s->mu);
    ret = sls_pg_conn_open(s->conninfo, s->timeout, out, why, sizeof why);
    if (ret != SLS_OK) {
        pthread_mutex_lock(&s->mu);
        s->open--;
        pthread_cond_signal(&s->freed);
        pthread_mutex_unlock(&s->mu);
        sls_write_state_set(&s->state, true, why);
        return ret;
    }
    *fresh = true;
    return SLS_OK;
}

/* Hands c back to the pool, or closes it when it is lost or still inside a
 * transaction. */
static void give_back(struct pg_store *s, struct sls_pg_conn *c)
{
    bool keep = sls_pg_conn_ok(c) && !c->drop;

    if (!keep)
        sls_pg_conn_close(c);
    pthread_mutex_lock(&s->mu);
    if (keep)
        s->idle[s->nidle++] = c;
    else
        s->open--;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->mu);
}

/* Ends the transaction of c without keeping anything. */
static void rollback(struct sls_pg_conn *c)
{
    if (PQstatus(c->h) == CONNECTION_OK && PQtransactionStatus(c->h) != PQTRANS_IDLE) {
        PGresult *res = PQexec(c->h, "ROLLBACK");

        PQclear(res);
    }
}

/* How a transaction holds RETRY_LOCK: reads not at all, writes shared, then
 * exclusive (see LOCK_AFTER). */
enum retry_lock { RETRY_LOCK_NONE, RETRY_LOCK_SHARED, RETRY_LOCK_EXCLUSIVE };

/* Ends the work on c: rolls back what is open, releases the retry lock held
 * as `locked`, and hands c back (closed when the lock cannot be released). */
static void finish(struct pg_store *s, struct sls_pg_conn *c, enum retry_lock locked)
{
    rollback(c);
    if (locked != RETRY_LOCK_NONE && PQstatus(c->h) == CONNECTION_OK) {
        PGresult *res = PQexec(c->h, locked == RETRY_LOCK_SHARED
                                         ? "SELECT pg_advisory_unlock_shared(" RETRY_LOCK ")"
                                         : "SELECT pg_advisory_unlock(" RETRY_LOCK ")");

        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            c->drop = true; /* closing the session releases the lock */
        PQclear(res);
    }
    give_back(s, c);
}

/* Borrows a connection and begins a transaction with `begin`, first taking
 * the retry lock as `lock` (a session lock, so the snapshot of the
 * transaction is taken after it is held). A connection that died while idle
 * (a server restart) is replaced by a new one once. */
static int start(struct pg_store *s, const char *begin, enum retry_lock lock,
                 struct sls_pg_conn **out)
{
    for (int tries = 0;; tries++) {
        struct sls_pg_conn *c;
        bool fresh;
        int ret = borrow(s, &c, &fresh);

        if (ret != SLS_OK)
            return ret;
        c->failed = c->retry = c->unavailable = c->drop = false;
        c->reason[0] = '\0';
        ret = SLS_OK;
        if (lock == RETRY_LOCK_SHARED)
            ret = sls_pg_exec(c, "retry lock", "SELECT pg_advisory_lock_shared(" RETRY_LOCK ")");
        else if (lock == RETRY_LOCK_EXCLUSIVE)
            ret = sls_pg_exec(c, "retry lock", "SELECT pg_advisory_lock(" RETRY_LOCK ")");
        if (ret == SLS_OK) {
            ret = sls_pg_exec(c, "begin", begin);
            if (ret != SLS_OK && lock != RETRY_LOCK_NONE) {
                finish(s, c, lock);
                return ret;
            }
        }
        if (ret == SLS_OK) {
            *out = c;
            return SLS_OK;
        }
        if (c->unavailable)
            sls_write_state_set(&s->state, true, c->reason);
        rollback(c);
        give_back(s, c);
        if (fresh || tries > 0 || ret != SLS_ERR_STORE_UNAVAILABLE)
            return ret;
    }
}

/* A short randomized pause before a transaction runs again: up to 2^attempt
 * milliseconds (at most 64). */
static void backoff(int attempt)
{
    static _Thread_local unsigned seed;
    struct timespec ts;
    long ms;

    if (seed == 0)
        seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&ts;
    ms = 1 + rand_r(&seed) % (1L << (attempt < 6 ? attempt + 1 : 6));
    ts.tv_sec = 0;
    ts.tv_nsec = ms * 1000000L;
    nanosleep(&ts, NULL);
}

static int pg_write(struct sls_store *base, sls_store_fn fn, void *arg)
{
    struct pg_store *s = (struct pg_store *)base;

    if (depth > 0)
        return SLS_ERR_STORE;
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        struct sls_pg_conn *c;
        enum retry_lock locked = attempt >= LOCK_AFTER ? RETRY_LOCK_EXCLUSIVE : RETRY_LOCK_SHARED;
        int ret = start(s, "BEGIN ISOLATION LEVEL SERIALIZABLE", locked, &c);

        if (ret != SLS_OK)
            return ret;
        depth++;
        ret = fn(&c->db, arg);
        depth--;
        if (!c->retry && !c->unavailable) {
            if (ret != SLS_OK) {
                finish(s, c, locked);
                return ret;
            }
            if (c->failed) {
                /* A statement failed and the callback went on as if not:
                 * PostgreSQL aborted the transaction, nothing is kept. */
                sls_pg_report("write", "-", "the callback ignored a failed statement", NULL, 0);
                finish(s, c, locked);
                return SLS_ERR_STORE;
            }
            ret = sls_pg_exec(c, "commit", "COMMIT");
            if (ret == SLS_OK) {
                finish(s, c, locked);
                sls_write_state_set(&s->state, false, "");
                return SLS_OK;
            }
        }
        if (c->retry) {
            finish(s, c, locked);
            backoff(attempt);
            continue;
        }
        /* Unavailable (lost or unable to serve), or a COMMIT that failed. */
        if (c->unavailable) {
            sls_write_state_set(&s->state, true, c->reason);
            ret = SLS_ERR_STORE_UNAVAILABLE;
        } else if (ret == SLS_OK) {
            ret = SLS_ERR_STORE;
        }
        finish(s, c, locked);
        return ret;
    }
    sls_pg_report("write", "40001",
                  "the transaction failed to serialize on every attempt; giving up", NULL, 0);
    return SLS_ERR_STORE_UNAVAILABLE;
}

static int pg_read(struct sls_store *base, sls_store_fn fn, void *arg)
{
    struct pg_store *s = (struct pg_store *)base;
    struct sls_pg_conn *c;
    int ret;

    if (depth > 0)
        return SLS_ERR_STORE;
    ret = start(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", RETRY_LOCK_NONE, &c);
    if (ret != SLS_OK)
        return ret;
    depth++;
    ret = fn(&c->db, arg);
    depth--;
    if (c->unavailable)
        ret = SLS_ERR_STORE_UNAVAILABLE;
    else if (ret == SLS_OK && c->failed)
        ret = SLS_ERR_STORE;
    /* Nothing to keep: a read ends by a rollback. */
    rollback(c);
    give_back(s, c);
    return ret;
}

/* ---- health ---- */

/* The probe of sls_store_health: a real write (the time of the probe in meta). */
static int probe_fn(struct sls_db *db, void *arg)
{
    char at[32];

    snprintf(at, sizeof at, "%lld", (long long)*(const int64_t *)arg);
    return SLS_DB(db, meta_set, "health_probe", at);
}

static int pg_health(struct sls_store *base, int64_t now, char *reason, size_t reasonlen)
{
    struct pg_store *s = (struct pg_store *)base;

    if (sls_write_state_probe_due(&s->state, now) && depth == 0)
        (void)pg_write(base, probe_fn, &now); /* sets or clears the state */
    return sls_write_state_report(&s->state, reason, reasonlen);
}

/* ---- open and close ---- */

static void pg_close(struct sls_store *base)
{
    struct pg_store *s = (struct pg_store *)base;

    if (!s)
        return;
    while (s->nidle > 0)
        sls_pg_conn_close(s->idle[--s->nidle]);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->state.mu);
    pthread_mutex_destroy(&s->mu);
    free(s->idle);
    free(s->conninfo);
    free(s);
}

static int pg_open(const char *location, const struct sls_store_options *opts,
                   struct sls_store **out, char *why, size_t whylen)
{
    struct pg_store *s;
    struct sls_pg_conn *c = NULL;
    int ret;

    *out = NULL;
    if (!location || !*location)
        return SLS_ERR_BAD_REQUEST;
    s = calloc(1, sizeof *s);
    if (!s)
        return SLS_ERR_NOMEM;
    s->base.backend = &sls_pg_backend;
    s->pool = opts->pool > 0 ? opts->pool : DEFAULT_POOL;
    s->timeout = opts->timeout > 0 ? opts->timeout : DEFAULT_TIMEOUT;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->state.mu, NULL);
    pthread_cond_init(&s->freed, NULL);
    s->conninfo = strdup(location);
    s->idle = calloc((size_t)s->pool, sizeof *s->idle);
    if (!s->conninfo || !s->idle) {
        ret = SLS_ERR_NOMEM;
        goto fail;
    }
    ret = sls_pg_conn_open(s->conninfo, s->timeout, &c, why, whylen);
    if (ret != SLS_OK)
        goto fail;
    ret = sls_pg_migrate(c, why, whylen);
    if (ret != SLS_OK)
        goto fail;
    s->idle[s->nidle++] = c;
    s->open = 1;
    *out = &s->base;
    return SLS_OK;
fail:
    sls_pg_conn_close(c);
    pg_close(&s->base);
    return ret;
}

const struct sls_store_backend sls_pg_backend = {
    .scheme = "postgresql",
    .whole_url = true,
    .open = pg_open,
    .close = pg_close,
    .read = pg_read,
    .write = pg_write,
    .scrub = NULL,
    .health = pg_health,
};

/* The short scheme libpq accepts too. */
const struct sls_store_backend sls_pg_backend_short = {
    .scheme = "postgres",
    .whole_url = true,
    .open = pg_open,
    .close = pg_close,
    .read = pg_read,
    .write = pg_write,
    .scrub = NULL,
    .health = pg_health,
};
