/* The sls_db_ops of the PostgreSQL store for the tables that only grow or
 * hold small values: the hash-chained audit log (R41), identity
 * verifications by the service desk (R40), and meta.
 *
 * The audit chain: audit_append reads the tail (seq, hash) and inserts
 * seq = tail + 1 with prev_hash = the tail's hash, in the caller's
 * SERIALIZABLE transaction. Two appends racing on one tail both read it;
 * the second to insert hits the primary key on seq (or fails to
 * serialize), and its whole transaction runs again on the new tail, so the
 * chain has neither a gap nor a fork. */
#include <string.h>

#include "../core/error.h"
#include "../crypto/hash.h"
#include "pg_records.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- audit ---- */

#define AUDIT_COLS "seq, at, actor, username, event, outcome, detail, prev_hash, hash"

/* Seq and hash of the newest record: (0, 64 '0') when the log is empty. */
static int audit_last(struct sls_pg_conn *c, int64_t *seq, char hash[65])
{
    int ret;
    PGresult *res = sls_pg_run(c, PQ_AUDIT_LAST,
                               "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", NULL, &ret);

    if (!res)
        return ret;
    if (PQntuples(res) == 0) {
        *seq = 0;
        memcpy(hash, ZERO_HASH, 65);
    } else if (sls_pg_get_int(res, 0, 0, seq) != SLS_OK || PQgetlength(res, 0, 1) != 64) {
        ret = SLS_ERR_STORE;
    } else {
        memcpy(hash, PQgetvalue(res, 0, 1), 65);
    }
    PQclear(res);
    return ret;
}

/* Cuts every text field of r to its size so the canonical text and the row
 * agree whatever the caller left in them. */
static void terminate_fields(struct sls_audit_rec *r)
{
    r->actor[sizeof r->actor - 1] = '\0';
    r->username[sizeof r->username - 1] = '\0';
    r->event[sizeof r->event - 1] = '\0';
    r->outcome[sizeof r->outcome - 1] = '\0';
    r->detail[sizeof r->detail - 1] = '\0';
}

int sls_pg_audit_append(struct sls_db *db, struct sls_audit_rec *r)
{
    struct sls_pg_conn *c = PG_CONN(db);
    char buf[SLS_AUDIT_HASH_INPUT_MAX]; /* prev_hash hex, then the canonical text */
    struct sls_pg_params p = {.n = 0};
    int64_t last = 0;
    int ret, len;

    terminate_fields(r);
    ret = audit_last(c, &last, r->prev_hash);
    if (ret != SLS_OK)
        return ret;
    r->seq = last + 1;
    len = sls_audit_hash_input(r, buf, sizeof buf);
    if (len < 0)
        return SLS_ERR_STORE;
    sls_sha256_hex(buf, (size_t)len, r->hash);
    sls_pg_param_int(&p, 1, r->seq);
    sls_pg_param_int(&p, 2, r->at);
    sls_pg_param_text(&p, 3, r->actor);
    sls_pg_param_text(&p, 4, r->username);
    sls_pg_param_text(&p, 5, r->event);
    sls_pg_param_text(&p, 6, r->outcome);
    sls_pg_param_text(&p, 7, r->detail);
    sls_pg_param_text(&p, 8, r->prev_hash);
    sls_pg_param_text(&p, 9, r->hash);
    /* A seq taken meanwhile is a unique violation the transaction cannot
     * survive: it is run again, on the new tail. */
    ret = sls_pg_run_changed(c, PQ_AUDIT_INSERT,
                             "INSERT INTO audit(" AUDIT_COLS
                             ") VALUES($1::bigint, $2::bigint, $3::text, $4::text, $5::text, "
                             "$6::text, $7::text, $8::text, $9::text)",
                             &p, NULL);
    if (ret == SLS_ERR_CONFLICT && !c->retry)
        c->retry = true;
    return ret;
}

static void copy_text(const PGresult *res, int row, int col, char *dst, size_t cap)
{
    size_t n = (size_t)PQgetlength(res, row, col);

    if (n >= cap)
        n = cap - 1;
    memcpy(dst, PQgetvalue(res, row, col), n);
    dst[n] = '\0';
}

int sls_pg_audit_scan(struct sls_db *db, int64_t after_seq, const char *username, sls_time since,
                      size_t limit, int (*cb)(const struct sls_audit_rec *r, void *arg), void *arg)
{
    struct sls_pg_conn *c = PG_CONN(db);
    struct sls_pg_params p = {.n = 0};
    struct sls_audit_rec r;
    PGresult *res;
    int ret;

    sls_pg_param_int(&p, 1, after_seq);
    sls_pg_param_int(&p, 2, since ? since : INT64_MIN);
    if (limit == 0 || limit > INT64_MAX)
        sls_pg_param_null(&p, 3); /* LIMIT NULL: no limit */
    else
        sls_pg_param_int(&p, 3, (int64_t)limit);
    if (username) {
        sls_pg_param_text(&p, 4, username);
        res = sls_pg_run(c, PQ_AUDIT_SCAN_USER,
                         "SELECT " AUDIT_COLS " FROM audit WHERE username = $4::text AND "
                         "seq > $1::bigint AND at >= $2::bigint ORDER BY seq LIMIT $3::bigint",
                         &p, &ret);
    } else {
        res = sls_pg_run(c, PQ_AUDIT_SCAN_ALL,
                         "SELECT " AUDIT_COLS " FROM audit WHERE seq > $1::bigint AND "
                         "at >= $2::bigint ORDER BY seq LIMIT $3::bigint",
                         &p, &ret);
    }
    if (!res)
        return ret;
    ret = SLS_OK;
    for (int i = 0; i < PQntuples(res); i++) {
        memset(&r, 0, sizeof r);
        if (sls_pg_get_int(res, i, 0, &r.seq) != SLS_OK ||
            sls_pg_get_int(res, i, 1, &r.at) != SLS_OK) {
            ret = SLS_ERR_STORE;
            break;
        }
        copy_text(res, i, 2, r.actor, sizeof r.actor);
        copy_text(res, i, 3, r.username, sizeof r.username);
        copy_text(res, i, 4, r.event, sizeof r.event);
        copy_text(res, i, 5, r.outcome, sizeof r.outcome);
        copy_text(res, i, 6, r.detail, sizeof r.detail);
        copy_text(res, i, 7, r.prev_hash, sizeof r.prev_hash);
        copy_text(res, i, 8, r.hash, sizeof r.hash);
        ret = cb(&r, arg);
        if (ret != 0)
            break;
    }
    PQclear(res);
    return ret;
}

/* ---- identity verifications ---- */

int sls_pg_identity_insert(struct sls_db *db, const char *agent, int64_t user_id,
                           const char *channel, sls_time at)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_text(&p, 1, agent);
    sls_pg_param_int(&p, 2, user_id);
    sls_pg_param_text(&p, 3, channel);
    sls_pg_param_int(&p, 4, at);
    return sls_pg_run_changed(PG_CONN(db), PQ_IDENTITY_INSERT,
                              "INSERT INTO identity_verifications(agent, user_id, channel, at) "
                              "VALUES($1::text, $2::bigint, $3::text, $4::bigint)",
                              &p, NULL);
}

int sls_pg_identity_latest(struct sls_db *db, const char *agent, int64_t user_id, sls_time *at)
{
    struct sls_pg_params p = {.n = 0};
    PGresult *res;
    int ret;

    sls_pg_param_text(&p, 1, agent);
    sls_pg_param_int(&p, 2, user_id);
    res = sls_pg_run(PG_CONN(db), PQ_IDENTITY_LATEST,
                     "SELECT at FROM identity_verifications WHERE agent = $1::text AND "
                     "user_id = $2::bigint ORDER BY at DESC LIMIT 1",
                     &p, &ret);
    if (!res)
        return ret;
    if (PQntuples(res) == 0)
        ret = SLS_ERR_NOT_FOUND;
    else
        ret = sls_pg_get_int(res, 0, 0, at);
    PQclear(res);
    return ret;
}

/* ---- meta ---- */

int sls_pg_meta_get(struct sls_db *db, const char *key, char *out, size_t outlen)
{
    struct sls_pg_params p = {.n = 0};
    PGresult *res;
    int ret;

    sls_pg_param_text(&p, 1, key);
    res = sls_pg_run(PG_CONN(db), PQ_META_GET, "SELECT value FROM meta WHERE key = $1::text", &p,
                     &ret);
    if (!res)
        return ret;
    if (PQntuples(res) == 0) {
        ret = SLS_ERR_NOT_FOUND;
    } else {
        if (outlen > 0)
            copy_text(res, 0, 0, out, outlen);
        ret = SLS_OK;
    }
    PQclear(res);
    return ret;
}

int sls_pg_meta_set(struct sls_db *db, const char *key, const char *value)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_text(&p, 1, key);
    sls_pg_param_text(&p, 2, value);
    return sls_pg_run_changed(PG_CONN(db), PQ_META_SET,
                              "INSERT INTO meta(key, value) VALUES($1::text, $2::text) "
                              "ON CONFLICT(key) DO UPDATE SET value = EXCLUDED.value",
                              &p, NULL);
}
