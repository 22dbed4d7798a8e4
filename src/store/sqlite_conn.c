/* One SQLite connection of the store: opening with the pragmas sls relies on,
 * the per-connection cache of prepared statements, and the mapping of SQLite
 * errors to store errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/notice.h"
#include "sqlite_store.h"

#define BUSY_TIMEOUT_MS 10000

/* The name of each slot as logged: SQ_USER_BY_NAME is "user_by_name". */
#define SLOT_NAME(name) #name,
static const char *const slot_names[SQ__COUNT] = {SLS_SQLITE_SLOTS(SLOT_NAME)};

static void op_name(enum sls_sqlite_slot slot, char *out, size_t outlen)
{
    const char *n = (size_t)slot < SQ__COUNT ? slot_names[slot] : "?";
    size_t i;

    for (i = 0; n[i] && i + 1 < outlen; i++)
        out[i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
    out[i] = '\0';
}

/* Runs one pragma and, when `expect` is given, checks its single text answer
 * (journal_mode answers the mode actually in force). */
static int pragma(sqlite3 *h, const char *sql, const char *expect)
{
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;
    int rc;

    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        if (expect && (!v || sqlite3_stricmp((const char *)v, expect) != 0))
            goto out;
    }
    if (rc != SQLITE_DONE)
        goto out;
    ret = SLS_OK;
out:
    sqlite3_finalize(st);
    return ret;
}

/* Runs a pragma that answers one integer into *out. */
static int pragma_int(sqlite3 *h, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int ret = SLS_ERR_STORE;

    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        ret = SLS_OK;
    }
    sqlite3_finalize(st);
    return ret;
}

/* sls_mask(text): the recipient of a settled message as it is kept
 * (sls_notice_mask); NULL stays NULL. */
static void mask_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *v = sqlite3_value_text(argv[0]);
    char out[300];

    (void)argc;
    if (v == NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (sls_notice_mask((const char *)v, out, sizeof(out)) != 0)
        snprintf(out, sizeof(out), "***");
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int sls_sqlite_conn_open(const char *path, bool readonly, int64_t max_bytes,
                         struct sls_sqlite_conn **out, char *why, size_t whylen)
{
    struct sls_sqlite_conn *c = NULL;
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    const char *step = "open";
    char sql[64];
    int ret = SLS_ERR_STORE;
    int rc;

    *out = NULL;
    c = calloc(1, sizeof *c);
    if (!c) {
        ret = SLS_ERR_NOMEM;
        goto out;
    }
    c->db.ops = &sls_sqlite_ops;
    flags |= readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    /* Each connection is used by one thread at a time: no SQLite mutex. */
    rc = sqlite3_open_v2(path, &c->h, flags, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_extended_result_codes(c->h, 1);
    rc = sqlite3_busy_timeout(c->h, BUSY_TIMEOUT_MS);
    if (rc != SQLITE_OK)
        goto fail;
    if (!readonly) {
        /* WAL is a property of the file: set once by the writer, seen by all. */
        step = "journal_mode";
        if (pragma(c->h, "PRAGMA journal_mode=WAL", "wal") != SLS_OK)
            goto fail_h;
        step = "synchronous";
        if (pragma(c->h, "PRAGMA synchronous=FULL", NULL) != SLS_OK)
            goto fail_h;
        /* SPEC §10.3: what a write frees (the body and code of a settled
         * message, a purged row) is overwritten with zeros, not left in the
         * free space of its page or on the freelist. */
        step = "secure_delete";
        if (pragma(c->h, "PRAGMA secure_delete=ON", NULL) != SLS_OK)
            goto fail_h;
        if (max_bytes > 0) {
            int64_t page = 0;

            step = "max_page_count";
            if (pragma_int(c->h, "PRAGMA page_size", &page) != SLS_OK || page <= 0)
                goto fail_h;
            snprintf(sql, sizeof sql, "PRAGMA max_page_count=%lld",
                     (long long)(max_bytes / page > 0 ? max_bytes / page : 1));
            if (pragma(c->h, sql, NULL) != SLS_OK)
                goto fail_h;
        }
        step = "create_function";
        rc = sqlite3_create_function_v2(c->h, "sls_mask", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                        NULL, mask_fn, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            goto fail;
    }
    step = "foreign_keys";
    if (pragma(c->h, "PRAGMA foreign_keys=ON", NULL) != SLS_OK)
        goto fail_h;
    *out = c;
    c = NULL;
    ret = SLS_OK;
    goto out;
fail_h:
    rc = sqlite3_extended_errcode(c->h);
    if (rc == SQLITE_OK)
        rc = SQLITE_ERROR;
fail : {
    char op[48];

    snprintf(op, sizeof op, "open: %s", step);
    ret = sls_sqlite_report(c->h, op, rc, why, whylen);
}
out:
    sls_sqlite_conn_close(c);
    return ret;
}

void sls_sqlite_conn_close(struct sls_sqlite_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < SQ__COUNT; i++)
        sqlite3_finalize(c->stmt[i]);
    sqlite3_close(c->h);
    free(c);
}

sqlite3_stmt *sls_sqlite_stmt_get(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot,
                                  const char *sql)
{
    sqlite3_stmt *st = NULL;

    c->op = slot;
    if (c->stmt[slot] && !sqlite3_stmt_busy(c->stmt[slot]))
        return c->stmt[slot];
    if (c->stmt[slot]) {
        /* The cached one is in use further up the stack: a transient copy. */
        if (sqlite3_prepare_v3(c->h, sql, -1, 0, &st, NULL) != SQLITE_OK) {
            sqlite3_finalize(st);
            return NULL;
        }
        return st;
    }
    if (sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    c->stmt[slot] = st;
    return st;
}

void sls_sqlite_stmt_put(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, sqlite3_stmt *st)
{
    if (!st)
        return;
    if (st == c->stmt[slot]) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

int sls_sqlite_exec(struct sls_sqlite_conn *c, enum sls_sqlite_slot slot, const char *sql)
{
    sqlite3_stmt *st = sls_sqlite_stmt_get(c, slot, sql);
    int rc;

    if (!st)
        return sqlite3_errcode(c->h) != SQLITE_OK ? sqlite3_errcode(c->h) : SQLITE_ERROR;
    rc = sqlite3_step(st);
    sls_sqlite_stmt_put(c, slot, st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int sls_sqlite_error(struct sls_sqlite_conn *c, int rc)
{
    char op[40];
    int ret;

    if (rc == SQLITE_OK) {
        rc = sqlite3_extended_errcode(c->h);
        if (rc == SQLITE_OK)
            rc = SQLITE_ERROR;
    }
    /* Connections report extended codes; fall back to asking when not. */
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        int ext = rc > 0xff ? rc : sqlite3_extended_errcode(c->h);

        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            return SLS_ERR_CONFLICT;
        if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
            return SLS_ERR_NOT_FOUND;
    }
    op_name(c->op, op, sizeof op);
    ret = sls_sqlite_report(c->h, op, rc, c->reason, sizeof c->reason);
    if (ret == SLS_ERR_STORE_UNAVAILABLE)
        c->unavailable = true;
    return ret;
}
