/* Tests of src/server/app/throttle.c (SPEC §10.2): the places of one
 * address, the half kept for addresses that are not busy, the queue
 * serving a quiet address before a busy one that came first, and a busy
 * waiter put out of a full queue for a quiet address. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "server/app/throttle.h"

#define NOW ((sls_time)1795363200)

static void addr_of(unsigned char out[16], unsigned char last)
{
    memset(out, 0, 16);
    out[10] = out[11] = 0xff;
    out[12] = 127;
    out[15] = last;
}

static struct sls_throttle *throttle(unsigned per_minute, unsigned hashing, int queue,
                                     unsigned per_ip)
{
    struct sls_throttle_config cfg = {.per_ip_per_minute = per_minute,
                                      .hashing = hashing,
                                      .hashing_queue = queue,
                                      .hashing_per_ip = per_ip,
                                      .queue_wait = 30,
                                      .reset_interval = 300};
    struct sls_throttle *t = sls_throttle_new(&cfg);
    assert_non_null(t);
    return t;
}

static enum sls_throttle_verdict admit(struct sls_throttle *t, const unsigned char a[16])
{
    sls_time wait = 0;
    enum sls_throttle_verdict v = sls_throttle_admit(t, a, NOW, &wait);
    if (v != SLS_THROTTLE_ADMITTED)
        assert_true(wait >= 1);
    return v;
}

/* Spends n tokens of a (each admitted and let go at once). */
static void spend(struct sls_throttle *t, const unsigned char a[16], int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED);
        sls_throttle_leave(t, a);
    }
}

static void test_one_address_holds_at_most_hashing_per_ip(void **state)
{
    struct sls_throttle *t = throttle(1000, 2, 6, 2);
    unsigned char a[16], b[16];
    (void)state;
    addr_of(a, 1);
    addr_of(b, 2);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADDRESS_FULL);
    assert_int_equal(admit(t, b), SLS_THROTTLE_ADMITTED);
    /* A place let go is the address's again. */
    sls_throttle_leave(t, a);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADDRESS_FULL);
    sls_throttle_free(t);
}

static void test_busy_addresses_leave_half_the_places(void **state)
{
    /* 4 a minute: busy once fewer than 2 tokens are left. 2 + 2 places,
     * busy ones get 2 of them. */
    struct sls_throttle *t = throttle(4, 2, 2, 1);
    unsigned char a[16], b[16], c[16], q1[16], q2[16];
    (void)state;
    addr_of(a, 1);
    addr_of(b, 2);
    addr_of(c, 3);
    addr_of(q1, 4);
    addr_of(q2, 5);
    spend(t, a, 2);
    spend(t, b, 2);
    spend(t, c, 2);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED); /* 1 left: busy */
    assert_int_equal(admit(t, b), SLS_THROTTLE_ADMITTED);
    assert_int_equal(admit(t, c), SLS_THROTTLE_FULL); /* the busy half is taken */
    assert_int_equal(admit(t, q1), SLS_THROTTLE_ADMITTED);
    assert_int_equal(admit(t, q2), SLS_THROTTLE_ADMITTED);
    assert_int_equal(admit(t, q1), SLS_THROTTLE_ADDRESS_FULL);
    sls_throttle_leave(t, a);
    assert_int_equal(admit(t, c), SLS_THROTTLE_ADMITTED); /* the busy half has room again */
    sls_throttle_leave(t, q1);
    /* A place is free, but not in the busy half: a refused request takes a
     * token all the same, so a's last one is gone. */
    assert_int_equal(admit(t, a), SLS_THROTTLE_FULL);
    sls_throttle_leave(t, c);
    assert_int_equal(admit(t, a), SLS_THROTTLE_PER_IP);
    sls_throttle_free(t);
}

static void test_busy_addresses_hash_in_half_the_slots(void **state)
{
    /* 2 slots and no queue: a busy address takes one, the second busy one
     * is refused while the slot stays free for a quiet one. */
    struct sls_throttle *t = throttle(4, 2, 0, 1);
    unsigned char a[16], b[16], q[16];
    (void)state;
    addr_of(a, 1);
    addr_of(b, 2);
    addr_of(q, 3);
    spend(t, a, 2);
    spend(t, b, 2);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED);
    assert_true(sls_throttle_acquire(t, a));
    assert_int_equal(admit(t, q), SLS_THROTTLE_ADMITTED);
    assert_true(sls_throttle_acquire(t, q));
    sls_throttle_release(t, q);
    sls_throttle_leave(t, q);
    assert_int_equal(admit(t, b), SLS_THROTTLE_FULL); /* 1 of 2 places for busy ones */
    sls_throttle_release(t, a);
    sls_throttle_leave(t, a);
    assert_int_equal(admit(t, b), SLS_THROTTLE_ADMITTED);
    assert_true(sls_throttle_acquire(t, b));
    sls_throttle_release(t, b);
    sls_throttle_leave(t, b);
    sls_throttle_free(t);
}

struct waiter_arg {
    struct sls_throttle *t;
    unsigned char addr[16];
    bool held;
    int served; /* 1 for the first served */
};

static atomic_int served;

static void *wait_for_slot(void *p)
{
    struct waiter_arg *w = p;
    w->held = sls_throttle_acquire(w->t, w->addr);
    w->served = atomic_fetch_add(&served, 1) + 1;
    if (w->held)
        sls_throttle_release(w->t, w->addr);
    return NULL;
}

static void wait_until_waiting(struct sls_throttle *t, unsigned n)
{
    for (int i = 0; i < 3000 && sls_throttle_waiting(t) < n; i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    assert_int_equal(sls_throttle_waiting(t), n);
}

static void test_the_queue_serves_a_quiet_address_before_a_busy_one(void **state)
{
    struct sls_throttle *t = throttle(4, 1, 4, 1);
    struct waiter_arg busy = {.t = t}, quiet = {.t = t};
    unsigned char holder[16];
    pthread_t tb, tq;
    (void)state;
    atomic_store(&served, 0);
    addr_of(holder, 1);
    addr_of(busy.addr, 2);
    addr_of(quiet.addr, 3);
    assert_int_equal(admit(t, holder), SLS_THROTTLE_ADMITTED);
    assert_true(sls_throttle_acquire(t, holder));
    spend(t, busy.addr, 2);
    assert_int_equal(admit(t, busy.addr), SLS_THROTTLE_ADMITTED);
    assert_int_equal(pthread_create(&tb, NULL, wait_for_slot, &busy), 0);
    wait_until_waiting(t, 1);
    assert_int_equal(admit(t, quiet.addr), SLS_THROTTLE_ADMITTED);
    assert_int_equal(pthread_create(&tq, NULL, wait_for_slot, &quiet), 0);
    wait_until_waiting(t, 2);
    sls_throttle_release(t, holder);
    sls_throttle_leave(t, holder);
    pthread_join(tq, NULL);
    pthread_join(tb, NULL);
    assert_true(quiet.held && busy.held);
    assert_int_equal(quiet.served, 1);
    assert_int_equal(busy.served, 2);
    sls_throttle_leave(t, busy.addr);
    sls_throttle_leave(t, quiet.addr);
    assert_int_equal(sls_throttle_waiting(t), 0);
    sls_throttle_free(t);
}

/* The scene of the queue tests: a (address 1) holds the only slot, b
 * (address 2) waits for it in its own thread, q (address 3) has asked
 * nothing yet. */
static void one_holding_one_waiting(struct sls_throttle *t, unsigned char a[16],
                                    struct waiter_arg *b, unsigned char q[16], pthread_t *tb)
{
    atomic_store(&served, 0);
    addr_of(a, 1);
    addr_of(b->addr, 2);
    addr_of(q, 3);
    assert_int_equal(admit(t, a), SLS_THROTTLE_ADMITTED);
    assert_true(sls_throttle_acquire(t, a));
    assert_int_equal(admit(t, b->addr), SLS_THROTTLE_ADMITTED);
    assert_int_equal(pthread_create(tb, NULL, wait_for_slot, b), 0);
    wait_until_waiting(t, 1);
}

static void test_a_quiet_address_puts_a_busy_waiter_out_of_a_full_queue(void **state)
{
    /* 1 slot and 1 in the queue: a holds the slot, b waits; b was quiet when
     * let in and is busy since (its refused tries took its tokens). */
    struct sls_throttle *t = throttle(4, 1, 1, 1);
    struct waiter_arg b = {.t = t};
    unsigned char a[16], q[16];
    pthread_t tb;
    (void)state;
    one_holding_one_waiting(t, a, &b, q, &tb);
    assert_int_equal(admit(t, b.addr), SLS_THROTTLE_ADDRESS_FULL);
    assert_int_equal(admit(t, b.addr), SLS_THROTTLE_ADDRESS_FULL);
    /* Both places taken; a (quiet) holding the slot is not put out, b is. */
    assert_int_equal(admit(t, q), SLS_THROTTLE_ADMITTED);
    pthread_join(tb, NULL);
    assert_false(b.held);
    assert_int_equal(sls_throttle_waiting(t), 0);
    sls_throttle_leave(t, b.addr);
    /* Its place is q's: nothing else comes in, and q gets the slot next. */
    assert_int_equal(admit(t, b.addr), SLS_THROTTLE_FULL);
    sls_throttle_release(t, a);
    sls_throttle_leave(t, a);
    assert_true(sls_throttle_acquire(t, q));
    sls_throttle_release(t, q);
    sls_throttle_leave(t, q);
    sls_throttle_free(t);
}

static void test_a_quiet_address_finds_no_place_when_none_is_busy(void **state)
{
    struct sls_throttle *t = throttle(1000, 1, 1, 1);
    struct waiter_arg b = {.t = t};
    unsigned char a[16], q[16];
    pthread_t tb;
    (void)state;
    one_holding_one_waiting(t, a, &b, q, &tb);
    assert_int_equal(admit(t, q), SLS_THROTTLE_FULL);
    assert_int_equal(sls_throttle_waiting(t), 1);
    sls_throttle_release(t, a);
    sls_throttle_leave(t, a);
    pthread_join(tb, NULL);
    assert_true(b.held);
    sls_throttle_leave(t, b.addr);
    sls_throttle_free(t);
}

static void test_an_address_asking_again_while_it_waits_is_put_out_first(void **state)
{
    /* Budget to spare, but b asks again while its request waits: b is the
     * one a quiet address puts out of the full queue. */
    struct sls_throttle *t = throttle(1000, 1, 1, 1);
    struct waiter_arg b = {.t = t};
    unsigned char a[16], q[16];
    pthread_t tb;
    (void)state;
    one_holding_one_waiting(t, a, &b, q, &tb);
    assert_int_equal(admit(t, b.addr), SLS_THROTTLE_ADDRESS_FULL);
    assert_int_equal(admit(t, q), SLS_THROTTLE_ADMITTED);
    pthread_join(tb, NULL);
    assert_false(b.held);
    sls_throttle_leave(t, b.addr);
    sls_throttle_release(t, a);
    sls_throttle_leave(t, a);
    assert_true(sls_throttle_acquire(t, q));
    sls_throttle_release(t, q);
    sls_throttle_leave(t, q);
    sls_throttle_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_address_holds_at_most_hashing_per_ip),
        cmocka_unit_test(test_busy_addresses_leave_half_the_places),
        cmocka_unit_test(test_busy_addresses_hash_in_half_the_slots),
        cmocka_unit_test(test_the_queue_serves_a_quiet_address_before_a_busy_one),
        cmocka_unit_test(test_a_quiet_address_puts_a_busy_waiter_out_of_a_full_queue),
        cmocka_unit_test(test_a_quiet_address_finds_no_place_when_none_is_busy),
        cmocka_unit_test(test_an_address_asking_again_while_it_waits_is_put_out_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
