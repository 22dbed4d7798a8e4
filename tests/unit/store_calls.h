/* The store calls the two store test files share (test_store_conformance.c
 * for every backend, test_store_sqlite.c for SQLite alone): one callback per
 * primitive with its arguments in struct args, the shorthands that run one in
 * its own write or read, records with every field set to something
 * recognisable, and the audit chain's expected hash. */
#ifndef SLS_TESTS_STORE_CALLS_H
#define SLS_TESTS_STORE_CALLS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/error.h"
#include "crypto/hash.h"
#include "store/store.h"

/* outbox_mark's outcomes */
#define MARK_DELIVERED 0
#define MARK_RETRY     1
#define MARK_FAILED    2

/* ---- callbacks: one per primitive, arguments in a struct ---- */

struct args {
    const char *str, *str2;
    int64_t id, n;
    int i;
    sls_time t;
    const void *in;
    void *out;
    size_t max, count;
};

static inline int f_user_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, user_insert, a->out);
}

static inline int f_user_by_name(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, user_get_by_name, a->str, a->out);
}

static inline int f_audit_append(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, audit_append, a->out);
}

static inline int f_outbox_insert(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, outbox_insert, a->out);
}

static inline int f_outbox_list(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, outbox_list, a->str, a->out, a->max, &a->count);
}

static inline int f_outbox_due(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, outbox_due, a->t, a->out, a->max, &a->count);
}

/* One outcome of an attempt (outbox_settle): a->i is 0 delivered at a->t,
 * 1 retry at a->n, 2 failed at a->t, else that state as a number; a->id the
 * message, a->max the expected attempts, a->str the error. */
static inline int f_outbox_mark(struct sls_db *db, void *p)
{
    struct args *a = p;

    switch (a->i) {
    case 0:
        return SLS_DB(db, outbox_settle, a->id, (int)a->max, SLS_OUTBOX_DELIVERED, a->t, "");
    case 1:
        return SLS_DB(db, outbox_settle, a->id, (int)a->max, SLS_OUTBOX_PENDING, a->n, a->str);
    case 2:
        return SLS_DB(db, outbox_settle, a->id, (int)a->max, SLS_OUTBOX_FAILED, a->t, a->str);
    default:
        return SLS_DB(db, outbox_settle, a->id, (int)a->max, (enum sls_outbox_state)a->i, a->t,
                      a->str);
    }
}

static inline int f_outbox_purge(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, outbox_purge, a->t, &a->count);
}

static inline int f_meta_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, meta_get, a->str, a->out, a->max);
}

/* Shorthands: run one primitive in its own write or read. */
static inline int user_insert(struct sls_store *s, struct sls_user_rec *u)
{
    struct args a = {.out = u};
    return sls_store_write(s, f_user_insert, &a);
}

static inline int user_by_name(struct sls_store *s, const char *name, struct sls_user_rec *out)
{
    struct args a = {.str = name, .out = out};
    return sls_store_read(s, f_user_by_name, &a);
}

static inline int audit_append(struct sls_store *s, struct sls_audit_rec *r)
{
    struct args a = {.out = r};
    return sls_store_write(s, f_audit_append, &a);
}

/* ---- records with every field set to something recognisable ---- */

static inline void make_user(struct sls_user_rec *u, const char *name, const char *account)
{
    memset(u, 0, sizeof *u);
    snprintf(u->username, sizeof u->username, "%s", name);
    snprintf(u->password_hash, sizeof u->password_hash,
             "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$%s", name);
    snprintf(u->email, sizeof u->email, "%s@example.com", name);
    snprintf(u->account_id, sizeof u->account_id, "%s", account);
    u->account_state = SLS_ACCOUNT_APPROVED;
    u->approved_at = 1700000000;
    u->equity_cents = 123456789012;
    u->primary = true;
    u->sls = true;
    snprintf(u->identity_json, sizeof u->identity_json,
             "{\"dob\":\"1970-01-02\",\"citizenship\":\"CH\",\"who\":\"%s\"}", name);
    snprintf(u->phones_json, sizeof u->phones_json,
             "[{\"country\":\"41\",\"number\":\"791234567\"}]");
    u->lockout.nfail = 3;
    u->lockout.fail_at[0] = 1700000100;
    u->lockout.fail_at[1] = 1700000200;
    u->lockout.fail_at[2] = 1700000300;
    u->lockout.locked_until = 1700086700;
    u->version = 0;
    u->created_at = 1699999999;
}

static inline void make_audit(struct sls_audit_rec *r, sls_time at, const char *user,
                              const char *event)
{
    memset(r, 0, sizeof *r);
    r->at = at;
    snprintf(r->actor, sizeof r->actor, "user:%s", user);
    snprintf(r->username, sizeof r->username, "%s", user);
    snprintf(r->event, sizeof r->event, "%s", event);
    snprintf(r->outcome, sizeof r->outcome, "ok");
    snprintf(r->detail, sizeof r->detail, "{\"platform\":\"portal\",\"n\":%lld}", (long long)at);
}

/* The hash a record must carry: SHA-256 over prev_hash hex and the canonical text. */
static inline void expected_hash(const struct sls_audit_rec *r, char out[65])
{
    char buf[64 + 2048];
    int len;

    memcpy(buf, r->prev_hash, 64);
    len = sls_audit_canonical(r, buf + 64, sizeof buf - 64);
    assert_true(len > 0);
    sls_sha256_hex(buf, 64 + (size_t)len, out);
}

/* A user stored for tests that need one; returns its id. */
static inline int64_t add_user(struct sls_store *s, const char *name, const char *account)
{
    struct sls_user_rec u;

    make_user(&u, name, account);
    assert_int_equal(user_insert(s, &u), SLS_OK);
    assert_true(u.id > 0);
    return u.id;
}

static inline int f_secret_get(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, secret_get, a->str, a->out);
}

static inline int f_secret_fail_cas(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, secret_fail_cas, a->str, a->i);
}

static inline int f_secret_take(struct sls_db *db, void *p)
{
    struct args *a = p;
    return SLS_DB(db, secret_take, a->str);
}

/* A write that does several things and then fails: none of it may stay. */
struct failing {
    int64_t uid;
    int result;
    const char *name;
};

static inline int f_insert_then_answer(struct sls_db *db, void *p)
{
    struct failing *fl = p;
    struct sls_user_rec u;
    struct sls_audit_rec r;
    struct sls_outbox_rec m = {0};
    int rc;

    make_user(&u, fl->name, "");
    u.primary = false;
    rc = SLS_DB(db, user_insert, &u);
    if (rc)
        return rc;
    make_audit(&r, 1700000000, fl->name, "user.create");
    rc = SLS_DB(db, audit_append, &r);
    if (rc)
        return rc;
    snprintf(m.to, sizeof m.to, "%s@example.com", fl->name);
    rc = SLS_DB(db, outbox_insert, &m);
    if (rc)
        return rc;
    rc = SLS_DB(db, meta_set, fl->name, "x");
    if (rc)
        return rc;
    return fl->result;
}

/* Collects audit records seen by a scan. */
struct collect {
    struct sls_audit_rec recs[16];
    size_t n;
    size_t stop_after; /* 0: never stop */
};

static inline int collect_cb(const struct sls_audit_rec *r, void *arg)
{
    struct collect *c = arg;

    if (c->n < 16)
        c->recs[c->n] = *r;
    c->n++;
    if (c->stop_after && c->n == c->stop_after)
        return 777;
    return 0;
}

struct scan {
    int64_t after;
    const char *user;
    sls_time since;
    size_t limit;
    struct collect col;
};

static inline int f_audit_scan(struct sls_db *db, void *p)
{
    struct scan *sc = p;
    return SLS_DB(db, audit_scan, sc->after, sc->user, sc->since, sc->limit, collect_cb, &sc->col);
}

static inline void scan(struct sls_store *s, struct scan *sc, int expect)
{
    memset(&sc->col.recs, 0, sizeof sc->col.recs);
    sc->col.n = 0;
    assert_int_equal(sls_store_read(s, f_audit_scan, sc), expect);
}

static inline int outbox_mark(struct sls_store *s, int how, int64_t id, int expected, sls_time t,
                              sls_time next_at, const char *error)
{
    struct args a = {
        .i = how, .id = id, .max = (size_t)expected, .t = t, .n = next_at, .str = error};
    return sls_store_write(s, f_outbox_mark, &a);
}

/* The message with that id, read back through outbox_list. */
static inline struct sls_outbox_rec outbox_get(struct sls_store *s, int64_t id)
{
    struct sls_outbox_rec box[8], found = {0};
    struct args a = {.out = box, .max = 8};

    assert_int_equal(sls_store_read(s, f_outbox_list, &a), SLS_OK);
    for (size_t i = 0; i < a.count; i++)
        if (box[i].id == id)
            found = box[i];
    assert_int_equal(found.id, id);
    return found;
}

static inline size_t outbox_purge(struct sls_store *s, sls_time cutoff)
{
    struct args a = {.t = cutoff};

    assert_int_equal(sls_store_write(s, f_outbox_purge, &a), SLS_OK);
    return a.count;
}

#endif
