/* Helpers shared by the files that map SQLite rows to store records
 * (sqlite_records.c, sqlite_log.c, sqlite_outbox.c, sqlite_secrets.c,
 * sqlite_documents.c, sqlite_money.c, sqlite_dsc_plus.c, sqlite_client_tokens.c), and the
 * primitives the others add to the ops table. Private to the store. */
#ifndef SLS_STORE_SQLITE_RECORDS_H
#define SLS_STORE_SQLITE_RECORDS_H

#include <stddef.h>

#include "sqlite_store.h"

/* Room for sls_lockout_encode ("1100 bytes always suffice"). */
#define SLS_SQLITE_LOCKOUT_TEXT 1100

/* Binds the string in a fixed-size field, reading at most its size even when
 * the caller left it without a NUL. The field must outlive the step. */
int sls_sqlite_bind_field(sqlite3_stmt *st, int i, const char *s, size_t cap);
/* Copies a text column into a fixed-size field: cut to cap - 1 bytes, always
 * NUL-terminated; NULL reads as "". */
void sls_sqlite_column_field(sqlite3_stmt *st, int col, char *dst, size_t cap);

#define BIND_FIELD(st, i, field)     sls_sqlite_bind_field((st), (i), (field), sizeof(field))
#define COLUMN_FIELD(st, col, field) sls_sqlite_column_field((st), (col), (field), sizeof(field))

/* Copies a BLOB column into dst (cap bytes); SLS_ERR_STORE when it does not fit. */
int sls_sqlite_column_blob(sqlite3_stmt *st, int col, uint8_t *dst, size_t cap, size_t *len);

/* Runs a bound single-row query, maps its row with `row` into out, and hands
 * the statement back (to `slot`). SLS_ERR_NOT_FOUND when there is no row. */
int sls_sqlite_get_row(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, sqlite3_stmt *st,
                       int (*row)(sqlite3_stmt *, void *), void *out);

/* A row count as a LIMIT value (SQLite integers are signed 64-bit). */
int64_t sls_sqlite_limit(size_t max);

/* Steps a statement that returns no rows: SLS_OK or the mapped error. */
int sls_sqlite_step_done(struct sls_sqlite_conn *c, sqlite3_stmt *st);
/* As sls_sqlite_step_done, but answers `none` when no row was changed. */
int sls_sqlite_step_changed(struct sls_sqlite_conn *c, sqlite3_stmt *st, int none);

int sls_sqlite_audit_append(struct sls_db *db, struct sls_audit_rec *r);
int sls_sqlite_audit_scan(struct sls_db *db, int64_t after_seq, const char *username,
                          sls_time since, size_t limit,
                          int (*cb)(const struct sls_audit_rec *r, void *arg), void *arg);
int sls_sqlite_identity_insert(struct sls_db *db, const char *agent, int64_t user_id,
                               const char *channel, sls_time at);
int sls_sqlite_identity_latest(struct sls_db *db, const char *agent, int64_t user_id, sls_time *at);
int sls_sqlite_outbox_insert(struct sls_db *db, struct sls_outbox_rec *m);
int sls_sqlite_outbox_list(struct sls_db *db, const char *to, struct sls_outbox_rec *out,
                           size_t max, size_t *n);
int sls_sqlite_outbox_due(struct sls_db *db, sls_time now, struct sls_outbox_rec *out, size_t max,
                          size_t *n);
int sls_sqlite_outbox_purge(struct sls_db *db, sls_time cutoff, size_t *n);
int sls_sqlite_document_blob_put(struct sls_db *db, const char *sha256, const uint8_t *data,
                                 size_t len);
int sls_sqlite_document_blob_get(struct sls_db *db, const char *sha256, uint8_t **data,
                                 size_t *len);
int sls_sqlite_document_insert(struct sls_db *db, struct sls_document_rec *d);
int sls_sqlite_document_get(struct sls_db *db, int64_t id, struct sls_document_rec *out);
int sls_sqlite_document_list(struct sls_db *db, int64_t user_id, struct sls_document_rec *out,
                             size_t max, size_t *n);
int sls_sqlite_document_rejection_insert(struct sls_db *db, struct sls_document_rejection_rec *r);
int sls_sqlite_document_rejection_list(struct sls_db *db, struct sls_document_rejection_rec *out,
                                       size_t max, size_t *n);
int sls_sqlite_ibkey_key_put(struct sls_db *db, const char *device_id, const uint8_t public_key[32],
                             int mode);
int sls_sqlite_ibkey_key_get(struct sls_db *db, const char *device_id, uint8_t public_key[32],
                             int *mode);
int sls_sqlite_push_insert(struct sls_db *db, const struct sls_push_rec *p);
int sls_sqlite_push_get(struct sls_db *db, const char *id, struct sls_push_rec *out);
int sls_sqlite_push_decide_cas(struct sls_db *db, const char *id, enum sls_push_state state,
                               enum sls_auth_mode auth_mode, bool wrong_number, sls_time at);
int sls_sqlite_push_list_for_key(struct sls_db *db, const uint8_t public_key[32], sls_time now,
                                 struct sls_push_rec *out, size_t max, size_t *n);
int sls_sqlite_push_count_since(struct sls_db *db, int64_t user_id, sls_time since, size_t *n);
int sls_sqlite_signed_request_mark(struct sls_db *db, const char *device_id, sls_time ts,
                                   const char *signature, sls_time prune_before);
int sls_sqlite_withdrawal_insert(struct sls_db *db, struct sls_withdrawal_rec *w);
int sls_sqlite_withdrawal_sum(struct sls_db *db, int64_t user_id, int64_t from_day, int64_t to_day,
                              int64_t *sum);
int sls_sqlite_deposit_insert(struct sls_db *db, struct sls_deposit_rec *d);
int sls_sqlite_deposit_sum_capped(struct sls_db *db, int64_t user_id, int64_t *sum);
int sls_sqlite_review_insert(struct sls_db *db, struct sls_review_rec *r);
int sls_sqlite_review_get(struct sls_db *db, int64_t id, struct sls_review_rec *out);
int sls_sqlite_review_list(struct sls_db *db, int64_t user_id, int state, bool newest_first,
                           struct sls_review_rec *out, size_t max, size_t *n);
int sls_sqlite_review_decide(struct sls_db *db, int64_t id, enum sls_review_state state,
                             const char *by, sls_time at);
int sls_sqlite_bank_put(struct sls_db *db, const struct sls_bank_rec *b);
int sls_sqlite_bank_get(struct sls_db *db, int64_t user_id, struct sls_bank_rec *out);
int sls_sqlite_dsc_order_insert(struct sls_db *db, const struct sls_dsc_order_rec *o);
int sls_sqlite_dsc_order_get(struct sls_db *db, const char *id, struct sls_dsc_order_rec *out);
int sls_sqlite_dsc_order_list(struct sls_db *db, int64_t user_id, int state,
                              struct sls_dsc_order_rec *out, size_t max, size_t *n);
int sls_sqlite_sharing_insert(struct sls_db *db, const struct sls_sharing_rec *r);
int sls_sqlite_sharing_get(struct sls_db *db, const char *id, struct sls_sharing_rec *out);
int sls_sqlite_sharing_get_open(struct sls_db *db, int64_t requester_id,
                                struct sls_sharing_rec *out);
int sls_sqlite_sharing_list(struct sls_db *db, int state, const char *device_id,
                            struct sls_sharing_rec *out, size_t max, size_t *n);
int sls_sqlite_sharing_update_cas(struct sls_db *db, const struct sls_sharing_rec *r,
                                  enum sls_sharing_state expected);
int sls_sqlite_client_token_insert(struct sls_db *db, const struct sls_client_token_rec *t);
int sls_sqlite_client_token_get(struct sls_db *db, const char *token_hash,
                                struct sls_client_token_rec *out);
int sls_sqlite_client_token_lockout_cas(struct sls_db *db, const char *token_hash,
                                        int64_t expected_version,
                                        const struct sls_lockout_state *next);
int sls_sqlite_client_token_delete(struct sls_db *db, const char *token_hash);
int sls_sqlite_client_token_list_counted(struct sls_db *db, int64_t user_id, sls_time now,
                                         struct sls_client_token_rec *out, size_t max, size_t *n);
int sls_sqlite_client_token_unlock_user(struct sls_db *db, int64_t user_id, size_t *n);
int sls_sqlite_meta_get(struct sls_db *db, const char *key, char *out, size_t outlen);
int sls_sqlite_meta_set(struct sls_db *db, const char *key, const char *value);
int sls_sqlite_secret_put(struct sls_db *db, const struct sls_secret_rec *s);
int sls_sqlite_secret_get(struct sls_db *db, const char *key, struct sls_secret_rec *out);
int sls_sqlite_secret_fail_cas(struct sls_db *db, const char *key, int expected_attempts);
int sls_sqlite_secret_take(struct sls_db *db, const char *key);
int sls_sqlite_outbox_settle(struct sls_db *db, int64_t id, int expected_attempts,
                             enum sls_outbox_state state, sls_time at, const char *error);
int sls_sqlite_outbox_claim(struct sls_db *db, int64_t id, int expected_attempts, sls_time now,
                            sls_time lease_until);
int sls_sqlite_outbox_release(struct sls_db *db, int64_t id, int expected_attempts,
                              sls_time lease_until, sls_time at);
int sls_sqlite_dsc_order_update(struct sls_db *db, const struct sls_dsc_order_rec *o,
                                enum sls_dsc_order_state expected_state, unsigned expected_notices);

/* sqlite_stock.c: the token stock (SPEC §10.4). */
int sls_sqlite_stock_insert(struct sls_db *db, const struct sls_stock_rec *t);
int sls_sqlite_stock_get(struct sls_db *db, const char *serial, struct sls_stock_rec *out);
int sls_sqlite_stock_assign(struct sls_db *db, const char *serial, const char *device_id,
                            sls_time at);
int sls_sqlite_stock_list(struct sls_db *db, const char *after, struct sls_stock_rec *out,
                          size_t max, size_t *n);
int sls_sqlite_stock_count(struct sls_db *db, int64_t *total, int64_t *assigned);

#endif
