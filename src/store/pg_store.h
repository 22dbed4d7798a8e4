/* The PostgreSQL backend of the store, as its files see each other.
 *
 * pg_store.c   the backend: opening, the pool of connections, transactions
 *              (SERIALIZABLE writes run again on a serialization failure,
 *              REPEATABLE READ reads), health;
 * pg_conn.c    one connection: connecting with the timeouts, statements
 *              prepared once per connection by slot, the mapping of
 *              PostgreSQL errors (SQLSTATE) to store errors and their log line;
 * pg_schema.c  the numbered migrations, applied under an advisory lock;
 * pg_columns.c records bound and read through their column tables
 *              (columns.h), and their SQL text built from them;
 * pg_records.c the sls_db_ops of users, devices, logins and sessions, and the
 *              ops table (with pg_log.c, pg_outbox.c, pg_documents.c,
 *              pg_ibkey.c, pg_money.c, pg_dsc_plus.c, pg_secrets.c,
 *              pg_client_tokens.c).
 *
 * Nothing here is part of the store contract (store.h); only the store's own
 * files and its tests include it. */
#ifndef SLS_STORE_PG_STORE_H
#define SLS_STORE_PG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "store.h"

/* Slots of the per-connection prepared statements: one per SQL text used,
 * prepared under the name "s<slot>" the first time a connection runs it. The
 * slot names the store operation in the log (PQ_USER_BY_NAME: user_by_name). */
#define SLS_PG_SLOTS(X)                                                                            \
    X(USER_INSERT = 0)                                                                             \
    X(USER_BY_NAME)                                                                                \
    X(USER_BY_ID)                                                                                  \
    X(USER_BY_ACCOUNT)                                                                             \
    X(USER_UPDATE)                                                                                 \
    X(DEVICE_INSERT)                                                                               \
    X(DEVICE_GET)                                                                                  \
    X(DEVICE_LIST)                                                                                 \
    X(DEVICE_UPDATE)                                                                               \
    X(LOGIN_INSERT)                                                                                \
    X(LOGIN_GET)                                                                                   \
    X(LOGIN_CAS)                                                                                   \
    X(SESSION_INSERT)                                                                              \
    X(SESSION_GET)                                                                                 \
    X(SESSION_UPDATE)                                                                              \
    X(SESSION_REVOKE_DEVICE)                                                                       \
    X(SESSION_REVOKE_USER)                                                                         \
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
    X(OUTBOX_SETTLE_READ)                                                                          \
    X(OUTBOX_SETTLE)                                                                               \
    X(BLOB_PUT)                                                                                    \
    X(BLOB_GET)                                                                                    \
    X(DOCUMENT_INSERT)                                                                             \
    X(DOCUMENT_GET)                                                                                \
    X(DOCUMENT_LIST)                                                                               \
    X(REJECTION_INSERT)                                                                            \
    X(REJECTION_LIST)                                                                              \
    X(META_GET)                                                                                    \
    X(META_SET)                                                                                    \
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
    X(REVIEW_LIST_NEWEST)                                                                          \
    X(REVIEW_DECIDE)                                                                               \
    X(BANK_PUT)                                                                                    \
    X(BANK_GET)                                                                                    \
    X(DSC_ORDER_INSERT)                                                                            \
    X(DSC_ORDER_GET)                                                                               \
    X(DSC_ORDER_LIST)                                                                              \
    X(DSC_ORDER_UPDATE)                                                                            \
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
    X(OUTBOX_CLAIM)                                                                                \
    X(OUTBOX_RELEASE)                                                                              \
    X(DEVICE_TOTP_STEP)                                                                            \
    X(DEVICE_BY_PASSKEY)                                                                           \
    X(DEVICE_PASSKEY_COUNT)                                                                        \
    X(STOCK_DEVICE_SERIAL)                                                                         \
    X(STOCK_INSERT)                                                                                \
    X(STOCK_GET)                                                                                   \
    X(STOCK_ASSIGN)                                                                                \
    X(STOCK_LIST)                                                                                  \
    X(STOCK_COUNT)                                                                                 \
    X(STOCK_COUNT_ASSIGNED)

#define SLS_PG_SLOT_ENUM(name) PQ_##name,
enum sls_pg_slot { SLS_PG_SLOTS(SLS_PG_SLOT_ENUM) PQ__COUNT };

/* The parameters of one statement: text values (NULL: SQL NULL) or binary
 * ones (BYTEA), pointing into the caller's records or into buf. */
#define SLS_PG_PARAMS_MAX 128
#define SLS_PG_PARAM_BUF  24 /* an int64 as decimal text */
struct sls_pg_params {
    const char *values[SLS_PG_PARAMS_MAX];
    int lengths[SLS_PG_PARAMS_MAX];
    int formats[SLS_PG_PARAMS_MAX];
    char buf[SLS_PG_PARAMS_MAX][SLS_PG_PARAM_BUF];
    int n; /* the highest parameter number set */
};

/* One connection. `db` comes first so that a struct sls_db * handed to the
 * ops is the connection itself. */
struct sls_pg_conn {
    struct sls_db db;
    PGconn *h;
    bool prepared[PQ__COUNT];
    enum sls_pg_slot op; /* the statement run last: the operation */
    /* Set by a failed statement during a transaction: the transaction must
     * run again (serialization failure, deadlock), or the connection is lost
     * or the server cannot serve (unavailable); either way the transaction
     * is over and later statements are not sent. */
    bool retry;
    bool unavailable;
    bool failed;      /* any statement failed: the transaction is aborted */
    bool drop;        /* close it instead of handing it back to the pool */
    char reason[256]; /* the log line of the last failure, without the prefix */
};

extern const struct sls_store_backend sls_pg_backend;       /* postgresql:// */
extern const struct sls_store_backend sls_pg_backend_short; /* postgres:// */
extern const struct sls_db_ops sls_pg_ops;

/* Opens a connection to conninfo (a libpq URL) giving up after
 * timeout_seconds, with statement_timeout and lock_timeout of the same
 * length. SLS_OK, or SLS_ERR_STORE_UNAVAILABLE with libpq's reason in why. */
int sls_pg_conn_open(const char *conninfo, int timeout_seconds, struct sls_pg_conn **out, char *why,
                     size_t whylen);
/* Closes; NULL is a no-op. */
void sls_pg_conn_close(struct sls_pg_conn *c);
/* Whether the connection is still usable (not lost, not inside a failed
 * transaction). */
bool sls_pg_conn_ok(const struct sls_pg_conn *c);

/* Runs the statement of slot (text sql, prepared on first use) with params
 * (NULL: none). Returns its result (PGRES_TUPLES_OK or PGRES_COMMAND_OK),
 * which the caller PQclear()s, or NULL with *err set to the mapped error:
 * SLS_ERR_CONFLICT (unique key taken, or a serialization failure: c->retry),
 * SLS_ERR_STORE for a text parameter that is not UTF-8 in a statement that
 * would store it (one that only looks for it gets an empty result: nothing
 * stored is such text),
 * SLS_ERR_NOT_FOUND (a referenced row is missing), SLS_ERR_STORE_UNAVAILABLE
 * or SLS_ERR_STORE (both logged with the operation). */
PGresult *sls_pg_run(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                     const struct sls_pg_params *p, int *err);
/* Runs a statement without parameters or prepared name (BEGIN, COMMIT ...):
 * SLS_OK or the mapped error. */
int sls_pg_exec(struct sls_pg_conn *c, const char *op, const char *sql);
/* As sls_pg_run for a statement that returns no rows: SLS_OK or the error;
 * *changed (may be NULL) is how many rows it changed. */
int sls_pg_run_changed(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                       const struct sls_pg_params *p, size_t *changed);

/* Maps a failed result of c (res may be NULL: the connection's own error) to
 * a store error, logging it with op; sets c->retry / c->unavailable. */
int sls_pg_error(struct sls_pg_conn *c, const char *op, const PGresult *res);
/* Logs one failure of the store: "store: OP: MESSAGE (SQLSTATE)", rate-limited
 * like the SQLite backend's lines (one per operation and code every
 * SLS_PG_REPORT_SECONDS); the line without "store: " goes to reason too. */
void sls_pg_report(const char *op, const char *sqlstate, const char *message, char *reason,
                   size_t reasonlen);
#define SLS_PG_REPORT_SECONDS 10
/* True for the SQLSTATEs that mean the server cannot be reached or cannot
 * serve now: class 08 (connection), 57P01-57P03 (shutdown, cannot connect
 * now), class 53 (insufficient resources), 57014 (statement timeout) and
 * 55P03 (lock not available: lock_timeout). */
bool sls_pg_unavailable(const char *sqlstate);

/* Parameter helpers: set parameter number i (1-based). */
void sls_pg_param_text(struct sls_pg_params *p, int i, const char *s);
void sls_pg_param_int(struct sls_pg_params *p, int i, int64_t v);
void sls_pg_param_null(struct sls_pg_params *p, int i);
void sls_pg_param_bytes(struct sls_pg_params *p, int i, const uint8_t *data, size_t len);

/* Reading a row of text results: an integer (NULL reads 0) or its failure. */
int sls_pg_get_int(const PGresult *res, int row, int col, int64_t *out);
/* Decodes a BYTEA in text form ("\x" hex) into dst (cap bytes); SLS_ERR_STORE
 * when it does not fit or is not hex. */
int sls_pg_get_bytes(const PGresult *res, int row, int col, uint8_t *dst, size_t cap, size_t *len);
/* A row count as a LIMIT value. */
int64_t sls_pg_limit(size_t max);

/* Brings the schema of the database up to the newest version in one
 * transaction under an advisory lock. SLS_OK, or a store error with the
 * reason (a database made by a newer sls, or of something else). */
int sls_pg_migrate(struct sls_pg_conn *c, char *why, size_t whylen);
/* The schema version this build writes. */
int sls_pg_schema_version(void);

#endif
