/* Tests of the store shared by many slsd nodes (SPEC §10.1): the claim of a
 * message before it is sent (outbox_claim, outbox_release) and several
 * processes writing one store at once, each with its own handle, as nodes
 * do. The checks are functions of a store URL; here they run on SQLite (one
 * file, WAL, a writer per process taking BEGIN IMMEDIATE with a busy
 * timeout). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "temp_store.h"
#include "core/error.h"
#include "store/store.h"

#define NODES    3   /* processes sharing the store */
#define MESSAGES 60  /* messages raced for */
#define WRITES   150 /* write transactions per process */
#define NOW      1800000000

static int setup(void **state)
{
    return temp_store_setup(state, "nodes");
}

static int teardown(void **state)
{
    return temp_store_teardown(state);
}

/* ---- callbacks ---- */

struct op {
    int64_t id;
    int attempts;
    sls_time now, lease_until, at;
    struct sls_outbox_rec *msgs;
    size_t max, n;
    char value[64];
};

static int f_insert(struct sls_db *db, void *p)
{
    struct op *o = p;
    return SLS_DB(db, outbox_insert, o->msgs);
}

static int f_due(struct sls_db *db, void *p)
{
    struct op *o = p;
    return SLS_DB(db, outbox_due, o->now, o->msgs, o->max, &o->n);
}

static int f_claim(struct sls_db *db, void *p)
{
    struct op *o = p;
    return SLS_DB(db, outbox_claim, o->id, o->attempts, o->now, o->lease_until);
}

static int f_release(struct sls_db *db, void *p)
{
    struct op *o = p;
    return SLS_DB(db, outbox_release, o->id, o->attempts, o->lease_until, o->at);
}

static int f_settle_retry(struct sls_db *db, void *p)
{
    struct op *o = p;
    return SLS_DB(db, outbox_settle, o->id, o->attempts, SLS_OUTBOX_PENDING, o->at, "busy");
}

/* Adds one to the counter in meta, read and written in one transaction. */
static int f_count(struct sls_db *db, void *p)
{
    struct op *o = p;
    long long v = 0;
    int rc = SLS_DB(db, meta_get, "test_counter", o->value, sizeof o->value);

    if (rc == SLS_OK)
        v = strtoll(o->value, NULL, 10);
    else if (rc != SLS_ERR_NOT_FOUND)
        return rc;
    snprintf(o->value, sizeof o->value, "%lld", v + 1);
    return SLS_DB(db, meta_set, "test_counter", o->value);
}

static int f_counter(struct sls_db *db, void *p)
{
    struct op *o = p;
    return SLS_DB(db, meta_get, "test_counter", o->value, sizeof o->value);
}

static struct sls_store *open_store(const char *url)
{
    struct sls_store *s = NULL;

    assert_int_equal(sls_store_open(url, &s), SLS_OK);
    return s;
}

static int64_t insert_message(struct sls_store *s, int i)
{
    struct sls_outbox_rec m;
    struct op o = {.msgs = &m};

    memset(&m, 0, sizeof m);
    snprintf(m.to, sizeof m.to, "+4179000%04d", i);
    snprintf(m.channel, sizeof m.channel, "sms");
    snprintf(m.body, sizeof m.body, "Your code is %06d", i);
    snprintf(m.kind, sizeof m.kind, "code.login");
    m.at = NOW;
    assert_int_equal(sls_store_write(s, f_insert, &o), SLS_OK);
    return m.id;
}

static size_t due(struct sls_store *s, sls_time now, struct sls_outbox_rec *out, size_t max)
{
    struct op o = {.now = now, .msgs = out, .max = max};

    assert_int_equal(sls_store_read(s, f_due, &o), SLS_OK);
    return o.n;
}

static int claim(struct sls_store *s, int64_t id, int attempts, sls_time now, sls_time lease)
{
    struct op o = {.id = id, .attempts = attempts, .now = now, .lease_until = lease};
    return sls_store_write(s, f_claim, &o);
}

/* ---- the claim, one handle ---- */

static void conf_claim(const char *url)
{
    struct sls_store *s = open_store(url);
    struct sls_outbox_rec m[4];
    struct op o;
    int64_t id = insert_message(s, 1);

    /* Taken once: a second claim of the same attempt conflicts. */
    assert_int_equal(claim(s, id, 0, NOW, NOW + 100), SLS_OK);
    assert_int_equal(claim(s, id, 0, NOW, NOW + 100), SLS_ERR_CONFLICT);
    assert_int_equal(claim(s, id, 0, NOW + 99, NOW + 200), SLS_ERR_CONFLICT);
    /* Not due during the lease, due again the second it ends (a claimer that
     * died), and then claimable again. */
    assert_int_equal(due(s, NOW + 99, m, 4), 0);
    assert_int_equal(due(s, NOW + 100, m, 4), 1);
    assert_int_equal(m[0].attempts, 0);
    assert_int_equal(claim(s, id, 0, NOW + 100, NOW + 200), SLS_OK);
    /* The claimer's record is the CAS on the attempts: a claim for the old
     * attempt count conflicts after it. */
    o = (struct op){.id = id, .attempts = 0, .at = NOW + 130};
    assert_int_equal(sls_store_write(s, f_settle_retry, &o), SLS_OK);
    assert_int_equal(claim(s, id, 0, NOW + 130, NOW + 300), SLS_ERR_CONFLICT);
    assert_int_equal(claim(s, id, 1, NOW + 129, NOW + 300), SLS_ERR_CONFLICT); /* not due */
    assert_int_equal(claim(s, id, 1, NOW + 130, NOW + 300), SLS_OK);
    /* A release gives back only the lease it names, once. */
    o = (struct op){.id = id, .attempts = 1, .lease_until = NOW + 299, .at = NOW + 130};
    assert_int_equal(sls_store_write(s, f_release, &o), SLS_ERR_CONFLICT);
    o.lease_until = NOW + 300;
    assert_int_equal(sls_store_write(s, f_release, &o), SLS_OK);
    assert_int_equal(sls_store_write(s, f_release, &o), SLS_ERR_CONFLICT);
    assert_int_equal(due(s, NOW + 130, m, 4), 1);
    /* Unknown message, or a lease that ends at once: nothing is taken. */
    assert_int_equal(claim(s, id + 100, 0, NOW, NOW + 100), SLS_ERR_CONFLICT);
    assert_int_not_equal(claim(s, id, 1, NOW + 130, NOW + 130), SLS_OK);
    assert_int_equal(due(s, NOW + 130, m, 4), 1);
    sls_store_close(s);
}

static void test_claim(void **state)
{
    conf_claim(((struct temp_store *)*state)->url);
}

/* ---- many processes ---- */

/* Blocks until the parent says go (closes the pipe whose end is gofd). */
static int wait_go(int gofd)
{
    char c;
    return read(gofd, &c, 1) == 0 ? 0 : -1;
}

/* Forks n children that each run child(url, k, fd, gofd) and exit with its
 * answer; each writes its findings to its own pipe, read back into buf[k].
 * The children call wait_go(gofd) when ready, so that they go on together:
 * the parent says go a moment after the last fork. Returns how many exited
 * with 0. */
static int run_nodes(const char *url, int n, int (*child)(const char *, int, int, int), char **buf)
{
    int go[2], out[NODES][2], ok = 0;
    pid_t pid[NODES];

    assert_true(n <= NODES);
    assert_int_equal(pipe(go), 0);
    for (int k = 0; k < n; k++) {
        assert_int_equal(pipe(out[k]), 0);
        fflush(NULL);
        pid[k] = fork();
        assert_true(pid[k] >= 0);
        if (pid[k] == 0) {
            close(go[1]);
            close(out[k][0]);
            _exit(child(url, k, out[k][1], go[0]));
        }
        close(out[k][1]);
    }
    close(go[0]);
    usleep(300 * 1000); /* the children open the store and get ready */
    close(go[1]);
    for (int k = 0; k < n; k++) {
        size_t len = 0, cap = 4096;
        ssize_t r;
        int st = 0;

        buf[k] = calloc(1, cap);
        assert_non_null(buf[k]);
        while ((r = read(out[k][0], buf[k] + len, cap - len - 1)) > 0) {
            len += (size_t)r;
            if (cap - len < 64) {
                buf[k] = realloc(buf[k], cap *= 2);
                assert_non_null(buf[k]);
            }
        }
        buf[k][len] = '\0';
        close(out[k][0]);
        assert_int_equal(waitpid(pid[k], &st, 0), pid[k]);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            ok++;
        else
            fprintf(stderr, "node %d: exit status %d\n", k, st);
    }
    return ok;
}

/* Deliverers' passes, repeated until nothing is due: each reads the due
 * messages, and only then (all children at once on the first pass) claims
 * each one, writing "id\n" for each claim it won. */
static int claim_child(const char *url, int k, int fd, int gofd)
{
    bool first = true;
    struct sls_store *s = NULL;
    struct sls_outbox_rec m[16];
    struct op o = {.now = NOW, .msgs = m, .max = 16};
    char line[32];
    int rc;

    (void)k;
    if (sls_store_open(url, &s) != SLS_OK)
        return 4;
    for (;;) {
        o.n = 0;
        if (sls_store_read(s, f_due, &o) != SLS_OK)
            return 5;
        if (first && wait_go(gofd) != 0)
            return 3;
        first = false;
        if (o.n == 0)
            break;
        for (size_t i = 0; i < o.n; i++) {
            rc = claim(s, m[i].id, m[i].attempts, NOW, NOW + 100);
            if (rc == SLS_ERR_CONFLICT)
                continue;
            if (rc != SLS_OK)
                return 6;
            snprintf(line, sizeof line, "%" PRId64 "\n", m[i].id);
            if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
                return 7;
        }
    }
    sls_store_close(s);
    return 0;
}

static void test_claim_race_between_processes(void **state)
{
    const char *url = ((struct temp_store *)*state)->url;
    struct sls_store *s = open_store(url);
    int claims[MESSAGES + 1] = {0}, total = 0, won[NODES] = {0};
    int64_t first = 0;
    char *buf[NODES];

    for (int i = 0; i < MESSAGES; i++) {
        int64_t id = insert_message(s, i);
        if (i == 0)
            first = id;
        assert_int_equal(id, first + i);
    }
    /* Forked with no store open: a child must not inherit this process's
     * SQLite state (its file locks and shared-memory map) nor a writer
     * thread's locks, as separate nodes never do. */
    sls_store_close(s);
    assert_int_equal(run_nodes(url, NODES, claim_child, buf), NODES);
    s = open_store(url);
    for (int k = 0; k < NODES; k++) {
        for (char *line = strtok(buf[k], "\n"); line; line = strtok(NULL, "\n")) {
            int64_t id = strtoll(line, NULL, 10);
            assert_true(id >= first && id < first + MESSAGES);
            claims[id - first]++;
            won[k]++;
            total++;
        }
        free(buf[k]);
    }
    /* Every message claimed, each by exactly one process. */
    for (int i = 0; i < MESSAGES; i++)
        assert_int_equal(claims[i], 1);
    assert_int_equal(total, MESSAGES);
    printf("claim race: %d messages, %d processes, claims won %d/%d/%d\n", MESSAGES, NODES, won[0],
           won[1], won[2]);
    sls_store_close(s);
}

/* WRITES read-increment-write transactions; writes "fail <code>\n" for each
 * that did not commit. */
static int count_child(const char *url, int k, int fd, int gofd)
{
    struct sls_store *s = NULL;
    struct op o;
    char line[64];
    int rc;

    (void)k;
    if (sls_store_open(url, &s) != SLS_OK)
        return 4;
    if (wait_go(gofd) != 0)
        return 3;
    for (int i = 0; i < WRITES; i++) {
        rc = sls_store_write(s, f_count, &o);
        if (rc != SLS_OK) {
            snprintf(line, sizeof line, "fail %s\n", sls_err_code(rc));
            if (write(fd, line, strlen(line)) < 0)
                return 7;
        }
    }
    sls_store_close(s);
    return 0;
}

/* Three processes writing one file at once: every transaction commits (the
 * writers wait for each other, none answers store_unavailable) and none is
 * lost (each read-increment-write sees the last commit of the others). The
 * file does not exist before: the three make it together, as nodes on their
 * first start do (one creates it; the others must not refuse it as empty). */
static void test_writers_in_processes_wait_for_each_other(void **state)
{
    const char *url = ((struct temp_store *)*state)->url;
    struct sls_store *s;
    struct op o;
    char *buf[NODES];

    /* No store open in this process while it forks (see the claim race). */
    assert_int_equal(run_nodes(url, NODES, count_child, buf), NODES);
    s = open_store(url);
    for (int k = 0; k < NODES; k++) {
        assert_string_equal(buf[k], "");
        free(buf[k]);
    }
    assert_int_equal(sls_store_read(s, f_counter, &o), SLS_OK);
    assert_int_equal(strtoll(o.value, NULL, 10), NODES * WRITES);
    printf("writers: %d processes x %d transactions, counter %s\n", NODES, WRITES, o.value);
    sls_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_race_between_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writers_in_processes_wait_for_each_other, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
