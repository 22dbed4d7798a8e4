/* The sls_db_ops of the SQLite store for the outbox: messages to users (SMS,
 * voice, e-mail, push) and where each stands in its delivery. A message is
 * read and written through its column table (columns.c) and inserted
 * pending; each attempt ends with one compare-and-swap update on its
 * attempt count (outbox_settle: delivered, retry later, or failed), so two deliverers can
 * never both record the same attempt, and starts with a claim (outbox_claim:
 * a lease on the message), so two deliverers never both send it. Settling a message (delivered or
 * failed) erases its body and code and masks its recipient in that same
 * update (SPEC §10.3: no secrets at rest in messages); settled rows are
 * deleted by outbox_purge after the retention period. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_columns.h"
#include "sqlite_records.h"

int sls_sqlite_outbox_insert(struct sls_db *db, struct sls_outbox_rec *m)
{
    struct sls_outbox_rec w = *m;
    int ret;

    /* A new message is pending, with no attempts, due at once. */
    w.state = SLS_OUTBOX_PENDING;
    w.attempts = 0;
    w.next_attempt_at = 0;
    w.done_at = 0;
    w.last_error[0] = '\0';
    ret = sls_sqlite_columns_insert((struct sls_sqlite_conn *)db, SQ_OUTBOX_INSERT,
                                    &sls_columns_outbox, &w);
    if (ret == SLS_OK)
        m->id = w.id;
    return ret;
}

/* When more than max messages match, the newest max are returned (still
 * oldest first): a reader of the outbox wants the code just sent. */
int sls_sqlite_outbox_list(struct sls_db *db, const char *to, struct sls_outbox_rec *out,
                           size_t max, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    enum sls_sqlite_slot slot = to ? SQ_OUTBOX_LIST_TO : SQ_OUTBOX_LIST_ALL;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_columns_stmt(c, slot, &sls_columns_outbox, SLS_SQLITE_SQL_SELECT,
                                 to ? "id IN (SELECT id FROM outbox WHERE recipient = ?2 "
                                      "ORDER BY id DESC LIMIT ?1) ORDER BY id"
                                    : "id IN (SELECT id FROM outbox ORDER BY id DESC LIMIT ?1) "
                                      "ORDER BY id");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, sls_sqlite_limit(max));
    if (to)
        sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    ret = sls_sqlite_columns_list(c, st, &sls_columns_outbox, out, max, n);
out:
    sls_sqlite_stmt_put(c, slot, st);
    return ret;
}

int sls_sqlite_outbox_due(struct sls_db *db, sls_time now, struct sls_outbox_rec *out, size_t max,
                          size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    int ret = SLS_OK;

    *n = 0;
    if (max == 0)
        goto out;
    st = sls_sqlite_columns_stmt(c, SQ_OUTBOX_DUE, &sls_columns_outbox, SLS_SQLITE_SQL_SELECT,
                                 "state = 0 AND next_attempt_at <= ?1 "
                                 "ORDER BY next_attempt_at, id LIMIT ?2");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    ret = sls_sqlite_columns_list(c, st, &sls_columns_outbox, out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_OUTBOX_DUE, st);
    return ret;
}

/* A CAS on (PENDING, attempts). A message that stays PENDING keeps done_at 0
 * and is due again at `at`; one that leaves PENDING is done at `at`, keeps
 * its next_attempt_at, and loses its body and code and keeps its recipient
 * masked (sls_mask, registered on every writing connection), in this same
 * statement: no secret outlives its delivery. Its own text, bound by the
 * column binder: the parameter of column i is ?(i + 2) (id ?2, state ?8,
 * next_attempt_at ?10 carrying `at`, last_error ?12), the expected attempts
 * ?101. */
int sls_sqlite_outbox_settle(struct sls_db *db, int64_t id, int expected_attempts,
                             enum sls_outbox_state state, sls_time at, const char *error)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    struct sls_outbox_rec w;
    sqlite3_stmt *st;
    size_t elen;
    int ret;

    if ((int)state < 0 || state >= SLS_OUTBOX__COUNT)
        return SLS_ERR_STORE;
    if (expected_attempts < 0 || expected_attempts == INT32_MAX)
        return SLS_ERR_CONFLICT;
    memset(&w, 0, sizeof w);
    w.id = id;
    w.state = state;
    w.next_attempt_at = at;
    /* The reason of a failure is a diagnostic: kept to its field's size. */
    elen = error ? strnlen(error, sizeof w.last_error - 1) : 0;
    if (elen)
        memcpy(w.last_error, error, elen);
    st =
        sls_sqlite_stmt_get(c, SQ_OUTBOX_SETTLE,
                            "UPDATE outbox SET state = ?8, attempts = attempts + 1, "
                            "next_attempt_at = CASE WHEN ?8 = 0 THEN ?10 ELSE next_attempt_at END, "
                            "done_at = CASE WHEN ?8 = 0 THEN 0 ELSE ?10 END, "
                            "last_error = ?12, "
                            "body = CASE WHEN ?8 = 0 THEN body ELSE '' END, "
                            "code = CASE WHEN ?8 = 0 THEN code ELSE '' END, "
                            "recipient = CASE WHEN ?8 = 0 THEN recipient "
                            "ELSE sls_mask(recipient) END "
                            "WHERE id = ?2 AND attempts = ?101 AND state = 0");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    ret = sls_sqlite_columns_bind(st, &sls_columns_outbox, &w, false, SLS_OUTBOX_SET_SETTLE);
    if (ret == SLS_OK) {
        sqlite3_bind_int64(st, SLS_SQLITE_CAS_ARG, expected_attempts);
        ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    }
    sls_sqlite_stmt_put(c, SQ_OUTBOX_SETTLE, st);
    return ret;
}

/* A CAS on (PENDING, attempts, due): the message is not due again before
 * lease_until. Plain parameters: it writes one column the binder has no
 * group for, and compares three. */
int sls_sqlite_outbox_claim(struct sls_db *db, int64_t id, int expected_attempts, sls_time now,
                            sls_time lease_until)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st;
    int ret;

    if (lease_until <= now)
        return SLS_ERR_STORE; /* a lease that ends at once takes nothing */
    st = sls_sqlite_stmt_get(c, SQ_OUTBOX_CLAIM,
                             "UPDATE outbox SET next_attempt_at = ?4 "
                             "WHERE id = ?1 AND state = 0 AND attempts = ?2 "
                             "AND next_attempt_at <= ?3");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, expected_attempts);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, lease_until);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_OUTBOX_CLAIM, st);
    return ret;
}

/* A CAS on (PENDING, attempts, the lease taken): due again at `at`. */
int sls_sqlite_outbox_release(struct sls_db *db, int64_t id, int expected_attempts,
                              sls_time lease_until, sls_time at)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_OUTBOX_RELEASE,
                                           "UPDATE outbox SET next_attempt_at = ?4 "
                                           "WHERE id = ?1 AND state = 0 AND attempts = ?2 "
                                           "AND next_attempt_at = ?3");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, expected_attempts);
    sqlite3_bind_int64(st, 3, lease_until);
    sqlite3_bind_int64(st, 4, at);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_OUTBOX_RELEASE, st);
    return ret;
}

int sls_sqlite_outbox_purge(struct sls_db *db, sls_time cutoff, size_t *n)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_OUTBOX_PURGE,
                                           "DELETE FROM outbox WHERE state <> 0 AND done_at <= ?1");
    int ret;

    *n = 0;
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, cutoff);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        *n = (size_t)sqlite3_changes(c->h);
    sls_sqlite_stmt_put(c, SQ_OUTBOX_PURGE, st);
    return ret;
}
