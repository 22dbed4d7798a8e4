/* The WAL checkpoint of the SQLite store on a thread of its own; see
 * sqlite_checkpoint.h. */
#include "sqlite_checkpoint.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/error.h"
#include "sqlite_store.h"

struct sls_sqlite_checkpointer {
    struct sls_sqlite_conn *conn; /* the thread's own */
    sqlite3 *writer;              /* whose WAL hook points here */
    pthread_t thread;
    pthread_mutex_t mu; /* guards the fields below */
    pthread_cond_t wake;
    bool due;      /* the writer left the WAL past the threshold */
    bool stopping; /* stop asked */
    uint64_t runs;
};

/* The writer's WAL hook, called after each commit with the WAL's length in
 * pages: wakes the thread once the WAL is long enough. Never fails a commit. */
static int wal_hook(void *arg, sqlite3 *h, const char *db, int pages)
{
    struct sls_sqlite_checkpointer *cp = arg;

    (void)h;
    (void)db;
    if (pages < SLS_SQLITE_CHECKPOINT_PAGES)
        return SQLITE_OK;
    pthread_mutex_lock(&cp->mu);
    if (!cp->due) {
        cp->due = true;
        pthread_cond_signal(&cp->wake);
    }
    pthread_mutex_unlock(&cp->mu);
    return SQLITE_OK;
}

static void *checkpointer_main(void *arg)
{
    struct sls_sqlite_checkpointer *cp = arg;

    pthread_mutex_lock(&cp->mu);
    for (;;) {
        while (!cp->due && !cp->stopping)
            pthread_cond_wait(&cp->wake, &cp->mu);
        if (cp->stopping)
            break;
        cp->due = false;
        pthread_mutex_unlock(&cp->mu);
        /* A failure (busy with a scrub's TRUNCATE, an I/O error) leaves the
         * frames in the WAL, where readers still find them: the next commit
         * past the threshold asks again. */
        (void)sqlite3_wal_checkpoint_v2(cp->conn->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&cp->mu);
        cp->runs++;
    }
    pthread_mutex_unlock(&cp->mu);
    return NULL;
}

int sls_sqlite_checkpointer_start(const char *path, int64_t max_bytes, sqlite3 *writer,
                                  struct sls_sqlite_checkpointer **out, char *why, size_t whylen)
{
    struct sls_sqlite_checkpointer *cp = calloc(1, sizeof(*cp));
    int ret;

    *out = NULL;
    if (cp == NULL)
        return SLS_ERR_NOMEM;
    pthread_mutex_init(&cp->mu, NULL);
    pthread_cond_init(&cp->wake, NULL);
    ret = sls_sqlite_conn_open(path, false, max_bytes, &cp->conn, why, whylen);
    if (ret != SLS_OK)
        goto fail;
    if (sls_sqlite_thread_start(&cp->thread, checkpointer_main, cp) != 0) {
        snprintf(why, whylen, "cannot start the checkpoint thread");
        ret = SLS_ERR_STORE;
        goto fail;
    }
    /* Replaces the auto-checkpoint, which is itself a WAL hook. */
    cp->writer = writer;
    sqlite3_wal_hook(writer, wal_hook, cp);
    *out = cp;
    return SLS_OK;
fail:
    sls_sqlite_conn_close(cp->conn);
    pthread_cond_destroy(&cp->wake);
    pthread_mutex_destroy(&cp->mu);
    free(cp);
    return ret;
}

uint64_t sls_sqlite_checkpointer_runs(struct sls_sqlite_checkpointer *cp)
{
    uint64_t n;

    pthread_mutex_lock(&cp->mu);
    n = cp->runs;
    pthread_mutex_unlock(&cp->mu);
    return n;
}

void sls_sqlite_checkpointer_stop(struct sls_sqlite_checkpointer *cp)
{
    if (cp == NULL)
        return;
    sqlite3_wal_hook(cp->writer, NULL, NULL);
    pthread_mutex_lock(&cp->mu);
    cp->stopping = true;
    pthread_cond_signal(&cp->wake);
    pthread_mutex_unlock(&cp->mu);
    pthread_join(cp->thread, NULL);
    sls_sqlite_conn_close(cp->conn);
    pthread_cond_destroy(&cp->wake);
    pthread_mutex_destroy(&cp->mu);
    free(cp);
}
