/* What a failure of SQLite means to the store, and its log line.
 *
 * Every failing path of the SQLite store goes through sls_sqlite_report: it
 * says whether the failure makes the store unavailable (SLS_ERR_STORE_UNAVAILABLE,
 * worth retrying later) or is some other store error (SLS_ERR_STORE), and logs
 * it once with SQLite's own message and the operation, never with a value of
 * the request. A burst of the same failure (a full disk fails every write)
 * logs one line per operation and code every SLS_SQLITE_REPORT_SECONDS, the
 * next line counting the ones left out. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/error.h"
#include "sqlite_store.h"

#define SEEN_MAX 32 /* (operation, code) pairs remembered; the oldest is reused */

struct seen {
    char op[40];
    int rc;
    int64_t logged_at;
    uint64_t suppressed;
    bool used;
};

static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct seen seen[SEEN_MAX];

bool sls_sqlite_unavailable(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PROTOCOL:
        return true;
    default:
        return false;
    }
}

/* The name of SQLite's extended result code: "SQLITE_IOERR_WRITE". */
static const char *code_name(int rc)
{
    static const struct {
        int rc;
        const char *name;
    } names[] = {
        {SQLITE_ERROR, "SQLITE_ERROR"},
        {SQLITE_INTERNAL, "SQLITE_INTERNAL"},
        {SQLITE_PERM, "SQLITE_PERM"},
        {SQLITE_ABORT, "SQLITE_ABORT"},
        {SQLITE_BUSY, "SQLITE_BUSY"},
        {SQLITE_BUSY_SNAPSHOT, "SQLITE_BUSY_SNAPSHOT"},
        {SQLITE_BUSY_RECOVERY, "SQLITE_BUSY_RECOVERY"},
        {SQLITE_LOCKED, "SQLITE_LOCKED"},
        {SQLITE_NOMEM, "SQLITE_NOMEM"},
        {SQLITE_READONLY, "SQLITE_READONLY"},
        {SQLITE_READONLY_DBMOVED, "SQLITE_READONLY_DBMOVED"},
        {SQLITE_READONLY_DIRECTORY, "SQLITE_READONLY_DIRECTORY"},
        {SQLITE_READONLY_RECOVERY, "SQLITE_READONLY_RECOVERY"},
        {SQLITE_READONLY_CANTLOCK, "SQLITE_READONLY_CANTLOCK"},
        {SQLITE_INTERRUPT, "SQLITE_INTERRUPT"},
        {SQLITE_IOERR, "SQLITE_IOERR"},
        {SQLITE_IOERR_READ, "SQLITE_IOERR_READ"},
        {SQLITE_IOERR_SHORT_READ, "SQLITE_IOERR_SHORT_READ"},
        {SQLITE_IOERR_WRITE, "SQLITE_IOERR_WRITE"},
        {SQLITE_IOERR_FSYNC, "SQLITE_IOERR_FSYNC"},
        {SQLITE_IOERR_TRUNCATE, "SQLITE_IOERR_TRUNCATE"},
        {SQLITE_IOERR_FSTAT, "SQLITE_IOERR_FSTAT"},
        {SQLITE_IOERR_NOMEM, "SQLITE_IOERR_NOMEM"},
        {SQLITE_IOERR_SHMOPEN, "SQLITE_IOERR_SHMOPEN"},
        {SQLITE_IOERR_SHMSIZE, "SQLITE_IOERR_SHMSIZE"},
        {SQLITE_CORRUPT, "SQLITE_CORRUPT"},
        {SQLITE_NOTFOUND, "SQLITE_NOTFOUND"},
        {SQLITE_FULL, "SQLITE_FULL"},
        {SQLITE_CANTOPEN, "SQLITE_CANTOPEN"},
        {SQLITE_CANTOPEN_ISDIR, "SQLITE_CANTOPEN_ISDIR"},
        {SQLITE_CANTOPEN_FULLPATH, "SQLITE_CANTOPEN_FULLPATH"},
        {SQLITE_PROTOCOL, "SQLITE_PROTOCOL"},
        {SQLITE_SCHEMA, "SQLITE_SCHEMA"},
        {SQLITE_TOOBIG, "SQLITE_TOOBIG"},
        {SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT"},
        {SQLITE_MISMATCH, "SQLITE_MISMATCH"},
        {SQLITE_MISUSE, "SQLITE_MISUSE"},
        {SQLITE_RANGE, "SQLITE_RANGE"},
        {SQLITE_NOTADB, "SQLITE_NOTADB"},
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].rc == rc)
            return names[i].name;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].rc == (rc & 0xff))
            return names[i].name;
    return "SQLITE_?";
}

/* Whether to log (op, rc) at now; *left_out: how many were not logged since
 * the last line. */
static bool may_log(const char *op, int rc, int64_t now, uint64_t *left_out)
{
    struct seen *slot = NULL, *oldest = &seen[0];
    bool log = true;

    *left_out = 0;
    pthread_mutex_lock(&seen_mu);
    for (size_t i = 0; i < SEEN_MAX; i++) {
        if (seen[i].used && seen[i].rc == rc && strcmp(seen[i].op, op) == 0) {
            slot = &seen[i];
            break;
        }
        if (!seen[i].used || (oldest->used && seen[i].logged_at < oldest->logged_at))
            oldest = &seen[i];
    }
    if (slot && now - slot->logged_at < SLS_SQLITE_REPORT_SECONDS) {
        slot->suppressed++;
        log = false;
    } else if (slot) {
        *left_out = slot->suppressed;
        slot->suppressed = 0;
        slot->logged_at = now;
    } else {
        slot = oldest;
        snprintf(slot->op, sizeof slot->op, "%s", op);
        slot->rc = rc;
        slot->logged_at = now;
        slot->suppressed = 0;
        slot->used = true;
    }
    pthread_mutex_unlock(&seen_mu);
    return log;
}

static void to_stderr(const char *line, void *arg)
{
    (void)arg;
    fprintf(stderr, "%s\n", line);
}

int sls_sqlite_report_at(sqlite3 *h, const char *op, int rc, char *reason, size_t reasonlen,
                         int64_t now, void (*sink)(const char *line, void *arg), void *arg)
{
    const char *msg = h ? sqlite3_errmsg(h) : NULL;
    char text[256], line[320];
    uint64_t left_out;

    if (h && sqlite3_extended_errcode(h) != SQLITE_OK &&
        (sqlite3_extended_errcode(h) & 0xff) == (rc & 0xff))
        rc = sqlite3_extended_errcode(h);
    if (!msg || !*msg || (h && sqlite3_errcode(h) == SQLITE_OK))
        msg = sqlite3_errstr(rc);
    snprintf(text, sizeof text, "%s: %s (%s)", op, msg, code_name(rc));
    if (reason && reasonlen > 0)
        snprintf(reason, reasonlen, "%s", text);
    if (may_log(op, rc, now, &left_out)) {
        if (left_out > 0)
            snprintf(line, sizeof line, "store: %s [%" PRIu64 " more since the last line]", text,
                     left_out);
        else
            snprintf(line, sizeof line, "store: %s", text);
        sink(line, arg);
    }
    return sls_sqlite_unavailable(rc) ? SLS_ERR_STORE_UNAVAILABLE : SLS_ERR_STORE;
}

int sls_sqlite_report(sqlite3 *h, const char *op, int rc, char *reason, size_t reasonlen)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return sls_sqlite_report_at(h, op, rc, reason, reasonlen, (int64_t)ts.tv_sec, to_stderr, NULL);
}
