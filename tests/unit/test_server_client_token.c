/* Tests of src/server/client_token.c: SPEC §10.3 client tokens — 256 random
 * bits as 64 hex, only the SHA-256 kept, the lifetime from the configuration,
 * and presented text that cannot be a token treated as none. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "server/flows/client_token.h"

static struct sls_app *app_new(void)
{
    struct sls_app *app = calloc(1, sizeof(*app));
    assert_non_null(app);
    sls_config_default(&app->cfg);
    return app;
}

static void test_new_token(void **state)
{
    (void)state;
    struct sls_app *app = app_new();
    struct sls_client_token_rec a, b;
    char ta[SLS_CLIENT_TOKEN_LEN + 1], tb[SLS_CLIENT_TOKEN_LEN + 1], hash[65];

    sls_client_token_new(app, &a, ta, 7, 1795363200);
    sls_client_token_new(app, &b, tb, 7, 1795363200);
    assert_int_equal(strlen(ta), SLS_CLIENT_TOKEN_LEN);
    assert_int_equal(strspn(ta, "0123456789abcdef"), SLS_CLIENT_TOKEN_LEN);
    assert_string_not_equal(ta, tb);
    assert_string_not_equal(a.id, b.id);
    assert_int_equal(strlen(a.id), SLS_ID_LEN);
    /* Only the hash is in the record, and it is the hash of the token. */
    assert_true(sls_client_token_hash(ta, hash));
    assert_string_equal(a.token_hash, hash);
    assert_null(strstr(a.token_hash, ta));
    assert_int_equal(a.user_id, 7);
    assert_int_equal(a.created_at, 1795363200);
    assert_int_equal(a.expires_at, 1795363200 + 90 * SLS_DAY);
    assert_int_equal(a.lockout.nfail, 0);
    app->cfg.client_token_ttl = SLS_DAY;
    sls_client_token_new(app, &a, ta, 7, 1795363200);
    assert_int_equal(a.expires_at, 1795363200 + SLS_DAY);
    free(app);
}

static void test_presented_text(void **state)
{
    (void)state;
    char hash[65], want[65];
    char ok[SLS_CLIENT_TOKEN_LEN + 1];

    memset(ok, 'a', SLS_CLIENT_TOKEN_LEN);
    ok[SLS_CLIENT_TOKEN_LEN] = '\0';
    assert_true(sls_client_token_hash(ok, hash));
    sls_sha256_hex(ok, SLS_CLIENT_TOKEN_LEN, want);
    assert_string_equal(hash, want);

    static const char *const bad[] = {
        "",
        "abc",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",   /* 63 */
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 */
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  /* upper case */
        "gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        strcpy(hash, "x");
        assert_false(sls_client_token_hash(bad[i], hash));
        assert_string_equal(hash, "");
    }
    assert_false(sls_client_token_hash(NULL, hash));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_token),
        cmocka_unit_test(test_presented_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
