/* Tests of src/crypto/password.c: Argon2id hashing and verification at the
 * minimum cost, the cost presets, and refusal of wrong or malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/password.h"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void test_costs(void **state)
{
    struct sls_pwhash_cost c;

    (void)state;
    sls_pwhash_cost_default(&c);
    assert_int_equal(c.opslimit, 2);
    assert_int_equal(c.memlimit, 64u * 1024 * 1024);
    sls_pwhash_cost_min(&c);
    assert_int_equal(c.opslimit, 1);
    assert_int_equal(c.memlimit, 8192);
}

static void test_hash_and_verify(void **state)
{
    struct sls_pwhash_cost c;
    char h[SLS_PASSWORD_HASH_MAX], h2[SLS_PASSWORD_HASH_MAX];

    (void)state;
    sls_pwhash_cost_min(&c);
    assert_int_equal(sls_password_hash("Secret123", 9, &c, h), 0);
    assert_int_equal(strncmp(h, "$argon2id$v=19$m=8,t=1,p=1$", 27), 0);
    assert_true(strlen(h) < SLS_PASSWORD_HASH_MAX);
    assert_int_equal(sls_password_verify(h, "Secret123", 9), 0);
    assert_int_equal(sls_password_verify(h, "Secret124", 9), -1);
    assert_int_equal(sls_password_verify(h, "secret123", 9), -1);
    assert_int_equal(sls_password_verify(h, "Secret12", 8), -1);
    assert_int_equal(sls_password_verify(h, "Secret1234", 10), -1);
    assert_int_equal(sls_password_verify(h, "", 0), -1);
    /* a fresh salt each time */
    assert_int_equal(sls_password_hash("Secret123", 9, &c, h2), 0);
    assert_string_not_equal(h, h2);
    assert_int_equal(sls_password_verify(h2, "Secret123", 9), 0);
}

/* The length is what counts: bytes after a NUL are part of the password. */
static void test_length_counts(void **state)
{
    struct sls_pwhash_cost c;
    char h[SLS_PASSWORD_HASH_MAX];

    (void)state;
    sls_pwhash_cost_min(&c);
    assert_int_equal(sls_password_hash("ab\0cd", 5, &c, h), 0);
    assert_int_equal(sls_password_verify(h, "ab\0cd", 5), 0);
    assert_int_equal(sls_password_verify(h, "ab", 2), -1);
    assert_int_equal(sls_password_verify(h, "ab\0ce", 5), -1);
}

static void test_malformed_hashes(void **state)
{
    struct sls_pwhash_cost c;
    char h[SLS_PASSWORD_HASH_MAX], bad[SLS_PASSWORD_HASH_MAX + 8];

    (void)state;
    sls_pwhash_cost_min(&c);
    assert_int_equal(sls_password_hash("Secret123", 9, &c, h), 0);

    assert_int_equal(sls_password_verify("", "Secret123", 9), -1);
    assert_int_equal(sls_password_verify("$argon2id$", "Secret123", 9), -1);
    assert_int_equal(sls_password_verify("not a hash", "Secret123", 9), -1);
    assert_int_equal(sls_password_verify(NULL, "Secret123", 9), -1);
    /* truncated */
    strcpy(bad, h);
    bad[strlen(bad) - 5] = '\0';
    assert_int_equal(sls_password_verify(bad, "Secret123", 9), -1);
    /* another variant's prefix (Argon2i) */
    strcpy(bad, "$argon2i$");
    strcat(bad, h + strlen("$argon2id$"));
    assert_int_equal(sls_password_verify(bad, "Secret123", 9), -1);
    /* a changed hash character */
    strcpy(bad, h);
    bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(sls_password_verify(bad, "Secret123", 9), -1);
    /* no NUL within the bound */
    memset(bad, 'a', sizeof(bad));
    memcpy(bad, "$argon2id$", 10);
    bad[sizeof(bad) - 1] = '\0';
    assert_int_equal(sls_password_verify(bad, "Secret123", 9), -1);
}

static void test_refuses(void **state)
{
    struct sls_pwhash_cost c = {.opslimit = 0, .memlimit = 8192};
    char h[SLS_PASSWORD_HASH_MAX];

    (void)state;
    /* below Argon2id's minimum cost */
    assert_int_equal(sls_password_hash("Secret123", 9, &c, h), -1);
    assert_string_equal(h, "");
    c.opslimit = 1;
    c.memlimit = 1024;
    assert_int_equal(sls_password_hash("Secret123", 9, &c, h), -1);
    assert_int_equal(sls_password_hash(NULL, 3, &c, h), -1);
}

/* NULL cost means the production default. */
static void test_default_cost(void **state)
{
    char h[SLS_PASSWORD_HASH_MAX];

    (void)state;
    assert_int_equal(sls_password_hash("Secret123", 9, NULL, h), 0);
    assert_int_equal(strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
    assert_int_equal(sls_password_verify(h, "Secret123", 9), 0);
}

/* A hash handed in ready-made (bulk import): only what sls_password_hash
 * makes, at a cost the configuration could choose. */
static void test_acceptable(void **state)
{
    struct sls_pwhash_cost c;
    char h[SLS_PASSWORD_HASH_MAX], bad[SLS_PASSWORD_HASH_MAX + 8];
    const char *salt_hash;

    (void)state;
    sls_pwhash_cost_min(&c);
    assert_int_equal(sls_password_hash("Secret123", 9, &c, h), 0);
    assert_int_equal(sls_password_hash_acceptable(h), 0);
    sls_pwhash_cost_default(&c);
    assert_int_equal(sls_password_hash("Secret123", 9, &c, bad), 0);
    assert_int_equal(sls_password_hash_acceptable(bad), 0);

    /* Each parameter string in front of the real salt and hash. */
    static const struct {
        const char *params;
        int expect;
    } params[] = {
        {"$argon2i$v=19$m=8,t=1,p=1$", -1},
        {"$argon2id$v=16$m=8,t=1,p=1$", -1},
        {"$argon2id$v=19$m=8,t=1,p=2$", -1},
        {"$argon2id$v=19$m=4194304,t=100,p=1$", 0}, /* the bounds themselves */
        {"$argon2id$v=19$m=4194305,t=1,p=1$", -1},
        {"$argon2id$v=19$m=8,t=101,p=1$", -1},
        {"$argon2id$v=19$m=+8,t=1,p=1$", -1},
        {"$argon2id$v=19$t=1,m=8,p=1$", -1},
    };
    salt_hash = strstr(h, "p=1$") + 4;
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        snprintf(bad, sizeof(bad), "%s%s", params[i].params, salt_hash);
        if (sls_password_hash_acceptable(bad) != params[i].expect)
            fail_msg("%s: expected %d", bad, params[i].expect);
    }
    snprintf(bad, sizeof(bad), "%.*s", (int)strlen(h) - 5, h); /* hash cut short */
    assert_int_equal(sls_password_hash_acceptable(bad), -1);
    snprintf(bad, sizeof(bad), "%s$", h);
    assert_int_equal(sls_password_hash_acceptable(bad), -1);
    assert_int_equal(sls_password_hash_acceptable(""), -1);
    assert_int_equal(sls_password_hash_acceptable(NULL), -1);
    memset(bad, 'a', sizeof(bad)); /* no NUL within the bound */
    memcpy(bad, h, strlen(h));
    bad[sizeof(bad) - 1] = '\0';
    assert_int_equal(sls_password_hash_acceptable(bad), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_costs),         cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_length_counts), cmocka_unit_test(test_malformed_hashes),
        cmocka_unit_test(test_refuses),       cmocka_unit_test(test_default_cost),
        cmocka_unit_test(test_acceptable),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
