/* Tests of src/server/flows/assist_tx.c over a store of the test's own: the
 * desk's actions are refused, and audited, without an identity verification
 * by the acting agent (R40); a device of another user is refused like one
 * that does not exist; the unlock's compare-and-swap is tried again while a
 * login changes the counter, and gives up with a conflict. A write whose
 * callback fails keeps nothing, as the real store's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "server/app/app.h"
#include "server/flows/assist_tx.h"

#define NOW ((sls_time)1795363200)
#define TTL ((sls_time)900)

#define MAX_AUDIT 8

static struct {
    struct sls_user_rec u;
    struct sls_device_rec d;
    sls_time verified_at; /* 0: never */
    int cas_conflicts;    /* user_update answers CONFLICT this many times */
    int cas_calls;
    size_t tokens;
    bool pin_set, lost_set;
    int writes;
    /* audit records: kept once the write commits */
    struct sls_audit_rec audit[MAX_AUDIT], staged[MAX_AUDIT];
    size_t naudit, nstaged;
} fake;

static int user_get_by_name(struct sls_db *db, const char *username, struct sls_user_rec *out)
{
    (void)db;
    if (strcmp(username, fake.u.username) != 0)
        return SLS_ERR_NOT_FOUND;
    *out = fake.u;
    return SLS_OK;
}

static int identity_latest(struct sls_db *db, const char *agent, int64_t user_id, sls_time *at)
{
    (void)db;
    if (strcmp(agent, "desk") != 0 || user_id != fake.u.id || fake.verified_at == 0)
        return SLS_ERR_NOT_FOUND;
    *at = fake.verified_at;
    return SLS_OK;
}

static int user_update(struct sls_db *db, const struct sls_user_rec *u, unsigned fields,
                       int64_t expected_version)
{
    (void)db;
    fake.cas_calls++;
    assert_int_equal(u->id, fake.u.id);
    /* The unlock names the lockout and nothing else. */
    assert_int_equal(fields, SLS_USER_SET_LOCKOUT);
    if (fake.cas_conflicts > 0) {
        /* A login counted a failure meanwhile. */
        fake.cas_conflicts--;
        fake.u.version++;
        fake.u.lockout.nfail++;
        return SLS_ERR_CONFLICT;
    }
    if (expected_version != fake.u.version)
        return SLS_ERR_CONFLICT;
    fake.u.lockout = u->lockout;
    fake.u.version++;
    return SLS_OK;
}

static int client_token_unlock_user(struct sls_db *db, int64_t user_id, size_t *n)
{
    (void)db;
    assert_int_equal(user_id, fake.u.id);
    *n = fake.tokens;
    return SLS_OK;
}

static int device_get(struct sls_db *db, const char *id, struct sls_device_rec *out)
{
    (void)db;
    if (strcmp(id, fake.d.id) != 0)
        return SLS_ERR_NOT_FOUND;
    *out = fake.d;
    return SLS_OK;
}

static int device_update(struct sls_db *db, const struct sls_device_rec *d, unsigned fields)
{
    (void)db;
    assert_string_equal(d->id, fake.d.id);
    /* One group at a time: the PIN, or the state. */
    if (fields == SLS_DEVICE_SET_PIN)
        fake.pin_set = true;
    else if (fields == SLS_DEVICE_SET_STATE)
        fake.lost_set = d->state == SLS_DEVSTATE_LOST;
    else
        fail();
    return SLS_OK;
}

static int audit_append(struct sls_db *db, struct sls_audit_rec *r)
{
    (void)db;
    assert_true(fake.nstaged < MAX_AUDIT);
    fake.staged[fake.nstaged++] = *r;
    return SLS_OK;
}

static const struct sls_db_ops ops = {
    .user_get_by_name = user_get_by_name,
    .identity_latest = identity_latest,
    .user_update = user_update,
    .client_token_unlock_user = client_token_unlock_user,
    .device_get = device_get,
    .device_update = device_update,
    .audit_append = audit_append,
};

static int backend_write(struct sls_store *s, sls_store_fn fn, void *arg)
{
    struct sls_db db = {&ops};
    int rc;

    (void)s;
    fake.writes++;
    fake.nstaged = 0;
    rc = fn(&db, arg);
    if (rc == SLS_OK) {
        assert_true(fake.naudit + fake.nstaged <= MAX_AUDIT);
        memcpy(fake.audit + fake.naudit, fake.staged, fake.nstaged * sizeof(fake.staged[0]));
        fake.naudit += fake.nstaged;
    }
    return rc;
}

static const struct sls_store_backend backend = {
    .scheme = "fake",
    .write = backend_write,
};
static struct sls_store store = {&backend};
static struct sls_app app;

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof(fake));
    memset(&app, 0, sizeof(app));
    app.store = &store;
    fake.u.id = 7;
    snprintf(fake.u.username, sizeof(fake.u.username), "alice");
    fake.u.sls = true;
    fake.u.lockout.nfail = 5;
    fake.u.lockout.locked_until = NOW + 3600;
    fake.u.version = 3;
    snprintf(fake.d.id, sizeof(fake.d.id), "00112233445566778899aabbccddeeff");
    fake.d.user_id = 7;
    fake.d.type = SLS_DEVICE_DSC;
    fake.d.state = SLS_DEVSTATE_ACTIVE;
    fake.verified_at = NOW - 60;
    return 0;
}

static void init(struct sls_assist_tx *a, const char *username)
{
    a->agent = "desk";
    snprintf(a->actor, sizeof(a->actor), "agent:desk");
    a->username = username;
    a->now = NOW;
    a->ttl = TTL;
}

static void test_unlock(void **state)
{
    struct sls_assist_unlock_tx t;

    (void)state;
    memset(&t, 0, sizeof(t));
    init(&t.a, "alice");
    fake.tokens = 2;
    assert_int_equal(sls_assist_tx_unlock(&app, &t), SLS_OK);
    assert_int_equal(t.a.err, SLS_OK);
    assert_int_equal(t.tokens, 2);
    assert_int_equal(fake.u.lockout.nfail, 0);
    assert_int_equal(fake.u.lockout.locked_until, 0);
    assert_int_equal(fake.naudit, 1);
    assert_string_equal(fake.audit[0].event, "unlock");
    assert_string_equal(fake.audit[0].outcome, "ok");
    assert_string_equal(fake.audit[0].actor, "agent:desk");
    assert_string_equal(fake.audit[0].username, "alice");
    assert_string_equal(fake.audit[0].detail, "client_tokens=2");
}

/* Without a verification, or with one too old, nothing is unlocked and the
 * refusal is audited. */
static void test_unlock_needs_verification(void **state)
{
    struct sls_assist_unlock_tx t;
    const sls_time at[] = {0, NOW - TTL - 1};

    (void)state;
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        setup(NULL);
        memset(&t, 0, sizeof(t));
        init(&t.a, "alice");
        fake.verified_at = at[i];
        assert_int_equal(sls_assist_tx_unlock(&app, &t), SLS_OK);
        assert_int_equal(t.a.err, SLS_ERR_IDENTITY_NOT_VERIFIED);
        assert_int_equal(fake.cas_calls, 0);
        assert_int_equal(fake.u.lockout.nfail, 5);
        assert_int_equal(fake.naudit, 1);
        assert_string_equal(fake.audit[0].event, "unlock");
        assert_string_equal(fake.audit[0].outcome, "identity_not_verified");
    }
}

/* A login counting a failure between the read and the swap: tried again,
 * reading the counter again, and the last try's audit record only is kept. */
static void test_unlock_tries_again(void **state)
{
    struct sls_assist_unlock_tx t;

    (void)state;
    memset(&t, 0, sizeof(t));
    init(&t.a, "alice");
    fake.cas_conflicts = 3;
    assert_int_equal(sls_assist_tx_unlock(&app, &t), SLS_OK);
    assert_int_equal(fake.writes, 4);
    assert_int_equal(fake.u.lockout.nfail, 0);
    assert_int_equal(fake.naudit, 1);
    assert_string_equal(fake.audit[0].outcome, "ok");
    assert_string_equal(fake.audit[0].detail, "");
}

static void test_unlock_gives_up(void **state)
{
    struct sls_assist_unlock_tx t;

    (void)state;
    memset(&t, 0, sizeof(t));
    init(&t.a, "alice");
    fake.cas_conflicts = 100;
    assert_int_equal(sls_assist_tx_unlock(&app, &t), SLS_ERR_CONFLICT);
    assert_int_equal(fake.writes, 8);
    assert_int_equal(fake.naudit, 0);
}

static void test_unknown_user(void **state)
{
    struct sls_assist_unlock_tx t;

    (void)state;
    memset(&t, 0, sizeof(t));
    init(&t.a, "bob");
    assert_int_equal(sls_assist_tx_unlock(&app, &t), SLS_ERR_NOT_FOUND);
    assert_int_equal(fake.naudit, 0);
}

/* Another user's device is refused as unknown, audited, and left alone. */
static void test_device_of_another_user(void **state)
{
    struct sls_assist_pin_tx p;
    struct sls_assist_lost_tx l;

    (void)state;
    fake.d.user_id = 8;
    memset(&p, 0, sizeof(p));
    init(&p.a, "alice");
    p.device_id = fake.d.id;
    assert_int_equal(sls_assist_tx_pin(&app, &p), SLS_OK);
    assert_int_equal(p.a.err, SLS_ERR_NOT_FOUND);
    assert_string_equal(p.a.message, "No such device for this user");
    assert_false(fake.pin_set);
    memset(&l, 0, sizeof(l));
    init(&l.a, "alice");
    l.device_id = fake.d.id;
    assert_int_equal(sls_assist_tx_lost(&app, &l), SLS_OK);
    assert_int_equal(l.a.err, SLS_ERR_NOT_FOUND);
    assert_false(fake.lost_set);
    assert_int_equal(fake.naudit, 2);
    assert_string_equal(fake.audit[0].event, "device.pin_reset");
    assert_string_equal(fake.audit[0].outcome, "unknown_device");
    assert_string_equal(fake.audit[1].event, "device.lost");
    assert_string_equal(fake.audit[1].outcome, "unknown_device");
}

/* The core's refusal is answered with its message and audited with its
 * outcome; the PIN stays. */
static void test_pin_refused_by_core(void **state)
{
    struct sls_assist_pin_tx p;

    (void)state;
    fake.d.state = SLS_DEVSTATE_RETURNED;
    memset(&p, 0, sizeof(p));
    init(&p.a, "alice");
    p.device_id = fake.d.id;
    assert_int_equal(sls_assist_tx_pin(&app, &p), SLS_OK);
    assert_int_equal(p.a.err, SLS_ERR_CONFLICT);
    assert_string_equal(p.a.message, "The device has been returned");
    assert_false(fake.pin_set);
    assert_string_equal(fake.audit[0].outcome, "device_not_held");
    setup(NULL);
    memset(&p, 0, sizeof(p));
    init(&p.a, "alice");
    p.device_id = fake.d.id;
    assert_int_equal(sls_assist_tx_pin(&app, &p), SLS_OK);
    assert_int_equal(p.a.err, SLS_OK);
    assert_true(fake.pin_set);
    assert_string_equal(fake.audit[0].outcome, "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_unlock, setup),
        cmocka_unit_test_setup(test_unlock_needs_verification, setup),
        cmocka_unit_test_setup(test_unlock_tries_again, setup),
        cmocka_unit_test_setup(test_unlock_gives_up, setup),
        cmocka_unit_test_setup(test_unknown_user, setup),
        cmocka_unit_test_setup(test_device_of_another_user, setup),
        cmocka_unit_test_setup(test_pin_refused_by_core, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
