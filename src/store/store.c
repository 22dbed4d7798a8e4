/* The store's front door: picks a backend from the store URL and hands every
 * call to it. Backends are listed in one table: SQLite, PostgreSQL. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/error.h"
#include "pg_store.h"
#include "sqlite_store.h"
#include "store.h"

static const struct sls_store_backend *const backends[] = {
    &sls_sqlite_backend,
    &sls_pg_backend,
    &sls_pg_backend_short,
};

#define NBACKENDS (sizeof backends / sizeof backends[0])

/* Length of the URL scheme ("sqlite" in "sqlite:x.db"), or 0 when the URL has
 * none and is a bare path. A scheme is a letter followed by letters, digits,
 * '+', '-' or '.', then ':' (RFC 3986). */
static size_t scheme_len(const char *url)
{
    size_t i;

    if (!isalpha((unsigned char)url[0]))
        return 0;
    for (i = 1; url[i] && url[i] != ':'; i++) {
        unsigned char ch = (unsigned char)url[i];

        if (!isalnum(ch) && ch != '+' && ch != '-' && ch != '.')
            return 0;
    }
    return url[i] == ':' ? i : 0;
}

/* This thread's last failed store call: SLS_ERR_STORE_UNAVAILABLE or not. */
static _Thread_local int last_error = SLS_ERR_STORE;

/* Remembers ret for sls_store_last_error and hands it on. */
static int remember(int ret)
{
    last_error = ret == SLS_ERR_STORE_UNAVAILABLE ? ret : SLS_ERR_STORE;
    return ret;
}

int sls_store_last_error(void)
{
    return last_error;
}

int sls_store_open(const char *url, struct sls_store **out)
{
    return sls_store_open_with(url, NULL, out, NULL, 0);
}

/* Opens "sqlite:PATH", "sqlite://PATH" (the two slashes are dropped, so
 * "sqlite:///var/lib/sls.db" is absolute), a bare PATH, or a PostgreSQL URL
 * handed whole to libpq. */
int sls_store_open_with(const char *url, const struct sls_store_options *opts,
                        struct sls_store **out, char *why, size_t whylen)
{
    static const struct sls_store_options defaults;
    const struct sls_store_backend *be = backends[0]; /* bare paths: SQLite */
    const char *location;
    char scratch[1];
    size_t n;

    if (!why || whylen == 0) {
        why = scratch;
        whylen = sizeof scratch;
    }
    why[0] = '\0';
    if (!opts)
        opts = &defaults;
    if (!out)
        return SLS_ERR_BAD_REQUEST;
    *out = NULL;
    if (!url || !*url)
        return SLS_ERR_BAD_REQUEST;
    n = scheme_len(url);
    location = url;
    if (n > 0) {
        be = NULL;
        for (size_t i = 0; i < NBACKENDS; i++) {
            if (strlen(backends[i]->scheme) == n && strncasecmp(url, backends[i]->scheme, n) == 0) {
                be = backends[i];
                break;
            }
        }
        if (!be) {
            static const char unknown[] = "unknown store scheme";
            size_t m = sizeof unknown - 1 < whylen ? sizeof unknown - 1 : whylen - 1;

            memcpy(why, unknown, m);
            why[m] = '\0';
            return SLS_ERR_BAD_REQUEST;
        }
        location = url + n + 1;
        if (strncmp(location, "//", 2) == 0)
            location += 2;
        if (be->whole_url && *location)
            location = url;
    }
    if (!*location)
        return SLS_ERR_BAD_REQUEST;
    return be->open(location, opts, out, why, whylen);
}

void sls_store_close(struct sls_store *s)
{
    if (!s)
        return;
    s->backend->close(s);
}

int sls_store_read(struct sls_store *s, sls_store_fn fn, void *arg)
{
    if (!s || !fn)
        return SLS_ERR_BAD_REQUEST;
    return remember(s->backend->read(s, fn, arg));
}

int sls_store_write(struct sls_store *s, sls_store_fn fn, void *arg)
{
    if (!s || !fn)
        return SLS_ERR_BAD_REQUEST;
    return remember(s->backend->write(s, fn, arg));
}

int sls_store_scrub(struct sls_store *s)
{
    if (!s)
        return SLS_ERR_BAD_REQUEST;
    return s->backend->scrub ? s->backend->scrub(s) : SLS_OK;
}

int sls_store_health(struct sls_store *s, int64_t now, char *reason, size_t reasonlen)
{
    if (reasonlen > 0)
        reason[0] = '\0';
    if (!s)
        return SLS_ERR_BAD_REQUEST;
    return s->backend->health ? s->backend->health(s, now, reason, reasonlen) : SLS_OK;
}

void sls_store_url_for_log(const char *url, char *out, size_t outlen)
{
    const char *auth = url ? strstr(url, "://") : NULL;
    const char *hide_from = NULL, *hide_to = NULL; /* the userinfo's password */
    size_t o = 0;

    if (outlen == 0)
        return;
    if (!url) {
        out[0] = '\0';
        return;
    }
    if (auth) {
        const char *host = auth + 3;
        const char *end = host + strcspn(host, "/?#");
        const char *at = NULL;

        for (const char *p = host; p < end; p++)
            if (*p == '@')
                at = p; /* the last '@' before the host ends the userinfo */
        if (at) {
            const char *colon = memchr(host, ':', (size_t)(at - host));

            if (colon) {
                hide_from = colon + 1;
                hide_to = at;
            }
        }
    }
    for (const char *p = url; *p && o + 1 < outlen;) {
        if (p == hide_from) {
            for (const char *m = "***"; *m && o + 1 < outlen; m++)
                out[o++] = *m;
            p = hide_to;
            continue;
        }
        /* password=VALUE in the query or in key=value conninfo text. */
        if (strncasecmp(p, "password=", 9) == 0 &&
            (p == url || p[-1] == '?' || p[-1] == '&' || p[-1] == ' ')) {
            for (const char *m = "password=***"; *m && o + 1 < outlen; m++)
                out[o++] = *m;
            p += 9;
            p += strcspn(p, "& ");
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}
