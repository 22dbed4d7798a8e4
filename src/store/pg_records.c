/* The sls_db_ops of the PostgreSQL store for users, devices, logins and
 * sessions: each primitive one prepared statement built from the record's
 * column table (columns.c, pg_columns.c), the racy updates single
 * compare-and-swap statements, the bulk updates of sessions written by hand;
 * and the ops table of the backend, with the primitives of the other record
 * files (pg_records.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

int sls_pg_query_int(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                     const struct sls_pg_params *p, int64_t *out)
{
    int ret;
    PGresult *res = sls_pg_run(c, slot, sql, p, &ret);

    *out = 0;
    if (!res)
        return ret;
    ret = PQntuples(res) == 1 ? sls_pg_get_int(res, 0, 0, out) : SLS_ERR_STORE;
    PQclear(res);
    return ret;
}

/* ---- users ---- */

static int user_insert(struct sls_db *db, struct sls_user_rec *u)
{
    return sls_pg_columns_insert(PG_CONN(db), PQ_USER_INSERT, &sls_columns_user, u);
}

static int user_get_by_name(struct sls_db *db, const char *username, struct sls_user_rec *out)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_text(&p, 1, username);
    return sls_pg_columns_select_one(PG_CONN(db), PQ_USER_BY_NAME, &sls_columns_user,
                                     "username = $1::text", &p, out);
}

static int user_get_by_id(struct sls_db *db, int64_t id, struct sls_user_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_USER_BY_ID, &sls_columns_user, NULL, id, out);
}

static int user_get_by_account(struct sls_db *db, const char *account_id, struct sls_user_rec *out)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_text(&p, 1, account_id);
    /* The conditions of the partial index users_account_primary. */
    return sls_pg_columns_select_one(PG_CONN(db), PQ_USER_BY_ACCOUNT, &sls_columns_user,
                                     "account_id = $1::text AND is_primary = 1 AND paper_of IS "
                                     "NULL AND account_id <> ''",
                                     &p, out);
}

static int user_update(struct sls_db *db, const struct sls_user_rec *u, unsigned fields,
                       int64_t expected_version)
{
    return sls_pg_columns_update(PG_CONN(db), PQ_USER_UPDATE, PQ_USER_BY_ID, &sls_columns_user, u,
                                 fields, expected_version, NULL);
}

/* ---- devices ---- */

static int device_insert(struct sls_db *db, const struct sls_device_rec *d)
{
    struct sls_device_rec w = *d;

    sls_columns_device_activation(&w, false);
    return sls_pg_columns_insert(PG_CONN(db), PQ_DEVICE_INSERT, &sls_columns_device, &w);
}

static int device_get(struct sls_db *db, const char *id, struct sls_device_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_DEVICE_GET, &sls_columns_device, id, 0, out);
}

static int device_list(struct sls_db *db, int64_t user_id, struct sls_device_rec *out, size_t max,
                       size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_int(&p, 2, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_DEVICE_LIST, &sls_columns_device,
                               "user_id = $1::bigint ORDER BY created_at, seq LIMIT $2::bigint", &p,
                               out, max, n);
}

static int device_update(struct sls_db *db, const struct sls_device_rec *d, unsigned fields)
{
    struct sls_device_rec w = *d;

    sls_columns_device_activation(&w, true);
    return sls_pg_columns_update(PG_CONN(db), PQ_DEVICE_UPDATE, PQ_DEVICE_GET, &sls_columns_device,
                                 &w, fields, 0, NULL);
}

/* SPEC §10.4: the step moves only forward, one row or conflict. */
static int device_totp_step_cas(struct sls_db *db, const char *device_id, int64_t step)
{
    struct sls_device_rec *w = calloc(1, sizeof(*w));
    const int64_t args[] = {step};
    int rc;

    if (w == NULL)
        return SLS_ERR_NOMEM;
    snprintf(w->id, sizeof(w->id), "%s", device_id);
    w->totp_step = step;
    rc = sls_pg_columns_cas(PG_CONN(db), PQ_DEVICE_TOTP_STEP, &sls_columns_device, w,
                            SLS_DEVICE_SET_TOTP_STEP, "totp_step < $101", args, 1);
    free(w);
    return rc;
}

/* SPEC §10.5: the device of a passkey's credential id, of any user. */
static int device_by_passkey(struct sls_db *db, const char *passkey_id, struct sls_device_rec *out)
{
    struct sls_pg_params p = {.n = 0};

    if (passkey_id[0] == '\0')
        return SLS_ERR_NOT_FOUND;
    sls_pg_param_text(&p, 1, passkey_id);
    return sls_pg_columns_select_one(PG_CONN(db), PQ_DEVICE_BY_PASSKEY, &sls_columns_device,
                                     "passkey_id = $1::text", &p, out);
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
    rc = sls_pg_columns_cas(PG_CONN(db), PQ_DEVICE_PASSKEY_COUNT, &sls_columns_device, w,
                            SLS_DEVICE_SET_PASSKEY_COUNT, "passkey_count < $101", args, 1);
    free(w);
    return rc;
}

/* ---- logins ---- */

static int login_insert(struct sls_db *db, const struct sls_login_rec *l)
{
    struct sls_login_rec w = *l;

    return sls_pg_columns_insert(PG_CONN(db), PQ_LOGIN_INSERT, &sls_columns_login, &w);
}

static int login_get(struct sls_db *db, const char *id, struct sls_login_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_LOGIN_GET, &sls_columns_login, id, 0, out);
}

static int login_update_cas(struct sls_db *db, const struct sls_login_rec *l, int expected_seq)
{
    /* Every mutable column at once, on seq and only while pending. */
    int ret = sls_pg_columns_update(PG_CONN(db), PQ_LOGIN_CAS, PQ_LOGIN_GET, &sls_columns_login, l,
                                    ~0u, expected_seq, "state = 0");

    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

/* ---- sessions ---- */

static int session_insert(struct sls_db *db, const struct sls_session_rec *s)
{
    struct sls_session_rec w = *s;

    return sls_pg_columns_insert(PG_CONN(db), PQ_SESSION_INSERT, &sls_columns_session, &w);
}

static int session_get(struct sls_db *db, const char *token_hash, struct sls_session_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_SESSION_GET, &sls_columns_session, token_hash, 0,
                              out);
}

static int session_update(struct sls_db *db, const struct sls_session_rec *s, unsigned fields)
{
    return sls_pg_columns_update(PG_CONN(db), PQ_SESSION_UPDATE, PQ_SESSION_GET,
                                 &sls_columns_session, s, fields, 0, NULL);
}

static int session_revoke_by_device(struct sls_db *db, int64_t user_id, const char *device_id,
                                    size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_text(&p, 2, device_id);
    return sls_pg_run_changed(PG_CONN(db), PQ_SESSION_REVOKE_DEVICE,
                              "UPDATE sessions SET revoked = 1 WHERE user_id = $1::bigint "
                              "AND device_id = $2::text AND revoked = 0",
                              &p, n);
}

static int session_extend_by_device(struct sls_db *db, int64_t user_id, const char *device_id,
                                    enum sls_platform platform, sls_time now, sls_time until,
                                    const char *except_hash, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_text(&p, 2, device_id);
    sls_pg_param_int(&p, 3, (int64_t)platform);
    sls_pg_param_int(&p, 4, now);
    sls_pg_param_int(&p, 5, until);
    sls_pg_param_text(&p, 6, except_hash);
    return sls_pg_run_changed(
        PG_CONN(db), PQ_SESSION_EXTEND_DEVICE,
        "UPDATE sessions SET expires_at = $5::bigint WHERE user_id = $1::bigint "
        "AND device_id = $2::text AND platform = $3::integer AND revoked = 0 "
        "AND expires_at > $4::bigint AND expires_at < $5::bigint AND token_hash <> $6::text",
        &p, n);
}

static int session_revoke_by_user(struct sls_db *db, int64_t user_id, const char *except_hash,
                                  size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_text(&p, 2, except_hash ? except_hash : "");
    return sls_pg_run_changed(PG_CONN(db), PQ_SESSION_REVOKE_USER,
                              "UPDATE sessions SET revoked = 1 WHERE user_id = $1::bigint "
                              "AND revoked = 0 AND token_hash <> $2::text",
                              &p, n);
}

const struct sls_db_ops sls_pg_ops = {
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
    .audit_append = sls_pg_audit_append,
    .audit_scan = sls_pg_audit_scan,
    .identity_insert = sls_pg_identity_insert,
    .identity_latest = sls_pg_identity_latest,
    .outbox_insert = sls_pg_outbox_insert,
    .outbox_list = sls_pg_outbox_list,
    .outbox_due = sls_pg_outbox_due,
    .outbox_purge = sls_pg_outbox_purge,
    .document_blob_put = sls_pg_document_blob_put,
    .document_blob_get = sls_pg_document_blob_get,
    .document_insert = sls_pg_document_insert,
    .document_get = sls_pg_document_get,
    .document_list = sls_pg_document_list,
    .document_rejection_insert = sls_pg_document_rejection_insert,
    .document_rejection_list = sls_pg_document_rejection_list,
    .ibkey_key_put = sls_pg_ibkey_key_put,
    .ibkey_key_get = sls_pg_ibkey_key_get,
    .push_insert = sls_pg_push_insert,
    .push_get = sls_pg_push_get,
    .push_decide_cas = sls_pg_push_decide_cas,
    .push_list_for_key = sls_pg_push_list_for_key,
    .push_count_since = sls_pg_push_count_since,
    .signed_request_mark = sls_pg_signed_request_mark,
    .withdrawal_insert = sls_pg_withdrawal_insert,
    .withdrawal_sum = sls_pg_withdrawal_sum,
    .deposit_insert = sls_pg_deposit_insert,
    .deposit_sum_capped = sls_pg_deposit_sum_capped,
    .review_insert = sls_pg_review_insert,
    .review_get = sls_pg_review_get,
    .review_list = sls_pg_review_list,
    .review_decide = sls_pg_review_decide,
    .bank_put = sls_pg_bank_put,
    .bank_get = sls_pg_bank_get,
    .dsc_order_insert = sls_pg_dsc_order_insert,
    .dsc_order_get = sls_pg_dsc_order_get,
    .dsc_order_list = sls_pg_dsc_order_list,
    .sharing_insert = sls_pg_sharing_insert,
    .sharing_get = sls_pg_sharing_get,
    .sharing_get_open = sls_pg_sharing_get_open,
    .sharing_list = sls_pg_sharing_list,
    .sharing_update_cas = sls_pg_sharing_update_cas,
    .client_token_insert = sls_pg_client_token_insert,
    .client_token_get = sls_pg_client_token_get,
    .client_token_lockout_cas = sls_pg_client_token_lockout_cas,
    .client_token_delete = sls_pg_client_token_delete,
    .client_token_list_counted = sls_pg_client_token_list_counted,
    .client_token_unlock_user = sls_pg_client_token_unlock_user,
    .meta_get = sls_pg_meta_get,
    .meta_set = sls_pg_meta_set,
    .secret_put = sls_pg_secret_put,
    .secret_get = sls_pg_secret_get,
    .secret_fail_cas = sls_pg_secret_fail_cas,
    .secret_take = sls_pg_secret_take,
    .outbox_settle = sls_pg_outbox_settle,
    .outbox_claim = sls_pg_outbox_claim,
    .outbox_release = sls_pg_outbox_release,
    .dsc_order_update = sls_pg_dsc_order_update,
    .user_update = user_update,
    .device_update = device_update,
    .device_totp_step_cas = device_totp_step_cas,
    .device_by_passkey = device_by_passkey,
    .device_passkey_count_cas = device_passkey_count_cas,
    .session_update = session_update,
    .stock_insert = sls_pg_stock_insert,
    .stock_get = sls_pg_stock_get,
    .stock_assign = sls_pg_stock_assign,
    .stock_list = sls_pg_stock_list,
    .stock_count = sls_pg_stock_count,
};
