/* R8: the lockout state machine (failures oldest first, lock until the last
 * failure plus the lock duration) and its text form for storage. */
#include "lockout.h"

#include <stdint.h>
#include <string.h>

/* The policy's max_failures brought into 1..SLS_LOCKOUT_MAX_TRACKED. */
static int max_kept(const struct sls_lockout_policy *p)
{
    if (p->max_failures < 1) {
        return 1;
    }
    if (p->max_failures > SLS_LOCKOUT_MAX_TRACKED) {
        return SLS_LOCKOUT_MAX_TRACKED;
    }
    return p->max_failures;
}

void sls_lockout_policy_default(struct sls_lockout_policy *p)
{
    p->max_failures = 10;
    p->window = 24 * SLS_HOUR;
    p->lock_duration = 24 * SLS_HOUR;
}

bool sls_lockout_is_locked(const struct sls_lockout_state *s, sls_time now)
{
    /* 0 is "never locked", not a time: a clock before 1970 must not read it
     * as a lock that has not ended yet. */
    return s->locked_until != 0 && now < s->locked_until;
}

bool sls_lockout_record_failure(struct sls_lockout_state *s, const struct sls_lockout_policy *p,
                                sls_time now)
{
    bool was_locked = sls_lockout_is_locked(s, now);
    int max = max_kept(p);
    int n = s->nfail;
    if (n < 0) {
        n = 0;
    }
    if (n > SLS_LOCKOUT_MAX_TRACKED) {
        n = SLS_LOCKOUT_MAX_TRACKED;
    }
    /* Drop the oldest so that the new failure fits within max. */
    if (n >= max) {
        int drop = n - (max - 1);
        memmove(&s->fail_at[0], &s->fail_at[drop], (size_t)(n - drop) * sizeof s->fail_at[0]);
        n -= drop;
    }
    s->fail_at[n++] = now;
    s->nfail = n;

    bool locked = was_locked;
    if (n == max && sls_time_sub(s->fail_at[n - 1], s->fail_at[0]) < p->window) {
        locked = true;
    }
    if (locked) {
        s->locked_until = sls_time_add(now, p->lock_duration);
    }
    return locked;
}

void sls_lockout_record_success(struct sls_lockout_state *s)
{
    memset(s, 0, sizeof *s);
}

/* Appends the decimal form of v at out[*pos], keeping room for a NUL.
 * Returns 0, or -1 when it does not fit. */
static int put_int(char *out, size_t outlen, size_t *pos, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    if (v < 0) {
        tmp[n++] = '-';
    }
    if (*pos + n >= outlen) {
        return -1;
    }
    while (n > 0) {
        out[(*pos)++] = tmp[--n];
    }
    return 0;
}

static int put_char(char *out, size_t outlen, size_t *pos, char c)
{
    if (*pos + 1 >= outlen) {
        return -1;
    }
    out[(*pos)++] = c;
    return 0;
}

int sls_lockout_encode(const struct sls_lockout_state *s, char *out, size_t outlen)
{
    size_t pos = 0;
    if (out == NULL || outlen == 0) {
        return -1;
    }
    out[0] = '\0';
    if (s->nfail < 0 || s->nfail > SLS_LOCKOUT_MAX_TRACKED) {
        return -1;
    }
    if (put_int(out, outlen, &pos, s->locked_until) != 0 || put_char(out, outlen, &pos, ';') != 0) {
        goto fail;
    }
    for (int i = 0; i < s->nfail; i++) {
        if ((i > 0 && put_char(out, outlen, &pos, ',') != 0) ||
            put_int(out, outlen, &pos, s->fail_at[i]) != 0) {
            goto fail;
        }
    }
    out[pos] = '\0';
    return 0;
fail:
    out[0] = '\0';
    return -1;
}

/* Reads a decimal int64 ("-"? digits) at *p, advancing *p. Returns 0 or -1
 * (no digits, or out of range). */
static int get_int(const char **p, int64_t *v)
{
    const char *q = *p;
    bool neg = false;
    uint64_t mag = 0;
    /* INT64_MIN's magnitude is one more than INT64_MAX. */
    uint64_t limit = (uint64_t)INT64_MAX;
    if (*q == '-') {
        neg = true;
        limit += 1;
        q++;
    }
    if (*q < '0' || *q > '9') {
        return -1;
    }
    while (*q >= '0' && *q <= '9') {
        uint64_t digit = (uint64_t)(*q - '0');
        if (mag > (limit - digit) / 10) {
            return -1;
        }
        mag = mag * 10 + digit;
        q++;
    }
    if (neg) {
        *v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        *v = (int64_t)mag;
    }
    *p = q;
    return 0;
}

int sls_lockout_decode(const char *text, struct sls_lockout_state *s)
{
    memset(s, 0, sizeof *s);
    if (text == NULL || *text == '\0') {
        return 0;
    }
    const char *p = text;
    int64_t until;
    if (get_int(&p, &until) != 0 || *p != ';') {
        goto fail;
    }
    p++;
    s->locked_until = until;
    while (*p != '\0') {
        if (s->nfail > 0) {
            if (*p != ',') {
                goto fail;
            }
            p++;
        }
        if (s->nfail >= SLS_LOCKOUT_MAX_TRACKED) {
            goto fail;
        }
        int64_t t;
        if (get_int(&p, &t) != 0) {
            goto fail;
        }
        s->fail_at[s->nfail++] = t;
    }
    return 0;
fail:
    memset(s, 0, sizeof *s);
    return -1;
}
