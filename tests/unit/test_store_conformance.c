/* The conformance suite of the store contract (store.h): every operation,
 * compare-and-swap conflicts, not-found, single use, bounds, and the races
 * that matter when several nodes share one store. It runs unchanged against
 * each backend: the store URL comes from the environment,
 *
 *   SLS_TEST_STORE_URL=sqlite              (or unset) a new SQLite file per test;
 *   SLS_TEST_STORE_URL=postgresql://...    a PostgreSQL server: each test gets a
 *                                          fresh database, sls_conf_<pid>_<n>,
 *                                          created through that URL and dropped
 *                                          after the test.
 *
 * What only makes sense for one backend (SQLite's migrations from v1, its
 * files and WAL, group commit) lives in test_store_sqlite.c; the few checks
 * of PostgreSQL's own behaviour (a connection killed, a newer schema, nodes
 * starting together) are at the end and run only against it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/error.h"
#include "core/lockout.h"
#include "crypto/hash.h"
#include "store/store.h"
#include "store_calls.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- fixture: a fresh, empty store per test ---- */

struct fixture {
    bool pg;
    char dir[64];   /* SQLite: the temporary folder */
    char path[128]; /* SQLite: the file */
    char db[64];    /* PostgreSQL: the database made for this test */
    char url[1200];
};

/* The server's URL, or NULL for SQLite. */
static const char *pg_base(void)
{
    const char *u = getenv("SLS_TEST_STORE_URL");

    if (!u || (strncmp(u, "postgresql:", 11) != 0 && strncmp(u, "postgres:", 9) != 0))
        return NULL;
    return u;
}

/* base with its database name replaced by db: the path of the URL runs from
 * the first '/' after "//" to '?' or the end. */
static int url_with_db(const char *base, const char *db, char *out, size_t outlen)
{
    const char *auth = strstr(base, "://");
    const char *path, *query;

    if (!auth)
        return -1;
    path = strchr(auth + 3, '/');
    query = strchr(auth + 3, '?');
    if (!path || (query && query < path))
        path = query ? query : base + strlen(base);
    query = strchr(path, '?');
    if (!query)
        query = path + strlen(path);
    if ((size_t)snprintf(out, outlen, "%.*s/%s%s", (int)(path - base), base, db, query) >= outlen)
        return -1;
    return 0;
}

/* Runs one statement on the server's own database of the URL. */
static int pg_admin(const char *sql)
{
    PGconn *c = PQconnectdb(pg_base());
    PGresult *res;
    int ok;

    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "conformance: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    res = PQexec(c, sql);
    ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "conformance: %s: %s", sql, PQerrorMessage(c));
    PQclear(res);
    PQfinish(c);
    return ok ? 0 : -1;
}

static int setup(void **state)
{
    static int counter;
    struct fixture *f = calloc(1, sizeof *f);
    char sql[128];

    if (!f)
        return -1;
    *state = f;
    if (pg_base()) {
        f->pg = true;
        snprintf(f->db, sizeof f->db, "sls_conf_%d_%d", (int)getpid(), ++counter);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->db);
        if (pg_admin(sql) != 0 || url_with_db(pg_base(), f->db, f->url, sizeof f->url) != 0)
            return -1;
        return 0;
    }
    snprintf(f->dir, sizeof f->dir, "/tmp/sls-store-conf-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/sls.db", f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
    return 0;
}

static int teardown(void **state)
{
    static const char *const leaves[] = {"sls.db", "sls.db-wal", "sls.db-shm", "sls.db-journal"};
    struct fixture *f = *state;
    char p[256];

    if (!f)
        return 0;
    if (f->pg) {
        if (f->db[0]) {
            snprintf(p, sizeof p, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->db);
            (void)pg_admin(p);
        }
    } else if (f->dir[0]) {
        for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
            snprintf(p, sizeof p, "%s/%s", f->dir, leaves[i]);
            unlink(p);
        }
        rmdir(f->dir);
    }
    free(f);
    return 0;
}

static struct sls_store *open_store(const char *url)
{
    struct sls_store *s = NULL;
    char why[512] = "";

    if (sls_store_open_with(url, NULL, &s, why, sizeof why) != SLS_OK)
        fprintf(stderr, "conformance: cannot open the store: %s\n", why);
    assert_non_null(s);
    return s;
}

/* ---- callbacks beyond store_calls.h's, arguments in its struct args ---- */

static int f_user_by_id(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, user_get_by_id, a->id, a->out);
}

/* user_update of a->in, the groups a->i, on version a->n. */
static int f_user_update(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, user_update, a->in, (unsigned)a->i, a->n);
}

/* The fields a->i of a->in written to user a->id on the version read in the
 * same transaction (version 0 when there is no such user). */
static int f_user_write(struct sls_db *db, void *p)
{
    struct args *a = p;
    struct sls_user_rec cur, w = *(const struct sls_user_rec *)a->in;
    int64_t version = 0;
    int rc = SLS_DB(db, user_get_by_id, a->id, &cur);

    if (rc == SLS_OK)
        version = cur.version;
    else if (rc != SLS_ERR_NOT_FOUND)
        return rc;
    w.id = a->id;
    return SLS_DB(db, user_update, &w, (unsigned)a->i, version);
}

static int f_device_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_insert, a->in);
}

static int f_device_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_get, a->str, a->out);
}

static int f_device_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_list, a->id, a->out, a->max, &a->count);
}

/* device_update of a->in, the groups a->i. */
static int f_device_update(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_update, a->in, (unsigned)a->i);
}

/* The state a->i at a->t written to device a->str. */
static int f_device_set_state(struct sls_db *db, void *p)
{
    struct args *a = p;
    struct sls_device_rec d;

    memset(&d, 0, sizeof d);
    snprintf(d.id, sizeof d.id, "%s", a->str);
    d.state = (enum sls_device_state)a->i;
    d.state_changed_at = a->t;
    return SLS_DB(db, device_update, &d, SLS_DEVICE_SET_STATE);
}

static int f_login_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, login_insert, a->in);
}

static int f_login_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, login_get, a->str, a->out);
}

static int f_login_cas(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, login_update_cas, a->in, a->i);
}

static int f_session_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, session_insert, a->in);
}

static int f_session_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, session_get, a->str, a->out);
}

/* session_update of a->in, the groups a->i. */
static int f_session_update(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, session_update, a->in, (unsigned)a->i);
}

static int f_session_revoke_by_device(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, session_revoke_by_device, a->id, a->str, &a->count);
}

static int f_identity_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, identity_insert, a->str, a->id, a->str2, a->t);
}

static int f_identity_latest(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, identity_latest, a->str, a->id, &a->t);
}

static int f_meta_set(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, meta_set, a->str, a->str2);
}

/* Shorthands: run one primitive in its own write or read. */
static int user_by_id(struct sls_store *s, int64_t id, struct sls_user_rec *out)
{
    struct args a = {.id = id, .out = out};
    return sls_store_read(s, f_user_by_id, &a);
}

static int device_get(struct sls_store *s, const char *id, struct sls_device_rec *out)
{
    struct args a = {.str = id, .out = out};
    return sls_store_read(s, f_device_get, &a);
}

static int login_get(struct sls_store *s, const char *id, struct sls_login_rec *out)
{
    struct args a = {.str = id, .out = out};
    return sls_store_read(s, f_login_get, &a);
}

static int login_cas(struct sls_store *s, const struct sls_login_rec *l, int seq)
{
    struct args a = {.in = l, .i = seq};
    return sls_store_write(s, f_login_cas, &a);
}

static int session_get(struct sls_store *s, const char *hash, struct sls_session_rec *out)
{
    struct args a = {.str = hash, .out = out};
    return sls_store_read(s, f_session_get, &a);
}

static void assert_lockout_equal(const struct sls_lockout_state *a,
                                 const struct sls_lockout_state *b)
{
    assert_int_equal(a->nfail, b->nfail);
    for (int i = 0; i < a->nfail; i++)
        assert_int_equal(a->fail_at[i], b->fail_at[i]);
    assert_int_equal(a->locked_until, b->locked_until);
}

static void assert_user_equal(const struct sls_user_rec *a, const struct sls_user_rec *b)
{
    assert_int_equal(a->id, b->id);
    assert_string_equal(a->username, b->username);
    assert_string_equal(a->password_hash, b->password_hash);
    assert_string_equal(a->email, b->email);
    assert_string_equal(a->account_id, b->account_id);
    assert_int_equal(a->account_state, b->account_state);
    assert_int_equal(a->approved_at, b->approved_at);
    assert_int_equal(a->equity_cents, b->equity_cents);
    assert_int_equal(a->primary, b->primary);
    assert_int_equal(a->sls, b->sls);
    assert_int_equal(a->paper_of, b->paper_of);
    assert_string_equal(a->identity_json, b->identity_json);
    assert_string_equal(a->phones_json, b->phones_json);
    assert_lockout_equal(&a->lockout, &b->lockout);
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->created_at, b->created_at);
}

/* ---- records with every field set to something recognisable ---- */

static void make_device(struct sls_device_rec *d, const char *id, int64_t user_id, sls_time created)
{
    memset(d, 0, sizeof *d);
    snprintf(d->id, sizeof d->id, "%s", id);
    d->user_id = user_id;
    d->type = SLS_DEVICE_DSC_PLUS;
    d->state = SLS_DEVSTATE_SHIPPED;
    snprintf(d->label, sizeof d->label, "DSC+ %s", id);
    snprintf(d->serial, sizeof d->serial, "SN-%s", id);
    d->secret_len = 300;
    for (size_t i = 0; i < d->secret_len; i++)
        d->secret[i] = (uint8_t)(i * 7 + 1); /* includes 0x00 bytes */
    d->pin_len = 40;
    for (size_t i = 0; i < d->pin_len; i++)
        d->pin[i] = (uint8_t)(255 - i);
    d->created_at = created;
    d->state_changed_at = created + 5;
}

static void assert_device_equal(const struct sls_device_rec *a, const struct sls_device_rec *b)
{
    assert_string_equal(a->id, b->id);
    assert_int_equal(a->user_id, b->user_id);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->state, b->state);
    assert_string_equal(a->label, b->label);
    assert_string_equal(a->serial, b->serial);
    assert_int_equal(a->secret_len, b->secret_len);
    assert_memory_equal(a->secret, b->secret, a->secret_len);
    assert_int_equal(a->pin_len, b->pin_len);
    if (a->pin_len)
        assert_memory_equal(a->pin, b->pin, a->pin_len);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->state_changed_at, b->state_changed_at);
    assert_int_equal(a->totp_step, b->totp_step);
    assert_string_equal(a->passkey_id, b->passkey_id);
    assert_int_equal(a->passkey_alg, b->passkey_alg);
    assert_int_equal(a->passkey_key_len, b->passkey_key_len);
    assert_memory_equal(a->passkey_key, b->passkey_key, a->passkey_key_len);
    assert_int_equal(a->passkey_count, b->passkey_count);
}

static void make_login(struct sls_login_rec *l, const char *id, int64_t user_id)
{
    memset(l, 0, sizeof *l);
    snprintf(l->id, sizeof l->id, "%s", id);
    l->user_id = user_id;
    l->platform = SLS_PLATFORM_TRADING;
    l->paper = true;
    l->created_at = 1700000500;
    l->state = SLS_LOGIN_PENDING;
    l->seq = 0;
    snprintf(l->device_id, sizeof l->device_id, "dddddddddddddddddddddddddddddddd");
    l->kind = SLS_CHALLENGE_CARD;
    snprintf(l->challenge, sizeof l->challenge, "12,47");
    l->challenge_at = 1700000501;
    l->session_hash[0] = '\0';
}

static void assert_login_equal(const struct sls_login_rec *a, const struct sls_login_rec *b)
{
    assert_string_equal(a->id, b->id);
    assert_int_equal(a->user_id, b->user_id);
    assert_int_equal(a->platform, b->platform);
    assert_int_equal(a->paper, b->paper);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->seq, b->seq);
    assert_string_equal(a->device_id, b->device_id);
    assert_int_equal(a->kind, b->kind);
    assert_string_equal(a->challenge, b->challenge);
    assert_int_equal(a->challenge_at, b->challenge_at);
    assert_string_equal(a->session_hash, b->session_hash);
    assert_string_equal(a->client_token_hash, b->client_token_hash);
}

static void make_session(struct sls_session_rec *s, const char *hash, int64_t user_id)
{
    memset(s, 0, sizeof *s);
    snprintf(s->token_hash, sizeof s->token_hash, "%s", hash);
    s->user_id = user_id;
    s->platform = SLS_PLATFORM_PORTAL;
    s->factor = SLS_DEVICE_IBKEY;
    snprintf(s->device_id, sizeof s->device_id, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    s->access = SLS_ACCESS_ONLINE_CARD_ONLY;
    s->auth_mode = SLS_AUTH_BIOMETRIC;
    s->paper = true;
    s->created_at = 1700000600;
    s->expires_at = 1700002400;
    s->revoked = false;
}

static void assert_session_equal(const struct sls_session_rec *a, const struct sls_session_rec *b)
{
    assert_string_equal(a->token_hash, b->token_hash);
    assert_int_equal(a->user_id, b->user_id);
    assert_int_equal(a->platform, b->platform);
    assert_int_equal(a->factor, b->factor);
    assert_string_equal(a->device_id, b->device_id);
    assert_int_equal(a->access, b->access);
    assert_int_equal(a->auth_mode, b->auth_mode);
    assert_int_equal(a->paper, b->paper);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->expires_at, b->expires_at);
    assert_int_equal(a->revoked, b->revoked);
    assert_int_equal(a->verified_until, b->verified_until);
}

/* ==== conformance suite: functions of a store URL ==== */

static void conf_user_roundtrip(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec u, paper, got;

    make_user(&u, "alice", "U1234567");
    assert_int_equal(user_insert(s, &u), SLS_OK);
    assert_true(u.id > 0);

    assert_int_equal(user_by_name(s, "alice", &got), SLS_OK);
    assert_user_equal(&u, &got);
    assert_int_equal(user_by_id(s, u.id, &got), SLS_OK);
    assert_user_equal(&u, &got);

    /* A paper user linked to the live one, with the other values of each field. */
    make_user(&paper, "alicepaper", "DU1234567");
    paper.account_state = SLS_ACCOUNT_CLOSED;
    paper.approved_at = 0;
    paper.equity_cents = -5;
    paper.primary = false;
    paper.sls = false;
    paper.paper_of = u.id;
    paper.identity_json[0] = '\0';
    paper.phones_json[0] = '\0';
    memset(&paper.lockout, 0, sizeof paper.lockout);
    paper.version = 7;
    assert_int_equal(user_insert(s, &paper), SLS_OK);
    assert_true(paper.id > 0);
    assert_true(paper.id != u.id);
    assert_int_equal(user_by_name(s, "alicepaper", &got), SLS_OK);
    assert_user_equal(&paper, &got);

    /* Names are case sensitive (R1). */
    assert_int_equal(user_by_name(s, "Alice", &got), SLS_ERR_NOT_FOUND);

    /* Full-size fields come back whole. */
    make_user(&u, "bob", "U7654321");
    memset(u.identity_json, 'j', sizeof u.identity_json - 1);
    u.identity_json[sizeof u.identity_json - 1] = '\0';
    memset(u.email, 'e', sizeof u.email - 1);
    u.email[sizeof u.email - 1] = '\0';
    u.lockout.nfail = SLS_LOCKOUT_MAX_TRACKED;
    for (int i = 0; i < SLS_LOCKOUT_MAX_TRACKED; i++)
        u.lockout.fail_at[i] = 1700000000 + i;
    assert_int_equal(user_insert(s, &u), SLS_OK);
    assert_int_equal(user_by_id(s, u.id, &got), SLS_OK);
    assert_user_equal(&u, &got);

    sls_store_close(s);
}

static void conf_user_conflicts(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec u, got;
    int64_t alice = add_user(s, "alice", "U1000001");

    /* The same user name again. */
    make_user(&u, "alice", "U1000002");
    assert_int_equal(user_insert(s, &u), SLS_ERR_CONFLICT);

    /* A second primary user of the same account. */
    make_user(&u, "alice2", "U1000001");
    assert_int_equal(user_insert(s, &u), SLS_ERR_CONFLICT);
    assert_int_equal(user_by_name(s, "alice2", &got), SLS_ERR_NOT_FOUND);

    /* Several user names in one account: the others are not primary. */
    make_user(&u, "alice2", "U1000001");
    u.primary = false;
    assert_int_equal(user_insert(s, &u), SLS_OK);
    make_user(&u, "alice3", "U1000001");
    u.primary = false;
    assert_int_equal(user_insert(s, &u), SLS_OK);

    /* A paper user pointing to a missing user. */
    make_user(&u, "ghostpaper", "DU1000009");
    u.paper_of = alice + 1000;
    assert_int_equal(user_insert(s, &u), SLS_ERR_NOT_FOUND);
    assert_int_equal(user_by_name(s, "ghostpaper", &got), SLS_ERR_NOT_FOUND);

    sls_store_close(s);
}

static void conf_user_state(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec got;
    int64_t id = add_user(s, "carol", "U2000001");
    struct sls_user_rec w;
    struct args a = {.id = id, .i = SLS_USER_SET_STATE, .in = &w};

    assert_int_equal(user_by_id(s, id + 1, &got), SLS_ERR_NOT_FOUND);
    assert_int_equal(user_by_name(s, "nobody", &got), SLS_ERR_NOT_FOUND);

    memset(&w, 0, sizeof w);
    w.account_state = SLS_ACCOUNT_CLOSED;
    w.approved_at = 1710000000;
    assert_int_equal(sls_store_write(s, f_user_write, &a), SLS_OK);
    assert_int_equal(user_by_id(s, id, &got), SLS_OK);
    assert_int_equal(got.account_state, SLS_ACCOUNT_CLOSED);
    assert_int_equal(got.approved_at, 1710000000);
    assert_string_equal(got.username, "carol");

    a.id = id + 1;
    assert_int_equal(sls_store_write(s, f_user_write, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static void conf_lockout_cas(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec got;
    struct sls_lockout_state next = {0};
    int64_t id = add_user(s, "dave", "U3000001");
    struct sls_user_rec w;
    struct args a = {.n = 0, .i = SLS_USER_SET_LOCKOUT, .in = &w};

    memset(&w, 0, sizeof w);
    w.id = id;
    next.nfail = 2;
    next.fail_at[0] = 1700001000;
    next.fail_at[1] = 1700001001;
    next.locked_until = 0;
    w.lockout = next;
    assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_OK);
    assert_int_equal(user_by_id(s, id, &got), SLS_OK);
    assert_int_equal(got.version, 1);
    assert_lockout_equal(&got.lockout, &next);

    /* Version 0 is stale now: nothing changes. */
    w.lockout.nfail = 1;
    w.lockout.fail_at[0] = 42;
    assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_ERR_CONFLICT);
    assert_int_equal(user_by_id(s, id, &got), SLS_OK);
    assert_int_equal(got.version, 1);
    assert_lockout_equal(&got.lockout, &next);

    /* A version ahead of the stored one is as wrong as one behind. */
    a.n = 5;
    assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_ERR_CONFLICT);

    /* Version 1 is right; the clear state round-trips too. */
    a.n = 1;
    memset(&w.lockout, 0, sizeof w.lockout);
    assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_OK);
    assert_int_equal(user_by_id(s, id, &got), SLS_OK);
    assert_int_equal(got.version, 2);
    assert_lockout_equal(&got.lockout, &w.lockout);

    /* Unknown user: not found, whatever the version. */
    w.id = id + 99;
    a.n = 0;
    assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* user_update writes the groups it is given and nothing else, bumps the
 * version by one each time, and a stale version changes nothing. */
static void conf_user_update_fields(const char *url)
{
    static const unsigned groups[] = {SLS_USER_SET_LOCKOUT,  SLS_USER_SET_STATE,
                                      SLS_USER_SET_PASSWORD, SLS_USER_SET_SLS,
                                      SLS_USER_SET_EMAIL,    SLS_USER_SET_PHONES};
    struct sls_store *s = open_store(url);
    int64_t id = add_user(s, "uma", "U6400001");
    struct sls_user_rec want, other, got;
    struct args a = {.in = &other};

    assert_int_equal(user_by_id(s, id, &want), SLS_OK);
    /* A record where every field differs from the stored one. */
    memset(&other, 0, sizeof other);
    other.id = id;
    snprintf(other.username, sizeof other.username, "notuma");
    snprintf(other.password_hash, sizeof other.password_hash, "other-hash");
    snprintf(other.email, sizeof other.email, "other@example.com");
    snprintf(other.account_id, sizeof other.account_id, "U6400009");
    other.account_state = SLS_ACCOUNT_CLOSED;
    other.approved_at = 5;
    other.equity_cents = 1;
    other.sls = false;
    snprintf(other.phones_json, sizeof other.phones_json, "[]");
    other.lockout.nfail = 1;
    other.lockout.fail_at[0] = 77;
    other.version = 1000;
    other.created_at = 1;
    assert_int_not_equal(want.account_state, other.account_state);
    assert_true(want.sls);

    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        a.i = (int)groups[i];
        a.n = want.version;
        assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_OK);
        switch (groups[i]) {
        case SLS_USER_SET_LOCKOUT:
            want.lockout = other.lockout;
            break;
        case SLS_USER_SET_STATE:
            want.account_state = other.account_state;
            want.approved_at = other.approved_at;
            break;
        case SLS_USER_SET_PASSWORD:
            memcpy(want.password_hash, other.password_hash, sizeof want.password_hash);
            break;
        case SLS_USER_SET_SLS:
            want.sls = other.sls;
            break;
        case SLS_USER_SET_EMAIL:
            memcpy(want.email, other.email, sizeof want.email);
            break;
        default:
            memcpy(want.phones_json, other.phones_json, sizeof want.phones_json);
            break;
        }
        want.version++;
        assert_int_equal(user_by_id(s, id, &got), SLS_OK);
        assert_user_equal(&want, &got);
    }
    assert_int_equal(want.version, 6);

    /* Stale by one: nothing changes, whichever group is named. */
    snprintf(other.email, sizeof other.email, "late@example.com");
    a.i = SLS_USER_SET_EMAIL | SLS_USER_SET_PASSWORD;
    a.n = want.version - 1;
    assert_int_equal(sls_store_write(s, f_user_update, &a), SLS_ERR_CONFLICT);
    assert_int_equal(user_by_id(s, id, &got), SLS_OK);
    assert_user_equal(&want, &got);
    sls_store_close(s);
}

static void conf_devices(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "erin", "U4000001");
    int64_t other = add_user(s, "frank", "U4000002");
    struct sls_device_rec d[3], got, list[4];
    struct args a = {0};

    /* Inserted out of creation order; listed oldest first. */
    make_device(&d[0], "a0000000000000000000000000000003", uid, 1700000300);
    make_device(&d[1], "a0000000000000000000000000000001", uid, 1700000100);
    make_device(&d[2], "a0000000000000000000000000000002", uid, 1700000200);
    d[2].type = SLS_DEVICE_TEMP_PASSCODE;
    d[2].state = SLS_DEVSTATE_ACTIVE;
    d[2].pin_len = 0;
    d[2].secret_len = SLS_BLOB_MAX;
    memset(d[2].secret, 0xab, SLS_BLOB_MAX);
    for (int i = 0; i < 3; i++) {
        a.in = &d[i];
        assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    }
    for (int i = 0; i < 3; i++) {
        assert_int_equal(device_get(s, d[i].id, &got), SLS_OK);
        assert_device_equal(&d[i], &got);
    }

    a.in = &d[0];
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_ERR_CONFLICT);
    assert_int_equal(device_get(s, "a0000000000000000000000000000009", &got), SLS_ERR_NOT_FOUND);

    /* A device of a user that does not exist. */
    make_device(&got, "a0000000000000000000000000000009", other + 50, 1);
    a.in = &got;
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_ERR_NOT_FOUND);

    memset(list, 0, sizeof list);
    a = (struct args){.id = uid, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_device_list, &a), SLS_OK);
    assert_int_equal(a.count, 3);
    assert_device_equal(&list[0], &d[1]);
    assert_device_equal(&list[1], &d[2]);
    assert_device_equal(&list[2], &d[0]);

    a.max = 2;
    assert_int_equal(sls_store_read(s, f_device_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_string_equal(list[0].id, d[1].id);
    assert_string_equal(list[1].id, d[2].id);

    a.id = other;
    a.max = 4;
    a.count = 99;
    assert_int_equal(sls_store_read(s, f_device_list, &a), SLS_OK);
    assert_int_equal(a.count, 0);

    a = (struct args){.str = d[0].id, .i = SLS_DEVSTATE_LOST, .t = 1710000000};
    assert_int_equal(sls_store_write(s, f_device_set_state, &a), SLS_OK);
    assert_int_equal(device_get(s, d[0].id, &got), SLS_OK);
    assert_int_equal(got.state, SLS_DEVSTATE_LOST);
    assert_int_equal(got.state_changed_at, 1710000000);
    assert_int_equal(got.created_at, d[0].created_at);
    assert_memory_equal(got.secret, d[0].secret, d[0].secret_len);

    a.str = "a0000000000000000000000000000009";
    assert_int_equal(sls_store_write(s, f_device_set_state, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static void conf_device_pin(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "lena", "U4000003");
    struct sls_device_rec d, got, w;
    uint8_t pin[sizeof d.pin + 1];
    struct args a = {.in = &d};

    make_device(&d, "a0000000000000000000000000000011", uid, 1700000100);
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    for (size_t i = 0; i < sizeof pin; i++)
        pin[i] = (uint8_t)(i * 3); /* includes 0x00 bytes */
    /* The PIN named, every other field of the record changed: only the PIN
     * is written. */
    w = d;
    memcpy(w.pin, pin, 57);
    w.pin_len = 57;
    snprintf(w.label, sizeof w.label, "not written");
    w.state = SLS_DEVSTATE_LOST;
    w.state_changed_at = 1;
    w.secret_len = 1;
    a = (struct args){.in = &w, .i = SLS_DEVICE_SET_PIN};
    assert_int_equal(sls_store_write(s, f_device_update, &a), SLS_OK);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    memcpy(d.pin, pin, 57);
    d.pin_len = 57;
    assert_device_equal(&d, &got); /* nothing else changed */
    /* The largest PIN field, then an empty one. */
    memcpy(w.pin, pin, sizeof w.pin);
    w.pin_len = sizeof w.pin;
    assert_int_equal(sls_store_write(s, f_device_update, &a), SLS_OK);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    assert_int_equal(got.pin_len, sizeof d.pin);
    assert_memory_equal(got.pin, pin, sizeof d.pin);
    w.pin_len = 0;
    assert_int_equal(sls_store_write(s, f_device_update, &a), SLS_OK);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    assert_int_equal(got.pin_len, 0);
    /* Too large for the record, or a device that does not exist. */
    w.pin_len = sizeof pin;
    assert_int_equal(sls_store_write(s, f_device_update, &a), SLS_ERR_STORE);
    w.pin_len = 4;
    snprintf(w.id, sizeof w.id, "a0000000000000000000000000000019");
    assert_int_equal(sls_store_write(s, f_device_update, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static void conf_logins(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "gina", "U5000001");
    struct sls_login_rec l, got;
    struct args a = {.in = &l};

    make_login(&l, "b0000000000000000000000000000001", uid);
    /* §10.3: the counter stage 2 counts against is kept with the login. */
    memset(l.client_token_hash, 'a', 64);
    assert_int_equal(sls_store_write(s, f_login_insert, &a), SLS_OK);
    assert_int_equal(login_get(s, l.id, &got), SLS_OK);
    assert_login_equal(&l, &got);

    assert_int_equal(sls_store_write(s, f_login_insert, &a), SLS_ERR_CONFLICT);
    assert_int_equal(login_get(s, "b0000000000000000000000000000009", &got), SLS_ERR_NOT_FOUND);

    make_login(&l, "b0000000000000000000000000000002", uid + 77);
    assert_int_equal(sls_store_write(s, f_login_insert, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static void conf_login_cas(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "hank", "U5000002");
    struct sls_login_rec l, next, got;
    struct args a = {.in = &l};

    make_login(&l, "c0000000000000000000000000000001", uid);
    assert_int_equal(sls_store_write(s, f_login_insert, &a), SLS_OK);

    /* Switching device: still pending, every mutable field changes. */
    next = l;
    snprintf(next.device_id, sizeof next.device_id, "ffffffffffffffffffffffffffffffff");
    next.kind = SLS_CHALLENGE_RESPONSE;
    snprintf(next.challenge, sizeof next.challenge, "654321");
    next.challenge_at = 1700000600;
    assert_int_equal(login_cas(s, &next, 0), SLS_OK);
    assert_int_equal(login_get(s, l.id, &got), SLS_OK);
    next.seq = 1;
    assert_login_equal(&next, &got);
    /* The same expected seq a second time loses. */
    assert_int_equal(login_cas(s, &next, 0), SLS_ERR_CONFLICT);
    /* A seq from the future loses too. */
    assert_int_equal(login_cas(s, &next, 2), SLS_ERR_CONFLICT);

    /* Authenticated with the right seq. */
    next.state = SLS_LOGIN_AUTHENTICATED;
    memset(next.session_hash, '5', 64);
    next.session_hash[64] = '\0';
    assert_int_equal(login_cas(s, &next, 1), SLS_OK);
    assert_int_equal(login_get(s, l.id, &got), SLS_OK);
    next.seq = 2;
    assert_login_equal(&next, &got);

    /* No longer pending: even the right seq is refused. */
    next.state = SLS_LOGIN_FAILED;
    assert_int_equal(login_cas(s, &next, 2), SLS_ERR_CONFLICT);
    assert_int_equal(login_get(s, l.id, &got), SLS_OK);
    assert_int_equal(got.state, SLS_LOGIN_AUTHENTICATED);
    assert_int_equal(got.seq, 2);

    /* Missing login. */
    make_login(&next, "c0000000000000000000000000000009", uid);
    assert_int_equal(login_cas(s, &next, 0), SLS_ERR_CONFLICT);
    sls_store_close(s);
}

static void conf_sessions(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "ivan", "U6000001");
    struct sls_session_rec se, se2, got, w;
    char hash[65], missing[65];
    struct args a = {.in = &se};

    memset(hash, 'a', 64);
    hash[64] = '\0';
    memset(missing, 'b', 64);
    missing[64] = '\0';
    make_session(&se, hash, uid);
    se.verified_until = 1700000042;
    assert_int_equal(sls_store_write(s, f_session_insert, &a), SLS_OK);
    assert_int_equal(session_get(s, hash, &got), SLS_OK);
    assert_session_equal(&se, &got);

    /* Other values of the enums and flags. */
    make_session(&se2, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", uid);
    se2.platform = SLS_PLATFORM_TRADING;
    se2.factor = SLS_DEVICE_NONE;
    se2.device_id[0] = '\0';
    se2.access = SLS_ACCESS_READ_ONLY;
    se2.auth_mode = SLS_AUTH_NONE;
    se2.paper = false;
    se2.revoked = true;
    a.in = &se2;
    assert_int_equal(sls_store_write(s, f_session_insert, &a), SLS_OK);
    assert_int_equal(session_get(s, se2.token_hash, &got), SLS_OK);
    assert_session_equal(&se2, &got);

    a.in = &se;
    assert_int_equal(sls_store_write(s, f_session_insert, &a), SLS_ERR_CONFLICT);
    assert_int_equal(session_get(s, missing, &got), SLS_ERR_NOT_FOUND);

    /* Expiry, then revocation, each named alone: the other fields of the
     * record handed in (all changed) are not written. */
    w = se2;
    snprintf(w.token_hash, sizeof w.token_hash, "%s", hash);
    w.expires_at = 1700009999;
    w.revoked = false;
    a = (struct args){.in = &w, .i = SLS_SESSION_SET_EXPIRY};
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_OK);
    w.revoked = true;
    w.expires_at = 1;
    a.i = SLS_SESSION_SET_REVOKED;
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_OK);
    assert_int_equal(session_get(s, hash, &got), SLS_OK);
    se.expires_at = 1700009999;
    se.revoked = true;
    assert_session_equal(&se, &got);

    snprintf(w.token_hash, sizeof w.token_hash, "%s", missing);
    a.i = SLS_SESSION_SET_EXPIRY;
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_ERR_NOT_FOUND);
    a.i = SLS_SESSION_SET_REVOKED;
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static void conf_session_revoke_by_device(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "jack", "U6000002");
    int64_t other = add_user(s, "kate", "U6000003");
    static const char dev_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static const char dev_b[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    struct sls_session_rec se[5], got;
    struct args a = {0};

    /* Two live sessions on device a, one already revoked on a, one on b, and
     * one of another user carrying the same device id. */
    for (int i = 0; i < 5; i++) {
        char hash[65];
        snprintf(hash, sizeof hash, "%064d", i + 1);
        make_session(&se[i], hash, i == 4 ? other : uid);
        snprintf(se[i].device_id, sizeof se[i].device_id, "%s", i == 3 ? dev_b : dev_a);
        se[i].revoked = i == 2;
        a.in = &se[i];
        assert_int_equal(sls_store_write(s, f_session_insert, &a), SLS_OK);
    }
    a = (struct args){.id = uid, .str = dev_a, .count = 99};
    assert_int_equal(sls_store_write(s, f_session_revoke_by_device, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(session_get(s, se[i].token_hash, &got), SLS_OK);
        se[i].revoked = se[i].revoked || i < 2;
        assert_session_equal(&se[i], &got);
    }
    /* Nothing left to revoke: not an error. */
    a.count = 99;
    assert_int_equal(sls_store_write(s, f_session_revoke_by_device, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    a = (struct args){.id = uid + 1000, .str = dev_b, .count = 99};
    assert_int_equal(sls_store_write(s, f_session_revoke_by_device, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    assert_int_equal(session_get(s, se[3].token_hash, &got), SLS_OK);
    assert_false(got.revoked);
    sls_store_close(s);
}

static int f_session_revoke_by_user(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, session_revoke_by_user, a->id, a->str, &a->count);
}

static int f_secret_put(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, secret_put, a->in);
}

/* Every session of a user revoked but one; a session bound to another factor. */
static void conf_session_revoke_by_user(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "liam", "U6000004");
    int64_t other = add_user(s, "mona", "U6000005");
    static const char scc[] = "cccccccccccccccccccccccccccccccc";
    struct sls_session_rec se[4], got, w;
    struct args a = {0};

    for (int i = 0; i < 4; i++) {
        char hash[65];
        snprintf(hash, sizeof hash, "%064d", i + 11);
        make_session(&se[i], hash, i == 3 ? other : uid);
        a.in = &se[i];
        assert_int_equal(sls_store_write(s, f_session_insert, &a), SLS_OK);
    }
    a = (struct args){.id = uid, .str = se[1].token_hash, .count = 99};
    assert_int_equal(sls_store_write(s, f_session_revoke_by_user, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(session_get(s, se[i].token_hash, &got), SLS_OK);
        assert_int_equal(got.revoked, i == 0 || i == 2);
    }
    a = (struct args){.id = uid, .str = NULL, .count = 99};
    assert_int_equal(sls_store_write(s, f_session_revoke_by_user, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(session_get(s, se[3].token_hash, &got), SLS_OK);
    assert_false(got.revoked);

    /* R28 rebinding: factor, device and access, and nothing else. */
    memset(&w, 0, sizeof w);
    snprintf(w.token_hash, sizeof w.token_hash, "%s", se[3].token_hash);
    w.factor = SLS_DEVICE_SCC;
    snprintf(w.device_id, sizeof w.device_id, "%s", scc);
    w.access = SLS_ACCESS_FULL;
    a = (struct args){.in = &w, .i = SLS_SESSION_SET_FACTOR};
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_OK);
    assert_int_equal(session_get(s, se[3].token_hash, &got), SLS_OK);
    se[3].factor = SLS_DEVICE_SCC;
    snprintf(se[3].device_id, sizeof se[3].device_id, "%s", scc);
    se[3].access = SLS_ACCESS_FULL;
    assert_session_equal(&se[3], &got);
    snprintf(w.token_hash, sizeof w.token_hash, "%s",
             "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_ERR_NOT_FOUND);

    /* R34: a step-up marks one session verified, and only that one. */
    assert_int_equal(session_get(s, se[2].token_hash, &got), SLS_OK);
    assert_int_equal(got.verified_until, 0);
    memset(&w, 0, sizeof w);
    snprintf(w.token_hash, sizeof w.token_hash, "%s", se[3].token_hash);
    w.verified_until = 1700000300;
    a = (struct args){.in = &w, .i = SLS_SESSION_SET_VERIFIED};
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_OK);
    assert_int_equal(session_get(s, se[3].token_hash, &got), SLS_OK);
    assert_int_equal(got.verified_until, 1700000300);
    assert_int_equal(got.factor, SLS_DEVICE_SCC); /* the zeroed factor was not named */
    assert_int_equal(session_get(s, se[2].token_hash, &got), SLS_OK);
    assert_int_equal(got.verified_until, 0);
    snprintf(w.token_hash, sizeof w.token_hash, "%s",
             "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    assert_int_equal(sls_store_write(s, f_session_update, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* activated_at: set on insert of an active device and on the first change to active only. */
static void conf_device_activated_at(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "nina", "U6000006");
    struct sls_device_rec d, got;
    struct args a = {0};

    make_device(&d, "a1000000000000000000000000000001", uid, 1700000000);
    a.in = &d;
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK); /* shipped */
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    assert_int_equal(got.activated_at, 0);
    a = (struct args){.str = d.id, .i = SLS_DEVSTATE_ACTIVE, .t = 1700000100};
    assert_int_equal(sls_store_write(s, f_device_set_state, &a), SLS_OK);
    a = (struct args){.str = d.id, .i = SLS_DEVSTATE_INACTIVE, .t = 1700000200};
    assert_int_equal(sls_store_write(s, f_device_set_state, &a), SLS_OK);
    a = (struct args){.str = d.id, .i = SLS_DEVSTATE_ACTIVE, .t = 1700000300};
    assert_int_equal(sls_store_write(s, f_device_set_state, &a), SLS_OK);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    assert_int_equal(got.activated_at, 1700000100);
    assert_int_equal(got.state_changed_at, 1700000300);

    make_device(&d, "a1000000000000000000000000000002", uid, 1700000000);
    d.state = SLS_DEVSTATE_ACTIVE;
    a = (struct args){.in = &d};
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    assert_int_equal(got.activated_at, d.state_changed_at);
    sls_store_close(s);
}

static void conf_password(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "olaf", "U6000007");
    struct sls_user_rec got, w;
    struct args a = {.id = uid, .i = SLS_USER_SET_PASSWORD, .in = &w};

    memset(&w, 0, sizeof w);
    snprintf(w.password_hash, sizeof w.password_hash, "$argon2id$v=19$m=8,t=1,p=1$new");
    assert_int_equal(sls_store_write(s, f_user_write, &a), SLS_OK);
    assert_int_equal(user_by_id(s, uid, &got), SLS_OK);
    assert_string_equal(got.password_hash, w.password_hash);
    a.id = uid + 1000;
    assert_int_equal(sls_store_write(s, f_user_write, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* A secret holding a challenge alone: replaced by key, taken once. */
static void conf_secret_challenge(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "pia", "U6000008");
    struct sls_secret_rec c, got;
    struct args a = {0};

    memset(&c, 0, sizeof c);
    snprintf(c.key, sizeof c.key, "activate:%s", "a2000000000000000000000000000001");
    c.user_id = uid;
    snprintf(c.device_id, sizeof c.device_id, "a2000000000000000000000000000001");
    c.kind = SLS_CHALLENGE_CARD;
    snprintf(c.challenge, sizeof c.challenge, "12,47");
    c.issued_at = 1700000000;
    a = (struct args){.str = c.key, .out = &got};
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_ERR_NOT_FOUND);
    a.in = &c;
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_string_equal(got.key, c.key);
    assert_int_equal(got.user_id, uid);
    assert_string_equal(got.device_id, c.device_id);
    assert_int_equal(got.kind, SLS_CHALLENGE_CARD);
    assert_string_equal(got.challenge, "12,47");
    assert_int_equal(got.issued_at, 1700000000);
    assert_int_equal(got.code_len, 0);
    assert_string_equal(got.data, "");
    assert_string_equal(got.issued_by, "");
    assert_int_equal(got.expires_at, 0);
    assert_int_equal(got.attempts, 0);
    /* Same key: replaced. */
    c.kind = SLS_CHALLENGE_RESPONSE;
    snprintf(c.challenge, sizeof c.challenge, "123456");
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_string_equal(got.challenge, "123456");
    assert_int_equal(got.kind, SLS_CHALLENGE_RESPONSE);
    /* Another key is another secret. */
    snprintf(c.key, sizeof c.key, "reactivate:%064d", 7);
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    a.str = c.key;
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_OK);
    a.str = "activate:a2000000000000000000000000000001";
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    /* Taken once. */
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_ERR_NOT_FOUND);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_ERR_NOT_FOUND);
    /* An unknown kind is refused, nothing written. */
    c.kind = SLS_CHALLENGE__COUNT;
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_ERR_STORE);
    a.str = c.key;
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* A secret holding a code (a reset code, an SMS code with its data, a
 * challenge with its code): wrong guesses counted by CAS, replaced whole,
 * taken once, bounded. */
static void conf_secret_code(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "quin", "U6000009");
    struct sls_secret_rec r, got;
    struct args a = {0};

    memset(&r, 0, sizeof r);
    snprintf(r.key, sizeof r.key, "reset-code:%lld", (long long)uid);
    r.user_id = uid;
    snprintf(r.issued_by, sizeof r.issued_by, "agent:desk1");
    r.code_len = 72;
    for (size_t i = 0; i < r.code_len; i++)
        r.code[i] = (uint8_t)(i * 3);
    r.issued_at = 1700000000;
    r.expires_at = 1700001800;
    a = (struct args){.str = r.key, .in = &r, .out = &got};
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_ERR_NOT_FOUND);
    /* No secret: a failure has nothing to count against. */
    assert_int_equal(sls_store_write(s, f_secret_fail_cas, &a), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.user_id, uid);
    assert_string_equal(got.issued_by, "agent:desk1");
    assert_int_equal(got.code_len, 72);
    assert_memory_equal(got.code, r.code, 72);
    assert_int_equal(got.issued_at, 1700000000);
    assert_int_equal(got.expires_at, 1700001800);
    assert_int_equal(got.attempts, 0);
    assert_string_equal(got.device_id, "");
    a.i = 0;
    assert_int_equal(sls_store_write(s, f_secret_fail_cas, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_secret_fail_cas, &a), SLS_ERR_CONFLICT);
    a.i = 1;
    assert_int_equal(sls_store_write(s, f_secret_fail_cas, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.attempts, 2);
    /* A new code replaces the old one and its count. */
    r.issued_at = 1700000100;
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.attempts, 0);
    assert_int_equal(got.issued_at, 1700000100);
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_secret_take, &a), SLS_ERR_NOT_FOUND);
    a.i = 0;
    assert_int_equal(sls_store_write(s, f_secret_fail_cas, &a), SLS_ERR_CONFLICT);

    /* A challenge and its code in one secret, with what the code confirms. */
    memset(&r, 0, sizeof r);
    snprintf(r.key, sizeof r.key, "verify:%064d", 1);
    r.user_id = uid;
    snprintf(r.device_id, sizeof r.device_id, "a3000000000000000000000000000001");
    r.kind = SLS_CHALLENGE_CODE;
    snprintf(r.challenge, sizeof r.challenge, "sms");
    r.code_len = sizeof r.code;
    memset(r.code, 0xa5, sizeof r.code);
    snprintf(r.data, sizeof r.data, "{\"country\":\"41\",\"number\":\"791234567\"}");
    r.issued_at = 1700000000;
    r.expires_at = 1700000300;
    r.attempts = 3;
    a = (struct args){.str = r.key, .in = &r, .out = &got};
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.kind, SLS_CHALLENGE_CODE);
    assert_string_equal(got.challenge, "sms");
    assert_string_equal(got.device_id, r.device_id);
    assert_int_equal(got.code_len, sizeof r.code);
    assert_memory_equal(got.code, r.code, sizeof r.code);
    assert_string_equal(got.data, r.data);
    assert_int_equal(got.expires_at, 1700000300);
    assert_int_equal(got.attempts, 3);
    /* A code longer than the record holds is refused, the secret kept. */
    r.code_len = sizeof r.code + 1;
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_ERR_STORE);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.code_len, sizeof r.code);
    sls_store_close(s);
}

static void conf_failed_write_leaves_nothing(const char *url)
{
    struct sls_store *s = open_store(url);
    struct failing bad = {.result = 4242, .name = "bad"};
    struct failing good = {.result = SLS_OK, .name = "good"};
    struct sls_user_rec got;
    struct sls_outbox_rec box[4];
    char v[8];
    struct args a = {.str = "bad", .out = v, .max = sizeof v};
    struct args ob = {.out = box, .max = 4};

    assert_int_equal(sls_store_write(s, f_insert_then_answer, &bad), 4242);
    assert_int_equal(sls_store_write(s, f_insert_then_answer, &good), SLS_OK);

    assert_int_equal(user_by_name(s, "bad", &got), SLS_ERR_NOT_FOUND);
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_ERR_NOT_FOUND);
    assert_int_equal(user_by_name(s, "good", &got), SLS_OK);
    a.str = "good";
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(v, "x");
    assert_int_equal(sls_store_read(s, f_outbox_list, &ob), SLS_OK);
    assert_int_equal(ob.count, 1);
    assert_string_equal(box[0].to, "good@example.com");

    /* The audit record of the failed write left no gap in the chain. */
    struct sls_audit_rec r;
    make_audit(&r, 1700000001, "next", "check");
    assert_int_equal(audit_append(s, &r), SLS_OK);
    assert_int_equal(r.seq, 2);
    sls_store_close(s);
}

static void conf_audit_chain(const char *url)
{
    static const struct {
        sls_time at;
        const char *user;
        const char *event;
    } in[5] = {
        {1700000000, "alice", "login.failure"}, {1700000100, "bob", "login.success"},
        {1700000200, "alice", "lock"},          {1700000300, "", "admin.start"},
        {1700000400, "alice", "unlock"},
    };
    struct sls_store *s = open_store(url);
    struct sls_audit_rec r[5];
    struct scan sc = {0};
    char h[65];

    for (int i = 0; i < 5; i++) {
        make_audit(&r[i], in[i].at, in[i].user, in[i].event);
        assert_int_equal(audit_append(s, &r[i]), SLS_OK);
        assert_int_equal(r[i].seq, i + 1);
        assert_string_equal(r[i].prev_hash, i == 0 ? ZERO_HASH : r[i - 1].hash);
        expected_hash(&r[i], h);
        assert_string_equal(r[i].hash, h);
    }

    /* Everything, in order, every field as written. */
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 5);
    for (int i = 0; i < 5; i++) {
        const struct sls_audit_rec *g = &sc.col.recs[i];

        assert_int_equal(g->seq, r[i].seq);
        assert_int_equal(g->at, r[i].at);
        assert_string_equal(g->actor, r[i].actor);
        assert_string_equal(g->username, r[i].username);
        assert_string_equal(g->event, r[i].event);
        assert_string_equal(g->outcome, r[i].outcome);
        assert_string_equal(g->detail, r[i].detail);
        assert_string_equal(g->prev_hash, r[i].prev_hash);
        assert_string_equal(g->hash, r[i].hash);
        expected_hash(g, h);
        assert_string_equal(g->hash, h);
    }

    sc = (struct scan){.user = "alice"};
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 3);
    assert_int_equal(sc.col.recs[0].seq, 1);
    assert_int_equal(sc.col.recs[1].seq, 3);
    assert_int_equal(sc.col.recs[2].seq, 5);

    sc = (struct scan){.since = 1700000200};
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 3);
    assert_int_equal(sc.col.recs[0].seq, 3);

    sc = (struct scan){.user = "alice", .since = 1700000100, .limit = 1};
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 1);
    assert_int_equal(sc.col.recs[0].seq, 3);

    sc = (struct scan){.limit = 2};
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 2);
    assert_int_equal(sc.col.recs[1].seq, 2);

    sc = (struct scan){.after = 3};
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 2);
    assert_int_equal(sc.col.recs[0].seq, 4);

    sc = (struct scan){.user = "nobody"};
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, 0);

    /* A callback's non-zero answer stops the walk and comes back. */
    sc = (struct scan){.col.stop_after = 2};
    scan(s, &sc, 777);
    assert_int_equal(sc.col.n, 2);
    sls_store_close(s);
}

static void conf_outbox(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_outbox_rec m[4], box[5];
    static const char *const to[4] = {"+41791234567", "alice@example.com", "+41791234567",
                                      "+41791234567"};
    struct args a = {0};

    for (int i = 0; i < 4; i++) {
        memset(&m[i], 0, sizeof m[i]);
        snprintf(m[i].to, sizeof m[i].to, "%s", to[i]);
        snprintf(m[i].channel, sizeof m[i].channel, "%s", i == 1 ? "email" : "sms");
        snprintf(m[i].body, sizeof m[i].body, "Your code is %06d", 100000 + i);
        snprintf(m[i].code, sizeof m[i].code, "%06d", 100000 + i);
        m[i].at = 1700000000 + i;
        a.out = &m[i];
        assert_int_equal(sls_store_write(s, f_outbox_insert, &a), SLS_OK);
        assert_true(m[i].id > 0);
        if (i > 0)
            assert_true(m[i].id > m[i - 1].id);
    }

    a = (struct args){.out = box, .max = 5};
    assert_int_equal(sls_store_read(s, f_outbox_list, &a), SLS_OK);
    assert_int_equal(a.count, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(box[i].id, m[i].id);
        assert_string_equal(box[i].to, m[i].to);
        assert_string_equal(box[i].channel, m[i].channel);
        assert_string_equal(box[i].body, m[i].body);
        assert_string_equal(box[i].code, m[i].code);
        assert_int_equal(box[i].at, m[i].at);
    }

    a = (struct args){.str = "+41791234567", .out = box, .max = 5};
    assert_int_equal(sls_store_read(s, f_outbox_list, &a), SLS_OK);
    assert_int_equal(a.count, 3);
    assert_int_equal(box[0].id, m[0].id);
    assert_int_equal(box[1].id, m[2].id);
    assert_int_equal(box[2].id, m[3].id);

    /* At most max: the newest ones, still oldest first. */
    a.max = 2;
    assert_int_equal(sls_store_read(s, f_outbox_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(box[0].id, m[2].id);
    assert_int_equal(box[1].id, m[3].id);

    a = (struct args){.str = "nobody@example.com", .out = box, .max = 5};
    assert_int_equal(sls_store_read(s, f_outbox_list, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    sls_store_close(s);
}

/* Ids of the messages due at now, in the order given; returns how many. */
static size_t outbox_due_ids(struct sls_store *s, sls_time now, size_t max, int64_t *ids)
{
    struct sls_outbox_rec box[8];
    struct args a = {.t = now, .out = box, .max = max};

    assert_true(max <= 8);
    assert_int_equal(sls_store_read(s, f_outbox_due, &a), SLS_OK);
    for (size_t i = 0; i < a.count; i++) {
        assert_int_equal(box[i].state, SLS_OUTBOX_PENDING);
        ids[i] = box[i].id;
    }
    return a.count;
}

static int64_t outbox_add(struct sls_store *s, const char *to, sls_time at)
{
    struct sls_outbox_rec m = {0};
    struct args a = {.out = &m};

    snprintf(m.to, sizeof m.to, "%s", to);
    snprintf(m.channel, sizeof m.channel, "sms");
    snprintf(m.body, sizeof m.body, "Your code is 123456");
    snprintf(m.code, sizeof m.code, "123456");
    snprintf(m.kind, sizeof m.kind, "code.login");
    m.at = at;
    /* Delivery fields given by the caller are ignored: a new message is pending. */
    m.state = SLS_OUTBOX_DELIVERED;
    m.attempts = 7;
    m.next_attempt_at = at + 1000;
    assert_int_equal(sls_store_write(s, f_outbox_insert, &a), SLS_OK);
    return m.id;
}

/* §10.3 retention: settled messages with done_at <= cutoff go, to the
 * second; pending ones never do, however old. */
static void conf_outbox_purge(const char *url)
{
    const sls_time now = 1700000000;
    struct sls_store *s = open_store(url);
    struct sls_outbox_rec box[8];
    struct args a = {.out = box, .max = 8};
    int64_t id[3];

    for (int i = 0; i < 3; i++)
        id[i] = outbox_add(s, "alice@example.com", now - 1000);
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, id[0], 0, now, 0, NULL), SLS_OK);
    assert_int_equal(outbox_mark(s, MARK_FAILED, id[1], 0, now + 1, 0, "HTTP 500"), SLS_OK);
    assert_string_equal(outbox_get(s, id[0]).to, "a***@example.com");

    assert_int_equal(outbox_purge(s, now - 1), 0);
    assert_int_equal(outbox_purge(s, now), 1);
    assert_int_equal(outbox_purge(s, now), 0);
    assert_int_equal(outbox_purge(s, now + 1), 1);
    assert_int_equal(outbox_purge(s, INT64_MAX), 0);
    assert_int_equal(sls_store_read(s, f_outbox_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(box[0].id, id[2]);
    assert_string_equal(box[0].code, "123456");
    sls_store_close(s);
}

static void conf_outbox_delivery(const char *url)
{
    const sls_time now = 1700000000;
    struct sls_store *s = open_store(url);
    struct sls_outbox_rec m;
    char long_error[600];
    int64_t id[4], due[8];

    for (int i = 0; i < 3; i++)
        id[i] = outbox_add(s, "+41791234567", now - 100 + i);

    /* New messages are pending, untried, and due at once. */
    m = outbox_get(s, id[0]);
    assert_int_equal(m.state, SLS_OUTBOX_PENDING);
    assert_int_equal(m.attempts, 0);
    assert_true(m.next_attempt_at <= now - 100);
    assert_int_equal(m.done_at, 0);
    assert_string_equal(m.last_error, "");
    assert_int_equal(outbox_due_ids(s, now, 8, due), 3);
    assert_int_equal(due[0], id[0]);
    assert_int_equal(due[1], id[1]);
    assert_int_equal(due[2], id[2]);
    assert_int_equal(outbox_due_ids(s, now, 2, due), 2);
    assert_int_equal(due[1], id[1]);

    /* A retry: due again exactly at next_at, not a second before. */
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[0], 0, now, now + 10, "exit status 1"), SLS_OK);
    m = outbox_get(s, id[0]);
    assert_int_equal(m.state, SLS_OUTBOX_PENDING);
    assert_int_equal(m.attempts, 1);
    assert_int_equal(m.next_attempt_at, now + 10);
    assert_int_equal(m.done_at, 0);
    assert_string_equal(m.last_error, "exit status 1");
    assert_string_equal(m.code, "123456"); /* still to be sent: kept whole */
    assert_string_equal(m.body, "Your code is 123456");
    assert_string_equal(m.to, "+41791234567");
    assert_int_equal(outbox_due_ids(s, now + 9, 8, due), 2);
    assert_int_equal(due[0], id[1]);
    assert_int_equal(due[1], id[2]);
    assert_int_equal(outbox_due_ids(s, now + 10, 8, due), 3);
    assert_int_equal(due[2], id[0]); /* the earliest due first: the others were due at once */

    /* The CAS: an outcome for an attempt count that is not the stored one changes nothing. */
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[0], 0, now, now + 99, "again"),
                     SLS_ERR_CONFLICT);
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, id[0], 2, now, 0, NULL), SLS_ERR_CONFLICT);
    m = outbox_get(s, id[0]);
    assert_int_equal(m.attempts, 1);
    assert_int_equal(m.next_attempt_at, now + 10);

    /* No such state: refused, nothing written. */
    assert_int_equal(outbox_mark(s, SLS_OUTBOX__COUNT, id[0], 1, now, 0, NULL), SLS_ERR_STORE);
    assert_int_equal(outbox_mark(s, -1, id[0], 1, now, 0, NULL), SLS_ERR_STORE);
    m = outbox_get(s, id[0]);
    assert_int_equal(m.state, SLS_OUTBOX_PENDING);
    assert_int_equal(m.attempts, 1);

    /* Delivered: settled, never due again, and the error of an earlier attempt is cleared. */
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, id[0], 1, now + 10, 0, NULL), SLS_OK);
    m = outbox_get(s, id[0]);
    assert_int_equal(m.state, SLS_OUTBOX_DELIVERED);
    assert_int_equal(m.attempts, 2);
    assert_int_equal(m.done_at, now + 10);
    assert_int_equal(m.next_attempt_at, now + 10); /* as the last retry left it */
    assert_string_equal(m.last_error, "");
    /* §10.3: what stays is id, kind, channel, the masked recipient and times. */
    assert_string_equal(m.code, "");
    assert_string_equal(m.body, "");
    assert_string_equal(m.to, "+41*******67");
    assert_string_equal(m.kind, "code.login");
    assert_string_equal(m.channel, "sms");
    assert_int_equal(m.at, now - 100);
    assert_int_equal(outbox_due_ids(s, INT64_MAX, 8, due), 2);
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, id[0], 2, now, 0, NULL), SLS_ERR_CONFLICT);
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[0], 2, now, now + 5, "x"), SLS_ERR_CONFLICT);
    assert_int_equal(outbox_mark(s, MARK_FAILED, id[0], 2, now, 0, "x"), SLS_ERR_CONFLICT);

    /* Failed: given up, kept with its last error, never due again. */
    assert_int_equal(outbox_mark(s, MARK_FAILED, id[1], 0, now + 1, 0, "HTTP 500"), SLS_OK);
    m = outbox_get(s, id[1]);
    assert_int_equal(m.state, SLS_OUTBOX_FAILED);
    assert_int_equal(m.attempts, 1);
    assert_int_equal(m.done_at, now + 1);
    assert_string_equal(m.last_error, "HTTP 500");
    assert_string_equal(m.code, "");
    assert_string_equal(m.body, "");
    assert_string_equal(m.to, "+41*******67");
    assert_int_equal(outbox_due_ids(s, INT64_MAX, 8, due), 1);
    assert_int_equal(due[0], id[2]);
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[1], 1, now, now + 5, "x"), SLS_ERR_CONFLICT);

    /* Unknown ids conflict; a long error is cut to fit. */
    assert_int_equal(outbox_mark(s, MARK_DELIVERED, id[2] + 1000, 0, now, 0, NULL),
                     SLS_ERR_CONFLICT);
    memset(long_error, 'e', sizeof long_error - 1);
    long_error[sizeof long_error - 1] = '\0';
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[2], 0, now, now + 20, long_error), SLS_OK);
    m = outbox_get(s, id[2]);
    assert_int_equal(strlen(m.last_error), sizeof m.last_error - 1);

    /* Ties on next_attempt_at go by id; everything survives a reopen. A
     * retry without an error keeps "". */
    id[3] = outbox_add(s, "bob@example.com", now);
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[3], 0, now, now + 5, NULL), SLS_OK);
    m = outbox_get(s, id[3]);
    assert_string_equal(m.last_error, "");
    assert_int_equal(m.next_attempt_at, now + 5);
    assert_int_equal(outbox_mark(s, MARK_RETRY, id[3], 1, now, now + 20, "refused"), SLS_OK);
    sls_store_close(s);
    s = open_store(url);
    assert_int_equal(outbox_due_ids(s, now + 19, 8, due), 0);
    assert_int_equal(outbox_due_ids(s, now + 20, 8, due), 2);
    assert_int_equal(due[0], id[2]);
    assert_int_equal(due[1], id[3]);
    m = outbox_get(s, id[0]);
    assert_int_equal(m.state, SLS_OUTBOX_DELIVERED);
    assert_int_equal(outbox_get(s, id[1]).state, SLS_OUTBOX_FAILED);
    sls_store_close(s);
}

static void conf_identity(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t u1 = add_user(s, "jack", "U7000001");
    int64_t u2 = add_user(s, "kate", "U7000002");
    const struct {
        const char *agent;
        int64_t user;
        sls_time at;
    } in[] = {{"admin", u1, 1000},
              {"admin", u1, 3000},
              {"admin", u1, 2000},
              {"bea", u1, 5000},
              {"admin", u2, 50}};
    struct args a = {0};

    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        a = (struct args){.str = in[i].agent, .id = in[i].user, .str2 = "phone", .t = in[i].at};
        assert_int_equal(sls_store_write(s, f_identity_insert, &a), SLS_OK);
    }
    a = (struct args){.str = "admin", .id = u1};
    assert_int_equal(sls_store_read(s, f_identity_latest, &a), SLS_OK);
    assert_int_equal(a.t, 3000);
    a = (struct args){.str = "bea", .id = u1};
    assert_int_equal(sls_store_read(s, f_identity_latest, &a), SLS_OK);
    assert_int_equal(a.t, 5000);
    a = (struct args){.str = "admin", .id = u2};
    assert_int_equal(sls_store_read(s, f_identity_latest, &a), SLS_OK);
    assert_int_equal(a.t, 50);
    a = (struct args){.str = "bea", .id = u2};
    assert_int_equal(sls_store_read(s, f_identity_latest, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static void conf_meta(const char *url)
{
    struct sls_store *s = open_store(url);
    char v[16];
    struct args a = {.str = "greeting", .out = v, .max = sizeof v};

    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_ERR_NOT_FOUND);
    a.str2 = "hello";
    assert_int_equal(sls_store_write(s, f_meta_set, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(v, "hello");
    a.str2 = "a value longer than the buffer";
    assert_int_equal(sls_store_write(s, f_meta_set, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(v, "a value longer ");
    sls_store_close(s);
}

static void conf_reopen(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec u, got;
    struct sls_device_rec d, gotd;
    struct sls_audit_rec r1, r2;
    struct args a = {.in = &d};
    char h[65];

    make_user(&u, "liam", "U8000001");
    assert_int_equal(user_insert(s, &u), SLS_OK);
    make_device(&d, "e0000000000000000000000000000001", u.id, 1700000000);
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    make_audit(&r1, 1700000000, "liam", "user.create");
    assert_int_equal(audit_append(s, &r1), SLS_OK);
    sls_store_close(s);

    s = open_store(url);
    assert_int_equal(user_by_name(s, "liam", &got), SLS_OK);
    assert_user_equal(&u, &got);
    assert_int_equal(device_get(s, d.id, &gotd), SLS_OK);
    assert_device_equal(&d, &gotd);
    make_audit(&r2, 1700000001, "liam", "login.success");
    assert_int_equal(audit_append(s, &r2), SLS_OK);
    assert_int_equal(r2.seq, 2);
    assert_string_equal(r2.prev_hash, r1.hash);
    expected_hash(&r2, h);
    assert_string_equal(r2.hash, h);
    sls_store_close(s);
}

static void conf_read_cannot_write(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec u, got;
    struct args a = {.out = &u};

    make_user(&u, "mona", "U9000001");
    assert_int_not_equal(sls_store_read(s, f_user_insert, &a), SLS_OK);
    assert_int_equal(user_by_name(s, "mona", &got), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* ---- races ---- */

#define LOCK_THREADS    16
#define LOCK_INCREMENTS 200
#define RACERS_MAX      32

struct racer {
    struct sls_store *s;
    pthread_barrier_t *start;
    int64_t user_id;
    int n;
    int errors;    /* unexpected answers */
    int conflicts; /* CAS lost, retried */
};

/* Bumps the counter kept in locked_until (and the failure list) by one. */
static void bump(struct sls_lockout_state *l)
{
    l->locked_until++;
    if (l->nfail == 10) {
        memmove(&l->fail_at[0], &l->fail_at[1], 9 * sizeof l->fail_at[0]);
        l->nfail--;
    }
    l->fail_at[l->nfail++] = l->locked_until;
}

static int f_increment(struct sls_db *db, void *p)
{
    struct racer *r = p;
    struct sls_user_rec u;
    int rc = SLS_DB(db, user_get_by_id, r->user_id, &u);

    if (rc)
        return rc;
    bump(&u.lockout);
    return SLS_DB(db, user_update, &u, SLS_USER_SET_LOCKOUT, u.version);
}

static void *increment_inside(void *p)
{
    struct racer *r = p;

    pthread_barrier_wait(r->start);
    for (int i = 0; i < r->n; i++) {
        int rc;

        while ((rc = sls_store_write(r->s, f_increment, r)) == SLS_ERR_CONFLICT)
            r->conflicts++;
        if (rc != SLS_OK)
            r->errors++;
    }
    return NULL;
}

/* Read in one call, CAS in another: here lost updates must be retried. */
static void *increment_outside(void *p)
{
    struct racer *r = p;
    struct sls_user_rec u;

    pthread_barrier_wait(r->start);
    for (int i = 0; i < r->n; i++) {
        int rc;

        do {
            struct args a = {.id = r->user_id, .out = &u};

            if (sls_store_read(r->s, f_user_by_id, &a) != SLS_OK) {
                r->errors++;
                break;
            }
            bump(&u.lockout);
            a = (struct args){.n = u.version, .i = SLS_USER_SET_LOCKOUT, .in = &u};
            rc = sls_store_write(r->s, f_user_update, &a);
            if (rc == SLS_ERR_CONFLICT)
                r->conflicts++;
            else if (rc != SLS_OK)
                r->errors++;
        } while (rc == SLS_ERR_CONFLICT);
    }
    return NULL;
}

static void race_lockout(const char *url, void *(*body)(void *), int threads, int n)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "race", "U9200001");
    struct racer r[RACERS_MAX];
    pthread_t t[RACERS_MAX];
    pthread_barrier_t start;
    struct sls_user_rec got;
    int conflicts = 0;

    assert_true(threads <= RACERS_MAX);
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        r[i] = (struct racer){.s = s, .start = &start, .user_id = uid, .n = n};
        assert_int_equal(pthread_create(&t[i], NULL, body, &r[i]), 0);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].errors, 0);
        conflicts += r[i].conflicts;
    }
    pthread_barrier_destroy(&start);

    assert_int_equal(user_by_id(s, uid, &got), SLS_OK);
    assert_int_equal(got.version, threads * n);
    assert_int_equal(got.lockout.locked_until, 1700086700 + threads * n);
    assert_int_equal(got.lockout.nfail, 10);
    assert_int_equal(got.lockout.fail_at[9], got.lockout.locked_until);
    assert_int_equal(got.lockout.fail_at[0], got.lockout.locked_until - 9);
    printf("    lockout race: %d threads x %d increments, %d CAS retries\n", threads, n, conflicts);
    sls_store_close(s);
}

static void conf_race_lockout(const char *url)
{
    race_lockout(url, increment_inside, LOCK_THREADS, LOCK_INCREMENTS);
}

static void conf_race_lockout_read_outside(const char *url)
{
    race_lockout(url, increment_outside, 8, 50);
}

#define LOGIN_THREADS 20

struct login_racer {
    struct sls_store *s;
    pthread_barrier_t *start;
    struct sls_login_rec next;
    int rc;
};

static void *login_race_body(void *p)
{
    struct login_racer *r = p;

    pthread_barrier_wait(r->start);
    r->rc = login_cas(r->s, &r->next, 0);
    return NULL;
}

static void conf_race_login_cas(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "racer", "U9300001");
    struct login_racer r[LOGIN_THREADS];
    pthread_t t[LOGIN_THREADS];
    pthread_barrier_t start;
    struct sls_login_rec l, got;
    struct args a = {.in = &l};
    int ok = 0, conflict = 0, winner = -1;

    make_login(&l, "f0000000000000000000000000000001", uid);
    assert_int_equal(sls_store_write(s, f_login_insert, &a), SLS_OK);
    pthread_barrier_init(&start, NULL, LOGIN_THREADS);
    for (int i = 0; i < LOGIN_THREADS; i++) {
        r[i] = (struct login_racer){.s = s, .start = &start, .next = l, .rc = -1};
        r[i].next.state = SLS_LOGIN_AUTHENTICATED;
        snprintf(r[i].next.session_hash, sizeof r[i].next.session_hash, "%064d", i);
        assert_int_equal(pthread_create(&t[i], NULL, login_race_body, &r[i]), 0);
    }
    for (int i = 0; i < LOGIN_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (r[i].rc == SLS_OK) {
            ok++;
            winner = i;
        } else if (r[i].rc == SLS_ERR_CONFLICT) {
            conflict++;
        }
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 1);
    assert_int_equal(conflict, LOGIN_THREADS - 1);
    assert_int_equal(login_get(s, l.id, &got), SLS_OK);
    assert_int_equal(got.seq, 1);
    assert_int_equal(got.state, SLS_LOGIN_AUTHENTICATED);
    assert_string_equal(got.session_hash, r[winner].next.session_hash);
    sls_store_close(s);
}

#define SECRET_THREADS 16

struct secret_racer {
    struct sls_store *s;
    pthread_barrier_t *start;
    const char *key;
    bool fail; /* count a failure (CAS on 0 attempts) instead of taking */
    int rc;
};

static void *secret_race_body(void *p)
{
    struct secret_racer *r = p;
    struct args a = {.str = r->key, .i = 0};

    pthread_barrier_wait(r->start);
    r->rc = sls_store_write(r->s, r->fail ? f_secret_fail_cas : f_secret_take, &a);
    return NULL;
}

/* Racing requests on one secret: of those counting a failure against the
 * same count one wins (the others conflict), of those taking it one wins
 * (the others find nothing). */
static void race_secret(struct sls_store *s, const char *key, bool fail)
{
    struct secret_racer r[SECRET_THREADS];
    pthread_t t[SECRET_THREADS];
    pthread_barrier_t start;
    int ok = 0, lost = 0;

    pthread_barrier_init(&start, NULL, SECRET_THREADS);
    for (int i = 0; i < SECRET_THREADS; i++) {
        r[i] = (struct secret_racer){.s = s, .start = &start, .key = key, .fail = fail, .rc = -1};
        assert_int_equal(pthread_create(&t[i], NULL, secret_race_body, &r[i]), 0);
    }
    for (int i = 0; i < SECRET_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (r[i].rc == SLS_OK)
            ok++;
        else if (r[i].rc == (fail ? SLS_ERR_CONFLICT : SLS_ERR_NOT_FOUND))
            lost++;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 1);
    assert_int_equal(lost, SECRET_THREADS - 1);
}

static void conf_race_secret(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "secretrace", "U9300002");
    struct sls_secret_rec r, got;
    struct args a = {.in = &r, .out = &got};

    memset(&r, 0, sizeof r);
    snprintf(r.key, sizeof r.key, "login:%s", "f0000000000000000000000000000002");
    r.user_id = uid;
    r.code_len = 40;
    r.expires_at = 1700000300;
    a.str = r.key;
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    race_secret(s, r.key, true);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_OK);
    assert_int_equal(got.attempts, 1);
    race_secret(s, r.key, false);
    assert_int_equal(sls_store_read(s, f_secret_get, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* ---- SPEC §10.4 token stock ---- */

static int f_stock_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, stock_insert, a->in);
}

/* Inserts a->count tokens from the array a->in in one transaction: the
 * number inserted into a->n, a duplicate counted in a->i, never failing. */
static int f_stock_batch(struct sls_db *db, void *p)
{
    struct args *a = p;
    const struct sls_stock_rec *t = a->in;

    a->n = 0;
    a->i = 0;
    for (size_t k = 0; k < a->count; k++) {
        int rc = SLS_DB(db, stock_insert, &t[k]);

        if (rc == SLS_OK)
            a->n++;
        else if (rc == SLS_ERR_CONFLICT)
            a->i++;
        else
            return rc;
    }
    return SLS_OK;
}

static int f_stock_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, stock_get, a->str, a->out);
}

static int f_stock_assign(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, stock_assign, a->str, a->str2, a->t);
}

static int f_stock_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, stock_list, a->str, a->out, a->max, &a->count);
}

static int f_stock_count(struct sls_db *db, void *p)
{
    struct args *a = p;
    int64_t *two = a->out;
    return SLS_DB(db, stock_count, &two[0], &two[1]);
}

static void make_stock(struct sls_stock_rec *t, const char *serial, enum sls_stock_algorithm alg)
{
    memset(t, 0, sizeof *t);
    snprintf(t->serial, sizeof t->serial, "%s", serial);
    t->algorithm = alg;
    if (alg == SLS_STOCK_OCRA)
        snprintf(t->suite, sizeof t->suite, "OCRA-1:HOTP-SHA1-8:QN06");
    t->digits = alg == SLS_STOCK_OCRA ? 8 : 6;
    t->counter = alg == SLS_STOCK_HOTP ? 7 : 0;
    t->period = alg == SLS_STOCK_TOTP ? 30 : 0;
    t->secret_len = 60;
    for (size_t i = 0; i < t->secret_len; i++)
        t->secret[i] = (uint8_t)(i * 7 + (unsigned char)serial[0]);
    t->imported_at = 1700000500;
}

#define STOCK_THREADS 20

struct stock_racer {
    struct sls_store *s;
    pthread_barrier_t *start;
    const char *serial;
    char device_id[SLS_ID_LEN + 1];
    int rc;
};

static void *stock_race_body(void *p)
{
    struct stock_racer *r = p;
    struct args a = {.str = r->serial, .str2 = r->device_id, .t = 1700000900};

    pthread_barrier_wait(r->start);
    r->rc = sls_store_write(r->s, f_stock_assign, &a);
    return NULL;
}

/* Tokens are stored whole and read back; a batch keeps the new serials and
 * counts the duplicates (in stock, or a registered device's serial) without
 * failing the transaction; a token is assigned once, also when 20 writers
 * race for one serial. */
static void conf_stock(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "stockstore", "U9300004");
    struct sls_stock_rec batch[4], got, list[8];
    struct sls_device_rec d;
    struct args a;
    struct stock_racer r[STOCK_THREADS];
    pthread_t t[STOCK_THREADS];
    pthread_barrier_t start;
    int64_t counts[2];
    int ok = 0, lost = 0;

    make_device(&d, "a0000000000000000000000000000041", uid, 1700000100);
    snprintf(d.serial, sizeof d.serial, "ON-A-DEVICE");
    a = (struct args){.in = &d};
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);

    make_stock(&batch[0], "HOTP-1", SLS_STOCK_HOTP);
    make_stock(&batch[1], "TOTP-1", SLS_STOCK_TOTP);
    make_stock(&batch[2], "ON-A-DEVICE", SLS_STOCK_HOTP);
    make_stock(&batch[3], "OCRA-1", SLS_STOCK_OCRA);
    a = (struct args){.in = batch, .count = 4};
    assert_int_equal(sls_store_write(s, f_stock_batch, &a), SLS_OK);
    assert_int_equal(a.n, 3);
    assert_int_equal(a.i, 1);
    /* the same batch again: every serial is a duplicate now */
    a = (struct args){.in = batch, .count = 4};
    assert_int_equal(sls_store_write(s, f_stock_batch, &a), SLS_OK);
    assert_int_equal(a.n, 0);
    assert_int_equal(a.i, 4);
    a = (struct args){.in = &batch[0]};
    assert_int_equal(sls_store_write(s, f_stock_insert, &a), SLS_ERR_CONFLICT);

    a = (struct args){.str = "OCRA-1", .out = &got};
    assert_int_equal(sls_store_read(s, f_stock_get, &a), SLS_OK);
    assert_string_equal(got.serial, "OCRA-1");
    assert_int_equal(got.algorithm, SLS_STOCK_OCRA);
    assert_string_equal(got.suite, batch[3].suite);
    assert_int_equal(got.digits, 8);
    assert_int_equal(got.secret_len, batch[3].secret_len);
    assert_memory_equal(got.secret, batch[3].secret, got.secret_len);
    assert_int_equal(got.imported_at, 1700000500);
    assert_string_equal(got.device_id, "");
    assert_int_equal(got.assigned_at, 0);
    a = (struct args){.str = "NO-SUCH", .out = &got};
    assert_int_equal(sls_store_read(s, f_stock_get, &a), SLS_ERR_NOT_FOUND);

    a = (struct args){.str = NULL, .out = list, .max = 8};
    assert_int_equal(sls_store_read(s, f_stock_list, &a), SLS_OK);
    assert_int_equal(a.count, 3);
    assert_string_equal(list[0].serial, "HOTP-1");
    assert_string_equal(list[1].serial, "OCRA-1");
    assert_string_equal(list[2].serial, "TOTP-1");
    assert_int_equal(list[2].period, 30);
    a = (struct args){.str = "HOTP-1", .out = list, .max = 1};
    assert_int_equal(sls_store_read(s, f_stock_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_string_equal(list[0].serial, "OCRA-1");

    /* assigned once; unknown serials are conflicts too */
    a = (struct args){.str = "HOTP-1", .str2 = "b0000000000000000000000000000001", .t = 1700000600};
    assert_int_equal(sls_store_write(s, f_stock_assign, &a), SLS_OK);
    a.str2 = "b0000000000000000000000000000002";
    assert_int_equal(sls_store_write(s, f_stock_assign, &a), SLS_ERR_CONFLICT);
    a.str = "NO-SUCH";
    assert_int_equal(sls_store_write(s, f_stock_assign, &a), SLS_ERR_CONFLICT);
    a = (struct args){.str = "HOTP-1", .out = &got};
    assert_int_equal(sls_store_read(s, f_stock_get, &a), SLS_OK);
    assert_string_equal(got.device_id, "b0000000000000000000000000000001");
    assert_int_equal(got.assigned_at, 1700000600);
    assert_int_equal(got.counter, 7);

    pthread_barrier_init(&start, NULL, STOCK_THREADS);
    for (int i = 0; i < STOCK_THREADS; i++) {
        r[i] = (struct stock_racer){.s = s, .start = &start, .serial = "TOTP-1", .rc = -1};
        snprintf(r[i].device_id, sizeof r[i].device_id, "c00000000000000000000000000000%02d", i);
        assert_int_equal(pthread_create(&t[i], NULL, stock_race_body, &r[i]), 0);
    }
    for (int i = 0; i < STOCK_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (r[i].rc == SLS_OK)
            ok++;
        else if (r[i].rc == SLS_ERR_CONFLICT)
            lost++;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 1);
    assert_int_equal(lost, STOCK_THREADS - 1);
    a = (struct args){.str = "TOTP-1", .out = &got};
    assert_int_equal(sls_store_read(s, f_stock_get, &a), SLS_OK);
    for (int i = 0; i < STOCK_THREADS; i++)
        if (r[i].rc == SLS_OK)
            assert_string_equal(got.device_id, r[i].device_id);

    a = (struct args){.out = counts};
    assert_int_equal(sls_store_read(s, f_stock_count, &a), SLS_OK);
    assert_int_equal(counts[0], 3);
    assert_int_equal(counts[1], 2);
    sls_store_close(s);
}

/* device_by_passkey of credential id a->str into a->out. */
static int f_device_by_passkey(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_by_passkey, a->str, a->out);
}

/* device_passkey_count_cas of device a->str to counter a->n. */
static int f_device_passkey_count(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_passkey_count_cas, a->str, a->n);
}

/* What a registration does: the credential id looked up among all devices,
 * and the device a->in inserted only when no device carries it. */
static int f_passkey_register(struct sls_db *db, void *p)
{
    struct args *a = p;
    const struct sls_device_rec *d = a->in;
    struct sls_device_rec *held = calloc(1, sizeof *held);
    int rc;

    if (held == NULL)
        return SLS_ERR_NOMEM;
    rc = SLS_DB(db, device_by_passkey, d->passkey_id, held);
    free(held);
    if (rc == SLS_OK)
        return SLS_ERR_CONFLICT;
    if (rc != SLS_ERR_NOT_FOUND)
        return rc;
    return SLS_DB(db, device_insert, d);
}

#define PASSKEY_THREADS 16

struct passkey_racer {
    struct sls_store *s;
    pthread_barrier_t *start;
    struct sls_device_rec d;
    int64_t count; /* > 0: a counter CAS instead of a registration */
    int rc;
};

static void *passkey_race_body(void *p)
{
    struct passkey_racer *r = p;
    struct args a = {.in = &r->d, .str = r->d.id, .n = r->count};

    pthread_barrier_wait(r->start);
    r->rc = sls_store_write(r->s, r->count > 0 ? f_device_passkey_count : f_passkey_register, &a);
    return NULL;
}

/* Runs PASSKEY_THREADS racers at once; how many answered SLS_OK (every
 * other one must answer SLS_ERR_CONFLICT). */
static int passkey_race(struct passkey_racer *r)
{
    pthread_t t[PASSKEY_THREADS];
    pthread_barrier_t start;
    int ok = 0;

    pthread_barrier_init(&start, NULL, PASSKEY_THREADS);
    for (int i = 0; i < PASSKEY_THREADS; i++) {
        r[i].start = &start;
        r[i].rc = -1;
        assert_int_equal(pthread_create(&t[i], NULL, passkey_race_body, &r[i]), 0);
    }
    for (int i = 0; i < PASSKEY_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (r[i].rc == SLS_OK)
            ok++;
        else
            assert_int_equal(r[i].rc, SLS_ERR_CONFLICT);
    }
    pthread_barrier_destroy(&start);
    return ok;
}

static void make_passkey(struct sls_device_rec *d, const char *id, int64_t uid, const char *cred)
{
    make_device(d, id, uid, 1700000200);
    d->type = SLS_DEVICE_PASSKEY;
    d->state = SLS_DEVSTATE_ACTIVE;
    d->serial[0] = '\0';
    d->secret_len = 0;
    d->pin_len = 0;
    snprintf(d->passkey_id, sizeof d->passkey_id, "%s", cred);
    d->passkey_alg = -7;
    d->passkey_key_len = 64;
    for (size_t i = 0; i < d->passkey_key_len; i++)
        d->passkey_key[i] = (uint8_t)(i * 3);
}

/* SPEC §10.5: a passkey device keeps its credential id, algorithm, key and
 * counter; it is found by its credential id among all users; one
 * credential id is registered once, also by racing registrations of two
 * users; the counter moves only forward, of racing moves to one value one
 * succeeds; devices without a passkey never collide on the empty id. */
static void conf_device_passkey(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "passkeystore", "U9300011");
    int64_t other = add_user(s, "passkeyother", "U9300012");
    struct sls_device_rec *d = calloc(1, sizeof *d), *got = calloc(1, sizeof *got);
    struct passkey_racer *r = calloc(PASSKEY_THREADS, sizeof *r);
    struct args a = {.in = d};
    char longest[SLS_PASSKEY_ID_MAX + 1];

    assert_non_null(d);
    assert_non_null(got);
    assert_non_null(r);
    make_passkey(d, "a0000000000000000000000000000041", uid, "Y3JlZGVudGlhbC0x");
    d->passkey_count = 7;
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    assert_int_equal(device_get(s, d->id, got), SLS_OK);
    d->activated_at = got->activated_at;
    assert_device_equal(d, got);
    /* found by its credential id; no other id, nor the empty one, finds it */
    memset(got, 0, sizeof *got);
    a = (struct args){.str = "Y3JlZGVudGlhbC0x", .out = got};
    assert_int_equal(sls_store_read(s, f_device_by_passkey, &a), SLS_OK);
    assert_device_equal(d, got);
    a.str = "Y3JlZGVudGlhbC0y";
    assert_int_equal(sls_store_read(s, f_device_by_passkey, &a), SLS_ERR_NOT_FOUND);
    a.str = "";
    assert_int_equal(sls_store_read(s, f_device_by_passkey, &a), SLS_ERR_NOT_FOUND);
    /* the same credential id on another user's device: refused by the
     * store itself, and by a registration that looks first */
    make_passkey(got, "a0000000000000000000000000000042", other, "Y3JlZGVudGlhbC0x");
    a = (struct args){.in = got};
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_write(s, f_passkey_register, &a), SLS_ERR_CONFLICT);
    assert_int_equal(device_get(s, got->id, got), SLS_ERR_NOT_FOUND);
    /* devices without a passkey share the empty id */
    make_device(got, "a0000000000000000000000000000043", other, 1700000201);
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    make_device(got, "a0000000000000000000000000000044", other, 1700000202);
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    /* the longest credential id is kept whole */
    memset(longest, 'A', SLS_PASSKEY_ID_MAX);
    longest[SLS_PASSKEY_ID_MAX] = '\0';
    make_passkey(got, "a0000000000000000000000000000045", other, longest);
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    memset(got, 0, sizeof *got);
    a = (struct args){.str = longest, .out = got};
    assert_int_equal(sls_store_read(s, f_device_by_passkey, &a), SLS_OK);
    assert_string_equal(got->passkey_id, longest);

    /* the counter: the stored value or one below refused, forward taken */
    a = (struct args){.str = d->id, .n = 7};
    assert_int_equal(sls_store_write(s, f_device_passkey_count, &a), SLS_ERR_CONFLICT);
    a.n = 6;
    assert_int_equal(sls_store_write(s, f_device_passkey_count, &a), SLS_ERR_CONFLICT);
    a.n = 9;
    assert_int_equal(sls_store_write(s, f_device_passkey_count, &a), SLS_OK);
    a.n = 8;
    assert_int_equal(sls_store_write(s, f_device_passkey_count, &a), SLS_ERR_CONFLICT);
    assert_int_equal(device_get(s, d->id, got), SLS_OK);
    d->passkey_count = 9;
    assert_device_equal(d, got);                /* nothing else changed */
    a.str = "a0000000000000000000000000000049"; /* no such device */
    a.n = 20;
    assert_int_equal(sls_store_write(s, f_device_passkey_count, &a), SLS_ERR_CONFLICT);

    /* racing counter moves to one value: one wins */
    for (int i = 0; i < PASSKEY_THREADS; i++) {
        r[i].s = s;
        r[i].d = *d;
        r[i].count = 10;
    }
    assert_int_equal(passkey_race(r), 1);
    assert_int_equal(device_get(s, d->id, got), SLS_OK);
    assert_int_equal(got->passkey_count, 10);

    /* racing registrations of one new credential id by two users: one wins */
    for (int i = 0; i < PASSKEY_THREADS; i++) {
        char id[SLS_ID_LEN + 1];

        snprintf(id, sizeof id, "a00000000000000000000000000001%02d", i);
        r[i].s = s;
        make_passkey(&r[i].d, id, i % 2 ? uid : other, "cmFjZWQtY3JlZGVudGlhbA");
        r[i].count = 0;
    }
    assert_int_equal(passkey_race(r), 1);
    memset(got, 0, sizeof *got);
    a = (struct args){.str = "cmFjZWQtY3JlZGVudGlhbA", .out = got};
    assert_int_equal(sls_store_read(s, f_device_by_passkey, &a), SLS_OK);
    for (int i = 0; i < PASSKEY_THREADS; i++)
        if (r[i].rc == SLS_OK)
            assert_string_equal(got->id, r[i].d.id);
    free(r);
    free(got);
    free(d);
    sls_store_close(s);
}

/* device_totp_step_cas of device a->str to step a->n. */
static int f_device_totp_step(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, device_totp_step_cas, a->str, a->n);
}

#define TOTP_THREADS 16

struct totp_racer {
    struct sls_store *s;
    pthread_barrier_t *start;
    const char *id;
    int64_t step;
    int rc;
};

static void *totp_race_body(void *p)
{
    struct totp_racer *r = p;
    struct args a = {.str = r->id, .n = r->step};

    pthread_barrier_wait(r->start);
    r->rc = sls_store_write(r->s, f_device_totp_step, &a);
    return NULL;
}

/* SPEC §10.4: a TOTP device's step moves only forward, each step once; it
 * is inserted and read like any field; of racing calls with one step,
 * exactly one moves it; no other field is touched. */
static void conf_device_totp_step(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "totpstore", "U9300003");
    struct sls_device_rec d, got;
    struct args a = {.in = &d};
    struct totp_racer r[TOTP_THREADS];
    pthread_t t[TOTP_THREADS];
    pthread_barrier_t start;
    int ok = 0, lost = 0;

    make_device(&d, "a0000000000000000000000000000031", uid, 1700000100);
    d.type = SLS_DEVICE_TOTP;
    d.state = SLS_DEVSTATE_ACTIVE;
    d.totp_step = 56666665;
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    d.activated_at = got.activated_at;
    assert_device_equal(&d, &got);
    a = (struct args){.str = d.id, .n = 56666665};
    /* the step stored, or one before it: refused */
    assert_int_equal(sls_store_write(s, f_device_totp_step, &a), SLS_ERR_CONFLICT);
    a.n = 56666664;
    assert_int_equal(sls_store_write(s, f_device_totp_step, &a), SLS_ERR_CONFLICT);
    /* two ahead is taken; the one skipped over is then refused */
    a.n = 56666667;
    assert_int_equal(sls_store_write(s, f_device_totp_step, &a), SLS_OK);
    a.n = 56666666;
    assert_int_equal(sls_store_write(s, f_device_totp_step, &a), SLS_ERR_CONFLICT);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    d.totp_step = 56666667;
    assert_device_equal(&d, &got); /* nothing else changed */
    /* no such device */
    a.str = "a0000000000000000000000000000039";
    a.n = 56666690;
    assert_int_equal(sls_store_write(s, f_device_totp_step, &a), SLS_ERR_CONFLICT);

    pthread_barrier_init(&start, NULL, TOTP_THREADS);
    for (int i = 0; i < TOTP_THREADS; i++) {
        r[i] = (struct totp_racer){.s = s, .start = &start, .id = d.id, .step = 56666668, .rc = -1};
        assert_int_equal(pthread_create(&t[i], NULL, totp_race_body, &r[i]), 0);
    }
    for (int i = 0; i < TOTP_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (r[i].rc == SLS_OK)
            ok++;
        else if (r[i].rc == SLS_ERR_CONFLICT)
            lost++;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 1);
    assert_int_equal(lost, TOTP_THREADS - 1);
    assert_int_equal(device_get(s, d.id, &got), SLS_OK);
    assert_int_equal(got.totp_step, 56666668);
    sls_store_close(s);
}

/* The primary live user of an account, never a paper user or a secondary one. */
static int f_user_by_account(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, user_get_by_account, a->str, a->out);
}

static void conf_user_by_account(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_user_rec u, got;
    struct args a = {.out = &got};
    int64_t primary;

    make_user(&u, "second", "U2000001");
    u.primary = false;
    assert_int_equal(user_insert(s, &u), SLS_OK);
    a.str = "U2000001";
    assert_int_equal(sls_store_read(s, f_user_by_account, &a), SLS_ERR_NOT_FOUND);

    primary = add_user(s, "first", "U2000001");
    make_user(&u, "firstpaper", "U2000001");
    u.paper_of = primary;
    u.primary = true;
    assert_int_equal(user_insert(s, &u), SLS_OK);
    assert_int_equal(sls_store_read(s, f_user_by_account, &a), SLS_OK);
    assert_int_equal(got.id, primary);
    assert_string_equal(got.username, "first");

    a.str = "U2000002";
    assert_int_equal(sls_store_read(s, f_user_by_account, &a), SLS_ERR_NOT_FOUND);
    a.str = "";
    assert_int_equal(sls_store_read(s, f_user_by_account, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* R50 documents: blobs stored once per hash, documents naming them, rejections. */
struct doc_args {
    const char *sha;
    const uint8_t *data;
    size_t len;
    struct sls_document_rec *doc;
    size_t ndocs;
    bool fail_after;
};

static int f_store_documents(struct sls_db *db, void *p)
{
    struct doc_args *a = p;
    int rc;

    for (size_t i = 0; i < a->ndocs; i++) {
        rc = SLS_DB(db, document_blob_put, a->doc[i].sha256, a->data, a->len);
        if (rc != SLS_OK)
            return rc;
        rc = SLS_DB(db, document_insert, &a->doc[i]);
        if (rc != SLS_OK)
            return rc;
    }
    return a->fail_after ? SLS_ERR_CONFLICT : SLS_OK;
}

static int f_document_insert_only(struct sls_db *db, void *p)
{
    struct doc_args *a = p;
    return SLS_DB(db, document_insert, a->doc);
}

static int f_blob_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    uint8_t **data = a->out;
    return SLS_DB(db, document_blob_get, a->str, data, &a->count);
}

static int f_document_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, document_get, a->id, a->out);
}

static int f_document_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, document_list, a->id, a->out, a->max, &a->count);
}

static int f_rejection_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, document_rejection_insert, a->out);
}

static int f_rejection_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, document_rejection_list, a->out, a->max, &a->count);
}

static void make_document(struct sls_document_rec *d, int64_t user_id, const char *sha,
                          const char *name)
{
    memset(d, 0, sizeof *d);
    d->user_id = user_id;
    snprintf(d->purpose, sizeof d->purpose, "PoRes");
    snprintf(d->sender, sizeof d->sender, "Zo\xc3\xab <zoe@example.org>");
    d->received_at = 1700000000;
    snprintf(d->sha256, sizeof d->sha256, "%s", sha);
    snprintf(d->detected_type, sizeof d->detected_type, "image/jpeg");
    snprintf(d->declared_type, sizeof d->declared_type, "application/octet-stream");
    snprintf(d->filename, sizeof d->filename, "%s", name);
    d->size = 5;
}

static void conf_documents(const char *url)
{
    struct sls_store *s = open_store(url);
    static const uint8_t bytes[5] = {0xFF, 0xD8, 0xFF, 0x00, 0x01};
    char sha[65], other[65];
    struct sls_document_rec docs[3], got, list[4];
    struct doc_args d = {.data = bytes, .len = sizeof bytes, .doc = docs};
    struct args a = {0};
    uint8_t *blob = NULL;
    int64_t zoe = add_user(s, "zoe", "U3000001");
    int64_t yan = add_user(s, "yan", "U3000002");

    sls_sha256_hex(bytes, sizeof bytes, sha);
    sls_sha256_hex("x", 1, other);

    /* Two documents with the same bytes in one transaction: one blob. */
    make_document(&docs[0], zoe, sha, "front.jpg");
    make_document(&docs[1], zoe, sha, "again.jpg");
    d.ndocs = 2;
    assert_int_equal(sls_store_write(s, f_store_documents, &d), SLS_OK);
    assert_true(docs[0].id > 0);
    assert_true(docs[1].id > docs[0].id);

    a.id = docs[1].id;
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_document_get, &a), SLS_OK);
    assert_int_equal(got.id, docs[1].id);
    assert_int_equal(got.user_id, zoe);
    assert_string_equal(got.purpose, "PoRes");
    assert_string_equal(got.sender, "Zo\xc3\xab <zoe@example.org>");
    assert_int_equal(got.received_at, 1700000000);
    assert_string_equal(got.sha256, sha);
    assert_string_equal(got.detected_type, "image/jpeg");
    assert_string_equal(got.declared_type, "application/octet-stream");
    assert_string_equal(got.filename, "again.jpg");
    assert_int_equal(got.size, 5);
    a.id = docs[1].id + 100;
    assert_int_equal(sls_store_read(s, f_document_get, &a), SLS_ERR_NOT_FOUND);

    a.str = sha;
    a.out = &blob;
    assert_int_equal(sls_store_read(s, f_blob_get, &a), SLS_OK);
    assert_int_equal(a.count, sizeof bytes);
    assert_memory_equal(blob, bytes, sizeof bytes);
    free(blob);
    blob = NULL;
    a.str = other;
    assert_int_equal(sls_store_read(s, f_blob_get, &a), SLS_ERR_NOT_FOUND);
    assert_null(blob);

    /* A document without its blob, or of a missing user, is refused. */
    make_document(&docs[2], yan, other, "orphan.pdf");
    d.doc = &docs[2];
    assert_int_equal(sls_store_write(s, f_document_insert_only, &d), SLS_ERR_NOT_FOUND);
    make_document(&docs[2], zoe + yan + 100, sha, "nobody.jpg");
    assert_int_equal(sls_store_write(s, f_document_insert_only, &d), SLS_ERR_NOT_FOUND);

    /* A failing transaction keeps neither its blobs nor its documents. */
    make_document(&docs[2], yan, other, "lost.pdf");
    d.doc = &docs[2];
    d.ndocs = 1;
    d.data = (const uint8_t *)"x";
    d.len = 1;
    d.fail_after = true;
    assert_int_equal(sls_store_write(s, f_store_documents, &d), SLS_ERR_CONFLICT);
    a.str = other;
    a.out = &blob;
    assert_int_equal(sls_store_read(s, f_blob_get, &a), SLS_ERR_NOT_FOUND);

    /* Lists: per user, oldest first, bounded. */
    a.id = zoe;
    a.out = list;
    a.max = 4;
    assert_int_equal(sls_store_read(s, f_document_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_string_equal(list[0].filename, "front.jpg");
    assert_string_equal(list[1].filename, "again.jpg");
    a.max = 1;
    assert_int_equal(sls_store_read(s, f_document_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    a.id = yan;
    a.max = 4;
    assert_int_equal(sls_store_read(s, f_document_list, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    sls_store_close(s);
}

static void conf_document_rejections(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_document_rejection_rec r, list[3];
    struct args a = {0};

    for (int i = 0; i < 2; i++) {
        memset(&r, 0, sizeof r);
        r.received_at = 1700000000 + i;
        snprintf(r.sender, sizeof r.sender, "s%d@example.org", i);
        snprintf(r.subject, sizeof r.subject, "Justificatif de domicile %d", i);
        snprintf(r.reason, sizeof r.reason, "%s", i ? "wrong_address" : "missing_purpose");
        snprintf(r.message, sizeof r.message, "message %d", i);
        snprintf(r.username, sizeof r.username, "%s", i ? "zoe" : "");
        a.out = &r;
        assert_int_equal(sls_store_write(s, f_rejection_insert, &a), SLS_OK);
        assert_true(r.id > 0);
    }
    a.out = list;
    a.max = 3;
    assert_int_equal(sls_store_read(s, f_rejection_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(list[0].received_at, 1700000001); /* newest first */
    assert_string_equal(list[0].reason, "wrong_address");
    assert_string_equal(list[0].username, "zoe");
    assert_string_equal(list[0].subject, "Justificatif de domicile 1");
    assert_string_equal(list[1].sender, "s0@example.org");
    assert_string_equal(list[1].message, "message 0");
    a.max = 1;
    assert_int_equal(sls_store_read(s, f_rejection_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    sls_store_close(s);
}

/* ---- R33 withdrawals, R31 deposits, R4 reviews, banking, e-mail confirmation ---- */

static int f_money(struct sls_db *db, void *p)
{
    struct args *a = p;
    struct sls_withdrawal_rec w = {0};
    struct sls_deposit_rec d = {0};
    int64_t *sums = a->out;
    int rc;

    /* i: 0 insert withdrawal of n on day t, 1 sum days [id..t] into sums[0],
     * 2 deposit of n (capped when str2 is NULL), 3 capped deposits into sums[0]. */
    switch (a->i) {
    case 0:
        w.user_id = a->id;
        w.amount_cents = a->n;
        w.at = a->t * 86400;
        w.business_day = a->t;
        rc = SLS_DB(db, withdrawal_insert, &w);
        if (rc == SLS_OK && w.id <= 0)
            rc = SLS_ERR_STORE;
        return rc;
    case 1:
        return SLS_DB(db, withdrawal_sum, a->id, (int64_t)a->count, a->t, &sums[0]);
    case 2:
        d.user_id = a->id;
        d.amount_cents = a->n;
        snprintf(d.method, sizeof d.method, "%s", a->str2 ? a->str2 : "ach");
        d.capped = a->str2 == NULL;
        d.at = 1700000000;
        rc = SLS_DB(db, deposit_insert, &d);
        if (rc == SLS_OK && d.id <= 0)
            rc = SLS_ERR_STORE;
        return rc;
    default:
        return SLS_DB(db, deposit_sum_capped, a->id, &sums[0]);
    }
}

static int64_t money_sum(struct sls_store *s, int64_t uid, int op, int64_t from, int64_t to)
{
    int64_t sum = -1;
    struct args a = {.id = uid, .i = op, .count = (size_t)from, .t = to, .out = &sum};
    assert_int_equal(sls_store_read(s, f_money, &a), SLS_OK);
    return sum;
}

static void money_add(struct sls_store *s, int64_t uid, int op, int64_t amount, int64_t day,
                      const char *method)
{
    struct args a = {.id = uid, .i = op, .n = amount, .t = day, .str2 = method};
    assert_int_equal(sls_store_write(s, f_money, &a), SLS_OK);
}

static void conf_withdrawals_and_deposits(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "wendy", "U6100001");
    int64_t other = add_user(s, "walt", "U6100002");

    assert_int_equal(money_sum(s, uid, 1, 0, 100000), 0);
    money_add(s, uid, 0, 500, 20777, NULL);
    money_add(s, uid, 0, 700, 20780, NULL);
    money_add(s, uid, 0, 1100, 20781, NULL);
    money_add(s, other, 0, 99999, 20780, NULL);
    /* Inclusive at both ends, by user. */
    assert_int_equal(money_sum(s, uid, 1, 20777, 20781), 2300);
    assert_int_equal(money_sum(s, uid, 1, 20778, 20781), 1800);
    assert_int_equal(money_sum(s, uid, 1, 20777, 20780), 1200);
    assert_int_equal(money_sum(s, uid, 1, 20781, 20781), 1100);
    assert_int_equal(money_sum(s, other, 1, 20777, 20781), 99999);
    /* Deposits: only the capped ones are summed. */
    assert_int_equal(money_sum(s, uid, 3, 0, 0), 0);
    money_add(s, uid, 2, 1000, 0, NULL);
    money_add(s, uid, 2, 5000, 0, "wire");
    money_add(s, uid, 2, 250, 0, NULL);
    assert_int_equal(money_sum(s, uid, 3, 0, 0), 1250);
    assert_int_equal(money_sum(s, other, 3, 0, 0), 0);
    sls_store_close(s);
}

static int f_review(struct sls_db *db, void *p)
{
    struct args *a = p;
    switch (a->i) {
    case 0:
        return SLS_DB(db, review_insert, a->out);
    case 1:
        return SLS_DB(db, review_get, a->id, a->out);
    case 2: /* the desk's queue: every user, a->n the state (-1: any), oldest first */
        return SLS_DB(db, review_list, 0, (int)a->n, false, a->out, a->max, &a->count);
    case 4: /* one user's, any state, newest first */
        return SLS_DB(db, review_list, a->id, -1, true, a->out, a->max, &a->count);
    case 5: /* one user's (a->id) in state a->n, a->str set: newest first */
        return SLS_DB(db, review_list, a->id, (int)a->n, a->str != NULL, a->out, a->max, &a->count);
    default:
        return SLS_DB(db, review_decide, a->id, (enum sls_review_state)a->n, a->str, a->t);
    }
}

static void conf_reviews(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "rita", "U6200001");
    struct sls_review_rec r, list[4];
    struct args a = {0};
    int64_t first, other;

    memset(&r, 0, sizeof r);
    r.user_id = uid;
    snprintf(r.kind, sizeof r.kind, "email");
    snprintf(r.payload, sizeof r.payload, "{\"new_email\":\"x@example.com\"}");
    r.created_at = 1700000000;
    a = (struct args){.i = 0, .out = &r};
    assert_int_equal(sls_store_write(s, f_review, &a), SLS_OK);
    first = r.id;
    assert_true(first > 0);
    snprintf(r.kind, sizeof r.kind, "bank");
    r.secret_len = 40;
    memset(r.secret, 0xab, 40);
    assert_int_equal(sls_store_write(s, f_review, &a), SLS_OK);
    assert_true(r.id > first);
    a = (struct args){.i = 1, .id = r.id, .out = list};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_string_equal(list[0].kind, "bank");
    assert_int_equal(list[0].secret_len, 40);
    assert_int_equal(list[0].secret[39], 0xab);
    assert_int_equal(list[0].state, SLS_REVIEW_PENDING);
    assert_string_equal(list[0].decided_by, "");
    a.id = 999999;
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_ERR_NOT_FOUND);
    /* Decide once: a second decision conflicts; an unknown id is not found. */
    a = (struct args){
        .i = 3, .id = first, .n = SLS_REVIEW_APPROVED, .str = "agent:desk1", .t = 1700000500};
    assert_int_equal(sls_store_write(s, f_review, &a), SLS_OK);
    a.n = SLS_REVIEW_DENIED;
    assert_int_equal(sls_store_write(s, f_review, &a), SLS_ERR_CONFLICT);
    a.id = 999999;
    assert_int_equal(sls_store_write(s, f_review, &a), SLS_ERR_NOT_FOUND);
    a = (struct args){.i = 2, .n = SLS_REVIEW_PENDING, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_string_equal(list[0].kind, "bank");
    a.n = SLS_REVIEW_APPROVED;
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(list[0].id, first);
    assert_string_equal(list[0].decided_by, "agent:desk1");
    assert_int_equal(list[0].decided_at, 1700000500);
    a.n = -1;
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(list[0].id, first);
    a.max = 1; /* the oldest first */
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(list[0].id, first);
    /* One user's reviews, every state, newest first; never another user's. */
    other = add_user(s, "otto", "U6200002");
    r.user_id = other;
    a = (struct args){.i = 0, .out = &r};
    assert_int_equal(sls_store_write(s, f_review, &a), SLS_OK);
    a = (struct args){.i = 4, .id = uid, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(list[0].state, SLS_REVIEW_PENDING);
    assert_true(list[0].id > first && list[0].user_id == uid);
    assert_int_equal(list[1].id, first);
    assert_int_equal(list[1].state, SLS_REVIEW_APPROVED);
    a.max = 1;
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_true(list[0].id > first);
    a = (struct args){.i = 4, .id = other, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(list[0].id, r.id);
    assert_int_equal(list[0].user_id, other);
    a = (struct args){.i = 4, .id = 999999, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    /* Both filters at once, either order. */
    a = (struct args){.i = 5, .id = uid, .n = SLS_REVIEW_APPROVED, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(list[0].id, first);
    a.n = SLS_REVIEW_PENDING;
    a.str = "newest";
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_true(list[0].id > first && list[0].user_id == uid);
    a = (struct args){.i = 5, .id = other, .n = SLS_REVIEW_APPROVED, .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    /* Every user, newest first. */
    a = (struct args){.i = 5, .id = 0, .n = -1, .str = "newest", .out = list, .max = 4};
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 3);
    assert_int_equal(list[0].user_id, other);
    assert_int_equal(list[2].id, first);
    a.max = 0;
    assert_int_equal(sls_store_read(s, f_review, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    sls_store_close(s);
}

static int f_settings(struct sls_db *db, void *p)
{
    struct args *a = p;
    switch (a->i) {
    case 0:
        return SLS_DB(db, bank_put, a->in);
    case 1:
        return SLS_DB(db, bank_get, a->id, a->out);
    default: {
        /* 2: the SLS participation a->n, 3: the e-mail a->str, on a record
         * otherwise zero: only the field named is written. */
        struct sls_user_rec w;
        struct args b = {.id = a->id, .in = &w};

        memset(&w, 0, sizeof w);
        w.sls = a->n != 0;
        snprintf(w.email, sizeof w.email, "%s", a->str ? a->str : "");
        b.i = a->i == 2 ? SLS_USER_SET_SLS : SLS_USER_SET_EMAIL;
        return f_user_write(db, &b);
    }
    }
}

static void conf_settings(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "sam", "U6300001");
    struct sls_bank_rec b, gb;
    struct sls_user_rec u;
    struct args a = {0};

    memset(&b, 0, sizeof b);
    b.user_id = uid;
    snprintf(b.bank_name, sizeof b.bank_name, "First Bank");
    snprintf(b.routing_number, sizeof b.routing_number, "021000021");
    snprintf(b.account_last4, sizeof b.account_last4, "6789");
    b.account_sealed_len = 50;
    memset(b.account_sealed, 7, 50);
    b.updated_at = 1700000000;
    a = (struct args){.i = 1, .id = uid, .in = &b, .out = &gb};
    assert_int_equal(sls_store_read(s, f_settings, &a), SLS_ERR_NOT_FOUND);
    a.i = 0;
    assert_int_equal(sls_store_write(s, f_settings, &a), SLS_OK);
    snprintf(b.bank_name, sizeof b.bank_name, "Second Bank");
    assert_int_equal(sls_store_write(s, f_settings, &a), SLS_OK);
    a.i = 1;
    assert_int_equal(sls_store_read(s, f_settings, &a), SLS_OK);
    assert_string_equal(gb.bank_name, "Second Bank");
    assert_string_equal(gb.account_last4, "6789");
    assert_int_equal(gb.account_sealed_len, 50);

    a = (struct args){.i = 2, .id = uid, .n = 0};
    assert_int_equal(sls_store_write(s, f_settings, &a), SLS_OK);
    a = (struct args){.i = 3, .id = uid, .str = "sam2@example.com"};
    assert_int_equal(sls_store_write(s, f_settings, &a), SLS_OK);
    a = (struct args){.str = "sam", .out = &u};
    assert_int_equal(sls_store_read(s, f_user_by_name, &a), SLS_OK);
    assert_false(u.sls);
    assert_string_equal(u.email, "sam2@example.com");
    a = (struct args){.i = 2, .id = 999999, .n = 1};
    assert_int_equal(sls_store_write(s, f_settings, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* ---- R21 DSC+ orders and R32 sharing requests ---- */

static int f_order_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, dsc_order_insert, a->in);
}

static int f_order_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, dsc_order_get, a->str, a->out);
}

static int f_order_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, dsc_order_list, a->id, a->i, a->out, a->max, &a->count);
}

/* a->in the order to write, expected: state a->i, notices a->n. */
static int f_order_update(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, dsc_order_update, a->in, (enum sls_dsc_order_state)a->i, (unsigned)a->n);
}

static int order_update(struct sls_store *s, const struct sls_dsc_order_rec *o,
                        enum sls_dsc_order_state expected_state, unsigned expected_notices)
{
    struct args a = {.in = o, .i = (int)expected_state, .n = expected_notices};
    return sls_store_write(s, f_order_update, &a);
}

static void make_order(struct sls_dsc_order_rec *o, const char *id, int64_t user, sls_time at)
{
    memset(o, 0, sizeof *o);
    snprintf(o->id, sizeof o->id, "%s", id);
    o->user_id = user;
    o->state = SLS_DSC_ORDER_ORDERED;
    snprintf(o->address, sizeof o->address, "1 Main St, Springfield, US");
    snprintf(o->deposit_account, sizeof o->deposit_account, "U3100001");
    o->hold_cents = 2000;
    memcpy(o->pin, "\x01\x02\x03", 3);
    o->pin_len = 3;
    o->ordered_at = at;
    o->estimated_ship_at = at + 86400;
}

static void conf_dsc_orders(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_dsc_order_rec o, got, list[4];
    struct args a = {0};
    int64_t ann = add_user(s, "ann", "U3100001");
    int64_t bob = add_user(s, "bob", "U3100002");

    make_order(&o, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", ann, 1700000000);
    a.in = &o;
    assert_int_equal(sls_store_write(s, f_order_insert, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_order_insert, &a), SLS_ERR_CONFLICT);
    make_order(&o, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", bob, 1700000100);
    assert_int_equal(sls_store_write(s, f_order_insert, &a), SLS_OK);

    a.str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    assert_int_equal(got.user_id, ann);
    assert_int_equal(got.state, SLS_DSC_ORDER_ORDERED);
    assert_string_equal(got.address, "1 Main St, Springfield, US");
    assert_string_equal(got.deposit_account, "U3100001");
    assert_int_equal(got.hold_cents, 2000);
    assert_int_equal(got.pin_len, 3);
    assert_memory_equal(got.pin, "\x01\x02\x03", 3);
    assert_int_equal(got.estimated_ship_at, 1700086400);
    assert_string_equal(got.device_id, "");
    a.str = "ffffffffffffffffffffffffffffffff";
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_ERR_NOT_FOUND);

    /* Lists by user and by state. */
    a.out = list;
    a.max = 4;
    a.id = 0;
    a.i = -1;
    assert_int_equal(sls_store_read(s, f_order_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(list[0].user_id, ann);
    a.id = bob;
    assert_int_equal(sls_store_read(s, f_order_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(list[0].user_id, bob);

    /* Shipping: a CAS from ordered (state and notices as read). */
    a.str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    o = got;
    o.state = SLS_DSC_ORDER_SHIPPED;
    snprintf(o.device_id, sizeof o.device_id, "dddddddddddddddddddddddddddddddd");
    o.shipped_at = 1700200000;
    /* Only the mutable fields are written. */
    snprintf(o.address, sizeof o.address, "elsewhere");
    o.hold_cents = 1;
    o.pin_len = 0;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_ORDERED, 0), SLS_OK);
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_ORDERED, 0), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_DSC_ORDER_SHIPPED);
    assert_string_equal(got.device_id, "dddddddddddddddddddddddddddddddd");
    assert_int_equal(got.shipped_at, 1700200000);
    assert_string_equal(got.address, "1 Main St, Springfield, US");
    assert_int_equal(got.hold_cents, 2000);
    assert_int_equal(got.pin_len, 3);
    assert_int_equal(got.user_id, ann);
    a.out = list;
    a.id = 0;
    a.i = SLS_DSC_ORDER_SHIPPED;
    assert_int_equal(sls_store_read(s, f_order_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_string_equal(list[0].id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1");

    /* Notices: a CAS on the mask, so a notice is recorded once. */
    o = got;
    o.notices = 1;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 0), SLS_OK);
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 0), SLS_ERR_CONFLICT);
    o.notices = 3;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 1), SLS_OK);
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    assert_int_equal(got.notices, 3);

    /* Settling: a CAS from shipped, stale notices conflict too; the notices
     * of a settled order never change. */
    o = got;
    o.state = SLS_DSC_ORDER_SETTLED;
    o.settled_at = 1702000000;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 1), SLS_ERR_CONFLICT);
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 3), SLS_OK);
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 3), SLS_ERR_CONFLICT);
    o = got;
    o.notices = 7;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 3), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_DSC_ORDER_SETTLED);
    assert_int_equal(got.settled_at, 1702000000);
    assert_int_equal(got.notices, 3);
    /* The unshipped order cannot be settled as if shipped; an unknown order
     * conflicts; a state that is none refused. */
    a.str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2";
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    o = got;
    o.state = SLS_DSC_ORDER_SETTLED;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_SHIPPED, 0), SLS_ERR_CONFLICT);
    snprintf(o.id, sizeof o.id, "ffffffffffffffffffffffffffffffff");
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_ORDERED, 0), SLS_ERR_CONFLICT);
    a.str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2";
    o = got;
    o.state = SLS_DSC_ORDER__COUNT;
    assert_int_equal(order_update(s, &o, SLS_DSC_ORDER_ORDERED, 0), SLS_ERR_STORE);
    assert_int_equal(sls_store_read(s, f_order_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_DSC_ORDER_ORDERED);
    sls_store_close(s);
}

static int f_sharing_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, sharing_insert, a->in);
}

static int f_sharing_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, sharing_get, a->str, a->out);
}

static int f_sharing_open(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, sharing_get_open, a->id, a->out);
}

static int f_sharing_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, sharing_list, a->i, a->str2, a->out, a->max, &a->count);
}

static int f_sharing_update(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, sharing_update_cas, a->in, (enum sls_sharing_state)a->i);
}

static void make_sharing(struct sls_sharing_rec *r, const char *id, int64_t requester,
                         int64_t owner, enum sls_sharing_state state, sls_time at)
{
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", id);
    r->requester_id = requester;
    r->owner_id = owner;
    snprintf(r->device_id, sizeof r->device_id, "dddddddddddddddddddddddddddddddd");
    r->state = state;
    r->created_at = at;
}

static void conf_sharing(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_sharing_rec r, got, list[4];
    struct args a = {0};
    int64_t req = add_user(s, "req", "U3200001");
    int64_t own = add_user(s, "own", "U3200002");

    make_sharing(&r, "5555555555555555555555555555555a", req, own, SLS_SHARING_STATE_PENDING,
                 1700000000);
    a.in = &r;
    assert_int_equal(sls_store_write(s, f_sharing_insert, &a), SLS_OK);
    /* One open request per requester. */
    make_sharing(&r, "5555555555555555555555555555555b", req, own, SLS_SHARING_STATE_ACTIVE,
                 1700000001);
    assert_int_equal(sls_store_write(s, f_sharing_insert, &a), SLS_ERR_CONFLICT);

    a.id = req;
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_sharing_open, &a), SLS_OK);
    assert_string_equal(got.id, "5555555555555555555555555555555a");
    assert_int_equal(got.owner_id, own);
    assert_int_equal(got.state, SLS_SHARING_STATE_PENDING);
    a.id = own;
    assert_int_equal(sls_store_read(s, f_sharing_open, &a), SLS_ERR_NOT_FOUND);

    /* Approval is a CAS from pending and records what it made inactive. */
    make_sharing(&r, "5555555555555555555555555555555a", req, own, SLS_SHARING_STATE_ACTIVE,
                 1700000000);
    r.decided_at = 1700000500;
    snprintf(r.decided_by, sizeof r.decided_by, "agent:alice");
    snprintf(r.inactivated, sizeof r.inactivated,
             "11111111111111111111111111111111 "
             "22222222222222222222222222222222");
    a.i = SLS_SHARING_STATE_PENDING;
    assert_int_equal(sls_store_write(s, f_sharing_update, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_sharing_update, &a), SLS_ERR_CONFLICT);
    a.str = "5555555555555555555555555555555a";
    assert_int_equal(sls_store_read(s, f_sharing_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_SHARING_STATE_ACTIVE);
    assert_int_equal(got.decided_at, 1700000500);
    assert_string_equal(got.decided_by, "agent:alice");
    assert_string_equal(got.inactivated,
                        "11111111111111111111111111111111 22222222222222222222222222222222");

    /* Cancelled: no longer open, and a new request may follow. */
    r.state = SLS_SHARING_STATE_CANCELLED;
    a.i = SLS_SHARING_STATE_ACTIVE;
    assert_int_equal(sls_store_write(s, f_sharing_update, &a), SLS_OK);
    a.id = req;
    assert_int_equal(sls_store_read(s, f_sharing_open, &a), SLS_ERR_NOT_FOUND);
    make_sharing(&r, "5555555555555555555555555555555b", req, own, SLS_SHARING_STATE_ACTIVE,
                 1700000001);
    assert_int_equal(sls_store_write(s, f_sharing_insert, &a), SLS_OK);

    a.out = list;
    a.max = 4;
    a.i = -1;
    assert_int_equal(sls_store_read(s, f_sharing_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    assert_int_equal(list[0].state, SLS_SHARING_STATE_CANCELLED);
    a.i = SLS_SHARING_STATE_ACTIVE;
    assert_int_equal(sls_store_read(s, f_sharing_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_string_equal(list[0].id, "5555555555555555555555555555555b");
    /* By device. */
    a.i = -1;
    a.str2 = "dddddddddddddddddddddddddddddddd";
    assert_int_equal(sls_store_read(s, f_sharing_list, &a), SLS_OK);
    assert_int_equal(a.count, 2);
    a.str2 = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    assert_int_equal(sls_store_read(s, f_sharing_list, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    a.str2 = NULL;
    a.str = "00000000000000000000000000000000";
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_sharing_get, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

static int f_push_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, push_insert, a->in);
}

static int f_push_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, push_get, a->str, a->out);
}

static int f_push_decide(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, push_decide_cas, a->str, (enum sls_push_state)a->i, SLS_AUTH_PIN, false,
                  a->t);
}

/* A denial for a wrong number: the same CAS with the flag. */
static int f_push_deny_number(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, push_decide_cas, a->str, SLS_PUSH_DENIED, SLS_AUTH_NONE, true, a->t);
}

/* §10.3: a push keeps its number; a denial for a wrong number is one CAS
 * that a decided push refuses, and is told apart from a plain denial. */
static void conf_push_number(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "pat", "U7100001");
    struct sls_device_rec d;
    struct sls_push_rec p, got;
    struct args a = {0};

    make_device(&d, "a0000000000000000000000000000011", uid, 1700000000);
    a.in = &d;
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "b0000000000000000000000000000001");
    p.user_id = uid;
    snprintf(p.device_id, sizeof p.device_id, "%s", d.id);
    snprintf(p.challenge, sizeof p.challenge, "%s", "123456");
    p.created_at = 1700000100;
    p.expires_at = 1700000400;
    p.number = 47;
    a.in = &p;
    assert_int_equal(sls_store_write(s, f_push_insert, &a), SLS_OK);
    snprintf(p.id, sizeof p.id, "%s", "b0000000000000000000000000000002");
    p.number = 0;
    assert_int_equal(sls_store_write(s, f_push_insert, &a), SLS_OK);

    a.str = "b0000000000000000000000000000001";
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_push_get, &a), SLS_OK);
    assert_int_equal(got.number, 47);
    assert_false(got.wrong_number);
    a.t = 1700000200;
    assert_int_equal(sls_store_write(s, f_push_deny_number, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_push_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_PUSH_DENIED);
    assert_true(got.wrong_number);
    assert_int_equal(got.decided_at, 1700000200);
    /* Decided: neither another denial nor an approval takes it. */
    assert_int_equal(sls_store_write(s, f_push_deny_number, &a), SLS_ERR_CONFLICT);
    a.i = SLS_PUSH_APPROVED;
    assert_int_equal(sls_store_write(s, f_push_decide, &a), SLS_ERR_CONFLICT);

    /* The push without a number, approved, then not denied for a number. */
    a.str = "b0000000000000000000000000000002";
    assert_int_equal(sls_store_write(s, f_push_decide, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_push_deny_number, &a), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_read(s, f_push_get, &a), SLS_OK);
    assert_int_equal(got.number, 0);
    assert_int_equal(got.state, SLS_PUSH_APPROVED);
    assert_int_equal(got.auth_mode, SLS_AUTH_PIN);
    assert_int_equal(got.decided_at, 1700000200);
    assert_false(got.wrong_number);
    a.str = "b00000000000000000000000000000ff";
    assert_int_equal(sls_store_write(s, f_push_deny_number, &a), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_write(s, f_push_decide, &a), SLS_ERR_CONFLICT);

    /* A plain denial is not one for a wrong number. */
    snprintf(p.id, sizeof p.id, "%s", "b0000000000000000000000000000003");
    a.in = &p;
    assert_int_equal(sls_store_write(s, f_push_insert, &a), SLS_OK);
    a.str = p.id;
    a.i = SLS_PUSH_DENIED;
    assert_int_equal(sls_store_write(s, f_push_decide, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_push_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_PUSH_DENIED);
    assert_false(got.wrong_number);
    assert_int_equal(sls_store_write(s, f_push_decide, &a), SLS_ERR_CONFLICT);
    sls_store_close(s);
}

/* ---- SPEC §10.3 client tokens ---- */

static int f_token_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, client_token_insert, a->in);
}

static int f_token_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, client_token_get, a->str, a->out);
}

static int f_token_cas(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, client_token_lockout_cas, a->str, a->n, a->in);
}

static int f_token_delete(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, client_token_delete, a->str);
}

static int f_token_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, client_token_list_counted, a->id, a->t, a->out, a->max, &a->count);
}

static int f_token_unlock(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, client_token_unlock_user, a->id, &a->count);
}

static void make_token(struct sls_client_token_rec *t, char fill, int64_t user_id, sls_time at)
{
    memset(t, 0, sizeof *t);
    memset(t->token_hash, fill, 64);
    memset(t->id, fill, SLS_ID_LEN);
    t->user_id = user_id;
    t->created_at = at;
    t->expires_at = at + 90 * SLS_DAY;
}

static void conf_client_tokens(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "tina", "U3300001");
    int64_t other = add_user(s, "tom", "U3300002");
    struct sls_client_token_rec t, got, list[4];
    struct sls_lockout_state next = {0};
    struct args a = {.in = &t, .out = &got};

    make_token(&t, 'a', uid, 1700000000);
    assert_int_equal(sls_store_write(s, f_token_insert, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_token_insert, &a), SLS_ERR_CONFLICT);
    a.str = t.token_hash;
    assert_int_equal(sls_store_read(s, f_token_get, &a), SLS_OK);
    assert_string_equal(got.id, t.id);
    assert_int_equal(got.user_id, uid);
    assert_int_equal(got.expires_at, 1700000000 + 90 * SLS_DAY);
    assert_int_equal(got.lock_version, 0);
    assert_int_equal(got.lockout.nfail, 0);

    /* The counter is a CAS on its version. */
    next.nfail = 1;
    next.fail_at[0] = 1700000100;
    a.in = &next;
    a.n = 0;
    assert_int_equal(sls_store_write(s, f_token_cas, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_token_cas, &a), SLS_ERR_CONFLICT);
    assert_int_equal(sls_store_read(s, f_token_get, &a), SLS_OK);
    assert_int_equal(got.lock_version, 1);
    assert_lockout_equal(&got.lockout, &next);

    /* Listed while it holds failures and is not expired; another user's is not. */
    make_token(&t, 'b', other, 1700000000);
    a.in = &t;
    assert_int_equal(sls_store_write(s, f_token_insert, &a), SLS_OK);
    a.id = uid;
    a.t = 1700000200;
    a.out = list;
    a.max = 4;
    assert_int_equal(sls_store_read(s, f_token_list, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(list[0].user_id, uid);
    a.t = 1700000000 + 90 * SLS_DAY;
    assert_int_equal(sls_store_read(s, f_token_list, &a), SLS_OK);
    assert_int_equal(a.count, 0);

    /* The desk's unlock clears every counter of the user, bumping versions. */
    assert_int_equal(sls_store_write(s, f_token_unlock, &a), SLS_OK);
    assert_int_equal(a.count, 1);
    assert_int_equal(sls_store_write(s, f_token_unlock, &a), SLS_OK);
    assert_int_equal(a.count, 0);
    a.out = &got;
    memset(a.out, 0, sizeof got);
    a.str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    assert_int_equal(sls_store_read(s, f_token_get, &a), SLS_OK);
    assert_int_equal(got.lock_version, 2);
    assert_int_equal(got.lockout.nfail, 0);

    /* A new token of the user forgets the user's expired ones only. */
    make_token(&t, 'c', uid, 1700000000 + 90 * SLS_DAY);
    a.in = &t;
    assert_int_equal(sls_store_write(s, f_token_insert, &a), SLS_OK);
    assert_int_equal(sls_store_read(s, f_token_get, &a), SLS_ERR_NOT_FOUND);
    a.str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    assert_int_equal(sls_store_read(s, f_token_get, &a), SLS_OK);

    /* Deleting is single use; a token of an unknown user is refused. */
    assert_int_equal(sls_store_write(s, f_token_delete, &a), SLS_OK);
    assert_int_equal(sls_store_write(s, f_token_delete, &a), SLS_ERR_NOT_FOUND);
    make_token(&t, 'd', uid + 99, 1700000000);
    assert_int_equal(sls_store_write(s, f_token_insert, &a), SLS_ERR_NOT_FOUND);
    sls_store_close(s);
}

/* ---- races across nodes: each thread its own sls_store_write ---- */

#define RACE_THREADS 20

struct race_one {
    struct sls_store *s;
    pthread_barrier_t *start;
    sls_store_fn fn;
    struct args a;
    int rc;
};

static void *race_one_body(void *p)
{
    struct race_one *r = p;

    pthread_barrier_wait(r->start);
    r->rc = sls_store_write(r->s, r->fn, &r->a);
    return NULL;
}

/* Runs fn with a copy of *a on `threads` threads started together; counts
 * the answers SLS_OK into *ok and `lost` into *nlost. */
static void race_all(struct sls_store *s, sls_store_fn fn, const struct args *a, int threads,
                     int lost, int *ok, int *nlost)
{
    struct race_one r[RACE_THREADS];
    pthread_t t[RACE_THREADS];
    pthread_barrier_t start;

    assert_true(threads <= RACE_THREADS);
    *ok = *nlost = 0;
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        r[i] = (struct race_one){.s = s, .start = &start, .fn = fn, .a = *a, .rc = -1};
        assert_int_equal(pthread_create(&t[i], NULL, race_one_body, &r[i]), 0);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        if (r[i].rc == SLS_OK)
            (*ok)++;
        else if (r[i].rc == lost)
            (*nlost)++;
        else
            fprintf(stderr, "race: thread %d answered %d\n", i, r[i].rc);
    }
    pthread_barrier_destroy(&start);
}

/* 20 writers, each reading the user and writing it back on the version read
 * (a CAS), in one write: every increment counted exactly once, none lost,
 * none twice, however often a backend ran a callback again. */
static void conf_race_user_cas(const char *url)
{
    race_lockout(url, increment_inside, RACE_THREADS, 10);
}

/* Two takes of one secret: one wins, the other finds nothing. */
static void conf_race_secret_two_takes(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "twotakes", "U9300003");
    struct sls_secret_rec r;
    struct args a = {.in = &r};
    int ok, lost;

    memset(&r, 0, sizeof r);
    snprintf(r.key, sizeof r.key, "reset-code:%lld", (long long)uid);
    r.user_id = uid;
    r.code_len = 16;
    r.expires_at = 1700000300;
    assert_int_equal(sls_store_write(s, f_secret_put, &a), SLS_OK);
    a.str = r.key;
    race_all(s, f_secret_take, &a, 2, SLS_ERR_NOT_FOUND, &ok, &lost);
    assert_int_equal(ok, 1);
    assert_int_equal(lost, 1);
    sls_store_close(s);
}

/* 20 decisions of one push: one is taken, the others conflict. */
static void conf_race_push_decide(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "pushrace", "U9300004");
    struct sls_device_rec d;
    struct sls_push_rec p, got;
    struct args a = {0};
    int ok, lost;

    make_device(&d, "a0000000000000000000000000000021", uid, 1700000000);
    a.in = &d;
    assert_int_equal(sls_store_write(s, f_device_insert, &a), SLS_OK);
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", "b0000000000000000000000000000021");
    p.user_id = uid;
    snprintf(p.device_id, sizeof p.device_id, "%s", d.id);
    snprintf(p.challenge, sizeof p.challenge, "%s", "654321");
    p.created_at = 1700000100;
    p.expires_at = 1700000400;
    a.in = &p;
    assert_int_equal(sls_store_write(s, f_push_insert, &a), SLS_OK);
    a = (struct args){.str = p.id, .i = SLS_PUSH_APPROVED, .t = 1700000200};
    race_all(s, f_push_decide, &a, RACE_THREADS, SLS_ERR_CONFLICT, &ok, &lost);
    assert_int_equal(ok, 1);
    assert_int_equal(lost, RACE_THREADS - 1);
    a.out = &got;
    assert_int_equal(sls_store_read(s, f_push_get, &a), SLS_OK);
    assert_int_equal(got.state, SLS_PUSH_APPROVED);
    assert_int_equal(got.decided_at, 1700000200);
    sls_store_close(s);
}

/* 20 deliverers recording the same attempt of one message: one does. */
static void conf_race_outbox_settle(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t id = outbox_add(s, "racer@example.com", 1700000000);
    struct args a = {.i = MARK_DELIVERED, .id = id, .max = 0, .t = 1700000001};
    struct sls_outbox_rec got;
    int ok, lost;

    race_all(s, f_outbox_mark, &a, RACE_THREADS, SLS_ERR_CONFLICT, &ok, &lost);
    assert_int_equal(ok, 1);
    assert_int_equal(lost, RACE_THREADS - 1);
    got = outbox_get(s, id);
    assert_int_equal(got.attempts, 1);
    assert_int_equal(got.state, SLS_OUTBOX_DELIVERED);
    assert_string_equal(got.body, "");
    sls_store_close(s);
}

/* What a withdrawal above the limit answers in the test (any non-zero code). */
#define OVER_LIMIT       4711
#define LIMIT_CENTS      1000
#define WITHDRAWAL_CENTS 100

/* R33 in one write: the day's sum read, checked against the limit, and the
 * withdrawal inserted when it fits. */
static int f_withdraw_within_limit(struct sls_db *db, void *p)
{
    struct args *a = p;
    struct sls_withdrawal_rec w = {0};
    int64_t sum = 0;
    int rc = SLS_DB(db, withdrawal_sum, a->id, a->t, a->t, &sum);

    if (rc != SLS_OK)
        return rc;
    if (sum + WITHDRAWAL_CENTS > LIMIT_CENTS)
        return OVER_LIMIT;
    /* Widen the window between the check and the insert, where a store
     * that is not serializable lets racing writers all pass the check. */
    nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
    w.user_id = a->id;
    w.amount_cents = WITHDRAWAL_CENTS;
    w.at = a->t * 86400;
    w.business_day = a->t;
    return SLS_DB(db, withdrawal_insert, &w);
}

/* 20 withdrawals racing a limit that fits 10: exactly 10 go through and the
 * day's sum never exceeds it (a read-then-insert that only a serializable
 * store keeps exact; a row CAS would not). */
static void conf_race_withdrawal_limit(const char *url)
{
    struct sls_store *s = open_store(url);
    int64_t uid = add_user(s, "limitrace", "U9300005");
    struct args a = {.id = uid, .t = 20000};
    int ok, lost;

    race_all(s, f_withdraw_within_limit, &a, RACE_THREADS, OVER_LIMIT, &ok, &lost);
    assert_int_equal(ok, LIMIT_CENTS / WITHDRAWAL_CENTS);
    assert_int_equal(lost, RACE_THREADS - LIMIT_CENTS / WITHDRAWAL_CENTS);
    assert_int_equal(money_sum(s, uid, 1, 20000, 20000), LIMIT_CENTS);
    sls_store_close(s);
}

/* One audit record of its own per call (the callback may run again). */
static int f_audit_fresh(struct sls_db *db, void *p)
{
    struct args *a = p;
    struct sls_audit_rec r;

    make_audit(&r, a->t, "chain", "race");
    return SLS_DB(db, audit_append, &r);
}

#define AUDIT_THREADS 16 /* what struct collect holds */

/* Appends to the audit chain at once: seq 1..n, no gap, no fork. */
static void conf_race_audit_chain(const char *url)
{
    struct sls_store *s = open_store(url);
    struct args a = {.t = 1700000000};
    struct scan sc;
    int ok, lost;
    char h[65];

    race_all(s, f_audit_fresh, &a, AUDIT_THREADS, -1, &ok, &lost);
    assert_int_equal(ok, AUDIT_THREADS);
    memset(&sc, 0, sizeof sc);
    scan(s, &sc, SLS_OK);
    assert_int_equal(sc.col.n, AUDIT_THREADS);
    for (size_t i = 0; i < sc.col.n; i++) {
        assert_int_equal(sc.col.recs[i].seq, (int64_t)i + 1);
        assert_string_equal(sc.col.recs[i].prev_hash, i ? sc.col.recs[i - 1].hash : ZERO_HASH);
        expected_hash(&sc.col.recs[i], h);
        assert_string_equal(sc.col.recs[i].hash, h);
    }
    sls_store_close(s);
}

/* Every operation of struct sls_db_ops is implemented: no slot of the table
 * the backend hands its callbacks is NULL. */
static int f_ops_missing(struct sls_db *db, void *p)
{
    size_t *missing = p;
    typedef void (*any_fn)(void);
    const unsigned char *table = (const unsigned char *)db->ops;

    *missing = 0;
    for (size_t off = 0; off + sizeof(any_fn) <= sizeof(struct sls_db_ops); off += sizeof(any_fn)) {
        any_fn fn;

        memcpy(&fn, table + off, sizeof fn);
        *missing += fn == NULL;
    }
    return SLS_OK;
}

static void conf_every_op_present(const char *url)
{
    struct sls_store *s = open_store(url);
    size_t missing = 99;

    assert_int_equal(sizeof(struct sls_db_ops) % sizeof(void (*)(void)), 0);
    assert_int_equal(sls_store_read(s, f_ops_missing, &missing), SLS_OK);
    assert_int_equal(missing, 0);
    sls_store_close(s);
}

/* Lookups by a text that is not UTF-8 (a path segment %ff%fe) find nothing,
 * and the transaction goes on. */
static int f_lookup_not_utf8(struct sls_db *db, void *p)
{
    int *rc = p;
    struct sls_user_rec u;
    struct sls_session_rec sess;
    struct sls_secret_rec sec;

    rc[0] = SLS_DB(db, user_get_by_name, "\xff\xfe", &u);
    rc[1] = SLS_DB(db, session_get, "ab\xc3\x28", &sess);
    rc[2] = SLS_DB(db, secret_take, "reset:\xed\xa0\x80");
    rc[3] = SLS_DB(db, secret_get, "k\xf8\x88\x80\x80\x80", &sec);
    rc[4] = SLS_DB(db, meta_set, "after", "still writable");
    return SLS_OK;
}

static void conf_lookup_not_utf8(const char *url)
{
    struct sls_store *s = open_store(url);
    int rc[5] = {-1, -1, -1, -1, -1};
    char v[32];
    struct args a = {.str = "after", .out = v, .max = sizeof v};

    assert_int_equal(sls_store_write(s, f_lookup_not_utf8, rc), SLS_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(rc[i], SLS_ERR_NOT_FOUND);
    assert_int_equal(rc[4], SLS_OK);
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_string_equal(v, "still writable");
    sls_store_close(s);
}

/* A write callback may not call the store again: refused, not a deadlock. */
static int f_nested(struct sls_db *db, void *p)
{
    struct args *a = p;
    struct args inner = {.str = "k", .str2 = "v"};

    (void)db;
    a->i = sls_store_write((struct sls_store *)a->out, f_meta_set, &inner);
    a->n = sls_store_read((struct sls_store *)a->out, f_meta_get, &inner);
    return SLS_OK;
}

static void conf_nested_refused(const char *url)
{
    struct sls_store *s = open_store(url);
    struct args a = {.out = s};

    assert_int_equal(sls_store_write(s, f_nested, &a), SLS_OK);
    assert_int_equal(a.i, SLS_ERR_STORE);
    assert_int_equal(a.n, SLS_ERR_STORE);
    sls_store_close(s);
}

struct opener {
    const char *url;
    pthread_barrier_t *start;
    int rc;
};

static void *open_body(void *p)
{
    struct opener *o = p;
    struct sls_store *s = NULL;

    pthread_barrier_wait(o->start);
    o->rc = sls_store_open(o->url, &s);
    if (o->rc == SLS_OK) {
        struct args a = {.str = "node", .str2 = "started"};

        o->rc = sls_store_write(s, f_meta_set, &a);
    }
    sls_store_close(s);
    return NULL;
}

/* Nodes starting together on an empty store: each opens it, the schema is
 * made once (under PostgreSQL's advisory lock). SQLite is one node's store:
 * not held to it. */
static void conf_open_together(const char *url)
{
    enum { NODES = 4 };
    struct opener o[NODES];
    pthread_t t[NODES];
    pthread_barrier_t start;
    struct sls_store *s;
    char v[32];
    struct args a = {.str = "schema_version", .out = v, .max = sizeof v};

    pthread_barrier_init(&start, NULL, NODES);
    for (int i = 0; i < NODES; i++) {
        o[i] = (struct opener){.url = url, .start = &start, .rc = -1};
        assert_int_equal(pthread_create(&t[i], NULL, open_body, &o[i]), 0);
    }
    for (int i = 0; i < NODES; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(o[i].rc, SLS_OK);
    }
    pthread_barrier_destroy(&start);
    s = open_store(url);
    assert_int_equal(sls_store_read(s, f_meta_get, &a), SLS_OK);
    assert_true(atoi(v) >= 1);
    sls_store_close(s);
}
/* ---- the cmocka wrappers ---- */

#define CONFORMANCE(name)                                                                          \
    static void test_##name(void **state)                                                          \
    {                                                                                              \
        conf_##name(((struct fixture *)*state)->url);                                              \
    }

CONFORMANCE(user_roundtrip)
CONFORMANCE(device_totp_step)
CONFORMANCE(device_passkey)
CONFORMANCE(stock)
CONFORMANCE(withdrawals_and_deposits)
CONFORMANCE(reviews)
CONFORMANCE(settings)
CONFORMANCE(user_conflicts)
CONFORMANCE(user_state)
CONFORMANCE(lockout_cas)
CONFORMANCE(devices)
CONFORMANCE(device_pin)
CONFORMANCE(logins)
CONFORMANCE(login_cas)
CONFORMANCE(sessions)
CONFORMANCE(session_revoke_by_device)
CONFORMANCE(session_revoke_by_user)
CONFORMANCE(device_activated_at)
CONFORMANCE(password)
CONFORMANCE(secret_challenge)
CONFORMANCE(secret_code)
CONFORMANCE(failed_write_leaves_nothing)
CONFORMANCE(audit_chain)
CONFORMANCE(outbox)
CONFORMANCE(outbox_delivery)
CONFORMANCE(identity)
CONFORMANCE(meta)
CONFORMANCE(reopen)
CONFORMANCE(read_cannot_write)
CONFORMANCE(race_lockout)
CONFORMANCE(race_lockout_read_outside)
CONFORMANCE(race_login_cas)
CONFORMANCE(race_secret)
CONFORMANCE(user_by_account)
CONFORMANCE(documents)
CONFORMANCE(document_rejections)
CONFORMANCE(dsc_orders)
CONFORMANCE(sharing)
CONFORMANCE(push_number)
CONFORMANCE(client_tokens)
CONFORMANCE(user_update_fields)

CONFORMANCE(outbox_purge)
CONFORMANCE(race_user_cas)
CONFORMANCE(race_secret_two_takes)
CONFORMANCE(race_push_decide)
CONFORMANCE(race_outbox_settle)
CONFORMANCE(race_withdrawal_limit)
CONFORMANCE(race_audit_chain)
CONFORMANCE(nested_refused)
CONFORMANCE(lookup_not_utf8)
CONFORMANCE(every_op_present)

/* A server that cannot be reached: unavailable, at once, with libpq's reason. */
static void test_unreachable_server(void **state)
{
    struct sls_store *s = (struct sls_store *)&s;
    struct sls_store_options opts = {.timeout = 1};
    char why[256] = "";

    (void)state;
    assert_int_equal(sls_store_open_with("postgresql:///sls?host=/nonexistent-sls-socket-dir",
                                         &opts, &s, why, sizeof why),
                     SLS_ERR_STORE_UNAVAILABLE);
    assert_null(s);
    assert_true(why[0] != '\0');
    s = (struct sls_store *)&s;
    assert_int_equal(sls_store_open("postgres://", &s), SLS_ERR_BAD_REQUEST);
    assert_null(s);
}

/* The URL slsd logs never holds a password: neither the userinfo's nor a
 * password parameter; the rest is kept as written. */
static void test_url_for_log_hides_passwords(void **state)
{
    static const char *const cases[][2] = {
        {"postgresql://sls:s3cret@db.example.net:5432/sls?sslmode=require",
         "postgresql://sls:***@db.example.net:5432/sls?sslmode=require"},
        {"postgres://sls:p%40ss@db/sls", "postgres://sls:***@db/sls"},
        {"postgresql://db/sls?user=sls&password=s3cret&sslmode=require",
         "postgresql://db/sls?user=sls&password=***&sslmode=require"},
        {"postgresql:///sls?password=s3cret", "postgresql:///sls?password=***"},
        {"postgresql://sls@db/sls", "postgresql://sls@db/sls"},
        {"sqlite:/var/lib/sls/sls.db", "sqlite:/var/lib/sls/sls.db"},
        {"sls.db", "sls.db"},
    };
    char out[256], small[12];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sls_store_url_for_log(cases[i][0], out, sizeof out);
        assert_string_equal(out, cases[i][1]);
        assert_null(strstr(out, "s3cret"));
    }
    /* Cut to the room given, still terminated and still hidden. */
    sls_store_url_for_log("postgresql://u:s3cret@h/d", small, sizeof small);
    assert_string_equal(small, "postgresql:");
    sls_store_url_for_log("postgresql://u:s3cret@h/d", out, 19);
    assert_string_equal(out, "postgresql://u:***");
}

/* ==== PostgreSQL only ==== */

/* Runs sql on the test's own database. */
static void pg_on_test_db(const struct fixture *f, const char *sql)
{
    PGconn *c = PQconnectdb(f->url);
    PGresult *res;

    assert_int_equal(PQstatus(c), CONNECTION_OK);
    res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(res);
    PQfinish(c);
}

#define PG_ONLY(f)                                                                                 \
    do {                                                                                           \
        if (!(f)->pg)                                                                              \
            skip();                                                                                \
    } while (0)

/* Every connection of the store killed by the server (a restart, an
 * administrator): the next calls reconnect by themselves. */
static void test_pg_recovers_after_connections_killed(void **state)
{
    struct fixture *f = *state;
    struct sls_store *s;
    struct sls_user_rec got;
    char sql[256];

    PG_ONLY(f);
    s = open_store(f->url);
    add_user(s, "phoenix", "U9400001");
    snprintf(sql, sizeof sql,
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' "
             "AND pid <> pg_backend_pid()",
             f->db);
    pg_on_test_db(f, sql);
    assert_int_equal(user_by_name(s, "phoenix", &got), SLS_OK);
    pg_on_test_db(f, sql);
    add_user(s, "phoenix2", "U9400002");
    assert_int_equal(sls_store_health(s, 0, NULL, 0), SLS_OK);
    sls_store_close(s);
}

/* A store a newer sls made is refused with the reason. */
static void test_pg_newer_schema_refused(void **state)
{
    struct fixture *f = *state;
    struct sls_store *s;
    char why[256] = "";

    PG_ONLY(f);
    s = open_store(f->url);
    sls_store_close(s);
    pg_on_test_db(f, "UPDATE meta SET value = '9999' WHERE key = 'schema_version'");
    s = (struct sls_store *)&s;
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_ERR_STORE);
    assert_null(s);
    assert_non_null(strstr(why, "newer"));
}

/* A database of something else is never made a store. */
static void test_pg_foreign_database_refused(void **state)
{
    struct fixture *f = *state;
    struct sls_store *s = (struct sls_store *)&s;
    char why[256] = "";

    PG_ONLY(f);
    pg_on_test_db(f, "CREATE TABLE invoices (id integer PRIMARY KEY)");
    assert_int_equal(sls_store_open_with(f->url, NULL, &s, why, sizeof why), SLS_ERR_STORE);
    assert_null(s);
    assert_non_null(strstr(why, "not an sls store"));
}

struct holder {
    struct sls_store *s;
    pthread_barrier_t *start;
    int rc;
};

/* Holds the only connection for 1.5 s. */
static int f_hold(struct sls_db *db, void *p)
{
    struct args inner = {.str = "held", .str2 = "yes"};

    (void)p;
    nanosleep(&(struct timespec){.tv_sec = 1, .tv_nsec = 500000000}, NULL);
    return f_meta_set(db, &inner);
}

static void *hold_body(void *p)
{
    struct holder *h = p;

    h->rc = sls_store_write(h->s, f_hold, NULL);
    return NULL;
}

/* [store] pool and timeout: with one connection busy past the timeout, the
 * next write answers unavailable after the timeout instead of waiting. */
static void test_pg_pool_wait_bounded(void **state)
{
    struct fixture *f = *state;
    struct sls_store_options opts = {.pool = 1, .timeout = 1};
    struct sls_store *s = NULL;
    struct holder h;
    pthread_t t;
    struct timespec t0, t1, pause = {.tv_nsec = 200000000};
    struct args a = {.str = "other", .str2 = "x"};
    double waited;

    PG_ONLY(f);
    assert_int_equal(sls_store_open_with(f->url, &opts, &s, NULL, 0), SLS_OK);
    h = (struct holder){.s = s};
    assert_int_equal(pthread_create(&t, NULL, hold_body, &h), 0);
    nanosleep(&pause, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(sls_store_write(s, f_meta_set, &a), SLS_ERR_STORE_UNAVAILABLE);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(t, NULL);
    assert_int_equal(h.rc, SLS_OK);
    waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* About the timeout; the generous bound leaves room for a loaded machine. */
    assert_true(waited >= 0.9 && waited < 2.5);
    /* Free again: the write goes through. */
    assert_int_equal(sls_store_write(s, f_meta_set, &a), SLS_OK);
    sls_store_close(s);
}

static void test_pg_open_together(void **state)
{
    struct fixture *f = *state;

    PG_ONLY(f);
    conf_open_together(f->url);
}

#define T(name) cmocka_unit_test_setup_teardown(test_##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(user_roundtrip),
        T(device_totp_step),
        T(device_passkey),
        T(stock),
        T(withdrawals_and_deposits),
        T(reviews),
        T(settings),
        T(user_conflicts),
        T(user_state),
        T(lockout_cas),
        T(devices),
        T(device_pin),
        T(logins),
        T(login_cas),
        T(sessions),
        T(session_revoke_by_device),
        T(session_revoke_by_user),
        T(device_activated_at),
        T(password),
        T(secret_challenge),
        T(secret_code),
        T(failed_write_leaves_nothing),
        T(audit_chain),
        T(outbox),
        T(outbox_delivery),
        T(outbox_purge),
        T(user_by_account),
        T(documents),
        T(document_rejections),
        T(dsc_orders),
        T(sharing),
        T(push_number),
        T(identity),
        T(meta),
        T(reopen),
        T(read_cannot_write),
        T(client_tokens),
        T(user_update_fields),
        T(every_op_present),
        T(nested_refused),
        T(lookup_not_utf8),
        T(race_lockout),
        T(race_lockout_read_outside),
        T(race_login_cas),
        T(race_secret),
        T(race_user_cas),
        T(race_secret_two_takes),
        T(race_push_decide),
        T(race_outbox_settle),
        T(race_withdrawal_limit),
        T(race_audit_chain),
        cmocka_unit_test(test_unreachable_server),
        cmocka_unit_test(test_url_for_log_hides_passwords),
        T(pg_recovers_after_connections_killed),
        T(pg_newer_schema_refused),
        T(pg_foreign_database_refused),
        T(pg_pool_wait_bounded),
        T(pg_open_together),
    };

    printf("store conformance: %s\n", pg_base() ? "PostgreSQL" : "SQLite");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
