/* Time as the core sees it: whole Unix seconds, always passed in, never read. */
#ifndef SLS_CORE_TIME_H
#define SLS_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>
#include "must_use.h"

typedef int64_t sls_time;

#define SLS_MINUTE ((sls_time)60)
#define SLS_HOUR   ((sls_time)3600)
#define SLS_DAY    ((sls_time)86400)

/* Formats t as RFC 3339 UTC ("2026-11-22T16:00:00Z") into out (at least 21 bytes).
 * Returns 0, or -1 if out is too small or t is out of range. */
SLS_MUST_USE int sls_time_format(sls_time t, char *out, size_t outlen);

/* Formats the UTC calendar date of t ("2026-11-23") into out (at least 11 bytes). */
SLS_MUST_USE int sls_time_format_date(sls_time t, char *out, size_t outlen);

/* Parses an RFC 3339 UTC string ("...Z" or "+00:00" offset) into *out. Returns 0 or -1. */
SLS_MUST_USE int sls_time_parse(const char *s, sls_time *out);

/* The representable time nearest to t: t itself within years 0000..9999,
 * else 0000-01-01T00:00:00Z or 9999-12-31T23:59:59Z. */
sls_time sls_time_clamp(sls_time t);

/* Room for sls_time_text. */
#define SLS_TIME_TEXT 32

/* t as RFC 3339 text into out (SLS_TIME_TEXT bytes), for answers, audit
 * details and notices: a time past 9999-12-31T23:59:59Z (or before year
 * 0000) is written as that bound (sls_time_clamp). Cannot fail. */
void sls_time_text(sls_time t, char out[SLS_TIME_TEXT]);

/* a + b and b - a, clamped to the range of sls_time instead of overflowing
 * (a lock or an expiry far in the future stays far in the future). */
sls_time sls_time_add(sls_time a, sls_time b);
sls_time sls_time_sub(sls_time b, sls_time a);

/* Start (00:00:00 UTC) of the day containing t. */
sls_time sls_time_day_start(sls_time t);

#endif
