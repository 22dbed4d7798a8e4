/* Unit tests of core/phone.c: the {country, number} rules of R20 and R30,
 * and the cap on phones on record a user adds (SPEC §10.3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/phone.h"

static void test_phone_accepts_digits_without_trunk_prefix(void **state)
{
    char out[32];
    (void)state;
    assert_int_equal(sls_phone_check("1", "2125550100"), SLS_PHONE_OK);
    assert_int_equal(sls_phone_check("44", "7911123456"), SLS_PHONE_OK);
    assert_int_equal(sls_phone_check("852", "5123"), SLS_PHONE_OK);
    assert_int_equal(sls_phone_e164("44", "7911123456", out, sizeof(out)), 0);
    assert_string_equal(out, "+447911123456");
    assert_int_equal(sls_phone_e164("44", "7911123456", out, 5), -1);
}

static void test_phone_refusals_say_why(void **state)
{
    (void)state;
    assert_int_equal(sls_phone_check("1", "212 555 0100"), SLS_PHONE_SPACES);
    assert_int_equal(sls_phone_check("44", "07911123456"), SLS_PHONE_TRUNK_PREFIX);
    assert_int_equal(sls_phone_check("44", "+447911123456"), SLS_PHONE_PLUS);
    assert_int_equal(sls_phone_check("1", "212-555-0100"), SLS_PHONE_NOT_DIGITS);
    assert_int_equal(sls_phone_check("+1", "2125550100"), SLS_PHONE_COUNTRY_BAD);
    assert_int_equal(sls_phone_check("01", "2125550100"), SLS_PHONE_COUNTRY_BAD);
    assert_int_equal(sls_phone_check("1234", "2125550100"), SLS_PHONE_COUNTRY_BAD);
    assert_int_equal(sls_phone_check("", "2125550100"), SLS_PHONE_COUNTRY_BAD);
    assert_int_equal(sls_phone_check("1", ""), SLS_PHONE_LENGTH);
    assert_int_equal(sls_phone_check(NULL, "2125550100"), SLS_PHONE_COUNTRY_BAD);
    for (int v = 1; v < SLS_PHONE__COUNT; v++)
        assert_true(sls_phone_message((enum sls_phone_verdict)v)[0] != '\0');
}

static void test_phone_length_bounds(void **state)
{
    (void)state;
    assert_int_equal(sls_phone_check("1", "123"), SLS_PHONE_LENGTH);
    assert_int_equal(sls_phone_check("1", "1234"), SLS_PHONE_OK);
    assert_int_equal(sls_phone_check("1", "12345678901234"), SLS_PHONE_OK);
    assert_int_equal(sls_phone_check("1", "123456789012345"), SLS_PHONE_LENGTH);
    /* 15 digits in all at most (E.164). */
    assert_int_equal(sls_phone_check("44", "1234567890123"), SLS_PHONE_OK);
    assert_int_equal(sls_phone_check("852", "1234567890123"), SLS_PHONE_LENGTH);
}

static void test_phone_add_cap_and_duplicates(void **state)
{
    (void)state;
    assert_int_equal(sls_phone_add_check(0, false), SLS_PHONE_ADD_OK);
    assert_int_equal(sls_phone_add_check(SLS_PHONES_MAX - 1, false), SLS_PHONE_ADD_OK);
    assert_int_equal(sls_phone_add_check(SLS_PHONES_MAX, false), SLS_PHONE_ADD_FULL);
    assert_int_equal(sls_phone_add_check(SLS_PHONES_MAX + 3, false), SLS_PHONE_ADD_FULL);
    /* A number on record is reported as such, even when the list is full. */
    assert_int_equal(sls_phone_add_check(1, true), SLS_PHONE_ADD_ON_RECORD);
    assert_int_equal(sls_phone_add_check(SLS_PHONES_MAX, true), SLS_PHONE_ADD_ON_RECORD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_accepts_digits_without_trunk_prefix),
        cmocka_unit_test(test_phone_refusals_say_why),
        cmocka_unit_test(test_phone_length_bounds),
        cmocka_unit_test(test_phone_add_cap_and_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
