/* SQLite rows of the account holder's money and settings: withdrawals (R33),
 * deposits (R31), security reviews (R4), banking instructions (R4). */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

/* ---- withdrawals and deposits ---- */

int sls_sqlite_withdrawal_insert(struct sls_db *db, struct sls_withdrawal_rec *w)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_WITHDRAWAL_INSERT,
                                           "INSERT INTO withdrawals(user_id, amount_cents, at, "
                                           "business_day) VALUES(?1, ?2, ?3, ?4)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, w->user_id);
    sqlite3_bind_int64(st, 2, w->amount_cents);
    sqlite3_bind_int64(st, 3, w->at);
    sqlite3_bind_int64(st, 4, w->business_day);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        w->id = sqlite3_last_insert_rowid(c->h);
    sls_sqlite_stmt_put(c, SQ_WITHDRAWAL_INSERT, st);
    return ret;
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
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_DEPOSIT_INSERT,
                                           "INSERT INTO deposits(user_id, amount_cents, method, "
                                           "capped, at) VALUES(?1, ?2, ?3, ?4, ?5)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, d->user_id);
    sqlite3_bind_int64(st, 2, d->amount_cents);
    BIND_FIELD(st, 3, d->method);
    sqlite3_bind_int(st, 4, d->capped ? 1 : 0);
    sqlite3_bind_int64(st, 5, d->at);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        d->id = sqlite3_last_insert_rowid(c->h);
    sls_sqlite_stmt_put(c, SQ_DEPOSIT_INSERT, st);
    return ret;
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

#define REVIEW_COLS "id, user_id, kind, payload, secret, state, decided_by, created_at, decided_at"

static int row_review(sqlite3_stmt *st, void *out)
{
    struct sls_review_rec *r = out;
    int state;

    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->user_id = sqlite3_column_int64(st, 1);
    COLUMN_FIELD(st, 2, r->kind);
    COLUMN_FIELD(st, 3, r->payload);
    if (sls_sqlite_column_blob(st, 4, r->secret, sizeof r->secret, &r->secret_len) != SLS_OK)
        return SLS_ERR_STORE;
    state = sqlite3_column_int(st, 5);
    if (state < 0 || state >= SLS_REVIEW__COUNT)
        return SLS_ERR_STORE;
    r->state = (enum sls_review_state)state;
    COLUMN_FIELD(st, 6, r->decided_by);
    r->created_at = sqlite3_column_int64(st, 7);
    r->decided_at = sqlite3_column_int64(st, 8);
    return SLS_OK;
}

int sls_sqlite_review_insert(struct sls_db *db, struct sls_review_rec *r)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (r->secret_len > sizeof r->secret)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_REVIEW_INSERT,
                             "INSERT INTO reviews(user_id, kind, payload, secret, state, "
                             "decided_by, created_at, decided_at) VALUES(?1, ?2, ?3, ?4, 0, '', "
                             "?5, 0)");
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, r->user_id);
    BIND_FIELD(st, 2, r->kind);
    BIND_FIELD(st, 3, r->payload);
    sqlite3_bind_blob(st, 4, r->secret, (int)r->secret_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, r->created_at);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK) {
        r->id = sqlite3_last_insert_rowid(c->h);
        r->state = SLS_REVIEW_PENDING;
        r->decided_by[0] = '\0';
        r->decided_at = 0;
    }
out:
    sls_sqlite_stmt_put(c, SQ_REVIEW_INSERT, st);
    return ret;
}

int sls_sqlite_review_get(struct sls_db *db, int64_t id, struct sls_review_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st =
        sls_sqlite_stmt_get(c, SQ_REVIEW_GET, "SELECT " REVIEW_COLS " FROM reviews WHERE id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    return sls_sqlite_get_row(c, SQ_REVIEW_GET, st, row_review, out);
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
    if (newest_first)
        st = sls_sqlite_stmt_get(c, slot,
                                 "SELECT " REVIEW_COLS " FROM reviews "
                                 "WHERE (?2 = 0 OR user_id = ?2) AND (?3 < 0 OR state = ?3) "
                                 "ORDER BY id DESC LIMIT ?1");
    else
        st = sls_sqlite_stmt_get(c, slot,
                                 "SELECT " REVIEW_COLS " FROM reviews "
                                 "WHERE (?2 = 0 OR user_id = ?2) AND (?3 < 0 OR state = ?3) "
                                 "ORDER BY id LIMIT ?1");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, sls_sqlite_limit(max));
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int(st, 3, state);
    ret = sls_sqlite_get_rows(c, st, row_review, out, sizeof *out, max, n);
out:
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_review_decide(struct sls_db *db, int64_t id, enum sls_review_state state,
                             const char *by, sls_time at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    struct sls_review_rec cur;
    sqlite3_stmt *st;
    int ret;

    if (state != SLS_REVIEW_APPROVED && state != SLS_REVIEW_DENIED)
        return SLS_ERR_BAD_REQUEST;
    st = sls_sqlite_stmt_get(c, SQ_REVIEW_DECIDE,
                             "UPDATE reviews SET state = ?1, decided_by = ?2, decided_at = ?3 "
                             "WHERE id = ?4 AND state = 0");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int(st, 1, (int)state);
    sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, at);
    sqlite3_bind_int64(st, 4, id);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_REVIEW_DECIDE, st);
    if (ret == SLS_ERR_CONFLICT && sls_sqlite_review_get(db, id, &cur) == SLS_ERR_NOT_FOUND)
        ret = SLS_ERR_NOT_FOUND;
    return ret;
}

/* ---- banking instructions ---- */

#define BANK_COLS "user_id, bank_name, routing_number, account_last4, account_sealed, updated_at"

static int row_bank(sqlite3_stmt *st, void *out)
{
    struct sls_bank_rec *b = out;

    memset(b, 0, sizeof *b);
    b->user_id = sqlite3_column_int64(st, 0);
    COLUMN_FIELD(st, 1, b->bank_name);
    COLUMN_FIELD(st, 2, b->routing_number);
    COLUMN_FIELD(st, 3, b->account_last4);
    if (sls_sqlite_column_blob(st, 4, b->account_sealed, sizeof b->account_sealed,
                               &b->account_sealed_len) != SLS_OK)
        return SLS_ERR_STORE;
    b->updated_at = sqlite3_column_int64(st, 5);
    return SLS_OK;
}

int sls_sqlite_bank_put(struct sls_db *db, const struct sls_bank_rec *b)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (b->account_sealed_len > sizeof b->account_sealed)
        goto out;
    st = sls_sqlite_stmt_get(c, SQ_BANK_PUT,
                             "INSERT OR REPLACE INTO bank_instructions(" BANK_COLS
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        goto out;
    sqlite3_bind_int64(st, 1, b->user_id);
    BIND_FIELD(st, 2, b->bank_name);
    BIND_FIELD(st, 3, b->routing_number);
    BIND_FIELD(st, 4, b->account_last4);
    sqlite3_bind_blob(st, 5, b->account_sealed, (int)b->account_sealed_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, b->updated_at);
    ret = sls_sqlite_step_done(c, st);
out:
    sls_sqlite_stmt_put(c, SQ_BANK_PUT, st);
    return ret;
}

int sls_sqlite_bank_get(struct sls_db *db, int64_t user_id, struct sls_bank_rec *out)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(
        c, SQ_BANK_GET, "SELECT " BANK_COLS " FROM bank_instructions WHERE user_id = ?1");

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, user_id);
    return sls_sqlite_get_row(c, SQ_BANK_GET, st, row_bank, out);
}
