/* Tests of src/core/time.c: RFC 3339 formatting and parsing, dates and day
 * starts across leap years, century years and year boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/time.h"

struct time_case {
    const char *text;
    sls_time t;
};

/* Reference values computed independently from the proleptic Gregorian calendar. */
static const struct time_case known[] = {
    {"1970-01-01T00:00:00Z", 0},
    {"1969-12-31T23:59:59Z", -1},
    {"1999-12-31T23:59:59Z", 946684799},
    {"2000-01-01T00:00:00Z", 946684800},
    {"2000-02-29T00:00:00Z", 951782400},
    {"2000-03-01T00:00:00Z", 951868800},
    {"1900-02-28T23:59:59Z", -2203891201},
    {"1900-03-01T00:00:00Z", -2203891200},
    {"2100-02-28T12:00:00Z", 4107499200},
    {"2100-03-01T00:00:00Z", 4107542400},
    {"2023-12-31T23:59:59Z", 1704067199},
    {"2024-01-01T00:00:00Z", 1704067200},
    {"2024-02-29T23:59:59Z", 1709251199},
    {"2026-11-22T16:00:00Z", 1795363200},
    {"1600-02-29T00:00:00Z", -11670998400},
    {"2038-01-19T03:14:08Z", 2147483648},
    {"0001-01-01T00:00:00Z", -62135596800},
    {"0000-01-01T00:00:00Z", -62167219200},
    {"9999-12-31T23:59:59Z", 253402300799},
};

static void test_format_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        char buf[21];
        assert_int_equal(sls_time_format(known[i].t, buf, sizeof buf), 0);
        assert_string_equal(buf, known[i].text);
    }
}

static void test_parse_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        sls_time t = 12345;
        assert_int_equal(sls_time_parse(known[i].text, &t), 0);
        assert_int_equal(t, known[i].t);
    }
}

static void test_parse_offset_zero(void **state)
{
    (void)state;
    sls_time t = 0;
    assert_int_equal(sls_time_parse("2026-11-22T16:00:00+00:00", &t), 0);
    assert_int_equal(t, 1795363200);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2026-11-22",
        "2026-11-22T16:00:00",
        "2026-11-22T16:00:00z",
        "2026-11-22t16:00:00Z",
        "2026-11-22 16:00:00Z",
        "2026-11-22T16:00:00+01:00",
        "2026-11-22T16:00:00-00:00",
        "2026-11-22T16:00:00+0000",
        "2026-11-22T16:00:00+00:00Z",
        "2026-11-22T16:00:00ZZ",
        "2026-11-22T16:00:00.5Z",
        "2026-11-22T16:00Z",
        "26-11-22T16:00:00Z",
        "+2026-11-22T16:00:00Z",
        "2026/11/22T16:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-32T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z",
        "2026-01-01T23:59:60Z",
        "2026-1-01T00:00:00Z",
        "2026-01-01T0a:00:00Z",
        " 2026-01-01T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sls_time t = 777;
        assert_int_equal(sls_time_parse(bad[i], &t), -1);
        assert_int_equal(t, 777);
    }
    sls_time t = 0;
    assert_int_equal(sls_time_parse(NULL, &t), -1);
}

static void test_parse_leap_days_accepted(void **state)
{
    (void)state;
    static const char *const ok[] = {"2000-02-29T00:00:00Z", "2024-02-29T00:00:00Z",
                                     "1600-02-29T00:00:00Z", "0000-02-29T00:00:00Z",
                                     "2026-12-31T23:59:59Z"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sls_time t;
        assert_int_equal(sls_time_parse(ok[i], &t), 0);
    }
}

static void test_format_range_and_buffer(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(sls_time_format(253402300800, buf, sizeof buf), -1);
    assert_int_equal(sls_time_format(-62167219201, buf, sizeof buf), -1);
    assert_int_equal(sls_time_format(INT64_MAX, buf, sizeof buf), -1);
    assert_int_equal(sls_time_format(INT64_MIN, buf, sizeof buf), -1);
    assert_int_equal(sls_time_format(0, buf, 20), -1);
    assert_int_equal(sls_time_format(0, buf, 21), 0);
    assert_int_equal(sls_time_format_date(0, buf, 10), -1);
    assert_int_equal(sls_time_format_date(0, buf, 11), 0);
    assert_string_equal(buf, "1970-01-01");
    assert_int_equal(sls_time_format_date(INT64_MAX, buf, sizeof buf), -1);
}

static void test_format_date(void **state)
{
    (void)state;
    static const struct time_case dates[] = {
        {"2026-11-23", 1795392000}, {"2026-11-23", 1795392000 + 86399},
        {"2026-11-22", 1795391999}, {"1969-12-31", -1},
        {"1969-12-31", -86400},     {"1969-12-30", -86401},
        {"2000-02-29", 951782400},  {"1900-02-28", -2203891201},
        {"1970-01-01", 0},          {"9999-12-31", 253402300799},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        char buf[11];
        assert_int_equal(sls_time_format_date(dates[i].t, buf, sizeof buf), 0);
        assert_string_equal(buf, dates[i].text);
    }
}

static void test_day_start(void **state)
{
    (void)state;
    static const struct {
        sls_time t, start;
    } cases[] = {
        {0, 0},
        {1, 0},
        {86399, 0},
        {86400, 86400},
        {-1, -86400},
        {-86399, -86400},
        {-86400, -86400},
        {-86401, -172800},
        {1795363200, 1795305600},
        {1795391999, 1795305600},
        {1795392000, 1795392000},
        {-2203891201, -2203977600},
        {INT64_MIN, INT64_MIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sls_time_day_start(cases[i].t), cases[i].start);
    }
}

/* Walks every day of years 0000..9999 and checks that each date follows the
 * previous one in the calendar, and that text and time convert both ways. */
static void test_every_day_round_trip(void **state)
{
    (void)state;
    sls_time first = -62167219200;
    sls_time last = 253402300799;
    int prev_y = -1, prev_m = 12, prev_d = 31;
    long ndays = 0;
    for (sls_time t = first; t <= last; t += SLS_DAY) {
        char buf[21];
        assert_int_equal(sls_time_format(t + 43200 + 61, buf, sizeof buf), 0);
        assert_memory_equal(buf + 10, "T12:01:01Z", 11);
        int y = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 + (buf[2] - '0') * 10 + (buf[3] - '0');
        int m = (buf[5] - '0') * 10 + (buf[6] - '0');
        int d = (buf[8] - '0') * 10 + (buf[9] - '0');
        if (d == 1) {
            /* The previous day was the last of its month. */
            if (m == 1) {
                assert_int_equal(prev_y, y - 1);
                assert_int_equal(prev_m, 12);
                assert_int_equal(prev_d, 31);
            } else {
                assert_int_equal(prev_y, y);
                assert_int_equal(prev_m, m - 1);
                int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
                static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
                assert_int_equal(prev_d, len[prev_m - 1] + (prev_m == 2 ? leap : 0));
            }
        } else {
            assert_int_equal(prev_y, y);
            assert_int_equal(prev_m, m);
            assert_int_equal(prev_d, d - 1);
        }
        sls_time back = 0;
        assert_int_equal(sls_time_parse(buf, &back), 0);
        assert_int_equal(back, t + 43200 + 61);
        assert_int_equal(sls_time_day_start(back), t);
        prev_y = y;
        prev_m = m;
        prev_d = d;
        ndays++;
    }
    /* 10000 years = 25 eras of 146097 days. */
    assert_int_equal(ndays, 25L * 146097L);
    assert_int_equal(prev_y, 9999);
}

/* Sums and differences stop at the ends of the range: a lock of a day from a
 * clock near the end stays in the far future, never wraps into the past. */
static void test_saturating_add_and_sub(void **state)
{
    (void)state;
    assert_int_equal(sls_time_add(100, SLS_DAY), 100 + SLS_DAY);
    assert_int_equal(sls_time_add(INT64_MAX - 1, 1), INT64_MAX);
    assert_int_equal(sls_time_add(INT64_MAX - 1, 2), INT64_MAX);
    assert_int_equal(sls_time_add(INT64_MIN + 1, -1), INT64_MIN);
    assert_int_equal(sls_time_add(INT64_MIN + 1, -2), INT64_MIN);
    assert_int_equal(sls_time_sub(500, 200), 300);
    assert_int_equal(sls_time_sub(INT64_MAX, -1), INT64_MAX);
    assert_int_equal(sls_time_sub(INT64_MIN, 1), INT64_MIN);
    assert_int_equal(sls_time_sub(INT64_MIN + 1, 1), INT64_MIN);
}

/* sls_time_clamp: the nearest time the format can write, so that formatting
 * the clamped value never fails. */
static void test_clamp(void **state)
{
    char buf[32];
    sls_time last, first;

    (void)state;
    assert_int_equal(sls_time_parse("9999-12-31T23:59:59Z", &last), 0);
    assert_int_equal(sls_time_parse("0000-01-01T00:00:00Z", &first), 0);
    assert_int_equal(sls_time_clamp(last), last);
    assert_int_equal(sls_time_clamp(last + 1), last);
    assert_int_equal(sls_time_clamp(INT64_MAX), last);
    assert_int_equal(sls_time_clamp(first), first);
    assert_int_equal(sls_time_clamp(first - 1), first);
    assert_int_equal(sls_time_clamp(INT64_MIN), first);
    assert_int_equal(sls_time_clamp(0), 0);
    assert_int_equal(sls_time_format(last + 1, buf, sizeof buf), -1);
    assert_int_equal(sls_time_format(sls_time_clamp(last + 1), buf, sizeof buf), 0);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
}

/* sls_time_text: always a whole RFC 3339 text, the bound past the range. */
static void test_text(void **state)
{
    char buf[SLS_TIME_TEXT];
    sls_time last;

    (void)state;
    assert_int_equal(sls_time_parse("9999-12-31T23:59:59Z", &last), 0);
    memset(buf, 'x', sizeof buf);
    sls_time_text(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    sls_time_text(last, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    memset(buf, 'x', sizeof buf);
    sls_time_text(last + 1, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    sls_time_text(INT64_MAX, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    sls_time_text(INT64_MIN, buf);
    assert_string_equal(buf, "0000-01-01T00:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clamp),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_format_known),
        cmocka_unit_test(test_parse_known),
        cmocka_unit_test(test_parse_offset_zero),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_leap_days_accepted),
        cmocka_unit_test(test_format_range_and_buffer),
        cmocka_unit_test(test_format_date),
        cmocka_unit_test(test_day_start),
        cmocka_unit_test(test_every_day_round_trip),
        cmocka_unit_test(test_saturating_add_and_sub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
