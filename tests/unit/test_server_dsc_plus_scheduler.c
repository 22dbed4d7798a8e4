/* Tests of src/server/dsc_plus_scheduler.c on a real SQLite store: one pass
 * at a given instant sends the notices due and activates the card due, to
 * the second, never twice however often it runs, and settles orders whose
 * card left the shipped state without a message. */
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
#include "server/jobs/dsc_plus_scheduler.h"

#define T0  ((sls_time)1795165200) /* shipment: 2026-11-20 09:00:00 UTC */
#define DAY SLS_DAY

struct fixture {
    char dir[64];
    char path[128];
    struct sls_store *store;
    struct sls_dsc_plus_policy policy;
    char card[SLS_ID_LEN + 1];
    char order[SLS_ID_LEN + 1];
};

static int setup_fn(struct sls_db *db, void *arg)
{
    struct fixture *f = arg;
    struct sls_user_rec u;
    struct sls_device_rec d;
    struct sls_dsc_order_rec o;
    int rc;

    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "alice");
    snprintf(u.password_hash, sizeof(u.password_hash), "x");
    snprintf(u.email, sizeof(u.email), "alice@example.com");
    snprintf(u.account_id, sizeof(u.account_id), "U1000001");
    u.account_state = SLS_ACCOUNT_APPROVED;
    u.sls = true;
    rc = SLS_DB(db, user_insert, &u);
    if (rc != SLS_OK)
        return rc;
    memset(&d, 0, sizeof(d));
    snprintf(d.id, sizeof(d.id), "%s", f->card);
    d.user_id = u.id;
    d.type = SLS_DEVICE_DSC_PLUS;
    d.state = SLS_DEVSTATE_SHIPPED;
    snprintf(d.serial, sizeof(d.serial), "DSCP7");
    d.secret_len = 1;
    d.created_at = d.state_changed_at = T0;
    rc = SLS_DB(db, device_insert, &d);
    if (rc != SLS_OK)
        return rc;
    memset(&o, 0, sizeof(o));
    snprintf(o.id, sizeof(o.id), "%s", f->order);
    o.user_id = u.id;
    snprintf(o.address, sizeof(o.address), "1 Main St");
    snprintf(o.deposit_account, sizeof(o.deposit_account), "U1000001");
    o.hold_cents = 2000;
    o.ordered_at = T0 - DAY;
    rc = SLS_DB(db, dsc_order_insert, &o);
    if (rc == SLS_OK)
        rc = sls_dsc_order_ship(db, &o, d.id, T0);
    return rc;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char url[160];

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/sls-sched-test-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/sls.db", f->dir);
    snprintf(url, sizeof(url), "sqlite:%s", f->path);
    if (sls_store_open(url, &f->store) != SLS_OK)
        return -1;
    sls_dsc_plus_policy_default(&f->policy);
    memset(f->card, 'c', SLS_ID_LEN);
    memset(f->order, 'a', SLS_ID_LEN);
    if (sls_store_write(f->store, setup_fn, f) != SLS_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    static const char *const leaves[] = {"sls.db", "sls.db-wal", "sls.db-shm"};
    char p[256];

    sls_store_close(f->store);
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s/%s", f->dir, leaves[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

struct look {
    const char *card, *order;
    struct sls_outbox_rec box[8];
    size_t nbox;
    struct sls_device_rec d;
    struct sls_dsc_order_rec o;
};

static int look_fn(struct sls_db *db, void *arg)
{
    struct look *l = arg;
    int rc = SLS_DB(db, outbox_list, "alice@example.com", l->box, 8, &l->nbox);

    if (rc == SLS_OK)
        rc = SLS_DB(db, device_get, l->card, &l->d);
    if (rc == SLS_OK)
        rc = SLS_DB(db, dsc_order_get, l->order, &l->o);
    return rc;
}

/* Runs a pass at now (twice: a second pass at the same instant must change
 * nothing) and reads the state after it. */
static void pass_at(struct fixture *f, sls_time now, struct look *l)
{
    assert_int_equal(sls_dsc_plus_scheduler_pass(f->store, &f->policy, now), SLS_OK);
    assert_int_equal(sls_dsc_plus_scheduler_pass(f->store, &f->policy, now), SLS_OK);
    memset(l, 0, sizeof(*l));
    l->card = f->card;
    l->order = f->order;
    assert_int_equal(sls_store_read(f->store, look_fn, l), SLS_OK);
}

static void test_notices_and_activation_to_the_second(void **state)
{
    struct fixture *f = *state;
    struct look l;

    pass_at(f, T0 + 18 * DAY - 1, &l);
    assert_int_equal(l.nbox, 0);
    pass_at(f, T0 + 18 * DAY, &l);
    assert_int_equal(l.nbox, 1);
    assert_int_equal(l.box[0].at, T0 + 18 * DAY);
    assert_string_equal(l.box[0].channel, "email");
    assert_non_null(strstr(l.box[0].body, "in 3 days"));
    assert_int_equal(l.o.notices, SLS_DSC_PLUS_NOTICE_FIRST);
    pass_at(f, T0 + 20 * DAY - 1, &l);
    assert_int_equal(l.nbox, 1);
    pass_at(f, T0 + 20 * DAY, &l);
    assert_int_equal(l.nbox, 2);
    assert_non_null(strstr(l.box[1].body, "tomorrow"));
    pass_at(f, T0 + 21 * DAY - 1, &l);
    assert_int_equal(l.nbox, 2);
    assert_int_equal(l.d.state, SLS_DEVSTATE_SHIPPED);
    assert_int_equal(l.o.state, SLS_DSC_ORDER_SHIPPED);
    pass_at(f, T0 + 21 * DAY, &l);
    assert_int_equal(l.d.state, SLS_DEVSTATE_ACTIVE);
    assert_int_equal(l.d.activated_at, T0 + 21 * DAY);
    assert_int_equal(l.o.state, SLS_DSC_ORDER_SETTLED);
    assert_int_equal(l.nbox, 3);
    assert_non_null(strstr(l.box[2].body, "Digital Security Card+, serial"));
    pass_at(f, T0 + 40 * DAY, &l);
    assert_int_equal(l.nbox, 3);
}

static void test_late_start_activates_without_stale_notices(void **state)
{
    struct fixture *f = *state;
    struct look l;

    pass_at(f, T0 + 30 * DAY, &l);
    assert_int_equal(l.d.state, SLS_DEVSTATE_ACTIVE);
    assert_int_equal(l.nbox, 1);
    assert_non_null(strstr(l.box[0].body, "Digital Security Card+, serial"));
}

static int lose_fn(struct sls_db *db, void *arg)
{
    struct fixture *f = arg;
    struct sls_device_rec d;

    memset(&d, 0, sizeof(d));
    snprintf(d.id, sizeof(d.id), "%s", f->card);
    d.state = SLS_DEVSTATE_LOST;
    d.state_changed_at = T0 + DAY;
    return SLS_DB(db, device_update, &d, SLS_DEVICE_SET_STATE);
}

static void test_card_no_longer_shipped_settles_quietly(void **state)
{
    struct fixture *f = *state;
    struct look l;

    assert_int_equal(sls_store_write(f->store, lose_fn, f), SLS_OK);
    pass_at(f, T0 + 18 * DAY, &l);
    assert_int_equal(l.nbox, 0);
    assert_int_equal(l.o.state, SLS_DSC_ORDER_SETTLED);
    assert_int_equal(l.o.settled_at, T0 + 18 * DAY);
    pass_at(f, T0 + 21 * DAY, &l);
    assert_int_equal(l.d.state, SLS_DEVSTATE_LOST);
    assert_int_equal(l.nbox, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_notices_and_activation_to_the_second, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_start_activates_without_stale_notices, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_card_no_longer_shipped_settles_quietly, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
