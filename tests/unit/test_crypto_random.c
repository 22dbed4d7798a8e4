/* Tests of src/crypto/random.c: ranges and alphabets from the CSPRNG, and
 * exact, unbiased output from an injected source. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "crypto/random.h"

/* A scripted source: hands out script[] in order, then counts up. */
static uint8_t script[64];
static size_t script_len, script_pos, calls;

static void scripted(void *buf, size_t len)
{
    uint8_t *b = buf;

    calls++;
    for (size_t i = 0; i < len; i++, script_pos++)
        b[i] = script_pos < script_len ? script[script_pos] : (uint8_t)script_pos;
}

static void use_script(const uint8_t *s, size_t n)
{
    if (n > 0)
        memcpy(script, s, n);
    script_len = n;
    script_pos = 0;
    calls = 0;
    sls_random_set_source(scripted);
}

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static int restore(void **state)
{
    (void)state;
    sls_random_set_source(NULL);
    return 0;
}

static void test_uniform_range(void **state)
{
    unsigned seen[7] = {0};

    (void)state;
    for (int i = 0; i < 7000; i++) {
        uint32_t v = sls_random_uniform(7);

        assert_true(v < 7);
        seen[v]++;
    }
    /* each value is expected 1000 times; below 800 is 6 sigmas away */
    for (int v = 0; v < 7; v++)
        assert_true(seen[v] > 800);
    assert_int_equal(sls_random_uniform(1), 0);
    for (int i = 0; i < 100; i++)
        assert_true(sls_random_uniform(UINT32_MAX) < UINT32_MAX);
}

static void test_digits(void **state)
{
    char out[66];

    (void)state;
    memset(out, 'x', sizeof(out));
    sls_random_digits(out, 64);
    assert_int_equal(strlen(out), 64);
    for (int i = 0; i < 64; i++)
        assert_true(out[i] >= '0' && out[i] <= '9');
    assert_int_equal(out[65], 'x');
    sls_random_digits(out, 0);
    assert_string_equal(out, "");
}

static void test_string_alphabet(void **state)
{
    char out[201];

    (void)state;
    sls_random_string(out, 200, "AB7");
    assert_int_equal(strlen(out), 200);
    assert_true(strspn(out, "AB7") == 200);
    assert_non_null(strchr(out, 'A'));
    assert_non_null(strchr(out, 'B'));
    assert_non_null(strchr(out, '7'));
}

static void test_hex_length(void **state)
{
    char out[83];

    (void)state;
    memset(out, 'x', sizeof(out));
    sls_random_hex(out, 40);
    assert_int_equal(strlen(out), 80);
    assert_true(strspn(out, "0123456789abcdef") == 80);
    assert_int_equal(out[81], 'x');
    sls_random_hex(out, 0);
    assert_string_equal(out, "");
}

static void test_injected_bytes(void **state)
{
    static const uint8_t s[] = {0xde, 0xad, 0xbe, 0xef};
    uint8_t buf[6];
    char hex[83];

    (void)state;
    use_script(s, sizeof(s));
    sls_random_bytes(buf, sizeof(buf));
    assert_memory_equal(buf, "\xde\xad\xbe\xef\x04\x05", 6);
    /* more than one internal chunk of 32 bytes */
    use_script(NULL, 0);
    memset(hex, 'x', sizeof(hex));
    sls_random_hex(hex, 40);
    assert_string_equal(hex, "000102030405060708090a0b0c0d0e0f10111213"
                             "1415161718191a1b1c1d1e1f2021222324252627");
    assert_int_equal(hex[81], 'x');
}

/* upper = 2^31 + 1: 2^32 mod upper = 0x7fffffff, so draws below that are
 * rejected; 0x80000005 is kept and gives 4. */
static void test_injected_uniform_rejects(void **state)
{
    static const uint8_t s[] = {0x00, 0x00, 0x00, 0x05, 0x7f, 0xff,
                                0xff, 0xfe, 0x80, 0x00, 0x00, 0x05};

    (void)state;
    use_script(s, sizeof(s));
    assert_int_equal(sls_random_uniform(0x80000001u), 4);
    assert_int_equal(calls, 3);
    /* 0x7fffffff itself is the smallest value kept */
    use_script((const uint8_t *)"\x7f\xff\xff\xff", 4);
    assert_int_equal(sls_random_uniform(0x80000001u), 0x7fffffffu);
    assert_int_equal(calls, 1);
}

/* Digits: 2^32 mod 10 = 6, so 3 is rejected, 7 gives '7', 0xffffffff gives '5'. */
static void test_injected_digits(void **state)
{
    static const uint8_t s[] = {0, 0, 0, 3, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff};
    char out[3];

    (void)state;
    use_script(s, sizeof(s));
    sls_random_digits(out, 2);
    assert_string_equal(out, "75");
    assert_int_equal(calls, 3);
}

static void test_injected_string(void **state)
{
    static const uint8_t s[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 1, 0};
    char out[5];

    (void)state;
    use_script(s, sizeof(s));
    sls_random_string(out, 4, "xyz");
    /* 2^32 mod 3 = 1: the first draw (0) is rejected; then 1, 2, 256 mod 3
     * = 1, and past the script the counting bytes 0x10111213 mod 3 = 1 */
    assert_string_equal(out, "yzyy");
    assert_int_equal(calls, 5);
}

static void test_source_restored(void **state)
{
    uint8_t a[32], b[32];
    const uint8_t counting[8] = {0, 1, 2, 3, 4, 5, 6, 7};

    (void)state;
    use_script(NULL, 0);
    sls_random_bytes(a, 8);
    assert_memory_equal(a, counting, 8);
    sls_random_set_source(NULL);
    calls = 0;
    sls_random_bytes(a, sizeof(a));
    sls_random_bytes(b, sizeof(b));
    assert_int_equal(calls, 0);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, counting, 8);
}

/* Time-ordered ids: 32 lower-case hex digits; the first 12 are the real
 * clock's microseconds, so ids made one after the other sort in that order;
 * the last 20 are random, and differ between two ids made together. */
static void test_id_time_ordered(void **state)
{
    char a[33], b[33], c[33];
    struct timespec ts;
    unsigned long long now, first;

    (void)state;
    clock_gettime(CLOCK_REALTIME, &ts);
    now = ((unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000ull) &
          0xffffffffffffull;
    sls_random_id_time_ordered(a);
    sls_random_id_time_ordered(b);
    usleep(2000);
    sls_random_id_time_ordered(c);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_int_equal(strspn(c, "0123456789abcdef"), 32);
    first = strtoull(
        (char[13]){a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], 0},
        NULL, 16);
    assert_true(first >= now && first < now + 1000000); /* within a second of now */
    assert_true(strncmp(a, b, 12) <= 0);
    assert_true(strncmp(b, c, 12) < 0); /* 2 ms later sorts after */
    assert_true(strcmp(a + 12, b + 12) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uniform_range),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_string_alphabet),
        cmocka_unit_test(test_hex_length),
        cmocka_unit_test(test_id_time_ordered),
        cmocka_unit_test_teardown(test_injected_bytes, restore),
        cmocka_unit_test_teardown(test_injected_uniform_rejects, restore),
        cmocka_unit_test_teardown(test_injected_digits, restore),
        cmocka_unit_test_teardown(test_injected_string, restore),
        cmocka_unit_test_teardown(test_source_restored, restore),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
