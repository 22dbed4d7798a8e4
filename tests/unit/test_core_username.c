/* Tests of src/core/username.c: R1 characters, lengths and case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/error.h"
#include "core/username.h"

static void test_every_punctuation_is_bad(void **state)
{
    (void)state;
    static const char punct[] = "!@#$%^&*(.,\": ";
    for (size_t i = 0; i < sizeof punct - 1; i++) {
        /* At the start, in the middle and at the end of a name. */
        char names[3][8] = {"xalice", "alxice", "alicex"};
        names[0][0] = punct[i];
        names[1][2] = punct[i];
        names[2][5] = punct[i];
        for (int k = 0; k < 3; k++) {
            assert_int_equal(sls_username_check_chars(names[k], 6), SLS_ERR_BAD_CHARACTER);
            assert_int_equal(sls_username_check_new(names[k], 6), SLS_ERR_BAD_CHARACTER);
            assert_false(sls_username_could_exist(names[k], 6));
        }
        assert_string_equal(sls_err_message(sls_username_check_chars(names[0], 6)),
                            "BAD CHARACTER");
    }
}

static void test_other_bad_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t len;
    } cases[] = {
        {"al\0ce", 5},
        {"al\xc3\xa9"
         "ce",
         6},
        {"al\x7f"
         "ce",
         5},
        {"al-ce", 5},
        {"al_ce", 5},
        {"al\tce", 5},
        {"al/ce", 5},
        {"al`ce", 5},
        {"al[ce", 5},
        {"al{ce", 5},
        {"al@ce", 5},
        {"al:ce", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sls_username_check_chars(cases[i].name, cases[i].len),
                         SLS_ERR_BAD_CHARACTER);
        assert_int_equal(sls_username_check_new(cases[i].name, cases[i].len),
                         SLS_ERR_BAD_CHARACTER);
    }
    assert_int_equal(sls_username_check_chars("", 0), SLS_ERR_BAD_CHARACTER);
    assert_int_equal(sls_username_check_chars(NULL, 3), SLS_ERR_BAD_CHARACTER);
    assert_int_equal(sls_username_check_new("", 0), SLS_ERR_INVALID_USERNAME);
}

static void test_lengths(void **state)
{
    (void)state;
    static const char longname[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static const struct {
        size_t len;
        int chars, create, could;
    } cases[] = {
        {1, SLS_OK, SLS_ERR_INVALID_USERNAME, 0},
        {2, SLS_OK, SLS_ERR_INVALID_USERNAME, 0},
        {3, SLS_OK, SLS_OK, 1},
        {4, SLS_OK, SLS_OK, 1},
        {31, SLS_OK, SLS_OK, 1},
        {32, SLS_OK, SLS_OK, 1},
        {33, SLS_OK, SLS_ERR_INVALID_USERNAME, 0},
        {36, SLS_OK, SLS_ERR_INVALID_USERNAME, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sls_username_check_chars(longname, cases[i].len), cases[i].chars);
        assert_int_equal(sls_username_check_new(longname, cases[i].len), cases[i].create);
        assert_int_equal(sls_username_could_exist(longname, cases[i].len), cases[i].could);
    }
}

static void test_upper_case(void **state)
{
    (void)state;
    static const char *const names[] = {"Alice", "aliCe", "ALICE", "alicE", "A1b"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len = strlen(names[i]);
        assert_int_equal(sls_username_check_chars(names[i], len), SLS_OK);
        assert_int_equal(sls_username_check_new(names[i], len), SLS_ERR_INVALID_USERNAME);
        assert_false(sls_username_could_exist(names[i], len));
    }
    assert_int_equal(sls_username_check_new("alice", 5), SLS_OK);
    assert_int_equal(sls_username_check_new("a1b2c3", 6), SLS_OK);
    assert_int_equal(sls_username_check_new("123", 3), SLS_OK);
    assert_true(sls_username_could_exist("alice", 5));
}

static void test_len_bounds_the_read(void **state)
{
    (void)state;
    /* Only len bytes are judged: the punctuation after them does not count. */
    assert_int_equal(sls_username_check_chars("alice!", 5), SLS_OK);
    assert_int_equal(sls_username_check_new("alice!", 5), SLS_OK);
    assert_int_equal(sls_username_check_chars("alice!", 6), SLS_ERR_BAD_CHARACTER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_punctuation_is_bad),
        cmocka_unit_test(test_other_bad_bytes),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_upper_case),
        cmocka_unit_test(test_len_bounds_the_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
