/* Tests of src/core/business_days.c: weekends, holidays, the business day an
 * instant counts for (to the second), and the edges of the 5-day window. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/business_days.h"

#define FRI_2026_11_20 ((sls_time)1795132800) /* 00:00:00 UTC */
#define DAY_FRI        ((int64_t)20777)
#define DAY_SAT        (DAY_FRI + 1)
#define DAY_SUN        (DAY_FRI + 2)
#define DAY_MON        (DAY_FRI + 3)

static int64_t date(const char *s)
{
    int64_t d = 0;
    assert_int_equal(sls_date_parse(s, &d), 0);
    return d;
}

static void test_dates_and_weekdays(void **state)
{
    int64_t d;
    (void)state;
    assert_int_equal(date("1970-01-01"), 0);
    assert_int_equal(sls_day_weekday(0), 4); /* Thursday */
    assert_int_equal(date("2026-11-20"), DAY_FRI);
    assert_int_equal(sls_day_weekday(DAY_FRI), 5);
    assert_int_equal(sls_day_weekday(DAY_SAT), 6);
    assert_int_equal(sls_day_weekday(DAY_SUN), 0);
    assert_int_equal(sls_day_weekday(DAY_MON), 1);
    assert_int_equal(date("2028-02-29"), date("2028-02-28") + 1);
    assert_int_equal(date("2028-03-01"), date("2028-02-29") + 1);
    assert_int_equal(date("2027-01-01"), date("2026-12-31") + 1);
    assert_int_equal(sls_date_parse("2027-02-29", &d), -1); /* not a leap year */
    assert_int_equal(sls_date_parse("2026-13-01", &d), -1);
    assert_int_equal(sls_date_parse("2026-00-10", &d), -1);
    assert_int_equal(sls_date_parse("2026-04-31", &d), -1);
    assert_int_equal(sls_date_parse("2026-4-30", &d), -1);
    assert_int_equal(sls_date_parse("2026-04-30 ", &d), -1);
    assert_int_equal(sls_date_parse("1969-12-31", &d), -1);
    assert_int_equal(sls_date_parse("", &d), -1);
    assert_int_equal(sls_date_parse(NULL, &d), -1);
}

static void test_day_of_to_the_second(void **state)
{
    (void)state;
    assert_int_equal(sls_day_of(FRI_2026_11_20), DAY_FRI);
    assert_int_equal(sls_day_of(FRI_2026_11_20 + SLS_DAY - 1), DAY_FRI);
    assert_int_equal(sls_day_of(FRI_2026_11_20 + SLS_DAY), DAY_SAT);
    assert_int_equal(sls_day_of(FRI_2026_11_20 - 1), DAY_FRI - 1);
    assert_int_equal(sls_day_of(-1), -1);
}

static void test_weekends_are_not_business_days(void **state)
{
    (void)state;
    assert_true(sls_business_day_is(DAY_FRI, NULL));
    assert_false(sls_business_day_is(DAY_SAT, NULL));
    assert_false(sls_business_day_is(DAY_SUN, NULL));
    assert_true(sls_business_day_is(DAY_MON, NULL));
    assert_int_equal(sls_business_day_on_or_after(DAY_FRI, NULL), DAY_FRI);
    assert_int_equal(sls_business_day_on_or_after(DAY_SAT, NULL), DAY_MON);
    assert_int_equal(sls_business_day_on_or_after(DAY_SUN, NULL), DAY_MON);
}

static void test_weekend_instants_count_for_monday(void **state)
{
    (void)state;
    /* Friday 23:59:59 is Friday's; Saturday 00:00:00 is Monday's. */
    assert_int_equal(sls_business_day_of(FRI_2026_11_20 + SLS_DAY - 1, NULL), DAY_FRI);
    assert_int_equal(sls_business_day_of(FRI_2026_11_20 + SLS_DAY, NULL), DAY_MON);
    /* Sunday 23:59:59 still Monday's, and Monday 00:00:00 too. */
    assert_int_equal(sls_business_day_of(FRI_2026_11_20 + 3 * SLS_DAY - 1, NULL), DAY_MON);
    assert_int_equal(sls_business_day_of(FRI_2026_11_20 + 3 * SLS_DAY, NULL), DAY_MON);
    assert_int_equal(sls_business_day_of(FRI_2026_11_20 + 4 * SLS_DAY, NULL), DAY_MON + 1);
}

static void test_holidays(void **state)
{
    struct sls_holidays h = {{0}, 0};
    int64_t xmas = date("2026-12-25"), newyear = date("2027-01-01");
    int i;
    (void)state;
    assert_int_equal(sls_holidays_add(&h, xmas), 0);
    assert_int_equal(sls_holidays_add(&h, newyear), 0);
    assert_int_equal(sls_holidays_add(&h, xmas), 0); /* no duplicate */
    assert_int_equal(h.n, 2);
    assert_false(sls_business_day_is(xmas, &h));
    assert_true(sls_business_day_is(xmas, NULL));
    /* Thursday 24th 23:59:59 is the 24th's; Friday 25th counts for Monday 28th. */
    assert_int_equal(sls_business_day_of((xmas)*SLS_DAY - 1, &h), xmas - 1);
    assert_int_equal(sls_business_day_of((xmas)*SLS_DAY, &h), date("2026-12-28"));
    assert_int_equal(sls_business_day_of((newyear)*SLS_DAY + 10, &h), date("2027-01-04"));
    /* A full table refuses more. */
    for (i = 0; h.n < SLS_HOLIDAYS_MAX; i++)
        assert_int_equal(sls_holidays_add(&h, 1000 + i), 0);
    assert_int_equal(sls_holidays_add(&h, 5), -1);
}

static void test_window_of_five_business_days(void **state)
{
    struct sls_holidays h = {{0}, 0};
    int64_t mon = date("2026-11-23"), fri = date("2026-11-27");
    (void)state;
    /* Friday's window starts on Monday of the same week. */
    assert_int_equal(sls_business_day_back(fri, SLS_WINDOW_BUSINESS - 1, NULL), mon);
    assert_int_equal(sls_business_day_back(fri, 0, NULL), fri);
    /* Monday's window reaches back over the weekend to the Tuesday before. */
    assert_int_equal(sls_business_day_back(mon, 1, NULL), date("2026-11-20"));
    assert_int_equal(sls_business_day_back(mon, 4, NULL), date("2026-11-17"));
    /* A holiday inside the window pushes its start one business day back. */
    assert_int_equal(sls_holidays_add(&h, date("2026-11-26")), 0); /* a Thursday */
    assert_int_equal(sls_business_day_back(fri, 4, &h), date("2026-11-20"));
    assert_int_equal(sls_business_day_back(fri, 1, &h), date("2026-11-25"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_and_weekdays),
        cmocka_unit_test(test_day_of_to_the_second),
        cmocka_unit_test(test_weekends_are_not_business_days),
        cmocka_unit_test(test_weekend_instants_count_for_monday),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_window_of_five_business_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
