/* Tests of src/server/flows/session.c: finding the session a bearer token
 * names (R10, R11) and sliding a portal session, over a store of the test's
 * own that can be told to fail. A store that cannot answer is the store's
 * error, never "no such session": the gate answers the one with 5xx and the
 * other with 401. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "server/app/app.h"
#include "server/flows/session.h"
#include "core/error.h"
#include "crypto/hash.h"

#define NOW    ((sls_time)1795363200)
#define MINUTE ((sls_time)60)

/* What the fake store holds and how it fails. */
static struct {
    struct sls_session_rec s;
    struct sls_user_rec u;
    int read_rc;    /* the backend's read itself (busy, broken) */
    int write_rc;   /* the backend's write itself */
    int session_rc; /* session_get */
    int user_rc;    /* user_get_by_id */
    int reads, writes;
    sls_time set_expiry; /* what session_update wrote as expiry */
} fake;

static int session_get(struct sls_db *db, const char *token_hash, struct sls_session_rec *out)
{
    (void)db;
    if (fake.session_rc != SLS_OK)
        return fake.session_rc;
    if (strcmp(token_hash, fake.s.token_hash) != 0)
        return SLS_ERR_NOT_FOUND;
    *out = fake.s;
    return SLS_OK;
}

static int user_get_by_id(struct sls_db *db, int64_t id, struct sls_user_rec *out)
{
    (void)db;
    if (fake.user_rc != SLS_OK)
        return fake.user_rc;
    if (id != fake.u.id)
        return SLS_ERR_NOT_FOUND;
    *out = fake.u;
    return SLS_OK;
}

static int session_update(struct sls_db *db, const struct sls_session_rec *s, unsigned fields)
{
    (void)db;
    assert_string_equal(s->token_hash, fake.s.token_hash);
    /* Touching a session writes its expiry and nothing else. */
    assert_int_equal(fields, SLS_SESSION_SET_EXPIRY);
    fake.set_expiry = s->expires_at;
    return SLS_OK;
}

static const struct sls_db_ops ops = {
    .session_get = session_get,
    .user_get_by_id = user_get_by_id,
    .session_update = session_update,
};

static int backend_read(struct sls_store *s, sls_store_fn fn, void *arg)
{
    struct sls_db db = {&ops};
    (void)s;
    fake.reads++;
    return fake.read_rc != SLS_OK ? fake.read_rc : fn(&db, arg);
}

static int backend_write(struct sls_store *s, sls_store_fn fn, void *arg)
{
    struct sls_db db = {&ops};
    (void)s;
    fake.writes++;
    return fake.write_rc != SLS_OK ? fake.write_rc : fn(&db, arg);
}

static const struct sls_store_backend backend = {
    .scheme = "fake",
    .read = backend_read,
    .write = backend_write,
};
static struct sls_store store = {&backend};

static char token[65];

static int setup(void **state)
{
    static struct sls_app app;

    memset(&fake, 0, sizeof(fake));
    memset(&app, 0, sizeof(app));
    sls_config_default(&app.cfg);
    app.store = &store;
    memset(token, 'a', 64);
    token[64] = '\0';
    sls_sha256_hex(token, 64, fake.s.token_hash);
    fake.s.user_id = 7;
    fake.s.platform = SLS_PLATFORM_TRADING;
    fake.s.factor = SLS_DEVICE_DSC_PLUS;
    fake.s.access = SLS_ACCESS_FULL;
    fake.s.created_at = NOW - MINUTE;
    fake.s.expires_at = NOW + 60 * MINUTE;
    fake.u.id = 7;
    snprintf(fake.u.username, sizeof(fake.u.username), "alice");
    *state = &app;
    return 0;
}

static void test_live_session(void **state)
{
    struct sls_app *app = *state;
    struct sls_session_found f;
    const char *hint = "x";

    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_OK);
    assert_null(hint);
    assert_int_equal(f.s.user_id, 7);
    assert_int_equal(f.s.access, SLS_ACCESS_FULL);
    assert_string_equal(f.u.username, "alice");
    assert_string_equal(f.client_token_hash, "");
    assert_int_equal(fake.writes, 0); /* finding changes nothing */
}

static void test_no_session(void **state)
{
    struct sls_app *app = *state;
    struct sls_session_found f;
    const char *hint;
    char other[65];

    /* No token, or text that cannot be one: not even a read. */
    assert_int_equal(sls_session_find(app, NULL, NOW, &f, &hint), SLS_ERR_UNAUTHORIZED);
    assert_int_equal(sls_session_find(app, "aaaa", NOW, &f, &hint), SLS_ERR_UNAUTHORIZED);
    assert_int_equal(fake.reads, 0);
    memcpy(other, token, sizeof(other));
    other[0] = 'b';
    assert_int_equal(sls_session_find(app, other, NOW, &f, &hint), SLS_ERR_UNAUTHORIZED);
    /* Revoked, or expired at its expiry to the second. */
    fake.s.revoked = true;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_ERR_UNAUTHORIZED);
    fake.s.revoked = false;
    assert_int_equal(sls_session_find(app, token, fake.s.expires_at - 1, &f, &hint), SLS_OK);
    assert_int_equal(sls_session_find(app, token, fake.s.expires_at, &f, &hint),
                     SLS_ERR_UNAUTHORIZED);
    /* Its user is gone. */
    fake.user_rc = SLS_ERR_NOT_FOUND;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_ERR_UNAUTHORIZED);
}

static void test_store_errors_are_not_a_missing_session(void **state)
{
    struct sls_app *app = *state;
    struct sls_session_found f;
    const char *hint;

    fake.read_rc = SLS_ERR_STORE;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_ERR_STORE);
    fake.read_rc = SLS_OK;
    fake.session_rc = SLS_ERR_STORE;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_ERR_STORE);
    fake.session_rc = SLS_OK;
    fake.user_rc = SLS_ERR_STORE;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_ERR_STORE);
    fake.user_rc = SLS_OK;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_OK);
}

static void test_portal_idle_slides(void **state)
{
    struct sls_app *app = *state;
    struct sls_session_found f;
    const char *hint;

    fake.s.platform = SLS_PLATFORM_PORTAL;
    fake.s.expires_at = NOW + 10 * MINUTE;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_OK);
    assert_int_equal(sls_session_touch(app, &f, NOW), SLS_OK);
    assert_int_equal(fake.writes, 1);
    assert_true(f.s.expires_at > NOW + 10 * MINUTE);
    assert_int_equal(fake.set_expiry, f.s.expires_at);
    /* A store that cannot write says so, and the found session keeps its expiry. */
    fake.write_rc = SLS_ERR_STORE;
    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_OK);
    assert_int_equal(sls_session_touch(app, &f, NOW + MINUTE), SLS_ERR_STORE);
    assert_int_equal(f.s.expires_at, NOW + 10 * MINUTE);
}

static void test_trading_does_not_slide(void **state)
{
    struct sls_app *app = *state;
    struct sls_session_found f;
    const char *hint;

    assert_int_equal(sls_session_find(app, token, NOW, &f, &hint), SLS_OK);
    assert_int_equal(sls_session_touch(app, &f, NOW + MINUTE), SLS_OK);
    assert_int_equal(fake.writes, 0);
    assert_int_equal(f.s.expires_at, NOW + 60 * MINUTE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_live_session, setup),
        cmocka_unit_test_setup(test_no_session, setup),
        cmocka_unit_test_setup(test_store_errors_are_not_a_missing_session, setup),
        cmocka_unit_test_setup(test_portal_idle_slides, setup),
        cmocka_unit_test_setup(test_trading_does_not_slide, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
