/* Tests of src/core/challenge.c: R9 lifetimes at their boundary second. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/challenge.h"

#define T0 ((sls_time)1795363200)

static void test_boundaries(void **state)
{
    (void)state;
    static const struct {
        sls_time issued, ttl, now;
        bool valid;
    } cases[] = {
        {T0, SLS_CHALLENGE_TTL_DEFAULT, T0, true},
        {T0, SLS_CHALLENGE_TTL_DEFAULT, T0 + 1, true},
        {T0, SLS_CHALLENGE_TTL_DEFAULT, T0 + 299, true},
        {T0, SLS_CHALLENGE_TTL_DEFAULT, T0 + 300, true},
        {T0, SLS_CHALLENGE_TTL_DEFAULT, T0 + 301, false},
        {T0, SLS_CHALLENGE_TTL_DEFAULT, T0 + 86400, false},
        {T0, SLS_LOGIN_TTL_DEFAULT, T0 + 300, true},
        {T0, SLS_LOGIN_TTL_DEFAULT, T0 + 301, false},
        {T0, 0, T0, true},
        {T0, 0, T0 + 1, false},
        {T0, 60, T0 + 60, true},
        {T0, 60, T0 + 61, false},
        {-1000, 300, -700, true},
        {-1000, 300, -699, false},
        {T0, -1, T0, false},
        {INT64_MIN, 300, INT64_MAX, false},
        {INT64_MAX - 10, 300, INT64_MAX, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sls_challenge_valid(cases[i].issued, cases[i].ttl, cases[i].now),
                         cases[i].valid);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(SLS_CHALLENGE_TTL_DEFAULT, 300);
    assert_int_equal(SLS_LOGIN_TTL_DEFAULT, 300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
