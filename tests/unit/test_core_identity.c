/* Tests of src/core/identity.c: R40 identity verification window. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/identity.h"

#define T0 ((sls_time)1795363200)

static void test_boundaries(void **state)
{
    (void)state;
    static const struct {
        sls_time at, ttl, now;
        bool valid;
    } cases[] = {
        {T0, SLS_IDENTITY_TTL_DEFAULT, T0, true},
        {T0, SLS_IDENTITY_TTL_DEFAULT, T0 + 1, true},
        {T0, SLS_IDENTITY_TTL_DEFAULT, T0 + 15 * 60 - 1, true},
        {T0, SLS_IDENTITY_TTL_DEFAULT, T0 + 15 * 60, false},
        {T0, SLS_IDENTITY_TTL_DEFAULT, T0 + 15 * 60 + 1, false},
        {T0, SLS_IDENTITY_TTL_DEFAULT, T0 + 86400, false},
        {T0, 60, T0 + 59, true},
        {T0, 60, T0 + 60, false},
        {-900, SLS_IDENTITY_TTL_DEFAULT, -1, true},
        {-900, SLS_IDENTITY_TTL_DEFAULT, 0, false},
        {T0, 0, T0, false},
        {INT64_MIN, SLS_IDENTITY_TTL_DEFAULT, INT64_MAX, false},
        {INT64_MAX - 10, SLS_IDENTITY_TTL_DEFAULT, INT64_MAX, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sls_identity_verification_valid(cases[i].at, cases[i].ttl, cases[i].now),
                         cases[i].valid);
    }
    assert_int_equal(SLS_IDENTITY_TTL_DEFAULT, 900);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
