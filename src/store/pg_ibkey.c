/* The sls_db_ops of the PostgreSQL store for the mobile authenticator: the
 * app's public keys, push requests (read and written through their column
 * table, columns.c, and decided by one compare-and-swap UPDATE) and the
 * signed requests already seen (a replay is an INSERT that changes no row). */
#include <string.h>

#include "../core/error.h"
#include "pg_columns.h"
#include "pg_records.h"

#define PK_BYTES 32

/* ---- ibkey keys ---- */

int sls_pg_ibkey_key_put(struct sls_db *db, const char *device_id, const uint8_t public_key[32],
                         int mode)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_text(&p, 1, device_id);
    sls_pg_param_bytes(&p, 2, public_key, PK_BYTES);
    sls_pg_param_int(&p, 3, mode);
    return sls_pg_run_changed(
        PG_CONN(db), PQ_IBKEY_KEY_PUT,
        "INSERT INTO ibkey_keys(device_id, public_key, mode) "
        "VALUES($1::text, $2::bytea, $3::integer) ON CONFLICT(device_id) "
        "DO UPDATE SET public_key = EXCLUDED.public_key, mode = EXCLUDED.mode",
        &p, NULL);
}

int sls_pg_ibkey_key_get(struct sls_db *db, const char *device_id, uint8_t public_key[32],
                         int *mode)
{
    struct sls_pg_params p = {.n = 0};
    PGresult *res;
    int64_t m = 0;
    size_t n = 0;
    int ret;

    sls_pg_param_text(&p, 1, device_id);
    res =
        sls_pg_run(PG_CONN(db), PQ_IBKEY_KEY_GET,
                   "SELECT public_key, mode FROM ibkey_keys WHERE device_id = $1::text", &p, &ret);
    if (!res)
        return ret;
    if (PQntuples(res) == 0) {
        ret = SLS_ERR_NOT_FOUND;
    } else if (sls_pg_get_bytes(res, 0, 0, public_key, PK_BYTES, &n) != SLS_OK || n != PK_BYTES ||
               sls_pg_get_int(res, 0, 1, &m) != SLS_OK || m < INT32_MIN || m > INT32_MAX) {
        ret = SLS_ERR_STORE;
    } else {
        *mode = (int)m;
        ret = SLS_OK;
    }
    PQclear(res);
    return ret;
}

/* ---- pushes ---- */

int sls_pg_push_insert(struct sls_db *db, const struct sls_push_rec *p)
{
    struct sls_push_rec w = *p;

    return sls_pg_columns_insert(PG_CONN(db), PQ_PUSH_INSERT, &sls_columns_push, &w);
}

int sls_pg_push_get(struct sls_db *db, const char *id, struct sls_push_rec *out)
{
    return sls_pg_columns_get(PG_CONN(db), PQ_PUSH_GET, &sls_columns_push, id, 0, out);
}

int sls_pg_push_decide_cas(struct sls_db *db, const char *id, enum sls_push_state state,
                           enum sls_auth_mode auth_mode, bool wrong_number, sls_time at)
{
    struct sls_push_rec w;
    int ret;

    /* An id too long for the field names no stored push: nothing is decided. */
    memset(&w, 0, sizeof w);
    if (strlen(id) >= sizeof w.id)
        return SLS_ERR_CONFLICT;
    memcpy(w.id, id, strlen(id) + 1);
    w.state = state;
    w.auth_mode = auth_mode;
    w.wrong_number = wrong_number;
    w.decided_at = at;
    /* Only while pending: the WHERE sees the stored state, before the SET. */
    ret = sls_pg_columns_update(PG_CONN(db), PQ_PUSH_DECIDE, PQ_PUSH_GET, &sls_columns_push, &w,
                                SLS_PUSH_SET_DECISION, 0, "state = 0");
    return ret == SLS_ERR_NOT_FOUND ? SLS_ERR_CONFLICT : ret;
}

int sls_pg_push_list_for_key(struct sls_db *db, const uint8_t public_key[32], sls_time now,
                             struct sls_push_rec *out, size_t max, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_bytes(&p, 1, public_key, PK_BYTES);
    sls_pg_param_int(&p, 2, now);
    /* The devices holding the key (device_id is the key of ibkey_keys, so a
     * push is listed once). */
    return sls_pg_columns_list(PG_CONN(db), PQ_PUSH_LIST_KEY, &sls_columns_push,
                               "device_id IN (SELECT device_id FROM ibkey_keys WHERE "
                               "public_key = $1::bytea) AND state = 0 AND expires_at >= $2::bigint "
                               "ORDER BY created_at, id",
                               &p, out, max, n);
}

int sls_pg_push_count_since(struct sls_db *db, int64_t user_id, sls_time since, size_t *n)
{
    struct sls_pg_params p = {.n = 0};
    int64_t v = 0;
    int ret;

    sls_pg_param_int(&p, 1, user_id);
    sls_pg_param_int(&p, 2, since);
    ret = sls_pg_query_int(PG_CONN(db), PQ_PUSH_COUNT,
                           "SELECT count(*) FROM pushes WHERE user_id = $1::bigint AND "
                           "created_at >= $2::bigint",
                           &p, &v);
    *n = ret == SLS_OK ? (size_t)v : 0;
    return ret;
}

/* ---- signed requests (replay) ---- */

int sls_pg_signed_request_mark(struct sls_db *db, const char *device_id, sls_time ts,
                               const char *signature, sls_time prune_before)
{
    struct sls_pg_conn *c = PG_CONN(db);
    struct sls_pg_params p = {.n = 0};
    size_t changed = 0;
    int ret;

    sls_pg_param_int(&p, 1, prune_before);
    ret = sls_pg_run_changed(c, PQ_SIGNED_PRUNE,
                             "DELETE FROM signed_requests WHERE ts < $1::bigint", &p, NULL);
    if (ret != SLS_OK)
        return ret;
    memset(&p, 0, sizeof p);
    sls_pg_param_text(&p, 1, device_id);
    sls_pg_param_int(&p, 2, ts);
    sls_pg_param_text(&p, 3, signature);
    ret = sls_pg_run_changed(c, PQ_SIGNED_MARK,
                             "INSERT INTO signed_requests(device_id, ts, signature) "
                             "VALUES($1::text, $2::bigint, $3::text) ON CONFLICT DO NOTHING",
                             &p, &changed);
    if (ret == SLS_OK && changed == 0)
        ret = SLS_ERR_CONFLICT;
    return ret;
}
