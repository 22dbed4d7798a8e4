/* Business days (R33): Monday to Friday, except configured holidays, in UTC.
 * A day is named by its number since 1970-01-01 (Unix seconds / 86400). An
 * instant on a weekend or holiday counts for the next business day; the
 * rolling window of 5 business days ending on a business day is that day and
 * the 4 business days before it. */
#ifndef SLS_CORE_BUSINESS_DAYS_H
#define SLS_CORE_BUSINESS_DAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "time.h"

#define SLS_HOLIDAYS_MAX    128 /* configured holidays at most */
#define SLS_WINDOW_BUSINESS 5   /* R33: business days in the rolling window */

/* The holidays in force: day numbers, in any order, duplicates allowed. */
struct sls_holidays {
    int64_t days[SLS_HOLIDAYS_MAX];
    size_t n;
};

/* The day number of instant t (floor division: before 1970 too). */
int64_t sls_day_of(sls_time t);

/* 0 Sunday, 1 Monday ... 6 Saturday. */
int sls_day_weekday(int64_t day);

/* Whether day is Monday-Friday and not a holiday (h may be NULL: none). */
bool sls_business_day_is(int64_t day, const struct sls_holidays *h);

/* The first business day on or after day. */
int64_t sls_business_day_on_or_after(int64_t day, const struct sls_holidays *h);

/* The business day instant t counts for: its own day when that is a business
 * day, else the next business day (Saturday 00:00:00 counts for Monday). */
int64_t sls_business_day_of(sls_time t, const struct sls_holidays *h);

/* The business day n business days before business day `day` (n = 0: day
 * itself). The first day of the window ending on day is
 * sls_business_day_back(day, SLS_WINDOW_BUSINESS - 1, h). */
int64_t sls_business_day_back(int64_t day, int n, const struct sls_holidays *h);

/* Adds day to h (no-op if present). Returns 0, or -1 when h is full. */
int sls_holidays_add(struct sls_holidays *h, int64_t day);

/* Parses a calendar date "YYYY-MM-DD" (a real date, 1970-9999) into its day
 * number. Returns 0 or -1. */
int sls_date_parse(const char *s, int64_t *day);

#endif
