/* Tests of src/crypto/crypto.c: start-up succeeds and may be repeated. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "crypto/crypto.h"

static void test_init_twice(void **state)
{
    (void)state;
    assert_int_equal(sls_crypto_init(), 0);
    assert_int_equal(sls_crypto_init(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
