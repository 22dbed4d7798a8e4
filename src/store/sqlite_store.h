/* The SQLite backend of the store, as its files see each other.
 *
 * sqlite_store.c  the backend: opening, the writer thread (group commit) and
 *                 the pool of read connections;
 * sqlite_conn.c   one connection: pragmas, the statement cache, error mapping;
 * sqlite_schema.c the numbered migrations;
 * sqlite_records.c the sls_db_ops: rows <-> records (with sqlite_log.c and
 *                 sqlite_outbox.c, sqlite_credentials.c, sqlite_documents.c,
 *                 sqlite_dsc_plus.c).
 *
 * Nothing here is part of the store contract (store.h); only the store's own
 * files and its tests include it. */
#ifndef SLS_STORE_SQLITE_STORE_H
#define SLS_STORE_SQLITE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

/* Slots of the per-connection statement cache: one per SQL text used. */
enum sls_sqlite_slot {
    SQ_BEGIN_READ = 0,
    SQ_BEGIN_WRITE,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_SAVEPOINT,
    SQ_RELEASE,
    SQ_ROLLBACK_TO,
    SQ_USER_INSERT,
    SQ_USER_BY_NAME,
    SQ_USER_BY_ID,
    SQ_USER_BY_ACCOUNT,
    SQ_USER_LOCKOUT_CAS,
    SQ_USER_SET_STATE,
    SQ_DEVICE_INSERT,
    SQ_DEVICE_GET,
    SQ_DEVICE_LIST,
    SQ_DEVICE_SET_STATE,
    SQ_DEVICE_SET_PIN,
    SQ_LOGIN_INSERT,
    SQ_LOGIN_GET,
    SQ_LOGIN_CAS,
    SQ_SESSION_INSERT,
    SQ_SESSION_GET,
    SQ_SESSION_SET_EXPIRY,
    SQ_SESSION_REVOKE,
    SQ_SESSION_REVOKE_DEVICE,
    SQ_SESSION_EXTEND_DEVICE,
    SQ_AUDIT_LAST,
    SQ_AUDIT_INSERT,
    SQ_AUDIT_SCAN_ALL,
    SQ_AUDIT_SCAN_USER,
    SQ_IDENTITY_INSERT,
    SQ_IDENTITY_LATEST,
    SQ_OUTBOX_INSERT,
    SQ_OUTBOX_LIST_ALL,
    SQ_OUTBOX_LIST_TO,
    SQ_OUTBOX_DUE,
    SQ_OUTBOX_MARK,
    SQ_OUTBOX_PURGE,
    SQ_BLOB_PUT,
    SQ_BLOB_GET,
    SQ_DOCUMENT_INSERT,
    SQ_DOCUMENT_GET,
    SQ_DOCUMENT_LIST,
    SQ_REJECTION_INSERT,
    SQ_REJECTION_LIST,
    SQ_META_GET,
    SQ_META_SET,
    SQ_USER_SET_PASSWORD,
    SQ_SESSION_REVOKE_USER,
    SQ_SESSION_REBIND,
    SQ_SESSION_SET_VERIFIED,
    SQ_CHALLENGE_PUT,
    SQ_CHALLENGE_GET,
    SQ_CHALLENGE_DELETE,
    SQ_RESET_PUT,
    SQ_RESET_GET,
    SQ_RESET_FAIL,
    SQ_RESET_DELETE,
    SQ_USER_SET_PHONES,
    SQ_IBKEY_KEY_PUT,
    SQ_IBKEY_KEY_GET,
    SQ_PUSH_INSERT,
    SQ_PUSH_GET,
    SQ_PUSH_DECIDE,
    SQ_PUSH_DENY_NUMBER,
    SQ_PUSH_LIST_KEY,
    SQ_PUSH_COUNT,
    SQ_SIGNED_PRUNE,
    SQ_SIGNED_MARK,
    SQ_CODE_PUT,
    SQ_CODE_GET,
    SQ_CODE_FAIL,
    SQ_CODE_DELETE,
    SQ_USER_SET_SLS,
    SQ_USER_SET_EMAIL,
    SQ_WITHDRAWAL_INSERT,
    SQ_WITHDRAWAL_SUM,
    SQ_DEPOSIT_INSERT,
    SQ_DEPOSIT_SUM,
    SQ_REVIEW_INSERT,
    SQ_REVIEW_GET,
    SQ_REVIEW_LIST,
    SQ_REVIEW_LIST_ALL,
    SQ_REVIEW_DECIDE,
    SQ_BANK_PUT,
    SQ_BANK_GET,
    SQ_DSC_ORDER_INSERT,
    SQ_DSC_ORDER_GET,
    SQ_DSC_ORDER_LIST,
    SQ_DSC_ORDER_SHIP,
    SQ_DSC_ORDER_NOTICES,
    SQ_DSC_ORDER_SETTLE,
    SQ_SHARING_INSERT,
    SQ_SHARING_GET,
    SQ_SHARING_GET_OPEN,
    SQ_SHARING_LIST,
    SQ_SHARING_UPDATE,
    SQ_CLIENT_TOKEN_PRUNE,
    SQ_CLIENT_TOKEN_INSERT,
    SQ_CLIENT_TOKEN_GET,
    SQ_CLIENT_TOKEN_CAS,
    SQ_CLIENT_TOKEN_DELETE,
    SQ_CLIENT_TOKEN_LIST,
    SQ_CLIENT_TOKEN_UNLOCK,
    SQ__COUNT
};

/* One connection. `db` comes first so that a struct sls_db * handed to the
 * ops is the connection itself. */
struct sls_sqlite_conn {
    struct sls_db db;
    sqlite3 *h;
    sqlite3_stmt *stmt[SQ__COUNT];
    struct sls_sqlite_conn *next; /* link in the pool of idle readers */
};

/* Counters of the writer, for tests and metrics. */
struct sls_sqlite_stats {
    uint64_t batches; /* transactions committed or attempted */
    uint64_t jobs;    /* write jobs run */
    uint64_t queued;  /* jobs waiting right now */
};

extern const struct sls_store_backend sls_sqlite_backend;
extern const struct sls_db_ops sls_sqlite_ops;

/* Opens a connection to the file at path with the pragmas of sls
 * (WAL, synchronous=FULL, foreign_keys=ON, busy_timeout). A read-only
 * connection cannot change anything. Returns SLS_OK or SLS_ERR_STORE. */
int sls_sqlite_conn_open(const char *path, bool readonly, struct sls_sqlite_conn **out);
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
 * key taken), SLS_ERR_NOT_FOUND (a referenced row is missing) or SLS_ERR_STORE. */
int sls_sqlite_error(struct sls_sqlite_conn *c, int rc);

/* Brings the schema of h up to the newest version, one transaction per
 * migration. Returns SLS_OK, or SLS_ERR_STORE (also when the file was made by
 * a newer sls). */
int sls_sqlite_migrate(sqlite3 *h);
/* The schema version this build writes. */
int sls_sqlite_schema_version(void);

/* Writer counters of an open SQLite store. */
void sls_sqlite_stats(struct sls_store *s, struct sls_sqlite_stats *out);

#endif
