/* Tests of src/server/flows/dsc_order_moves.c on a real SQLite store: each
 * move starts only where it may (an ordered order ships, a shipped one
 * records notices or settles) and is one compare-and-swap on the order as
 * read, so a move made from a stale read writes nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "server/flows/dsc_order_moves.h"

#define ORDER "0123456789abcdef0123456789abcdef"
#define CARD  "fedcba9876543210fedcba9876543210"
#define T0    ((sls_time)1795165200)

struct fixture {
    char dir[64];
    char path[128];
    struct sls_store *store;
};

enum move { SHIP, NOTICES, SETTLE };

struct move_tx {
    struct sls_dsc_order_rec read; /* the order as the move saw it */
    enum move move;
    unsigned notices;
};

static int setup_fn(struct sls_db *db, void *arg)
{
    struct sls_user_rec u;
    struct sls_dsc_order_rec o;
    int rc;

    (void)arg;
    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "alice");
    snprintf(u.password_hash, sizeof(u.password_hash), "x");
    snprintf(u.account_id, sizeof(u.account_id), "U1000001");
    rc = SLS_DB(db, user_insert, &u);
    if (rc != SLS_OK)
        return rc;
    memset(&o, 0, sizeof(o));
    snprintf(o.id, sizeof(o.id), "%s", ORDER);
    o.user_id = u.id;
    o.ordered_at = T0;
    return SLS_DB(db, dsc_order_insert, &o);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    /* In the folder the test runs in (the build's). */
    snprintf(f->dir, sizeof(f->dir), "sls-moves-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
    assert_int_equal(sls_store_open(f->path, &f->store), SLS_OK);
    assert_int_equal(sls_store_write(f->store, setup_fn, NULL), SLS_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char wal[160];

    sls_store_close(f->store);
    unlink(f->path);
    snprintf(wal, sizeof(wal), "%s-wal", f->path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", f->path);
    unlink(wal);
    rmdir(f->dir);
    free(f);
    return 0;
}

static int get_fn(struct sls_db *db, void *arg)
{
    return SLS_DB(db, dsc_order_get, ORDER, arg);
}

static struct sls_dsc_order_rec order(struct fixture *f)
{
    struct sls_dsc_order_rec o;

    assert_int_equal(sls_store_read(f->store, get_fn, &o), SLS_OK);
    return o;
}

static int move_fn(struct sls_db *db, void *arg)
{
    struct move_tx *t = arg;

    switch (t->move) {
    case SHIP:
        return sls_dsc_order_ship(db, &t->read, CARD, T0 + 1);
    case NOTICES:
        return sls_dsc_order_notices(db, &t->read, t->notices);
    default:
        return sls_dsc_order_settle(db, &t->read, T0 + 2);
    }
}

static int move(struct fixture *f, const struct sls_dsc_order_rec *read, enum move m,
                unsigned notices)
{
    struct move_tx t = {*read, m, notices};

    return sls_store_write(f->store, move_fn, &t);
}

static void test_moves_start_where_they_may(void **state)
{
    struct fixture *f = *state;
    struct sls_dsc_order_rec ordered = order(f), shipped, notified, settled;

    /* An ordered order neither records notices nor settles. */
    assert_int_equal(move(f, &ordered, NOTICES, 1), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &ordered, SETTLE, 0), SLS_ERR_CONFLICT);
    assert_int_equal(order(f).state, SLS_DSC_ORDER_ORDERED);
    assert_int_equal(move(f, &ordered, SHIP, 0), SLS_OK);
    shipped = order(f);
    assert_int_equal(shipped.state, SLS_DSC_ORDER_SHIPPED);
    assert_string_equal(shipped.device_id, CARD);
    assert_int_equal(shipped.shipped_at, T0 + 1);
    /* Shipped once: the same read, or the new one, ships no more. */
    assert_int_equal(move(f, &ordered, SHIP, 0), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &shipped, SHIP, 0), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &shipped, NOTICES, 1), SLS_OK);
    notified = order(f);
    assert_int_equal(notified.notices, 1);
    /* A notice recorded from a stale read is refused; so is settling from it. */
    assert_int_equal(move(f, &shipped, NOTICES, 1), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &shipped, SETTLE, 0), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &notified, SETTLE, 0), SLS_OK);
    settled = order(f);
    assert_int_equal(settled.state, SLS_DSC_ORDER_SETTLED);
    assert_int_equal(settled.settled_at, T0 + 2);
    assert_int_equal(settled.notices, 1);
    /* Settled: no notice, no second settling, no shipping. */
    assert_int_equal(move(f, &settled, NOTICES, 3), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &settled, SETTLE, 0), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &settled, SHIP, 0), SLS_ERR_CONFLICT);
    assert_int_equal(move(f, &notified, SETTLE, 0), SLS_ERR_CONFLICT);
    assert_int_equal(order(f).notices, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_moves_start_where_they_may, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
