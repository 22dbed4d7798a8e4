/* The primitives the PostgreSQL record files (pg_log.c, pg_outbox.c,
 * pg_documents.c, pg_ibkey.c, pg_money.c, pg_dsc_plus.c, pg_secrets.c,
 * pg_client_tokens.c) add to the ops table of pg_records.c. Private to the
 * store. */
#ifndef SLS_STORE_PG_RECORDS_H
#define SLS_STORE_PG_RECORDS_H

#include <stddef.h>

#include "pg_store.h"

/* The connection behind a struct sls_db of this backend. */
#define PG_CONN(db) ((struct sls_pg_conn *)(db))

/* Runs a statement answering one integer (a count or a sum) into *out. */
int sls_pg_query_int(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                     const struct sls_pg_params *p, int64_t *out);

int sls_pg_audit_append(struct sls_db *db, struct sls_audit_rec *r);
int sls_pg_audit_scan(struct sls_db *db, int64_t after_seq, const char *username, sls_time since,
                      size_t limit, int (*cb)(const struct sls_audit_rec *r, void *arg), void *arg);
int sls_pg_identity_insert(struct sls_db *db, const char *agent, int64_t user_id,
                           const char *channel, sls_time at);
int sls_pg_identity_latest(struct sls_db *db, const char *agent, int64_t user_id, sls_time *at);
int sls_pg_outbox_insert(struct sls_db *db, struct sls_outbox_rec *m);
int sls_pg_outbox_list(struct sls_db *db, const char *to, struct sls_outbox_rec *out, size_t max,
                       size_t *n);
int sls_pg_outbox_due(struct sls_db *db, sls_time now, struct sls_outbox_rec *out, size_t max,
                      size_t *n);
int sls_pg_outbox_purge(struct sls_db *db, sls_time cutoff, size_t *n);
int sls_pg_document_blob_put(struct sls_db *db, const char *sha256, const uint8_t *data,
                             size_t len);
int sls_pg_document_blob_get(struct sls_db *db, const char *sha256, uint8_t **data, size_t *len);
int sls_pg_document_insert(struct sls_db *db, struct sls_document_rec *d);
int sls_pg_document_get(struct sls_db *db, int64_t id, struct sls_document_rec *out);
int sls_pg_document_list(struct sls_db *db, int64_t user_id, struct sls_document_rec *out,
                         size_t max, size_t *n);
int sls_pg_document_rejection_insert(struct sls_db *db, struct sls_document_rejection_rec *r);
int sls_pg_document_rejection_list(struct sls_db *db, struct sls_document_rejection_rec *out,
                                   size_t max, size_t *n);
int sls_pg_ibkey_key_put(struct sls_db *db, const char *device_id, const uint8_t public_key[32],
                         int mode);
int sls_pg_ibkey_key_get(struct sls_db *db, const char *device_id, uint8_t public_key[32],
                         int *mode);
int sls_pg_push_insert(struct sls_db *db, const struct sls_push_rec *p);
int sls_pg_push_get(struct sls_db *db, const char *id, struct sls_push_rec *out);
int sls_pg_push_decide_cas(struct sls_db *db, const char *id, enum sls_push_state state,
                           enum sls_auth_mode auth_mode, bool wrong_number, sls_time at);
int sls_pg_push_list_for_key(struct sls_db *db, const uint8_t public_key[32], sls_time now,
                             struct sls_push_rec *out, size_t max, size_t *n);
int sls_pg_push_count_since(struct sls_db *db, int64_t user_id, sls_time since, size_t *n);
int sls_pg_signed_request_mark(struct sls_db *db, const char *device_id, sls_time ts,
                               const char *signature, sls_time prune_before);
int sls_pg_withdrawal_insert(struct sls_db *db, struct sls_withdrawal_rec *w);
int sls_pg_withdrawal_sum(struct sls_db *db, int64_t user_id, int64_t from_day, int64_t to_day,
                          int64_t *sum);
int sls_pg_deposit_insert(struct sls_db *db, struct sls_deposit_rec *d);
int sls_pg_deposit_sum_capped(struct sls_db *db, int64_t user_id, int64_t *sum);
int sls_pg_review_insert(struct sls_db *db, struct sls_review_rec *r);
int sls_pg_review_get(struct sls_db *db, int64_t id, struct sls_review_rec *out);
int sls_pg_review_list(struct sls_db *db, int64_t user_id, int state, bool newest_first,
                       struct sls_review_rec *out, size_t max, size_t *n);
int sls_pg_review_decide(struct sls_db *db, int64_t id, enum sls_review_state state, const char *by,
                         sls_time at);
int sls_pg_bank_put(struct sls_db *db, const struct sls_bank_rec *b);
int sls_pg_bank_get(struct sls_db *db, int64_t user_id, struct sls_bank_rec *out);
int sls_pg_dsc_order_insert(struct sls_db *db, const struct sls_dsc_order_rec *o);
int sls_pg_dsc_order_get(struct sls_db *db, const char *id, struct sls_dsc_order_rec *out);
int sls_pg_dsc_order_list(struct sls_db *db, int64_t user_id, int state,
                          struct sls_dsc_order_rec *out, size_t max, size_t *n);
int sls_pg_sharing_insert(struct sls_db *db, const struct sls_sharing_rec *r);
int sls_pg_sharing_get(struct sls_db *db, const char *id, struct sls_sharing_rec *out);
int sls_pg_sharing_get_open(struct sls_db *db, int64_t requester_id, struct sls_sharing_rec *out);
int sls_pg_sharing_list(struct sls_db *db, int state, const char *device_id,
                        struct sls_sharing_rec *out, size_t max, size_t *n);
int sls_pg_sharing_update_cas(struct sls_db *db, const struct sls_sharing_rec *r,
                              enum sls_sharing_state expected);
int sls_pg_client_token_insert(struct sls_db *db, const struct sls_client_token_rec *t);
int sls_pg_client_token_get(struct sls_db *db, const char *token_hash,
                            struct sls_client_token_rec *out);
int sls_pg_client_token_lockout_cas(struct sls_db *db, const char *token_hash,
                                    int64_t expected_version, const struct sls_lockout_state *next);
int sls_pg_client_token_delete(struct sls_db *db, const char *token_hash);
int sls_pg_client_token_list_counted(struct sls_db *db, int64_t user_id, sls_time now,
                                     struct sls_client_token_rec *out, size_t max, size_t *n);
int sls_pg_client_token_unlock_user(struct sls_db *db, int64_t user_id, size_t *n);
int sls_pg_meta_get(struct sls_db *db, const char *key, char *out, size_t outlen);
int sls_pg_meta_set(struct sls_db *db, const char *key, const char *value);
int sls_pg_secret_put(struct sls_db *db, const struct sls_secret_rec *s);
int sls_pg_secret_get(struct sls_db *db, const char *key, struct sls_secret_rec *out);
int sls_pg_secret_fail_cas(struct sls_db *db, const char *key, int expected_attempts);
int sls_pg_secret_take(struct sls_db *db, const char *key);
int sls_pg_outbox_settle(struct sls_db *db, int64_t id, int expected_attempts,
                         enum sls_outbox_state state, sls_time at, const char *error);
int sls_pg_outbox_claim(struct sls_db *db, int64_t id, int expected_attempts, sls_time now,
                        sls_time lease_until);
int sls_pg_outbox_release(struct sls_db *db, int64_t id, int expected_attempts,
                          sls_time lease_until, sls_time at);
int sls_pg_dsc_order_update(struct sls_db *db, const struct sls_dsc_order_rec *o,
                            enum sls_dsc_order_state expected_state, unsigned expected_notices);

/* pg_stock.c: the token stock (SPEC §10.4). */
int sls_pg_stock_insert(struct sls_db *db, const struct sls_stock_rec *t);
int sls_pg_stock_get(struct sls_db *db, const char *serial, struct sls_stock_rec *out);
int sls_pg_stock_assign(struct sls_db *db, const char *serial, const char *device_id, sls_time at);
int sls_pg_stock_list(struct sls_db *db, const char *after, struct sls_stock_rec *out, size_t max,
                      size_t *n);
int sls_pg_stock_count(struct sls_db *db, int64_t *total, int64_t *assigned);

#endif
