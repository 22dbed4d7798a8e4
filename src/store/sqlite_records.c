/* The sls_db_ops of the SQLite store for users, devices, logins and sessions:
 * each primitive is one cached statement built from the record's column table
 * (columns.c, sqlite_columns.c), which also maps rows to the fixed-size
 * records with every bound checked, and the racy updates are single
 * compare-and-swap statements; the ops table of the backend and the helpers
 * the other record files share. The log-like tables (audit,
 * identity verifications, meta) live in sqlite_log.c, the outbox of messages
 * in sqlite_outbox.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

int sls_sqlite_bind_field(sqlite3_stmt *st, int i, const char *s, size_t cap)
{
    return sqlite3_bind_text(st, i, s, (int)strnlen(s, cap), SQLITE_STATIC);
}

void sls_sqlite_column_field(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    size_t n = v ? (size_t)sqlite3_column_bytes(st, col) : 0;

    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, v, n);
    dst[n] = '\0';
}

int sls_sqlite_column_blob(sqlite3_stmt *st, int col, uint8_t *dst, size_t cap, size_t *len)
{
    const void *v = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);

    *len = 0;
    if (n > cap)
        return SLS_ERR_STORE;
    if (n)
        memcpy(dst, v, n);
    *len = n;
    return SLS_OK;
}

int sls_sqlite_step_done(struct sls_sqlite_conn *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_DONE)
        return SLS_OK;
    return sls_sqlite_error(c, rc);
}

int sls_sqlite_step_changed(struct sls_sqlite_conn *c, sqlite3_stmt *st, int none)
{
    int ret = sls_sqlite_step_done(c, st);

    if (ret == SLS_OK && sqlite3_changes(c->h) == 0)
        ret = none;
    return ret;
}

int sls_sqlite_get_row(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, sqlite3_stmt *st,
                       int (*row)(sqlite3_stmt *, void *), void *out)
{
    int rc = sqlite3_step(st);
    int ret;

    if (rc == SQLITE_ROW)
        ret = row(st, out);
    else if (rc == SQLITE_DONE)
        ret = SLS_ERR_NOT_FOUND;
    else
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int64_t sls_sqlite_limit(size_t max)
{
    return max > INT64_MAX ? INT64_MAX : (int64_t)max;
}

/* ---- users ---- */

static int user_insert(struct sls_db *db, struct sls_user_rec *u)
{
    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_USER_INSERT,
                                     &sls_columns_user, u);
}

/* The user of the query `where` (one parameter ?1, bound by the caller). */
static sqlite3_stmt *user_query(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                                const char *where)
{
    return sls_sqlite_columns_stmt(c, slot, &sls_columns_user, SLS_SQLITE_SQL_SELECT, where);
}

static int user_get_by_name(struct sls_db *db, const char *username, struct sls_user_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = user_query(c, SQ_USER_BY_NAME, "username = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_USER_BY_NAME, &sls_columns_user, st, out);
}

static int user_get_by_id(struct sls_db *db, int64_t id, struct sls_user_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_USER_BY_ID, &sls_columns_user, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    return sls_sqlite_columns_get(c, SQ_USER_BY_ID, &sls_columns_user, st, out);
}

static int user_get_by_account(struct sls_db *db, const char *account_id, struct sls_user_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    /* The conditions of the partial index users_account_primary. */
    sqlite3_stmt *st = user_query(c, SQ_USER_BY_ACCOUNT,
                                  "account_id = ?1 AND is_primary = 1 AND paper_of IS NULL "
                                  "AND account_id <> ''");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_USER_BY_ACCOUNT, &sls_columns_user, st, out);
}

static int user_update(struct sls_db *db, const struct sls_user_rec *u, unsigned fields,
                       int64_t expected_version)
{
    return sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_USER_UPDATE, SQ_USER_BY_ID,
                                     &sls_columns_user, u, fields, expected_version, NULL);
}

/* ---- devices ---- */

static int device_insert(struct sls_db *db, const struct sls_device_rec *d)
{
    struct sls_device_rec w = *d;

    sls_columns_device_activation(&w, false);
    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_DEVICE_INSERT,
                                     &sls_columns_device, &w);
}

static int device_get(struct sls_db *db, const char *id, struct sls_device_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_DEVICE_GET, &sls_columns_device, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_DEVICE_GET, &sls_columns_device, st, out);
}

static int device_list(struct sls_db *db, int64_t user_id, struct sls_device_rec *out, size_t max,
                       size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_columns_stmt(c, SQ_DEVICE_LIST, &sls_columns_device, SLS_SQLITE_SQL_SELECT,
                                 "user_id = ?1 ORDER BY created_at, rowid LIMIT ?2");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_device, out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_DEVICE_LIST, st);
    return ret;
}

static int device_update(struct sls_db *db, const struct sls_device_rec *d, unsigned fields)
{
    struct sls_device_rec w = *d;

    sls_columns_device_activation(&w, true);
    return sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_DEVICE_UPDATE, SQ_DEVICE_GET,
                                     &sls_columns_device, &w, fields, 0, NULL);
}

static int device_totp_step_cas(struct sls_db *db, const char *device_id, int64_t step)
{
    struct sls_device_rec *w = calloc(1, sizeof(*w));
    const int64_t args[] = {step};
    int rc;

    if (w == NULL)
        return SLS_ERR_NOMEM;
    snprintf(w->id, sizeof(w->id), "%s", device_id);
    w->totp_step = step;
    rc = sls_sqlite_columns_cas((struct sls_sqlite_conn *)db, SQ_DEVICE_TOTP_STEP,
                                &sls_columns_device, w, SLS_DEVICE_SET_TOTP_STEP,
                                "totp_step < ?101", args, 1);
    free(w);
    return rc;
}

/* SPEC §10.5: the device of a passkey's credential id, of any user. */
static int device_by_passkey(struct sls_db *db, const char *passkey_id, struct sls_device_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st;

    if (passkey_id[0] == '\0')
        return SLS_ERR_NOT_FOUND;
    st = sls_sqlite_columns_stmt(c, SQ_DEVICE_BY_PASSKEY, &sls_columns_device,
                                 SLS_SQLITE_SQL_SELECT, "passkey_id = ?1");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, passkey_id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_DEVICE_BY_PASSKEY, &sls_columns_device, st, out);
}

/* SPEC §10.5: a passkey's counter moves only forward, one row or conflict. */
static int device_passkey_count_cas(struct sls_db *db, const char *device_id, int64_t count)
{
    struct sls_device_rec *w = calloc(1, sizeof(*w));
    const int64_t args[] = {count};
    int rc;

    if (w == NULL)
        return SLS_ERR_NOMEM;
    snprintf(w->id, sizeof(w->id), "%s", device_id);
    w->passkey_count = count;
    rc = sls_sqlite_columns_cas((struct sls_sqlite_conn *)db, SQ_DEVICE_PASSKEY_COUNT,
                                &sls_columns_device, w, SLS_DEVICE_SET_PASSKEY_COUNT,
                                "passkey_count < ?101", args, 1);
    free(w);
    return rc;
}

/* ---- logins ---- */

static int login_insert(struct sls_db *db, const struct sls_login_rec *l)
{
    struct sls_login_rec w = *l;

    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_LOGIN_INSERT,
                                     &sls_columns_login, &w);
}

static int login_get(struct sls_db *db, const char *id, struct sls_login_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_LOGIN_GET, &sls_columns_login, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_LOGIN_GET, &sls_columns_login, st, out);
}

static int login_update_cas(struct sls_db *db, const struct sls_login_rec *l, int expected_seq)
{
    /* Every mutable column at once, on seq and only while pending. */
    int ret = sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_LOGIN_CAS, SQ_LOGIN_GET,
                                        &sls_columns_login, l, ~0u, expected_seq, "state = 0");

    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

/* ---- sessions ---- */

static int session_insert(struct sls_db *db, const struct sls_session_rec *s)
{
    struct sls_session_rec w = *s;

    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_SESSION_INSERT,
                                     &sls_columns_session, &w);
}

static int session_get(struct sls_db *db, const char *token_hash, struct sls_session_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_SESSION_GET, &sls_columns_session, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    return sls_sqlite_columns_get(c, SQ_SESSION_GET, &sls_columns_session, st, out);
}

static int session_update(struct sls_db *db, const struct sls_session_rec *s, unsigned fields)
{
    return sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_SESSION_UPDATE,
                                     SQ_SESSION_GET, &sls_columns_session, s, fields, 0, NULL);
}

static int session_revoke_by_device(struct sls_db *db, int64_t user_id, const char *device_id,
                                    size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SESSION_REVOKE_DEVICE,
                                           "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 "
                                           "AND device_id = ?2 AND revoked = 0");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_SESSION_REVOKE_DEVICE, st);
    return ret;
}

static int session_extend_by_device(struct sls_db *db, int64_t user_id, const char *device_id,
                                    enum sls_platform platform, sls_time now, sls_time until,
                                    const char *except_hash, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_SESSION_EXTEND_DEVICE,
        "UPDATE sessions SET expires_at = ?5 WHERE user_id = ?1 AND device_id = ?2 "
        "AND platform = ?3 AND revoked = 0 AND expires_at > ?4 AND expires_at < ?5 "
        "AND token_hash <> ?6");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, device_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)platform);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, until);
    sqlite3_bind_text(st, 6, except_hash, -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_SESSION_EXTEND_DEVICE, st);
    return ret;
}

static int session_revoke_by_user(struct sls_db *db, int64_t user_id, const char *except_hash,
                                  size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_SESSION_REVOKE_USER,
                                           "UPDATE sessions SET revoked = 1 WHERE user_id = ?1 "
                                           "AND revoked = 0 AND token_hash <> ?2");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, except_hash ? except_hash : "", -1, SQLITE_STATIC);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_SESSION_REVOKE_USER, st);
    return ret;
}

const struct sls_db_ops sls_sqlite_ops = {
    .user_insert = user_insert,
    .user_get_by_name = user_get_by_name,
    .user_get_by_id = user_get_by_id,
    .user_get_by_account = user_get_by_account,
    .device_insert = device_insert,
    .device_get = device_get,
    .device_list = device_list,
    .login_insert = login_insert,
    .login_get = login_get,
    .login_update_cas = login_update_cas,
    .session_insert = session_insert,
    .session_get = session_get,
    .session_revoke_by_device = session_revoke_by_device,
    .session_extend_by_device = session_extend_by_device,
    .session_revoke_by_user = session_revoke_by_user,
    .audit_append = sls_sqlite_audit_append,
    .audit_scan = sls_sqlite_audit_scan,
    .identity_insert = sls_sqlite_identity_insert,
    .identity_latest = sls_sqlite_identity_latest,
    .outbox_insert = sls_sqlite_outbox_insert,
    .outbox_list = sls_sqlite_outbox_list,
    .outbox_due = sls_sqlite_outbox_due,
    .outbox_purge = sls_sqlite_outbox_purge,
    .document_blob_put = sls_sqlite_document_blob_put,
    .document_blob_get = sls_sqlite_document_blob_get,
    .document_insert = sls_sqlite_document_insert,
    .document_get = sls_sqlite_document_get,
    .document_list = sls_sqlite_document_list,
    .document_rejection_insert = sls_sqlite_document_rejection_insert,
    .document_rejection_list = sls_sqlite_document_rejection_list,
    .ibkey_key_put = sls_sqlite_ibkey_key_put,
    .ibkey_key_get = sls_sqlite_ibkey_key_get,
    .push_insert = sls_sqlite_push_insert,
    .push_get = sls_sqlite_push_get,
    .push_decide_cas = sls_sqlite_push_decide_cas,
    .push_list_for_key = sls_sqlite_push_list_for_key,
    .push_count_since = sls_sqlite_push_count_since,
    .signed_request_mark = sls_sqlite_signed_request_mark,
    .withdrawal_insert = sls_sqlite_withdrawal_insert,
    .withdrawal_sum = sls_sqlite_withdrawal_sum,
    .deposit_insert = sls_sqlite_deposit_insert,
    .deposit_sum_capped = sls_sqlite_deposit_sum_capped,
    .review_insert = sls_sqlite_review_insert,
    .review_get = sls_sqlite_review_get,
    .review_list = sls_sqlite_review_list,
    .review_decide = sls_sqlite_review_decide,
    .bank_put = sls_sqlite_bank_put,
    .bank_get = sls_sqlite_bank_get,
    .dsc_order_insert = sls_sqlite_dsc_order_insert,
    .dsc_order_get = sls_sqlite_dsc_order_get,
    .dsc_order_list = sls_sqlite_dsc_order_list,
    .sharing_insert = sls_sqlite_sharing_insert,
    .sharing_get = sls_sqlite_sharing_get,
    .sharing_get_open = sls_sqlite_sharing_get_open,
    .sharing_list = sls_sqlite_sharing_list,
    .sharing_update_cas = sls_sqlite_sharing_update_cas,
    .client_token_insert = sls_sqlite_client_token_insert,
    .client_token_get = sls_sqlite_client_token_get,
    .client_token_lockout_cas = sls_sqlite_client_token_lockout_cas,
    .client_token_delete = sls_sqlite_client_token_delete,
    .client_token_list_counted = sls_sqlite_client_token_list_counted,
    .client_token_unlock_user = sls_sqlite_client_token_unlock_user,
    .meta_get = sls_sqlite_meta_get,
    .meta_set = sls_sqlite_meta_set,
    .secret_put = sls_sqlite_secret_put,
    .secret_get = sls_sqlite_secret_get,
    .secret_fail_cas = sls_sqlite_secret_fail_cas,
    .secret_take = sls_sqlite_secret_take,
    .outbox_settle = sls_sqlite_outbox_settle,
    .outbox_claim = sls_sqlite_outbox_claim,
    .outbox_release = sls_sqlite_outbox_release,
    .dsc_order_update = sls_sqlite_dsc_order_update,
    .user_update = user_update,
    .device_update = device_update,
    .session_update = session_update,
    .device_totp_step_cas = device_totp_step_cas,
    .device_by_passkey = device_by_passkey,
    .device_passkey_count_cas = device_passkey_count_cas,
    .stock_insert = sls_sqlite_stock_insert,
    .stock_get = sls_sqlite_stock_get,
    .stock_assign = sls_sqlite_stock_assign,
    .stock_list = sls_sqlite_stock_list,
    .stock_count = sls_sqlite_stock_count,
};
