/* Tests of src/server/workers.c (SPEC §10.2): every job queued runs once, a
 * full queue refuses at once instead of blocking, and stopping runs what is
 * queued before the workers are joined. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include "server/http/workers.h"

static atomic_int ran;

static void count(void *arg)
{
    (void)arg;
    atomic_fetch_add(&ran, 1);
}

/* A gate the test opens: jobs behind it hold their worker until then. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;
    int entered;
};

static void hold(void *arg)
{
    struct gate *g = arg;

    pthread_mutex_lock(&g->lock);
    g->entered++;
    pthread_cond_broadcast(&g->cond);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
    atomic_fetch_add(&ran, 1);
}

static void test_every_job_runs_once(void **state)
{
    struct sls_workers *w = sls_workers_start(3, 1000);

    (void)state;
    atomic_store(&ran, 0);
    assert_non_null(w);
    assert_int_equal(sls_workers_count(w), 3);
    assert_int_equal(sls_workers_queue(w), 1000);
    for (int i = 0; i < 500; i++)
        assert_true(sls_workers_submit(w, count, NULL));
    sls_workers_stop(w); /* runs what is still queued */
    assert_int_equal(atomic_load(&ran), 500);
}

static void test_full_queue_refuses_at_once(void **state)
{
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};
    struct sls_workers *w = sls_workers_start(1, 2);

    (void)state;
    atomic_store(&ran, 0);
    assert_non_null(w);
    assert_true(sls_workers_submit(w, hold, &g)); /* taken by the only worker */
    pthread_mutex_lock(&g.lock);
    while (g.entered == 0)
        pthread_cond_wait(&g.cond, &g.lock);
    pthread_mutex_unlock(&g.lock);
    assert_true(sls_workers_submit(w, hold, &g)); /* waits */
    assert_true(sls_workers_submit(w, hold, &g)); /* waits: the queue is full */
    assert_false(sls_workers_submit(w, count, NULL));
    assert_false(sls_workers_submit(w, count, NULL));
    pthread_mutex_lock(&g.lock);
    g.open = true;
    pthread_cond_broadcast(&g.cond);
    pthread_mutex_unlock(&g.lock);
    sls_workers_stop(w);
    assert_int_equal(atomic_load(&ran), 3); /* the refused jobs never ran */
}

static void test_defaults_and_bounds(void **state)
{
    struct sls_workers *w = sls_workers_start(0, 0);

    (void)state;
    assert_non_null(w);
    assert_true(sls_workers_count(w) >= 16 && sls_workers_count(w) % 16 == 0);
    assert_int_equal(sls_workers_queue(w), 64 * sls_workers_count(w));
    sls_workers_stop(w);
    w = sls_workers_start(SLS_WORKERS_MAX + 10, 1);
    assert_non_null(w);
    assert_int_equal(sls_workers_count(w), SLS_WORKERS_MAX);
    sls_workers_stop(w);
    sls_workers_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_job_runs_once),
        cmocka_unit_test(test_full_queue_refuses_at_once),
        cmocka_unit_test(test_defaults_and_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
