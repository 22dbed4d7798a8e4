/* Business-day arithmetic for the withdrawal limits (R33): weekends and
 * holidays, the business day an instant counts for, the rolling window. */
#include "business_days.h"

#include <string.h>

/* A business day is always found within this many calendar days: at most
 * SLS_HOLIDAYS_MAX holidays and two weekend days in every seven. */
#define SEARCH_LIMIT (SLS_HOLIDAYS_MAX * 2 + 16)

int64_t sls_day_of(sls_time t)
{
    int64_t d = t / SLS_DAY;
    if (t % SLS_DAY < 0)
        d--;
    return d;
}

int sls_day_weekday(int64_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    int64_t w = (day + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool holiday(int64_t day, const struct sls_holidays *h)
{
    size_t i;

    if (h == NULL)
        return false;
    for (i = 0; i < h->n; i++)
        if (h->days[i] == day)
            return true;
    return false;
}

bool sls_business_day_is(int64_t day, const struct sls_holidays *h)
{
    int w = sls_day_weekday(day);
    return w != 0 && w != 6 && !holiday(day, h);
}

int64_t sls_business_day_on_or_after(int64_t day, const struct sls_holidays *h)
{
    int i;

    for (i = 0; i < SEARCH_LIMIT && !sls_business_day_is(day, h); i++)
        day++;
    return day;
}

int64_t sls_business_day_of(sls_time t, const struct sls_holidays *h)
{
    return sls_business_day_on_or_after(sls_day_of(t), h);
}

int64_t sls_business_day_back(int64_t day, int n, const struct sls_holidays *h)
{
    int steps;

    for (; n > 0; n--) {
        day--;
        for (steps = 0; steps < SEARCH_LIMIT && !sls_business_day_is(day, h); steps++)
            day--;
    }
    return day;
}

int sls_holidays_add(struct sls_holidays *h, int64_t day)
{
    if (holiday(day, h))
        return 0;
    if (h->n >= SLS_HOLIDAYS_MAX)
        return -1;
    h->days[h->n++] = day;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    unsigned mp = m > 2 ? m - 3 : m + 9; /* months from March */

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * mp + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static unsigned month_days(unsigned y, unsigned m)
{
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static unsigned digits(const char *s, size_t n)
{
    unsigned v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

int sls_date_parse(const char *s, int64_t *day)
{
    unsigned y, m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
        strspn(s + 8, "0123456789") != 2)
        return -1;
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return -1;
    *day = days_from_civil(y, m, d);
    return 0;
}
