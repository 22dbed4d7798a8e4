/* Tests of src/core/audit.c: the canonical text of an audit record and the
 * input of its chain hash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/audit.h"

struct audit_case {
    int64_t seq;
    sls_time at;
    const char *actor, *username, *event, *outcome, *detail;
    const char *text;
};

static const struct audit_case cases[] = {
    {1, 1795363200, "user:alice", "alice", "login.success", "ok", "{\"platform\":\"portal\"}",
     "1\n1795363200\nuser:alice\nalice\nlogin.success\nok\n{\"platform\":\"portal\"}"},
    {42, 0, "system", "", "lock", "ok", "", "42\n0\nsystem\n\nlock\nok\n"},
    {7, -1, "agent:admin", "bob", "unlock", "ok", "{}", "7\n-1\nagent:admin\nbob\nunlock\nok\n{}"},
    {INT64_MAX, INT64_MIN, "", "", "", "", "",
     "9223372036854775807\n-9223372036854775808\n\n\n\n\n"},
};

static void fill(struct sls_audit_rec *r, const struct audit_case *c)
{
    memset(r, 0, sizeof *r);
    r->seq = c->seq;
    r->at = c->at;
    strcpy(r->actor, c->actor);
    strcpy(r->username, c->username);
    strcpy(r->event, c->event);
    strcpy(r->outcome, c->outcome);
    strcpy(r->detail, c->detail);
    memset(r->prev_hash, '0', 64);
    memset(r->hash, 'f', 64);
}

static void test_canonical(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sls_audit_rec r;
        char buf[1024];
        fill(&r, &cases[i]);
        int n = sls_audit_canonical(&r, buf, sizeof buf);
        assert_int_equal(n, (int)strlen(cases[i].text));
        assert_string_equal(buf, cases[i].text);
    }
}

static void test_buffer_too_small(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sls_audit_rec r;
        char buf[1024];
        fill(&r, &cases[i]);
        size_t need = strlen(cases[i].text) + 1;
        assert_int_equal(sls_audit_canonical(&r, buf, need), (int)need - 1);
        assert_int_equal(sls_audit_canonical(&r, buf, need - 1), -1);
        assert_int_equal(sls_audit_canonical(&r, buf, 1), -1);
    }
    struct sls_audit_rec r;
    fill(&r, &cases[0]);
    char buf[8];
    assert_int_equal(sls_audit_canonical(&r, buf, 0), -1);
}

static void test_full_fields_without_nul(void **state)
{
    (void)state;
    /* Every array filled to the brim, no NUL: only the array is read. */
    struct sls_audit_rec r;
    memset(&r, 0, sizeof r);
    r.seq = 3;
    r.at = 4;
    memset(r.actor, 'a', sizeof r.actor);
    memset(r.username, 'u', sizeof r.username);
    memset(r.event, 'e', sizeof r.event);
    memset(r.outcome, 'o', sizeof r.outcome);
    memset(r.detail, 'd', sizeof r.detail);
    static char buf[2048];
    int n = sls_audit_canonical(&r, buf, sizeof buf);
    size_t expect = 2 + 2 + sizeof r.actor + 1 + sizeof r.username + 1 + sizeof r.event + 1 +
                    sizeof r.outcome + 1 + sizeof r.detail;
    assert_int_equal(n, (int)expect);
    assert_int_equal(strlen(buf), expect);
    assert_memory_equal(buf, "3\n4\naaaa", 8);
    assert_int_equal(buf[expect - 1], 'd');
}

static void test_hash_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sls_audit_rec r;
        char buf[SLS_AUDIT_HASH_INPUT_MAX];
        fill(&r, &cases[i]);
        memset(r.prev_hash, 'a', 64);
        r.prev_hash[5] = '7';
        size_t want = 64 + strlen(cases[i].text);
        assert_int_equal(sls_audit_hash_input(&r, buf, sizeof buf), (int)want);
        assert_memory_equal(buf, r.prev_hash, 64);
        assert_string_equal(buf + 64, cases[i].text);
        /* Exactly enough room, then one byte short. */
        assert_int_equal(sls_audit_hash_input(&r, buf, want + 1), (int)want);
        assert_int_equal(sls_audit_hash_input(&r, buf, want), -1);
        assert_int_equal(sls_audit_hash_input(&r, buf, 64), -1);
    }
}

static void test_hash_input_needs_full_prev_hash(void **state)
{
    (void)state;
    struct sls_audit_rec r;
    char buf[SLS_AUDIT_HASH_INPUT_MAX];
    fill(&r, &cases[0]);
    r.prev_hash[63] = '\0';
    assert_int_equal(sls_audit_hash_input(&r, buf, sizeof buf), -1);
    r.prev_hash[0] = '\0';
    assert_int_equal(sls_audit_hash_input(&r, buf, sizeof buf), -1);
}

static void test_hash_input_fits_the_largest_record(void **state)
{
    (void)state;
    struct sls_audit_rec r;
    memset(&r, 'x', sizeof r);
    r.seq = INT64_MIN;
    r.at = INT64_MIN;
    memset(r.prev_hash, '0', 64);
    static char buf[SLS_AUDIT_HASH_INPUT_MAX];
    assert_true(sls_audit_hash_input(&r, buf, sizeof buf) > 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_full_fields_without_nul),
        cmocka_unit_test(test_hash_input),
        cmocka_unit_test(test_hash_input_needs_full_prev_hash),
        cmocka_unit_test(test_hash_input_fits_the_largest_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
