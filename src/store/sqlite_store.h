/* The SQLite backend of the store, as its files see each other.
 *
 * sqlite_store.c  the backend: opening, the writer thread (group commit) and
 *                 the pool of read connections;
 * sqlite_conn.c   one connection: pragmas, the statement cache, error mapping;
 * sqlite_report.c what a failure of SQLite is (unavailable or not), and its
 *                 log line, rate-limited;
 * sqlite_open.c   the checks of an existing file before sls writes to it;
 * sqlite_schema.c the numbered migrations;
 * sqlite_records.c the sls_db_ops: rows <-> records (with sqlite_log.c and
 *                 sqlite_outbox.c, sqlite_secrets.c, sqlite_documents.c,
 *                 sqlite_dsc_plus.c).
 * sqlite_columns.c records bound and read through their column tables
 *                 (columns.h), and their SQL text built from them.
 *
 * Nothing here is part of the store contract (store.h); only the store's own
 * files and its tests include it. */
#ifndef SLS_STORE_SQLITE_STORE_H
#define SLS_STORE_SQLITE_STORE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

/* Slots of the per-connection statement cache: one per SQL text used. The
 * slot names the store operation in the log (SQ_USER_BY_NAME: user_by_name). */
#define SLS_SQLITE_SLOTS(X)                                                                        \
    X(BEGIN_READ = 0)                                                                              \
    X(BEGIN_WRITE)                                                                                 \
    X(COMMIT)                                                                                      \
    X(ROLLBACK)                                                                                    \
    X(SAVEPOINT)                                                                                   \
    X(RELEASE)                                                                                     \
    X(ROLLBACK_TO)                                                                                 \
    X(USER_INSERT)                                                                                 \
    X(USER_BY_NAME)                                                                                \
    X(USER_BY_ID)                                                                                  \
    X(USER_BY_ACCOUNT)                                                                             \
    X(DEVICE_INSERT)                                                                               \
    X(DEVICE_GET)                                                                                  \
    X(DEVICE_LIST)                                                                                 \
    X(LOGIN_INSERT)                                                                                \
    X(LOGIN_GET)                                                                                   \
    X(LOGIN_CAS)                                                                                   \
    X(SESSION_INSERT)                                                                              \
    X(SESSION_GET)                                                                                 \
    X(SESSION_REVOKE_DEVICE)                                                                       \
    X(SESSION_EXTEND_DEVICE)                                                                       \
    X(AUDIT_LAST)                                                                                  \
    X(AUDIT_INSERT)                                                                                \
    X(AUDIT_SCAN_ALL)                                                                              \
    X(AUDIT_SCAN_USER)                                                                             \
    X(IDENTITY_INSERT)                                                                             \
    X(IDENTITY_LATEST)                                                                             \
    X(OUTBOX_INSERT)                                                                               \
    X(OUTBOX_LIST_ALL)                                                                             \
    X(OUTBOX_LIST_TO)                                                                              \
    X(OUTBOX_DUE)                                                                                  \
    X(OUTBOX_PURGE)                                                                                \
    X(BLOB_PUT)                                                                                    \
    X(BLOB_GET)                                                                                    \
    X(DOCUMENT_INSERT)                                                                             \
    X(DOCUMENT_GET)                                                                                \
    X(DOCUMENT_LIST)                                                                               \
    X(REJECTION_INSERT)                                                                            \
    X(REJECTION_LIST)                                                                              \
    X(META_GET)                                                                                    \
    X(META_SET)                                                                                    \
    X(SESSION_REVOKE_USER)                                                                         \
    X(IBKEY_KEY_PUT)                                                                               \
    X(IBKEY_KEY_GET)                                                                               \
    X(PUSH_INSERT)                                                                                 \
    X(PUSH_GET)                                                                                    \
    X(PUSH_DECIDE)                                                                                 \
    X(PUSH_LIST_KEY)                                                                               \
    X(PUSH_COUNT)                                                                                  \
    X(SIGNED_PRUNE)                                                                                \
    X(SIGNED_MARK)                                                                                 \
    X(WITHDRAWAL_INSERT)                                                                           \
    X(WITHDRAWAL_SUM)                                                                              \
    X(DEPOSIT_INSERT)                                                                              \
    X(DEPOSIT_SUM)                                                                                 \
    X(REVIEW_INSERT)                                                                               \
    X(REVIEW_GET)                                                                                  \
    X(REVIEW_LIST)                                                                                 \
    X(REVIEW_DECIDE)                                                                               \
    X(BANK_PUT)                                                                                    \
    X(BANK_GET)                                                                                    \
    X(DSC_ORDER_INSERT)                                                                            \
    X(DSC_ORDER_GET)                                                                               \
    X(DSC_ORDER_LIST)                                                                              \
    X(SHARING_INSERT)                                                                              \
    X(SHARING_GET)                                                                                 \
    X(SHARING_GET_OPEN)                                                                            \
    X(SHARING_LIST)                                                                                \
    X(SHARING_UPDATE)                                                                              \
    X(CLIENT_TOKEN_PRUNE)                                                                          \
    X(CLIENT_TOKEN_INSERT)                                                                         \
    X(CLIENT_TOKEN_GET)                                                                            \
    X(CLIENT_TOKEN_CAS)                                                                            \
    X(CLIENT_TOKEN_DELETE)                                                                         \
    X(CLIENT_TOKEN_LIST)                                                                           \
    X(CLIENT_TOKEN_UNLOCK)                                                                         \
    X(SECRET_PUT)                                                                                  \
    X(SECRET_GET)                                                                                  \
    X(SECRET_FAIL)                                                                                 \
    X(SECRET_TAKE)                                                                                 \
    X(OUTBOX_SETTLE)                                                                               \
    X(OUTBOX_CLAIM)                                                                                \
    X(OUTBOX_RELEASE)                                                                              \
    X(REVIEW_LIST_NEWEST)                                                                          \
    X(DSC_ORDER_UPDATE)                                                                            \
    X(USER_UPDATE)                                                                                 \
    X(DEVICE_UPDATE)                                                                               \
    X(SESSION_UPDATE)                                                                              \
    X(DEVICE_TOTP_STEP)                                                                            \
    X(DEVICE_BY_PASSKEY)                                                                           \
    X(DEVICE_PASSKEY_COUNT)                                                                        \
    X(STOCK_DEVICE_SERIAL)                                                                         \
    X(STOCK_INSERT)                                                                                \
    X(STOCK_GET)                                                                                   \
    X(STOCK_ASSIGN)                                                                                \
    X(STOCK_LIST)                                                                                  \
    X(STOCK_COUNT)

#define SLS_SQLITE_SLOT_ENUM(name) SQ_##name,
enum sls_sqlite_slot { SLS_SQLITE_SLOTS(SLS_SQLITE_SLOT_ENUM) SQ__COUNT };

/* One connection. `db` comes first so that a struct sls_db * handed to the
 * ops is the connection itself. */
struct sls_sqlite_conn {
    struct sls_db db;
    sqlite3 *h;
    sqlite3_stmt *stmt[SQ__COUNT];
    struct sls_sqlite_conn *next; /* link in the pool of idle readers */
    enum sls_sqlite_slot op;      /* the statement fetched last: the operation */
    bool unavailable;             /* a failure since last cleared made the store unavailable */
    char reason[256];             /* the log line of the last failure, without the prefix */
    /* The audit chain's tail (seq, hash) as the open write transaction left
     * it, so that its next append need not read it back. Known only after an
     * append of this transaction: forgotten at every BEGIN and ROLLBACK (TO),
     * where another writer may have appended meanwhile or the append was
     * undone. */
    bool audit_tail_known;
    int64_t audit_tail_seq;
    char audit_tail_hash[65];
};

/* Counters of the writer, for tests and metrics. */
struct sls_sqlite_stats {
    uint64_t batches;     /* transactions committed or attempted */
    uint64_t jobs;        /* write jobs run */
    uint64_t queued;      /* jobs waiting right now */
    uint64_t checkpoints; /* WAL checkpoints run off the commit path */
};

/* Starts a thread of the SQLite store with every signal blocked in it, so
 * that a signal sent to the process (slsd's SIGTERM) goes to a thread that
 * waits for it and never to a store thread, where its default action would
 * end the process. Returns pthread_create's answer. */
int sls_sqlite_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

extern const struct sls_store_backend sls_sqlite_backend;
extern const struct sls_db_ops sls_sqlite_ops;

/* Opens a connection to the file at path with the pragmas of sls
 * (WAL, synchronous=FULL, foreign_keys=ON, busy_timeout). A read-only
 * connection cannot change anything. max_bytes > 0 caps the size of the
 * file (PRAGMA max_page_count, in whole pages) for a writing connection. Returns SLS_OK or a
 * store error, with SQLite's reason in why (may be NULL). */
int sls_sqlite_conn_open(const char *path, bool readonly, int64_t max_bytes,
                         struct sls_sqlite_conn **out, char *why, size_t whylen);
/* Finalizes the cached statements and closes; NULL is a no-op. */
void sls_sqlite_conn_close(struct sls_sqlite_conn *c);

/* The statement of `slot` with text `sql`, prepared once per connection and
 * kept. When that statement is already running (a callback re-entering the
 * same primitive), a fresh one is prepared instead. NULL on error. Hand it
 * back with sls_sqlite_stmt_put. */
sqlite3_stmt *sls_sqlite_stmt_get(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                                  const char *sql);
/* Resets and unbinds a cached statement, finalizes a fresh one. NULL is a no-op. */
void sls_sqlite_stmt_put(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, sqlite3_stmt *st);
/* Runs a statement without parameters or rows (BEGIN, COMMIT, SAVEPOINT ...).
 * Returns the SQLite result code (SQLITE_OK on success). */
int sls_sqlite_exec(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, const char *sql);
/* Maps a failed step of connection c to SLS_ERR_CONFLICT (unique or primary
 * key taken), SLS_ERR_NOT_FOUND (a referenced row is missing),
 * SLS_ERR_STORE_UNAVAILABLE (sls_sqlite_unavailable) or SLS_ERR_STORE; the
 * last two are logged (sls_sqlite_report) with the operation c->op. rc 0
 * means the connection's own last error (a statement that could not be
 * prepared). */
int sls_sqlite_error(struct sls_sqlite_conn *c, int rc);

/* True for the SQLite results that mean the store cannot write or cannot be
 * reached, as opposed to a bad statement or row: the disk is full or the
 * size cap reached, an I/O error, the file cannot be opened, is read-only,
 * is not a database or is damaged, or the lock stayed taken past the busy
 * timeout. */
bool sls_sqlite_unavailable(int rc);
/* Logs one failure of the store: "store: OP: MESSAGE (CODE)", with SQLite's
 * message of h (or its generic text of rc when h is NULL) and the name of the
 * extended code. Bounded: the same operation and code is logged at most once
 * per SLS_SQLITE_REPORT_SECONDS of monotonic time, the next line telling how
 * many were left out. The line (without "store: ") goes to reason too when it
 * is not NULL. Returns SLS_ERR_STORE_UNAVAILABLE or SLS_ERR_STORE. */
int sls_sqlite_report(sqlite3 *h, const char *op, int rc, char *reason, size_t reasonlen);
/* As sls_sqlite_report, with the clock given (seconds of a monotonic clock)
 * and the line handed to `sink` instead of stderr: what tests use. */
int sls_sqlite_report_at(sqlite3 *h, const char *op, int rc, char *reason, size_t reasonlen,
                         int64_t now, void (*sink)(const char *line, void *arg), void *arg);
#define SLS_SQLITE_REPORT_SECONDS 10

/* Checks an existing file before the store writes to it: it must be an sls
 * store (or an empty SQLite file: a first start cut short) and pass PRAGMA
 * quick_check. Returns SLS_OK or a store error with the reason in why. */
int sls_sqlite_check_existing(sqlite3 *h, char *why, size_t whylen);

/* Brings the schema of h up to the newest version, one transaction per
 * migration. Returns SLS_OK, or SLS_ERR_STORE (also when the file was made by
 * a newer sls). */
int sls_sqlite_migrate(sqlite3 *h, char *why, size_t whylen);
/* The schema version this build writes. */
int sls_sqlite_schema_version(void);

/* True when the schema of h is that of an sls store: PRAGMA user_version is
 * set and a meta table has a schema_version row (sls writes both together).
 * *tables is how many tables h has. A store error when h cannot be read. */
int sls_sqlite_is_sls(sqlite3 *h, bool *is_sls, int *tables);

/* Writer counters of an open SQLite store. */
void sls_sqlite_stats(struct sls_store *s, struct sls_sqlite_stats *out);

#endif
