/* The sls_db_ops of the PostgreSQL store for client tokens (SPEC §10.3
 * [lockout] mode client): the record read and written through its column
 * table (columns.c), and each token's own R8 counter written by
 * compare-and-swap on its lock_version, never read then written. */
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

/* A counter that holds nothing (sls_lockout_encode of the clear state). */
#define CLEAR_LOCKOUT "0;"

int sls_pg_client_token_insert(struct sls_db *db, const struct sls_client_token_rec *t)
{
    struct sls_pg_conn *c = PG_CONN(db);
    struct sls_client_token_rec w = *t;
    struct sls_pg_params p = {.n = 0};
    int ret;

    sls_pg_param_int(&p, 1, t->user_id);
    sls_pg_param_int(&p, 2, t->created_at);
    ret = sls_pg_run_changed(c, PQ_CLIENT_TOKEN_PRUNE,
                             "DELETE FROM client_tokens WHERE user_id = $1::bigint AND "
                             "expires_at <= $2::bigint",
                             &p, NULL);
    if (ret != SLS_OK)
        return ret;
    return sls_pg_columns_insert(c, PQ_CLIENT_TOKEN_INSERT, &sls_columns_client_token, &w);
}

int sls_pg_client_token_get(struct sls_db *db, const char *token_hash,
                            struct sls_client_token_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_CLIENT_TOKEN_GET, &sls_columns_client_token,
                              token_hash, 0, out);
}

int sls_pg_client_token_lockout_cas(struct sls_db *db, const char *token_hash,
                                    int64_t expected_version, const struct sls_lockout_state *next)
{
    struct sls_client_token_rec w;
    int ret;

    /* A hash too long for the field names no stored token: as a version that
     * differs, nothing is written. */
    memset(&w, 0, sizeof w);
    if (strlen(token_hash) >= sizeof w.token_hash)
        return SLS_ERR_CONFLICT;
    memcpy(w.token_hash, token_hash, strlen(token_hash) + 1);
    w.lockout = *next;
    ret = sls_pg_columns_update(PG_CONN(db), PQ_CLIENT_TOKEN_CAS, PQ_CLIENT_TOKEN_GET,
                                &sls_columns_client_token, &w, SLS_CLIENT_TOKEN_SET_LOCKOUT,
                                expected_version, NULL);
    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

int sls_pg_client_token_delete(struct sls_db *db, const char *token_hash)
{
    struct sls_pg_params p = {.n = 0};
    size_t changed = 0;
    int ret;

    sls_pg_param_text(&p, 1, token_hash);
    ret = sls_pg_run_changed(PG_CONN(db), PQ_CLIENT_TOKEN_DELETE,
                             "DELETE FROM client_tokens WHERE token_hash = $1::text", &p, &changed);
    if (ret == SLS_OK && changed == 0)
        ret = SLS_ERR_NOT_FOUND;
    return ret;
}

int sls_pg_client_token_list_counted(struct sls_db *db, int64_t user_id, sls_time now,
                                     struct sls_client_token_rec *out, size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_int(&p, 2, now);
    sls_pg_param_int(&p, 3, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_CLIENT_TOKEN_LIST, &sls_columns_client_token,
                               "user_id = $1::bigint AND expires_at > $2::bigint AND lockout NOT "
                               "IN ('', '" CLEAR_LOCKOUT "') ORDER BY created_at DESC, id "
                               "LIMIT $3::bigint",
                               &p, out, max, n);
}

int sls_pg_client_token_unlock_user(struct sls_db *db, int64_t user_id, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, user_id);
    return sls_pg_run_changed(PG_CONN(db), PQ_CLIENT_TOKEN_UNLOCK,
                              "UPDATE client_tokens SET lockout = '" CLEAR_LOCKOUT "', "
                              "lock_version = lock_version + 1 WHERE user_id = $1::bigint AND "
                              "lockout NOT IN ('', '" CLEAR_LOCKOUT "')",
                              &p, n);
}
