/* SQLite rows of the account holder's money and settings: withdrawals (R33),
 * deposits (R31), security reviews (R4), banking instructions (R4), each
 * read and written through its column table (columns.c). */
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

/* ---- withdrawals and deposits ---- */

int sls_sqlite_withdrawal_insert(struct sls_db *db, struct sls_withdrawal_rec *w)
{
    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_WITHDRAWAL_INSERT,
                                     &sls_columns_withdrawal, w);
}

/* Runs a bound "SELECT total(...)"-shaped query answering one integer. */
static int sum_query(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, sqlite3_stmt *st,
                     int64_t *sum)
{
    int rc = sqlite3_step(st);
    int ret = SLS_OK;

    if (rc == SQLITE_ROW)
        *sum = sqlite3_column_int64(st, 0);
    else
        ret = sls_sqlite_error(c, rc);
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_withdrawal_sum(struct sls_db *db, int64_t user_id, int64_t from_day, int64_t to_day,
                              int64_t *sum)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_WITHDRAWAL_SUM,
                                           "SELECT coalesce(sum(amount_cents), 0) FROM withdrawals "
                                           "WHERE user_id = ?1 AND business_day BETWEEN ?2 AND ?3");

    *sum = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, from_day);
    sqlite3_bind_int64(st, 3, to_day);
    return sum_query(c, SQ_WITHDRAWAL_SUM, st, sum);
}

int sls_sqlite_deposit_insert(struct sls_db *db, struct sls_deposit_rec *d)
{
    return sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_DEPOSIT_INSERT,
                                     &sls_columns_deposit, d);
}

int sls_sqlite_deposit_sum_capped(struct sls_db *db, int64_t user_id, int64_t *sum)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_DEPOSIT_SUM,
                                           "SELECT coalesce(sum(amount_cents), 0) FROM deposits "
                                           "WHERE user_id = ?1 AND capped = 1");

    *sum = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    return sum_query(c, SQ_DEPOSIT_SUM, st, sum);
}

/* ---- security reviews ---- */

int sls_sqlite_review_insert(struct sls_db *db, struct sls_review_rec *r)
{
    struct sls_review_rec w = *r;
    int ret;

    /* A review starts pending, whatever the caller left in the decision. */
    w.state = SLS_REVIEW_PENDING;
    w.decided_by[0] = '\0';
    w.decided_at = 0;
    ret = sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_REVIEW_INSERT,
                                    &sls_columns_review, &w);
    if (ret == SLS_OK) {
        r->id = w.id;
        r->state = w.state;
        r->decided_by[0] = '\0';
        r->decided_at = 0;
    }
    return ret;
}

int sls_sqlite_review_get(struct sls_db *db, int64_t id, struct sls_review_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_REVIEW_GET, &sls_columns_review, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    return sls_sqlite_columns_get(c, SQ_REVIEW_GET, &sls_columns_review, st, out);
}

int sls_sqlite_review_list(struct sls_db *db, int64_t user_id, int state, bool newest_first,
                           struct sls_review_rec *out, size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    enum sls_sqlite_slot slot = newest_first ? SQ_REVIEW_LIST_NEWEST : SQ_REVIEW_LIST;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_columns_stmt(c, slot, &sls_columns_review, SLS_SQLITE_SQL_SELECT,
                                 newest_first
                                     ? "(?2 = 0 OR user_id = ?2) AND (?3 < 0 OR state = ?3) "
                                       "ORDER BY id DESC LIMIT ?1"
                                     : "(?2 = 0 OR user_id = ?2) AND (?3 < 0 OR state = ?3) "
                                       "ORDER BY id LIMIT ?1");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, sls_sqlite_limit(max));
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int(st, 3, state);
    ret = sls_sqlite_columns_list(c, st, &sls_columns_review, out, max, n);
out:
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_review_decide(struct sls_db *db, int64_t id, enum sls_review_state state,
                             const char *by, sls_time at)
{
    struct sls_review_rec w;
    size_t len = strlen(by);

    if (state != SLS_REVIEW_APPROVED && state != SLS_REVIEW_DENIED)
        return SLS_ERR_BAD_REQUEST;
    memset(&w, 0, sizeof w);
    if (len >= sizeof w.decided_by)
        return SLS_ERR_STORE; /* too long for its field: refused, never cut */
    w.id = id;
    w.state = state;
    memcpy(w.decided_by, by, len + 1);
    w.decided_at = at;
    /* Only while pending; SLS_ERR_NOT_FOUND when there is no such review. */
    return sls_sqlite_columns_update((struct sls_sqlite_conn *)db, SQ_REVIEW_DECIDE, SQ_REVIEW_GET,
                                     &sls_columns_review, &w, SLS_REVIEW_SET_DECISION, 0,
                                     "state = 0");
}

/* ---- banking instructions ---- */

int sls_sqlite_bank_put(struct sls_db *db, const struct sls_bank_rec *b)
{
    struct sls_bank_rec w = *b;

    return sls_sqlite_columns_put((struct sls_sqlite_conn *)db, SQ_BANK_PUT, &sls_columns_bank, &w);
}

int sls_sqlite_bank_get(struct sls_db *db, int64_t user_id, struct sls_bank_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_columns_stmt(c, SQ_BANK_GET, &sls_columns_bank, SLS_SQLITE_SQL_GET, NULL);

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    return sls_sqlite_columns_get(c, SQ_BANK_GET, &sls_columns_bank, st, out);
}
