/* UTC calendar arithmetic for the core: RFC 3339 text to and from Unix
 * seconds, with the proleptic Gregorian calendar computed by hand (no libc
 * time functions, no time zone, no clock). Years 0000..9999 are supported. */
#include "time.h"

#include <stdbool.h>

#define MIN_YEAR 0
#define MAX_YEAR 9999

/* Days from 1970-03-01 to 0000-03-01 in the shifted calendar below. */
#define EPOCH_SHIFT_DAYS 719468
/* Days in 400 Gregorian years. */
#define DAYS_PER_ERA 146097

struct civil {
    int64_t year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* Floor division (rounds toward negative infinity), b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && a < 0) {
        q--;
    }
    return q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap(y)) {
        return 29;
    }
    return len[m - 1];
}

/* Days since 1970-01-01 of a civil date. The year is counted from March so
 * that the leap day is the last day of its year; 400-year eras repeat. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    if (m <= 2) {
        y -= 1;
    }
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;                       /* 0..399 */
    int64_t march_month = (m + 9) % 12;                        /* March = 0 .. February = 11 */
    int64_t day_of_year = (153 * march_month + 2) / 5 + d - 1; /* 0..365 */
    int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; /* 0..146096 */
    return era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT_DAYS;
}

/* Inverse of days_from_civil. */
static struct civil civil_from_days(int64_t days)
{
    struct civil c;
    int64_t z = days + EPOCH_SHIFT_DAYS;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA; /* 0..146096 */
    /* Remove the leap days so far (one per 4 years, none per 100, one per 400). */
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t march_month = (5 * day_of_year + 2) / 153;
    c.day = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
    c.month = (int)(march_month < 10 ? march_month + 3 : march_month - 9);
    c.year = year_of_era + era * 400 + (c.month <= 2 ? 1 : 0);
    return c;
}

/* Writes v as exactly `width` decimal digits (v >= 0 and fits). */
static char *put_digits(char *p, int64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* Splits t into date and second of day, refusing years outside 0000..9999. */
static int split(sls_time t, struct civil *c, int64_t *sec_of_day)
{
    /* Bound first so that no arithmetic below can overflow. */
    static const sls_time lo = -62167219200; /* 0000-01-01T00:00:00Z */
    static const sls_time hi = 253402300799; /* 9999-12-31T23:59:59Z */
    if (t < lo || t > hi) {
        return -1;
    }
    int64_t days = floor_div(t, SLS_DAY);
    *sec_of_day = t - days * SLS_DAY;
    *c = civil_from_days(days);
    return 0;
}

static char *put_date(char *p, const struct civil *c)
{
    p = put_digits(p, c->year, 4);
    *p++ = '-';
    p = put_digits(p, c->month, 2);
    *p++ = '-';
    return put_digits(p, c->day, 2);
}

int sls_time_format(sls_time t, char *out, size_t outlen)
{
    struct civil c;
    int64_t sod;
    if (out == NULL || outlen < 21 || split(t, &c, &sod) != 0) {
        return -1;
    }
    char *p = put_date(out, &c);
    *p++ = 'T';
    p = put_digits(p, sod / 3600, 2);
    *p++ = ':';
    p = put_digits(p, sod / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, sod % 60, 2);
    *p++ = 'Z';
    *p = '\0';
    return 0;
}

int sls_time_format_date(sls_time t, char *out, size_t outlen)
{
    struct civil c;
    int64_t sod;
    if (out == NULL || outlen < 11 || split(t, &c, &sod) != 0) {
        return -1;
    }
    char *p = put_date(out, &c);
    *p = '\0';
    return 0;
}

/* Reads exactly n decimal digits at s into *v. */
static int get_digits(const char *s, int n, int *v)
{
    int acc = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        acc = acc * 10 + (s[i] - '0');
    }
    *v = acc;
    return 0;
}

int sls_time_parse(const char *s, sls_time *out)
{
    int y, mo, d, h, mi, sec;
    if (s == NULL || out == NULL) {
        return -1;
    }
    /* "YYYY-MM-DDTHH:MM:SS" is 19 characters; each check stops at a NUL. */
    if (get_digits(s, 4, &y) != 0 || s[4] != '-' || get_digits(s + 5, 2, &mo) != 0 || s[7] != '-' ||
        get_digits(s + 8, 2, &d) != 0 || s[10] != 'T' || get_digits(s + 11, 2, &h) != 0 ||
        s[13] != ':' || get_digits(s + 14, 2, &mi) != 0 || s[16] != ':' ||
        get_digits(s + 17, 2, &sec) != 0) {
        return -1;
    }
    const char *zone = s + 19;
    bool utc = (zone[0] == 'Z' && zone[1] == '\0') ||
               (zone[0] == '+' && zone[1] == '0' && zone[2] == '0' && zone[3] == ':' &&
                zone[4] == '0' && zone[5] == '0' && zone[6] == '\0');
    if (!utc) {
        return -1;
    }
    if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
        h > 23 || mi > 59 || sec > 59) {
        return -1;
    }
    *out = days_from_civil(y, mo, d) * SLS_DAY + (sls_time)h * 3600 + (sls_time)mi * 60 + sec;
    return 0;
}

sls_time sls_time_day_start(sls_time t)
{
    int64_t into_day = t % SLS_DAY;
    if (into_day < 0) {
        into_day += SLS_DAY;
    }
    /* The day of the smallest times starts before INT64_MIN: saturate there. */
    if (t < INT64_MIN + into_day) {
        return INT64_MIN;
    }
    return t - into_day;
}

sls_time sls_time_add(sls_time a, sls_time b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

sls_time sls_time_sub(sls_time b, sls_time a)
{
    if (a < 0 && b > INT64_MAX + a)
        return INT64_MAX;
    if (a > 0 && b < INT64_MIN + a)
        return INT64_MIN;
    return b - a;
}

sls_time sls_time_clamp(sls_time t)
{
    sls_time lo = days_from_civil(MIN_YEAR, 1, 1) * SLS_DAY;
    sls_time hi = days_from_civil(MAX_YEAR, 12, 31) * SLS_DAY + SLS_DAY - 1;

    return t < lo ? lo : t > hi ? hi : t;
}

void sls_time_text(sls_time t, char out[SLS_TIME_TEXT])
{
    /* Cannot fail: the time is in range and the room is enough. */
    if (sls_time_format(sls_time_clamp(t), out, SLS_TIME_TEXT) != 0)
        out[0] = '\0';
}
