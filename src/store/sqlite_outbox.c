/* The sls_db_ops of the SQLite store for the outbox: messages to users (SMS,
 * voice, e-mail, push) and where each stands in its delivery. A message is
 * inserted pending; each attempt ends with one compare-and-swap update on its
 * attempt count (outbox_settle: delivered, retry later, or failed), so two deliverers can
 * never both record the same attempt. Settling a message (delivered or
 * failed) erases its body and code and masks its recipient in that same
 * update (SPEC §10.3: no secrets at rest in messages); settled rows are
 * deleted by outbox_purge after the retention period. */
#include <string.h>

#include "../core/error.h"
#include "sqlite_records.h"

#define OUTBOX_COLS                                                                                \
    "id, recipient, channel, body, code, at, state, attempts, next_attempt_at, done_at, "          \
    "last_error, kind"

int sls_sqlite_outbox_insert(struct sls_db *db, struct sls_outbox_rec *m)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, SQ_OUTBOX_INSERT,
                                           "INSERT INTO outbox(recipient, channel, body, code, at, "
                                           "kind) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    int ret;

    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    BIND_FIELD(st, 1, m->to);
    BIND_FIELD(st, 2, m->channel);
    BIND_FIELD(st, 3, m->body);
    BIND_FIELD(st, 4, m->code);
    sqlite3_bind_int64(st, 5, m->at);
    BIND_FIELD(st, 6, m->kind);
    ret = sls_sqlite_step_done(c, st);
    if (ret == SLS_OK)
        m->id = sqlite3_last_insert_rowid(c->h);
    sls_sqlite_stmt_put(c, SQ_OUTBOX_INSERT, st);
    return ret;
}

/* Maps a row of OUTBOX_COLS; SLS_ERR_STORE for a state that is none of ours. */
static int column_message(sqlite3_stmt *st, void *out)
{
    struct sls_outbox_rec *m = out;
    int64_t state = sqlite3_column_int64(st, 6);
    int64_t attempts = sqlite3_column_int64(st, 7);

    memset(m, 0, sizeof *m);
    if (state < 0 || state >= SLS_OUTBOX__COUNT || attempts < 0 || attempts > INT32_MAX)
        return SLS_ERR_STORE;
    m->id = sqlite3_column_int64(st, 0);
    COLUMN_FIELD(st, 1, m->to);
    COLUMN_FIELD(st, 2, m->channel);
    COLUMN_FIELD(st, 3, m->body);
    COLUMN_FIELD(st, 4, m->code);
    m->at = sqlite3_column_int64(st, 5);
    m->state = (enum sls_outbox_state)state;
    m->attempts = (int)attempts;
    m->next_attempt_at = sqlite3_column_int64(st, 8);
    m->done_at = sqlite3_column_int64(st, 9);
    COLUMN_FIELD(st, 10, m->last_error);
    COLUMN_FIELD(st, 11, m->kind);
    return SLS_OK;
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
    if (to)
        st = sls_sqlite_stmt_get(c, slot,
                                 "SELECT * FROM (SELECT " OUTBOX_COLS " FROM outbox "
                                 "WHERE recipient = ?2 ORDER BY id DESC LIMIT ?1) ORDER BY id");
    else
        st = sls_sqlite_stmt_get(c, slot,
                                 "SELECT * FROM (SELECT " OUTBOX_COLS " FROM outbox "
                                 "ORDER BY id DESC LIMIT ?1) ORDER BY id");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, sls_sqlite_limit(max));
    if (to)
        sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
    ret = sls_sqlite_get_rows(c, st, column_message, out, sizeof *out, max, n);
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
    st = sls_sqlite_stmt_get(c, SQ_OUTBOX_DUE,
                             "SELECT " OUTBOX_COLS " FROM outbox "
                             "WHERE state = 0 AND next_attempt_at <= ?1 "
                             "ORDER BY next_attempt_at, id LIMIT ?2");
    if (!st) {
        ret = sls_sqlite_error(c, SQLITE_OK);
        goto out;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, sls_sqlite_limit(max));
    ret = sls_sqlite_get_rows(c, st, column_message, out, sizeof *out, max, n);
out:
    sls_sqlite_stmt_put(c, SQ_OUTBOX_DUE, st);
    return ret;
}

/* A CAS on (PENDING, attempts). A message that stays PENDING keeps done_at 0
 * and is due again at `at`; one that leaves PENDING is done at `at`, keeps
 * its next_attempt_at, and loses its body and code and keeps its recipient
 * masked (sls_mask, registered on every writing connection), in this same
 * statement: no secret outlives its delivery. */
int sls_sqlite_outbox_settle(struct sls_db *db, int64_t id, int expected_attempts,
                             enum sls_outbox_state state, sls_time at, const char *error)
{
    struct sls_sqlite_conn *c = (struct sls_sqlite_conn *)db;
    sqlite3_stmt *st = NULL;
    size_t elen;
    int ret;

    if ((int)state < 0 || state >= SLS_OUTBOX__COUNT)
        return SLS_ERR_STORE;
    if (expected_attempts < 0 || expected_attempts == INT32_MAX)
        return SLS_ERR_CONFLICT;
    if (error == NULL)
        error = "";
    elen = strnlen(error, sizeof(((struct sls_outbox_rec *)0)->last_error) - 1);
    st = sls_sqlite_stmt_get(c, SQ_OUTBOX_SETTLE,
                             "UPDATE outbox SET state = ?3, attempts = attempts + 1, "
                             "next_attempt_at = CASE WHEN ?3 = 0 THEN ?4 ELSE next_attempt_at END, "
                             "done_at = CASE WHEN ?3 = 0 THEN 0 ELSE ?4 END, "
                             "last_error = ?5, "
                             "body = CASE WHEN ?3 = 0 THEN body ELSE '' END, "
                             "code = CASE WHEN ?3 = 0 THEN code ELSE '' END, "
                             "recipient = CASE WHEN ?3 = 0 THEN recipient "
                             "ELSE sls_mask(recipient) END "
                             "WHERE id = ?1 AND attempts = ?2 AND state = 0");
    if (!st)
        return sls_sqlite_error(c, SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, expected_attempts);
    sqlite3_bind_int(st, 3, (int)state);
    sqlite3_bind_int64(st, 4, at);
    sqlite3_bind_text(st, 5, error, (int)elen, SQLITE_STATIC);
    ret = sls_sqlite_step_changed(c, st, SLS_ERR_CONFLICT);
    sls_sqlite_stmt_put(c, SQ_OUTBOX_SETTLE, st);
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
