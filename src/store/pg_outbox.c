/* The sls_db_ops of the PostgreSQL store for the outbox: messages to users
 * and where each stands in its delivery, read and written through the
 * column table (columns.c). Each attempt ends with one compare-and-swap
 * update on the attempt count (outbox_settle), so two deliverers never both
 * record one attempt. Settling a message (delivered or failed) erases its
 * body and code and masks its recipient in that same update (SPEC §10.3);
 * the mask is computed here (core/notice.h) from the recipient read, in the
 * same transaction, under the same condition. */
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "../core/notice.h"
#include "pg_columns.h"
#include "pg_records.h"

int sls_pg_outbox_insert(struct sls_db *db, struct sls_outbox_rec *m)
{
    struct sls_outbox_rec w = *m;
    int ret;

    /* A new message is pending, with no attempts, due at once. */
    w.state = SLS_OUTBOX_PENDING;
    w.attempts = 0;
    w.next_attempt_at = 0;
    w.done_at = 0;
    w.last_error[0] = '\0';
    ret = sls_pg_columns_insert(PG_CONN(db), PQ_OUTBOX_INSERT, &sls_columns_outbox, &w);
    if (ret == SLS_OK)
        m->id = w.id;
    return ret;
}

/* When more than max messages match, the newest max are returned (still
 * oldest first): a reader of the outbox wants the code just sent. */
int sls_pg_outbox_list(struct sls_db *db, const char *to, struct sls_outbox_rec *out, size_t max,
                       size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, sls_pg_limit(max));
    if (to)
        sls_pg_param_text(&p, 2, to);
    return sls_pg_columns_list(PG_CONN(db), to ? PQ_OUTBOX_LIST_TO : PQ_OUTBOX_LIST_ALL,
                               &sls_columns_outbox,
                               to ? "id IN (SELECT id FROM outbox WHERE recipient = $2::text "
                                    "ORDER BY id DESC LIMIT $1::bigint) ORDER BY id"
                                  : "id IN (SELECT id FROM outbox ORDER BY id DESC "
                                    "LIMIT $1::bigint) ORDER BY id",
                               &p, out, max, n);
}

int sls_pg_outbox_due(struct sls_db *db, sls_time now, struct sls_outbox_rec *out, size_t max,
                      size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, now);
    sls_pg_param_int(&p, 2, sls_pg_limit(max));
    return sls_pg_columns_list(PG_CONN(db), PQ_OUTBOX_DUE, &sls_columns_outbox,
                               "state = 0 AND next_attempt_at <= $1::bigint "
                               "ORDER BY next_attempt_at, id LIMIT $2::bigint",
                               &p, out, max, n);
}

/* A CAS on (PENDING, attempts): the recipient is read under the condition
 * (locking the row), masked here, and written by an UPDATE under the same
 * condition; a message that stays PENDING keeps done_at 0 and is due again
 * at `at`, one that leaves PENDING is done at `at` and loses body and code. */
int sls_pg_outbox_settle(struct sls_db *db, int64_t id, int expected_attempts,
                         enum sls_outbox_state state, sls_time at, const char *error)
{
    struct sls_pg_conn *c = PG_CONN(db);
    struct sls_pg_params p = {.n = 0};
    char last_error[SLS_FIELD_SIZE(struct sls_outbox_rec, last_error)];
    char to[SLS_FIELD_SIZE(struct sls_outbox_rec, to)], masked[300];
    size_t elen, changed = 0;
    PGresult *res;
    int ret;

    if ((int)state < 0 || state >= SLS_OUTBOX__COUNT)
        return SLS_ERR_STORE;
    if (expected_attempts < 0 || expected_attempts == INT32_MAX)
        return SLS_ERR_CONFLICT;
    sls_pg_param_int(&p, 1, id);
    sls_pg_param_int(&p, 2, expected_attempts);
    res = sls_pg_run(c, PQ_OUTBOX_SETTLE_READ,
                     "SELECT recipient FROM outbox WHERE id = $1::bigint AND "
                     "attempts = $2::integer AND state = 0 FOR UPDATE",
                     &p, &ret);
    if (!res)
        return ret;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return SLS_ERR_CONFLICT;
    }
    snprintf(to, sizeof to, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (sls_notice_mask(to, masked, sizeof masked) != 0)
        snprintf(masked, sizeof masked, "***");
    /* The reason of a failure is a diagnostic: kept to its field's size. */
    elen = error ? strnlen(error, sizeof last_error - 1) : 0;
    memcpy(last_error, error ? error : "", elen);
    last_error[elen] = '\0';
    sls_pg_param_int(&p, 3, (int64_t)state);
    sls_pg_param_int(&p, 4, at);
    sls_pg_param_text(&p, 5, last_error);
    sls_pg_param_text(&p, 6, masked);
    ret = sls_pg_run_changed(c, PQ_OUTBOX_SETTLE,
                             "UPDATE outbox SET state = $3::integer, attempts = attempts + 1, "
                             "next_attempt_at = CASE WHEN $3::integer = 0 THEN $4::bigint "
                             "ELSE next_attempt_at END, "
                             "done_at = CASE WHEN $3::integer = 0 THEN 0 ELSE $4::bigint END, "
                             "last_error = $5::text, "
                             "body = CASE WHEN $3::integer = 0 THEN body ELSE '' END, "
                             "code = CASE WHEN $3::integer = 0 THEN code ELSE '' END, "
                             "recipient = CASE WHEN $3::integer = 0 THEN recipient "
                             "ELSE $6::text END "
                             "WHERE id = $1::bigint AND attempts = $2::integer AND state = 0",
                             &p, &changed);
    if (ret == SLS_OK && changed == 0)
        ret = SLS_ERR_CONFLICT;
    return ret;
}

int sls_pg_outbox_purge(struct sls_db *db, sls_time cutoff, size_t *n)
{
    struct sls_pg_params p = {.n = 0};

    sls_pg_param_int(&p, 1, cutoff);
    return sls_pg_run_changed(PG_CONN(db), PQ_OUTBOX_PURGE,
                              "DELETE FROM outbox WHERE state <> 0 AND done_at <= $1::bigint", &p,
                              n);
}

/* A CAS on (PENDING, attempts, due at now): not due again before lease_until,
 * so only the claimer sends it. */
int sls_pg_outbox_claim(struct sls_db *db, int64_t id, int expected_attempts, sls_time now,
                        sls_time lease_until)
{
    struct sls_pg_params p = {.n = 0};
    size_t changed = 0;
    int ret;

    if (lease_until <= now)
        return SLS_ERR_STORE; /* a lease that ends at once takes nothing */
    sls_pg_param_int(&p, 1, id);
    sls_pg_param_int(&p, 2, expected_attempts);
    sls_pg_param_int(&p, 3, now);
    sls_pg_param_int(&p, 4, lease_until);
    ret = sls_pg_run_changed(PG_CONN(db), PQ_OUTBOX_CLAIM,
                             "UPDATE outbox SET next_attempt_at = $4::bigint "
                             "WHERE id = $1::bigint AND state = 0 AND attempts = $2::integer "
                             "AND next_attempt_at <= $3::bigint",
                             &p, &changed);
    if (ret != SLS_OK)
        return ret;
    return changed == 1 ? SLS_OK : SLS_ERR_CONFLICT;
}

/* A CAS on (PENDING, attempts, the lease taken): due again at `at`. */
int sls_pg_outbox_release(struct sls_db *db, int64_t id, int expected_attempts,
                          sls_time lease_until, sls_time at)
{
    struct sls_pg_params p = {.n = 0};
    size_t changed = 0;
    int ret;

    sls_pg_param_int(&p, 1, id);
    sls_pg_param_int(&p, 2, expected_attempts);
    sls_pg_param_int(&p, 3, lease_until);
    sls_pg_param_int(&p, 4, at);
    ret = sls_pg_run_changed(PG_CONN(db), PQ_OUTBOX_RELEASE,
                             "UPDATE outbox SET next_attempt_at = $4::bigint "
                             "WHERE id = $1::bigint AND state = 0 AND attempts = $2::integer "
                             "AND next_attempt_at = $3::bigint",
                             &p, &changed);
    if (ret != SLS_OK)
        return ret;
    return changed == 1 ? SLS_OK : SLS_ERR_CONFLICT;
}
