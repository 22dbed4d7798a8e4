/* One PostgreSQL connection of the store: connecting with the timeouts sls
 * relies on, statements prepared once per connection by slot, parameters and
 * results in text form (BYTEA parameters in binary), and the mapping of
 * PostgreSQL's errors (SQLSTATE) to store errors with their log line,
 * rate-limited like the SQLite backend's. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/error.h"
#include "pg_store.h"

/* The name of each slot as logged: PQ_USER_BY_NAME is "user_by_name". */
#define SLOT_NAME(name) #name,
static const char *const slot_names[PQ__COUNT] = {SLS_PG_SLOTS(SLOT_NAME)};

static void op_name(enum sls_pg_slot slot, char *out, size_t outlen)
{
    const char *n = (size_t)slot < PQ__COUNT ? slot_names[slot] : "?";
    size_t i;

    for (i = 0; n[i] && n[i] != ' ' && i + 1 < outlen; i++)
        out[i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
    out[i] = '\0';
}

/* ---- the log line ---- */

#define SEEN_MAX 32

struct seen {
    char op[40];
    char state[6];
    int64_t logged_at;
    uint64_t suppressed;
    bool used;
};

static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct seen seen[SEEN_MAX];

static int64_t mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec;
}

void sls_pg_report(const char *op, const char *sqlstate, const char *message, char *reason,
                   size_t reasonlen)
{
    char line[320], msg[200];
    int64_t now = mono_now();
    struct seen *e = NULL, *oldest = &seen[0];
    uint64_t left_out = 0;
    bool log = true;
    size_t n;

    /* PostgreSQL's messages end with a newline; one line per failure. */
    snprintf(msg, sizeof msg, "%s", message && *message ? message : "unknown error");
    n = strcspn(msg, "\n");
    msg[n] = '\0';
    snprintf(line, sizeof line, "%s: %s (%s)", op, msg, sqlstate && *sqlstate ? sqlstate : "-");
    if (reason && reasonlen > 0)
        snprintf(reason, reasonlen, "%s", line);

    pthread_mutex_lock(&seen_mu);
    for (size_t i = 0; i < SEEN_MAX; i++) {
        if (seen[i].used && strncmp(seen[i].op, op, sizeof seen[i].op - 1) == 0 &&
            strcmp(seen[i].state, sqlstate ? sqlstate : "") == 0) {
            e = &seen[i];
            break;
        }
        if (!seen[i].used || seen[i].logged_at < oldest->logged_at)
            oldest = &seen[i];
    }
    if (e && now - e->logged_at < SLS_PG_REPORT_SECONDS) {
        e->suppressed++;
        log = false;
    } else {
        if (!e) {
            e = oldest;
            memset(e, 0, sizeof *e);
            snprintf(e->op, sizeof e->op, "%s", op);
            snprintf(e->state, sizeof e->state, "%s", sqlstate ? sqlstate : "");
            e->used = true;
        }
        left_out = e->suppressed;
        e->suppressed = 0;
        e->logged_at = now;
    }
    pthread_mutex_unlock(&seen_mu);
    if (!log)
        return;
    if (left_out)
        fprintf(stderr, "store: %s (and %" PRIu64 " more like it left out)\n", line, left_out);
    else
        fprintf(stderr, "store: %s\n", line);
}

bool sls_pg_unavailable(const char *sqlstate)
{
    if (!sqlstate || !*sqlstate)
        return true; /* no answer from the server at all */
    return strncmp(sqlstate, "08", 2) == 0 || strncmp(sqlstate, "53", 2) == 0 ||
           strcmp(sqlstate, "57P01") == 0 || strcmp(sqlstate, "57P02") == 0 ||
           strcmp(sqlstate, "57P03") == 0 || strcmp(sqlstate, "57014") == 0 ||
           strcmp(sqlstate, "55P03") == 0;
}

int sls_pg_error(struct sls_pg_conn *c, const char *op, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : NULL;

    c->failed = true;
    if (!msg || !*msg)
        msg = PQerrorMessage(c->h);
    if (PQstatus(c->h) != CONNECTION_OK) {
        c->unavailable = true;
        sls_pg_report(op, state ? state : "08006", msg, c->reason, sizeof c->reason);
        return SLS_ERR_STORE_UNAVAILABLE;
    }
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) {
        c->retry = true; /* the transaction runs again: not a failure to log */
        return SLS_ERR_CONFLICT;
    }
    if (state && strcmp(state, "23505") == 0)
        return SLS_ERR_CONFLICT;
    if (state && strcmp(state, "23503") == 0)
        return SLS_ERR_NOT_FOUND;
    sls_pg_report(op, state, msg, c->reason, sizeof c->reason);
    if (sls_pg_unavailable(state)) {
        c->unavailable = true;
        return SLS_ERR_STORE_UNAVAILABLE;
    }
    return SLS_ERR_STORE;
}

/* Notices (a table that already exists ...) are not the store's to print. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int sls_pg_conn_open(const char *conninfo, int timeout_seconds, struct sls_pg_conn **out, char *why,
                     size_t whylen)
{
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    char timeout[16], sql[160];
    const char *values[] = {conninfo, timeout, "slsd", NULL};
    struct sls_pg_conn *c;
    PGresult *res;

    *out = NULL;
    if (timeout_seconds < 1)
        timeout_seconds = 1;
    /* libpq waits at least 2 seconds whatever is asked (connect_timeout). */
    snprintf(timeout, sizeof timeout, "%d", timeout_seconds);
    c = calloc(1, sizeof *c);
    if (!c)
        return SLS_ERR_NOMEM;
    c->db.ops = &sls_pg_ops;
    /* Later keywords win over what the URL says, the timeout included. */
    c->h = PQconnectdbParams(keys, values, 1);
    if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
        char op[] = "connect";

        sls_pg_report(op, "08001", c->h ? PQerrorMessage(c->h) : "out of memory", why, whylen);
        sls_pg_conn_close(c);
        return SLS_ERR_STORE_UNAVAILABLE;
    }
    PQsetNoticeProcessor(c->h, quiet, NULL);
    /* A statement or a lock wait longer than the store's timeout fails the
     * request (503) instead of holding it. */
    snprintf(sql, sizeof sql,
             "SET statement_timeout = %d; SET lock_timeout = %d; SET client_min_messages = "
             "warning; SET TIME ZONE 'UTC'",
             timeout_seconds * 1000, timeout_seconds * 1000);
    res = PQexec(c->h, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        int ret = sls_pg_error(c, "connect: settings", res);

        if (why && whylen)
            snprintf(why, whylen, "%s", c->reason);
        PQclear(res);
        sls_pg_conn_close(c);
        return ret == SLS_ERR_STORE_UNAVAILABLE ? ret : SLS_ERR_STORE;
    }
    PQclear(res);
    *out = c;
    return SLS_OK;
}

void sls_pg_conn_close(struct sls_pg_conn *c)
{
    if (!c)
        return;
    PQfinish(c->h);
    free(c);
}

bool sls_pg_conn_ok(const struct sls_pg_conn *c)
{
    return c && PQstatus(c->h) == CONNECTION_OK && PQtransactionStatus(c->h) == PQTRANS_IDLE;
}

/* The error a statement answers without being sent, once the transaction
 * failed: the reason it failed. */
static int failed_error(const struct sls_pg_conn *c)
{
    if (c->unavailable)
        return SLS_ERR_STORE_UNAVAILABLE;
    return c->retry ? SLS_ERR_CONFLICT : SLS_ERR_STORE;
}

/* Whether s is valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
static bool valid_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned char b = *s;
        uint32_t cp;
        int n;

        if (b < 0x80) {
            s++;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            n = 1;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 2;
            cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 3;
            cp = b & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        s += n + 1;
    }
    return true;
}

/* PostgreSQL takes only valid UTF-8 text, and refusing it would end the
 * transaction. Nothing stored is such text, so a statement that only looks
 * for it (SELECT, DELETE) finds nothing and is answered without the server:
 * an empty result. One that would store it is refused (SLS_ERR_STORE), as a
 * value that does not fit. NULL when every text parameter is valid. */
static PGresult *invalid_text(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                              const struct sls_pg_params *p, int *err)
{
    char op[40];
    bool bad = false;

    for (int i = 0; p && i < p->n && !bad; i++)
        bad =
            p->values[i] && p->formats[i] == 0 && !valid_utf8((const unsigned char *)p->values[i]);
    if (!bad)
        return NULL;
    if (strncmp(sql, "SELECT", 6) == 0 || strncmp(sql, "DELETE", 6) == 0) {
        PGresult *res =
            PQmakeEmptyPGresult(c->h, sql[0] == 'S' ? PGRES_TUPLES_OK : PGRES_COMMAND_OK);

        *err = res ? SLS_OK : SLS_ERR_NOMEM;
        return res;
    }
    op_name(slot, op, sizeof op);
    sls_pg_report(op, "22021", "refused: a text that is not UTF-8", NULL, 0);
    *err = SLS_ERR_STORE;
    return NULL;
}

PGresult *sls_pg_run(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                     const struct sls_pg_params *p, int *err)
{
    char name[16], op[40];
    PGresult *res;
    ExecStatusType st;

    c->op = slot;
    if (c->failed) {
        *err = failed_error(c);
        return NULL;
    }
    *err = SLS_OK;
    res = invalid_text(c, slot, sql, p, err);
    if (res || *err != SLS_OK)
        return res;
    snprintf(name, sizeof name, "s%d", (int)slot);
    if (!c->prepared[slot]) {
        res = PQprepare(c->h, name, sql, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            op_name(slot, op, sizeof op);
            *err = sls_pg_error(c, op, res);
            PQclear(res);
            return NULL;
        }
        PQclear(res);
        c->prepared[slot] = true;
    }
    res = PQexecPrepared(c->h, name, p ? p->n : 0, p ? p->values : NULL, p ? p->lengths : NULL,
                         p ? p->formats : NULL, 0);
    st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        *err = SLS_OK;
        return res;
    }
    op_name(slot, op, sizeof op);
    *err = sls_pg_error(c, op, res);
    PQclear(res);
    return NULL;
}

int sls_pg_run_changed(struct sls_pg_conn *c, enum sls_pg_slot slot, const char *sql,
                       const struct sls_pg_params *p, size_t *changed)
{
    int err;
    PGresult *res = sls_pg_run(c, slot, sql, p, &err);

    if (changed)
        *changed = 0;
    if (!res)
        return err;
    if (changed)
        *changed = (size_t)strtoull(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return SLS_OK;
}

int sls_pg_exec(struct sls_pg_conn *c, const char *op, const char *sql)
{
    PGresult *res = PQexec(c->h, sql);
    ExecStatusType st = PQresultStatus(res);
    int ret = SLS_OK;

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        ret = sls_pg_error(c, op, res);
    PQclear(res);
    return ret;
}

/* ---- parameters and results ---- */

static void set(struct sls_pg_params *p, int i, const char *v, int len, int format)
{
    if (i < 1 || i > SLS_PG_PARAMS_MAX)
        return;
    p->values[i - 1] = v;
    p->lengths[i - 1] = len;
    p->formats[i - 1] = format;
    if (i > p->n)
        p->n = i;
}

void sls_pg_param_text(struct sls_pg_params *p, int i, const char *s)
{
    set(p, i, s, 0, 0);
}

void sls_pg_param_int(struct sls_pg_params *p, int i, int64_t v)
{
    if (i < 1 || i > SLS_PG_PARAMS_MAX)
        return;
    snprintf(p->buf[i - 1], SLS_PG_PARAM_BUF, "%" PRId64, v);
    set(p, i, p->buf[i - 1], 0, 0);
}

void sls_pg_param_null(struct sls_pg_params *p, int i)
{
    set(p, i, NULL, 0, 0);
}

void sls_pg_param_bytes(struct sls_pg_params *p, int i, const uint8_t *data, size_t len)
{
    /* A zero-length binary value still needs a pointer that is not NULL. */
    set(p, i, len ? (const char *)data : "", (int)len, 1);
}

int sls_pg_get_int(const PGresult *res, int row, int col, int64_t *out)
{
    const char *v;
    char *end;
    long long x;

    *out = 0;
    if (PQgetisnull(res, row, col))
        return SLS_OK;
    v = PQgetvalue(res, row, col);
    x = strtoll(v, &end, 10);
    if (end == v || *end != '\0')
        return SLS_ERR_STORE;
    *out = (int64_t)x;
    return SLS_OK;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int sls_pg_get_bytes(const PGresult *res, int row, int col, uint8_t *dst, size_t cap, size_t *len)
{
    const char *v = PQgetvalue(res, row, col);
    size_t n = (size_t)PQgetlength(res, row, col);

    *len = 0;
    if (PQgetisnull(res, row, col))
        return SLS_OK;
    if (n < 2 || v[0] != '\\' || v[1] != 'x' || (n - 2) % 2 != 0)
        return SLS_ERR_STORE;
    if ((n - 2) / 2 > cap)
        return SLS_ERR_STORE;
    for (size_t i = 0; i < (n - 2) / 2; i++) {
        int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);

        if (hi < 0 || lo < 0)
            return SLS_ERR_STORE;
        dst[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = (n - 2) / 2;
    return SLS_OK;
}

int64_t sls_pg_limit(size_t max)
{
    return max > INT64_MAX ? INT64_MAX : (int64_t)max;
}
