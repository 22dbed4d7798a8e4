/* slsd's configuration file: one table of every key (section, name, type,
 * bounds, default and where it goes in struct sls_config), a line-oriented
 * INI reader, and the checks across keys. Every problem of a file is
 * collected as "file:line: section.key: what is wrong (expected ...)" and all
 * of them are reported at once. */
#include "server/app/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/challenge.h"
#include "core/document_rules.h"
#include "core/identity.h"
#include "crypto/secmem.h"

/* Problems kept in full; past this many the rest are only counted. */
#define PROBLEMS_MAX 100

enum key_type {
    KEY_UINT,     /* a whole number in [min, max], stored times scale */
    KEY_DURATION, /* sls_time in [min, max]; max 0: no bound but the parser's */
    KEY_SIZE,     /* bytes, with an optional KiB or MiB, in [min, max] */
    KEY_BOOL,     /* true or false */
    KEY_ENUM,     /* one of names[], stored as its index */
    KEY_CLOCK,    /* HH:MM UTC, stored as seconds after midnight (int) */
    KEY_DATES,    /* holidays: each line adds its dates */
    KEY_LIMIT,    /* whole US dollars or "unlimited", stored as struct sls_limit */
    KEY_USD,      /* whole US dollars, stored as int64 cents */
    KEY_STRING,   /* non-empty text that fits the field, with an optional rule */
    KEY_CIDRS,    /* addresses and ranges, stored in http.trusted_proxies */
};

#define KEY_SECRET   1u /* the value is never repeated in a message */
#define KEY_REPEAT   2u /* the key may be given more than once in a block */
#define KEY_UPPER    4u /* KEY_STRING: stored upper case */
#define KEY_ZERO_OFF 8u /* KEY_SIZE: 0 (off) is allowed besides min..max */

struct key {
    const char *section;
    const char *name;
    enum key_type type;
    size_t offset; /* of the field in struct sls_config */
    size_t size;   /* of the field */
    long long min, max;
    long long scale;          /* KEY_UINT: stored value = value * scale (0: 1) */
    const char *def;          /* the default, written as in a file; NULL: auto_value */
    long long auto_value;     /* numbers without def: stored as is, resolved at start */
    const char *doc_default;  /* how the documentation shows a default that is not def */
    unsigned flags;           /* KEY_SECRET, KEY_REPEAT, KEY_UPPER */
    bool (*ok)(const char *); /* KEY_STRING: the value's own rule */
    const char *expect;       /* KEY_STRING: what a value looks like */
    const char *const *names; /* KEY_ENUM: the values, NULL-terminated */
};

static bool printable_without_spaces(const char *s);
static bool address_ok(const char *s);
static bool countries_ok(const char *s);
static bool command_ok(const char *s);
static bool host_name_ok(const char *s);
static bool origins_ok(const char *s);

static const char *const lockout_modes[] = {"account", "client", NULL};

#define FIELD(f)                                                                                   \
    .offset = offsetof(struct sls_config, f), .size = sizeof(((struct sls_config *)0)->f)
#define K(sec, key, t, f) .section = sec, .name = key, .type = t, FIELD(f)
#define LIMIT_MAX_USD     1000000000000LL /* USD 1 trillion: the largest [limits] amount */
#define LIMIT_ROW(cls, k, day, five)                                                               \
    {K("limits", cls "_per_day", KEY_LIMIT, limits.per_day[k]), .def = day},                       \
    {                                                                                              \
        K("limits", cls "_per_5_days", KEY_LIMIT, limits.per_5_days[k]), .def = five               \
    }

/* Every key slsd knows. The order is that of docs/configuration.md. */
static const struct key keys[] = {
    {K("server", "listen", KEY_STRING, listen), .def = "127.0.0.1:8080", .expect = "HOST:PORT"},
    {K("server", "admin_listen", KEY_STRING, admin_listen), .def = "127.0.0.1:8081",
     .expect = "HOST:PORT"},
    {K("server", "store", KEY_STRING, store_url), .def = "sqlite:sls.db",
     .expect = "a store URL such as sqlite:PATH or postgresql://..."},
    {K("server", "key_file", KEY_STRING, key_file), .def = "sls.key", .expect = "a path"},
    {K("server", "admin_token_file", KEY_STRING, admin_token_file), .def = "admin.token",
     .expect = "a path"},
    {K("server", "max_body", KEY_UINT, max_body), .min = 1024, .max = 16 * 1024 * 1024,
     .def = "65536"},
    {K("server", "connection_limit", KEY_UINT, connection_limit), .min = 1, .max = 65536,
     .def = "8192"},
    {K("server", "connection_timeout", KEY_UINT, connection_timeout), .min = 1, .max = 3600,
     .def = "30"},

    {K("store", "max_size", KEY_SIZE, store_max_size), .min = 64 * 1024,
     .max = 16384LL * 1024 * 1024 * 1024, .def = "0", .flags = KEY_ZERO_OFF},
    {K("store", "pool", KEY_UINT, store_pool), .min = 1, .max = 1000, .def = "8"},
    {K("store", "timeout", KEY_UINT, store_timeout), .min = 1, .max = 60, .def = "2"},

    {K("security", "argon2_ops", KEY_UINT, pwhash.opslimit), .min = 1, .max = 100, .def = "2"},
    {K("security", "argon2_mem_kib", KEY_UINT, pwhash.memlimit), .min = 8, .max = 4 * 1024 * 1024,
     .scale = 1024, .def = "65536"},

    {K("policy", "lockout_failures", KEY_UINT, lockout.max_failures), .min = 1,
     .max = SLS_LOCKOUT_MAX_TRACKED, .def = "10"},
    {K("policy", "lockout_window", KEY_DURATION, lockout.window), .min = 1, .def = "24h"},
    {K("policy", "lockout_duration", KEY_DURATION, lockout.lock_duration), .min = 1, .def = "24h"},
    {K("policy", "challenge_ttl", KEY_DURATION, challenge_ttl), .min = 1, .def = "300"},
    {K("policy", "login_ttl", KEY_DURATION, login_ttl), .min = 1, .def = "300"},
    {K("policy", "portal_idle", KEY_DURATION, session.portal_idle), .min = 1, .def = "30m"},
    {K("policy", "trading_session", KEY_DURATION, session.trading_lifetime), .min = 1,
     .def = "24h"},
    {K("policy", "ibkey_pin_session", KEY_DURATION, session.ibkey_pin), .min = 1, .def = "12h"},
    {K("policy", "ibkey_biometric_session", KEY_DURATION, session.ibkey_biometric), .min = 1,
     .def = "30h"},
    {K("policy", "identity_ttl", KEY_DURATION, identity_ttl), .min = 1, .def = "15m"},
    {K("policy", "temp_full_access", KEY_DURATION, access.temp_full), .min = 1, .def = "2d"},
    {K("policy", "temp_portal_access", KEY_DURATION, access.temp_portal), .min = 1, .def = "12d"},
    {K("policy", "online_card_lifetime", KEY_DURATION, access.online_card_lifetime), .min = 1,
     .def = "21d"},
    {K("policy", "password_reset_ttl", KEY_DURATION, password_reset_ttl), .min = 1, .def = "30m"},
    {K("policy", "step_up_ttl", KEY_DURATION, step_up_ttl), .min = 1, .def = "5m"},
    {K("policy", "push_cap", KEY_UINT, push.cap), .min = 1, .max = 1000, .def = "5"},
    {K("policy", "push_window", KEY_DURATION, push.window), .min = 1, .def = "10m"},
    {K("policy", "push_ttl", KEY_DURATION, push.ttl), .min = 1, .def = "5m"},
    {K("policy", "signature_skew", KEY_DURATION, push.max_skew), .min = 1, .def = "5m"},
    {K("policy", "sms_code_ttl", KEY_DURATION, sms_code_ttl), .min = 1, .def = "5m"},
    {K("policy", "activation_code_ttl", KEY_DURATION, activation_code_ttl), .min = 1, .def = "10m"},
    {K("policy", "code_tries", KEY_UINT, code_tries), .min = 1, .max = 100, .def = "5"},
    {K("policy", "totp_enrol_ttl", KEY_DURATION, totp_enrol_ttl), .min = 1, .def = "10m"},
    {K("policy", "totp_issuer", KEY_STRING, totp_issuer), .def = "sls",
     .expect = "the name an authenticator app shows above the account"},
    {K("policy", "dsc_plus_auto_activation", KEY_DURATION, dsc_plus.auto_activation), .min = 1,
     .def = "21d"},
    {K("policy", "dsc_plus_first_notice", KEY_DURATION, dsc_plus.first_notice), .min = 1,
     .def = "3d"},
    {K("policy", "dsc_plus_last_notice", KEY_DURATION, dsc_plus.last_notice), .min = 1,
     .def = "1d"},
    {K("policy", "approval_cutoff", KEY_CLOCK, access.cutoff_seconds), .def = "16:00"},
    {K("policy", "holidays", KEY_DATES, holidays), .doc_default = "none", .flags = KEY_REPEAT},

    {K("push", "number_matching", KEY_BOOL, push.number_matching), .def = "true"},

    {K("lockout", "mode", KEY_ENUM, lockout_mode), .def = "account", .names = lockout_modes},
    {K("lockout", "client_token_ttl", KEY_DURATION, client_token_ttl), .min = SLS_HOUR,
     .max = 3650 * SLS_DAY, .def = "90d"},

    LIMIT_ROW("none", SLS_LIMIT_NONE, "50000", "100000"),
    LIMIT_ROW("sms", SLS_LIMIT_SMS, "200000", "600000"),
    LIMIT_ROW("ibkey", SLS_LIMIT_IBKEY, "1000000", "1000000"),
    LIMIT_ROW("scc", SLS_LIMIT_SCC, "200000", "600000"),
    LIMIT_ROW("dsc", SLS_LIMIT_DSC, "1000000", "1500000"),
    LIMIT_ROW("dsc_plus", SLS_LIMIT_DSC_PLUS, "unlimited", "unlimited"),
    LIMIT_ROW("totp", SLS_LIMIT_TOTP, "200000", "600000"),
    LIMIT_ROW("passkey", SLS_LIMIT_PASSKEY, "unlimited", "unlimited"),
    {K("limits", "ach_eft_deposit_cap", KEY_USD, limits.deposit_cap_cents), .def = "20000"},

    {K("documents", "non_european_address", KEY_STRING, documents.non_european_address),
     .def = "newaccounts@example.com", .ok = address_ok,
     .expect = "an e-mail address local@domain without spaces"},
    {K("documents", "european_address", KEY_STRING, documents.european_address),
     .def = "newaccounts.uk@example.co.uk", .ok = address_ok,
     .expect = "an e-mail address local@domain without spaces"},
    {K("documents", "european_countries", KEY_STRING, documents.european_countries),
     .def = SLS_DOCUMENTS_EUROPE_DEFAULT, .doc_default = "EU and EEA members, `GB`, `CH` (below)",
     .ok = countries_ok, .flags = KEY_UPPER,
     .expect = "ISO 3166-1 alpha-2 codes separated by commas, no spaces"},
    {K("documents", "max_message_bytes", KEY_SIZE, documents.max_message_bytes), .min = 64 * 1024,
     .max = 256LL * 1024 * 1024, .def = "25MiB"},
    {K("documents", "max_document_bytes", KEY_SIZE, documents.max_document_bytes), .min = 1024,
     .max = 256LL * 1024 * 1024, .def = "10MiB"},

    {K("delivery", "command", KEY_STRING, delivery.command), .doc_default = "none",
     .ok = command_ok, .expect = "a program path holding a '/', then its arguments"},
    {K("delivery", "webhook", KEY_STRING, delivery.webhook), .doc_default = "none",
     .ok = sls_config_webhook_ok,
     .expect = "https://HOST..., or http:// to localhost, 127.x.x.x or [::1]"},
    {K("delivery", "webhook_token", KEY_STRING, delivery.webhook_token), .doc_default = "none",
     .ok = printable_without_spaces, .flags = KEY_SECRET,
     .expect = "printable characters without spaces"},
    {K("delivery", "timeout", KEY_DURATION, delivery.timeout), .min = 1,
     .max = SLS_DELIVERY_TIMEOUT_MAX, .def = "30s"},
    {K("delivery", "max_attempts", KEY_UINT, delivery.retry.max_attempts), .min = 1,
     .max = SLS_DELIVERY_ATTEMPTS_LIMIT, .def = "10"},
    {K("delivery", "retry_initial", KEY_DURATION, delivery.retry.retry_initial), .min = 1,
     .max = SLS_DELIVERY_RETRY_MAX_LIMIT, .def = "10s"},
    {K("delivery", "retry_max", KEY_DURATION, delivery.retry.retry_max), .min = 1,
     .max = SLS_DELIVERY_RETRY_MAX_LIMIT, .def = "1h"},
    {K("delivery", "retention", KEY_DURATION, delivery.retention), .min = 1,
     .max = SLS_DELIVERY_RETENTION_MAX, .def = "30d"},

    {K("throttle", "per_ip_per_minute", KEY_UINT, throttle.per_ip_per_minute), .min = 1,
     .max = 1000000, .def = "60"},
    {K("throttle", "hashing", KEY_UINT, throttle.hashing), .min = 1, .max = 4096, .auto_value = 0,
     .doc_default = "twice the processors online"},
    {K("throttle", "hashing_queue", KEY_UINT, throttle.hashing_queue), .min = 0, .max = 65536,
     .auto_value = -1, .doc_default = "as many as `hashing`"},
    {K("throttle", "hashing_per_ip", KEY_UINT, throttle.hashing_per_ip), .min = 1, .max = 65536,
     .def = "1"},
    {K("throttle", "queue_wait", KEY_DURATION, throttle.queue_wait), .min = 1, .max = SLS_MINUTE,
     .def = "2s"},
    {K("throttle", "reset_interval", KEY_DURATION, throttle.reset_interval), .min = 1,
     .max = SLS_DAY, .def = "5m"},

    {K("http", "connections_per_ip", KEY_UINT, http.connections_per_ip), .min = 1, .max = 65536,
     .def = "64"},
    {K("http", "trusted_proxies", KEY_CIDRS, http.trusted_proxies), .doc_default = "none"},
    {K("http", "workers", KEY_UINT, http.workers), .min = 1, .max = 256, .auto_value = 0,
     .doc_default = "16 per processor online"},
    {K("http", "worker_queue", KEY_UINT, http.worker_queue), .min = 1, .max = 65536,
     .auto_value = 0, .doc_default = "64 per worker"},
    {K("http", "header_timeout", KEY_DURATION, http.header_timeout), .min = 1,
     .max = 5 * SLS_MINUTE, .def = "10s"},
    {K("http", "admin_connection_limit", KEY_UINT, http.admin_connection_limit), .min = 1,
     .max = 4096, .def = "64"},

    {K("radius", "listen", KEY_STRING, radius.listen), .doc_default = "off", .expect = "HOST:PORT"},

    {K("webauthn", "rp_id", KEY_STRING, webauthn.rp_id), .def = "localhost", .ok = host_name_ok,
     .expect = "a host name (lower-case letters, digits, '-' and '.')"},
    {K("webauthn", "origins", KEY_STRING, webauthn.origins), .ok = origins_ok,
     .doc_default = "`https://` and the RP ID",
     .expect = "origins such as https://sls.example, separated by commas or spaces"},
};

/* The keys of a [radius.client NAME] section (SPEC §10.4). */
#define RADIUS_CLIENT_PREFIX "radius.client "
enum { RC_ADDRESS = 0, RC_SECRET, RC_PLATFORM, RC__COUNT };
static const char *const radius_client_keys[RC__COUNT] = {"address", "secret", "platform"};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* ---- value parsers ---- */

int sls_config_parse_duration(const char *s, sls_time *out)
{
    char *end = NULL;
    long long v;
    sls_time mult = 1;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || v < 0)
        return -1;
    if (*end != '\0') {
        switch (*end) {
        case 's':
            mult = 1;
            break;
        case 'm':
            mult = SLS_MINUTE;
            break;
        case 'h':
            mult = SLS_HOUR;
            break;
        case 'd':
            mult = SLS_DAY;
            break;
        default:
            return -1;
        }
        if (end[1] != '\0')
            return -1;
    }
    if (v > INT64_MAX / mult / 1000)
        return -1;
    *out = (sls_time)v * mult;
    return 0;
}

int sls_config_parse_size(const char *s, unsigned long long *out)
{
    char *end = NULL;
    unsigned long long v, mult = 1;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    if (strcmp(end, "KiB") == 0)
        mult = 1024;
    else if (strcmp(end, "MiB") == 0)
        mult = 1024 * 1024;
    else if (*end != '\0')
        return -1;
    if (v > UINT64_MAX / mult)
        return -1;
    *out = v * mult;
    return 0;
}

/* Digits only. Returns 0 or -1. */
static int parse_uint(const char *s, unsigned long long *out)
{
    char *end = NULL;
    unsigned long long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int copy_str(char *dst, size_t dstlen, const char *src)
{
    size_t n = strlen(src);
    if (n == 0 || n >= dstlen)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

static bool printable_without_spaces(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

/* A host name as a WebAuthn RP ID: lower-case letters, digits, '-' and '.',
 * not starting or ending with a dot. */
static bool host_name_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '.'))
            return false;
    return true;
}

/* Origins as WebAuthn reports them: each "https://" or "http://" and a host
 * with an optional port, nothing after; separated by commas or spaces. */
static bool origins_ok(const char *s)
{
    char one[256];
    size_t n = 0;

    for (;;) {
        size_t len = strcspn(s, ", ");

        if (len > 0) {
            const char *host;
            if (len >= sizeof(one))
                return false;
            memcpy(one, s, len);
            one[len] = '\0';
            if (strncmp(one, "https://", 8) == 0)
                host = one + 8;
            else if (strncmp(one, "http://", 7) == 0)
                host = one + 7;
            else
                return false;
            if (host[0] == '\0' ||
                strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789-.:[]") != strlen(host))
                return false;
            n++;
        }
        if (s[len] == '\0')
            break;
        s += len + 1;
    }
    return n > 0;
}

/* An e-mail address as configured: local@domain, no spaces or controls. */
static bool address_ok(const char *s)
{
    const char *at = strchr(s, '@');

    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == 0x7f || *s == '<' || *s == '>' || *s == ',')
            return false;
    return true;
}

static bool countries_ok(const char *s)
{
    return sls_doc_country_list_check(s) == 0;
}

/* The program is a path (no search of PATH): it holds a '/'. */
static bool command_ok(const char *s)
{
    return s[0] != ' ' && strchr(s, '/') != NULL && strpbrk(s, "\t\r\n") == NULL;
}

/* "localhost", "127.x.y.z" or "[::1]", followed by ':' (a port), '/' or the end. */
static bool loopback_host(const char *h)
{
    static const char *const names[] = {"localhost", "[::1]"};
    size_t n;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        n = strlen(names[i]);
        if (strncmp(h, names[i], n) == 0 && (h[n] == '\0' || h[n] == ':' || h[n] == '/'))
            return true;
    }
    if (strncmp(h, "127.", 4) != 0)
        return false;
    n = 4 + strspn(h + 4, "0123456789.");
    return h[n] == '\0' || h[n] == ':' || h[n] == '/';
}

bool sls_config_webhook_ok(const char *url)
{
    if (!printable_without_spaces(url))
        return false;
    if (strncmp(url, "https://", 8) == 0)
        return url[8] != '\0' && url[8] != '/' && url[8] != ':';
    if (strncmp(url, "http://", 7) == 0)
        return loopback_host(url + 7);
    return false;
}

/* R33: "2026-12-25, 2027-01-01" (commas and/or spaces between dates) added
 * to h. */
static int parse_holidays(const char *s, struct sls_holidays *h)
{
    char date[11];
    int64_t day;
    size_t n;
    bool any = false;

    for (;;) {
        s += strspn(s, ", ");
        if (*s == '\0')
            return any ? 0 : -1;
        n = strcspn(s, ", ");
        if (n != 10)
            return -1;
        memcpy(date, s, 10);
        date[10] = '\0';
        if (sls_date_parse(date, &day) != 0 || sls_holidays_add(h, day) != 0)
            return -1;
        any = true;
        s += n;
    }
}

/* "16:00" -> seconds after midnight. */
static int parse_time_of_day(const char *s, int *out)
{
    unsigned h, m;

    /* Exactly HH:MM. */
    if (strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789") != 2 ||
        strspn(s + 3, "0123456789") != 2)
        return -1;
    h = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
    m = (unsigned)(s[3] - '0') * 10 + (unsigned)(s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *out = (int)(h * 3600 + m * 60);
    return 0;
}

/* ---- the table applied ---- */

/* Stores a number into a field of 4 or 8 bytes (int, unsigned, size_t,
 * sls_time, unsigned long long: all hold v, which is within the key's bounds). */
static void store_number(void *field, size_t size, long long v)
{
    if (size == sizeof(int32_t)) {
        int32_t x = (int32_t)v;
        memcpy(field, &x, sizeof(x));
    } else {
        int64_t x = v;
        memcpy(field, &x, sizeof(x));
    }
}

/* 90d, 1h, 10m or 45s: the largest unit that divides t. */
static void format_duration(sls_time t, char *out, size_t n)
{
    if (t != 0 && t % SLS_DAY == 0)
        snprintf(out, n, "%lldd", (long long)(t / SLS_DAY));
    else if (t != 0 && t % SLS_HOUR == 0)
        snprintf(out, n, "%lldh", (long long)(t / SLS_HOUR));
    else if (t != 0 && t % SLS_MINUTE == 0)
        snprintf(out, n, "%lldm", (long long)(t / SLS_MINUTE));
    else
        snprintf(out, n, "%llds", (long long)t);
}

static void format_size(long long b, char *out, size_t n)
{
    if (b != 0 && b % (1024 * 1024) == 0)
        snprintf(out, n, "%lldMiB", b / (1024 * 1024));
    else if (b != 0 && b % 1024 == 0)
        snprintf(out, n, "%lldKiB", b / 1024);
    else
        snprintf(out, n, "%lld", b);
}

/* What a value of k looks like, for messages: "expected ...". */
static void describe(const struct key *k, char *out, size_t n)
{
    char lo[32], hi[32];

    switch (k->type) {
    case KEY_UINT:
        snprintf(out, n, "a whole number from %lld to %lld", k->min, k->max);
        return;
    case KEY_DURATION:
        format_duration(k->min, lo, sizeof(lo));
        if (k->max == 0) {
            snprintf(out, n, "a duration such as 300, 300s, 5m, 24h or 2d, at least %s", lo);
            return;
        }
        format_duration(k->max, hi, sizeof(hi));
        snprintf(out, n, "a duration such as 300, 300s, 5m, 24h or 2d, from %s to %s", lo, hi);
        return;
    case KEY_SIZE:
        format_size(k->min, lo, sizeof(lo));
        format_size(k->max, hi, sizeof(hi));
        snprintf(out, n, "a size in bytes, KiB or MiB, %sfrom %s to %s",
                 (k->flags & KEY_ZERO_OFF) ? "0 (no limit) or " : "", lo, hi);
        return;
    case KEY_BOOL:
        snprintf(out, n, "true or false");
        return;
    case KEY_ENUM: {
        size_t len = 0;
        out[0] = '\0';
        for (size_t i = 0; k->names[i] != NULL && len < n; i++)
            len += (size_t)snprintf(out + len, n - len, "%s%s",
                                    i == 0                    ? ""
                                    : k->names[i + 1] == NULL ? " or "
                                                              : ", ",
                                    k->names[i]);
        return;
    }
    case KEY_CLOCK:
        snprintf(out, n, "HH:MM from 00:00 to 23:59");
        return;
    case KEY_DATES:
        snprintf(out, n, "dates YYYY-MM-DD separated by commas or spaces, at most %d in all",
                 SLS_HOLIDAYS_MAX);
        return;
    case KEY_LIMIT:
        snprintf(out, n, "whole US dollars from 0 to %lld, or unlimited", LIMIT_MAX_USD);
        return;
    case KEY_USD:
        snprintf(out, n, "whole US dollars from 0 to %lld", LIMIT_MAX_USD);
        return;
    case KEY_STRING:
        snprintf(out, n, "%s, at most %zu characters", k->expect, k->size - 1);
        return;
    case KEY_CIDRS:
        snprintf(out, n, "addresses or CIDR ranges separated by commas or spaces, at most %d",
                 SLS_TRUSTED_PROXIES_MAX);
        return;
    }
}

/* What is wrong with a value. */
enum bad_value { VALUE_OK = 0, VALUE_INVALID, VALUE_OUT_OF_RANGE, VALUE_EMPTY, VALUE_TOO_LONG };

/* Sets k's field from the text v; the field is unchanged unless VALUE_OK. */
static enum bad_value set_value(struct sls_config *c, const struct key *k, const char *v)
{
    char *field = (char *)c + k->offset;
    unsigned long long u;
    sls_time d;
    switch (k->type) {
    case KEY_UINT:
        if (parse_uint(v, &u) != 0)
            break;
        if (u < (unsigned long long)k->min || u > (unsigned long long)k->max) {
            return VALUE_OUT_OF_RANGE;
        }
        store_number(field, k->size, (long long)u * (k->scale ? k->scale : 1));
        return 0;
    case KEY_DURATION:
        if (sls_config_parse_duration(v, &d) != 0)
            break;
        if (d < k->min || (k->max > 0 && d > k->max)) {
            return VALUE_OUT_OF_RANGE;
        }
        store_number(field, k->size, d);
        return 0;
    case KEY_SIZE:
        if (sls_config_parse_size(v, &u) != 0)
            break;
        if (u == 0 && (k->flags & KEY_ZERO_OFF)) {
            store_number(field, k->size, 0);
            return 0;
        }
        if (u < (unsigned long long)k->min || u > (unsigned long long)k->max) {
            return VALUE_OUT_OF_RANGE;
        }
        store_number(field, k->size, (long long)u);
        return 0;
    case KEY_BOOL: {
        bool b;
        if (strcmp(v, "true") == 0)
            b = true;
        else if (strcmp(v, "false") == 0)
            b = false;
        else
            break;
        memcpy(field, &b, sizeof(b));
        return 0;
    }
    case KEY_ENUM:
        for (size_t i = 0; k->names[i] != NULL; i++)
            if (strcmp(v, k->names[i]) == 0) {
                store_number(field, k->size, (long long)i);
                return 0;
            }
        break;
    case KEY_CLOCK: {
        int secs;
        if (parse_time_of_day(v, &secs) != 0)
            break;
        memcpy(field, &secs, sizeof(secs));
        return 0;
    }
    case KEY_DATES: {
        struct sls_holidays h = c->holidays;
        if (parse_holidays(v, &h) != 0)
            break;
        c->holidays = h;
        return 0;
    }
    case KEY_LIMIT:
    case KEY_USD: {
        struct sls_limit l = {.unlimited = false, .cents = 0};
        if (k->type == KEY_LIMIT && strcmp(v, "unlimited") == 0) {
            l.unlimited = true;
        } else if (parse_uint(v, &u) == 0 && u <= (unsigned long long)LIMIT_MAX_USD) {
            l.cents = (int64_t)u * 100;
        } else {
            break;
        }
        if (k->type == KEY_LIMIT)
            memcpy(field, &l, sizeof(l));
        else
            memcpy(field, &l.cents, sizeof(l.cents));
        return 0;
    }
    case KEY_STRING:
        if (v[0] == '\0') {
            return VALUE_EMPTY;
        }
        if (strlen(v) >= k->size) {
            return VALUE_TOO_LONG;
        }
        if (k->ok != NULL && !k->ok(v))
            break;
        if (copy_str(field, k->size, v) != 0)
            break;
        if (k->flags & KEY_UPPER)
            for (char *p = field; *p; p++)
                *p = (char)toupper((unsigned char)*p);
        return 0;
    case KEY_CIDRS: {
        struct sls_cidr list[SLS_TRUSTED_PROXIES_MAX];
        size_t n = 0;
        if (sls_cidr_list_parse(v, list, SLS_TRUSTED_PROXIES_MAX, &n) != 0)
            break;
        memcpy(c->http.trusted_proxies, list, sizeof(list));
        c->http.ntrusted_proxies = n;
        return 0;
    }
    }
    return VALUE_INVALID;
}

void sls_config_default(struct sls_config *c)
{
    memset(c, 0, sizeof(*c));
    /* The core's policies hold a few numbers no key sets (the DSC+ deposit...). */
    sls_pwhash_cost_default(&c->pwhash);
    sls_lockout_policy_default(&c->lockout);
    sls_session_policy_default(&c->session);
    sls_access_policy_default(&c->access);
    sls_push_policy_default(&c->push);
    sls_dsc_plus_policy_default(&c->dsc_plus);
    sls_delivery_policy_default(&c->delivery.retry);
    sls_limit_policy_default(&c->limits);
    /* Every key's default comes from the table (a unit test holds it to the
     * core's numbers and to docs/configuration.md). */
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key *k = &keys[i];
        if (k->def != NULL)
            (void)set_value(c, k, k->def);
        else if (k->type == KEY_UINT)
            store_number((char *)c + k->offset, k->size, k->auto_value);
    }
}

bool sls_config_key_at(size_t i, struct sls_config_key_doc *out)
{
    if (i >= NKEYS)
        return false;
    out->section = keys[i].section;
    out->name = keys[i].name;
    out->def = keys[i].def;
    out->doc_default = keys[i].doc_default;
    return true;
}

void sls_config_wipe(struct sls_config *c)
{
    sls_wipe(c->delivery.webhook_token, sizeof(c->delivery.webhook_token));
    for (size_t i = 0; i < c->radius.nclients; i++)
        sls_wipe(c->radius.clients[i].secret, sizeof(c->radius.clients[i].secret));
}

int sls_config_add_agent(struct sls_config *c, const char *name, const char *token_hash)
{
    size_t i;

    if (c->nagents >= SLS_CONFIG_MAX_AGENTS)
        return -1;
    /* Names and tokens are both unique: the audit must name the right agent. */
    for (i = 0; i < c->nagents; i++)
        if (strcmp(c->agents[i].name, name) == 0 ||
            strcmp(c->agents[i].token_hash, token_hash) == 0)
            return -1;
    if (copy_str(c->agents[c->nagents].name, sizeof(c->agents[0].name), name) != 0)
        return -1;
    if (strlen(token_hash) != 64 || strspn(token_hash, "0123456789abcdef") != 64)
        return -1;
    memcpy(c->agents[c->nagents].token_hash, token_hash, 65);
    c->nagents++;
    return 0;
}

/* ---- reading a file ---- */

struct loader {
    struct sls_config *c;
    const char *path;
    int line;
    char *text; /* the problems, one a line */
    size_t len, cap;
    size_t nproblems;
    bool oom;
    char section[64];
    enum { NO_SECTION, KNOWN, AGENTS, RADIUS_CLIENT, SKIPPED } state;
    int block; /* the number of the current [section] line */
    long prev; /* the key of the last key line of the block: index, -1 none, -2 an agent */
    int key_line[NKEYS];
    int key_block[NKEYS];
    bool key_bad[NKEYS];
    int agent_line[SLS_CONFIG_MAX_AGENTS];
    int client_line[SLS_RADIUS_CLIENTS_MAX];           /* its [radius.client] line */
    int client_key[SLS_RADIUS_CLIENTS_MAX][RC__COUNT]; /* the line of each key, 0: unset */
    bool client_bad[SLS_RADIUS_CLIENTS_MAX];
};

/* Adds "path:line: ..." (line 0: "path: ...") to the problems. */
__attribute__((format(printf, 3, 4))) static void problem(struct loader *l, int line,
                                                          const char *fmt, ...)
{
    char msg[1024];
    int n;
    va_list ap;

    l->nproblems++;
    if (l->nproblems > PROBLEMS_MAX || l->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (;;) {
        size_t room = l->cap - l->len;
        n = line > 0 ? snprintf(l->text + l->len, room, "%s:%d: %s\n", l->path, line, msg)
                     : snprintf(l->text + l->len, room, "%s: %s\n", l->path, msg);
        if (n >= 0 && (size_t)n < room)
            break;
        char *more = realloc(l->text, l->cap * 2 + (size_t)n + 1);
        if (more == NULL) {
            l->oom = true;
            return;
        }
        l->text = more;
        l->cap = l->cap * 2 + (size_t)n + 1;
    }
    l->len += (size_t)n;
}

/* A value as shown in a message: quoted, at most 60 characters, controls as '?'. */
static void shown(const char *v, char *out, size_t n)
{
    size_t i, len = strlen(v);

    snprintf(out, n, "\"%.60s%s\"", v, len > 60 ? "..." : "");
    for (i = 1; out[i]; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = '?';
}

/* Like inih: the first of chars, or an inline comment (';' after a space). */
static char *find_chars_or_comment(char *s, const char *chars)
{
    bool was_space = false;

    while (*s && (chars == NULL || strchr(chars, *s) == NULL) && !(was_space && *s == ';')) {
        was_space = isspace((unsigned char)*s) != 0;
        s++;
    }
    return s;
}

static char *rstrip(char *s)
{
    char *p = s + strlen(s);
    while (p > s && isspace((unsigned char)p[-1]))
        *--p = '\0';
    return s;
}

static char *lskip(char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

static long find_key(const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return (long)i;
    return -1;
}

static bool section_known(const char *section)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0)
            return true;
    return false;
}

/* Edit distance of a and b, when at most 2 (else 3): for "did you mean". */
static int near(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int row[64], prev, tmp;

    if (la >= 64 || lb >= 64 || (la > lb ? la - lb : lb - la) > 2)
        return 3;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            tmp = row[j];
            int best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb] > 2 ? 3 : row[lb];
}

static void unknown_key(struct loader *l, const char *name)
{
    const char *best = NULL;
    int dist = 3;

    for (size_t i = 0; i < NKEYS; i++) {
        int d;
        if (strcmp(keys[i].section, l->section) != 0)
            continue;
        d = near(name, keys[i].name);
        if (d < dist) {
            dist = d;
            best = keys[i].name;
        }
    }
    if (best != NULL)
        problem(l, l->line, "%s.%s: unknown key (did you mean %s?)", l->section, name, best);
    else
        problem(l, l->line, "%s.%s: unknown key", l->section, name);
}

/* [agents] NAME = SHA-256 of the token. The value is never shown: a token in
 * clear may have been written there by mistake. */
static void agent_line(struct loader *l, const char *name, const char *value)
{
    struct sls_config *c = l->c;
    size_t i;

    for (i = 0; i < c->nagents; i++) {
        if (strcmp(c->agents[i].name, name) == 0) {
            problem(l, l->line, "agents.%s: named twice (first at line %d)", name,
                    l->agent_line[i]);
            return;
        }
    }
    if (strlen(name) >= sizeof(c->agents[0].name)) {
        problem(l, l->line, "agents.%.63s...: name too long (expected at most %zu characters)",
                name, sizeof(c->agents[0].name) - 1);
        return;
    }
    if (strlen(value) != 64 || strspn(value, "0123456789abcdef") != 64) {
        problem(l, l->line,
                "agents.%s: bad value (not shown) (expected the SHA-256 of the token: 64 "
                "characters 0-9a-f)",
                name);
        return;
    }
    for (i = 0; i < c->nagents; i++) {
        if (strcmp(c->agents[i].token_hash, value) == 0) {
            problem(l, l->line, "agents.%s: same token as agents.%s (expected a token per agent)",
                    name, c->agents[i].name);
            return;
        }
    }
    if (c->nagents >= SLS_CONFIG_MAX_AGENTS) {
        problem(l, l->line, "agents.%s: too many agents (expected at most %d)", name,
                SLS_CONFIG_MAX_AGENTS);
        return;
    }
    l->agent_line[c->nagents] = l->line;
    (void)sls_config_add_agent(c, name, value);
}

/* A name of a RADIUS client: letters, digits, '-', '_' and '.'. */
static bool client_name_ok(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n < 64 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

/* [radius.client NAME]: a new client, its keys to follow. */
static void radius_client_section(struct loader *l, const char *name)
{
    struct sls_radius_config *r = &l->c->radius;
    size_t i;

    l->state = SKIPPED;
    if (!client_name_ok(name)) {
        problem(l, l->line,
                "[radius.client %.60s]: bad name (expected 1 to 63 letters, digits, '-', '_' or "
                "'.')",
                name);
        return;
    }
    for (i = 0; i < r->nclients; i++) {
        if (strcmp(r->clients[i].name, name) == 0) {
            problem(l, l->line, "[radius.client %s]: named twice (first at line %d)", name,
                    l->client_line[i]);
            return;
        }
    }
    if (r->nclients >= SLS_RADIUS_CLIENTS_MAX) {
        problem(l, l->line, "[radius.client %s]: too many clients (expected at most %d)", name,
                SLS_RADIUS_CLIENTS_MAX);
        return;
    }
    memset(&r->clients[r->nclients], 0, sizeof(r->clients[0]));
    memcpy(r->clients[r->nclients].name, name, strlen(name) + 1);
    r->clients[r->nclients].platform = SLS_PLATFORM_PORTAL;
    l->client_line[r->nclients] = l->line;
    r->nclients++;
    l->state = RADIUS_CLIENT;
}

/* A key of the current [radius.client NAME] section. The secret is never
 * shown. */
static void radius_client_line(struct loader *l, const char *name, const char *value)
{
    size_t ci = l->c->radius.nclients - 1, k;
    struct sls_radius_client *rc = &l->c->radius.clients[ci];
    char val[80];

    for (k = 0; k < RC__COUNT; k++)
        if (strcmp(name, radius_client_keys[k]) == 0)
            break;
    if (k == RC__COUNT) {
        problem(l, l->line,
                "radius.client.%s.%.60s: unknown key (expected address, secret or "
                "platform)",
                rc->name, name);
        l->client_bad[ci] = true;
        return;
    }
    if (l->client_key[ci][k] != 0) {
        problem(l, l->line, "radius.client.%s.%s: set twice (first at line %d)", rc->name, name,
                l->client_key[ci][k]);
        l->client_bad[ci] = true;
        return;
    }
    l->client_key[ci][k] = l->line;
    shown(value, val, sizeof(val));
    switch (k) {
    case RC_ADDRESS:
        if (sls_cidr_parse(value, &rc->address) != 0) {
            problem(l, l->line,
                    "radius.client.%s.address: %s is not valid (expected an address or a CIDR "
                    "range such as 192.0.2.0/24)",
                    rc->name, val);
            l->client_bad[ci] = true;
        }
        return;
    case RC_SECRET:
        if (strlen(value) < SLS_RADIUS_SECRET_MIN || strlen(value) > SLS_RADIUS_SECRET_MAX ||
            !printable_without_spaces(value)) {
            problem(l, l->line,
                    "radius.client.%s.secret: the value (not shown) is not valid (expected %d to "
                    "%d printable characters without spaces)",
                    rc->name, SLS_RADIUS_SECRET_MIN, SLS_RADIUS_SECRET_MAX);
            l->client_bad[ci] = true;
            return;
        }
        memcpy(rc->secret, value, strlen(value) + 1);
        return;
    default:
        if (sls_platform_parse(value, &rc->platform) != 0) {
            problem(l, l->line,
                    "radius.client.%s.platform: %s is not valid (expected portal or trading)",
                    rc->name, val);
            l->client_bad[ci] = true;
        }
        return;
    }
}

/* Every RADIUS client needs its address and its secret. */
static void check_radius_clients(struct loader *l)
{
    for (size_t i = 0; i < l->c->radius.nclients; i++) {
        if (l->client_bad[i])
            continue;
        if (l->client_key[i][RC_ADDRESS] == 0 || l->client_key[i][RC_SECRET] == 0)
            problem(l, l->client_line[i],
                    "[radius.client %s]: needs address and secret (expected both keys)",
                    l->c->radius.clients[i].name);
    }
}

/* A key line of a known section, or an indented line continuing the last key. */
static void key_line(struct loader *l, const char *name, const char *value, bool continuation)
{
    char expect[256], val[80];
    enum bad_value why;
    long i;
    const struct key *k;

    if (l->state == AGENTS) {
        agent_line(l, name, value);
        return;
    }
    if (l->state == RADIUS_CLIENT) {
        radius_client_line(l, name, value);
        return;
    }
    i = find_key(l->section, name);
    if (i < 0) {
        unknown_key(l, name);
        return;
    }
    k = &keys[i];
    if (continuation && !(k->flags & KEY_REPEAT)) {
        problem(l, l->line,
                "%s.%s: indented line continues a key that takes one value (expected every key "
                "at the start of its line)",
                k->section, k->name);
        l->key_bad[i] = true;
        return;
    }
    if (l->key_block[i] == l->block && !(k->flags & KEY_REPEAT)) {
        problem(l, l->line, "%s.%s: set twice in one [%s] block (first at line %d)", k->section,
                k->name, k->section, l->key_line[i]);
        l->key_bad[i] = true;
        return;
    }
    l->key_line[i] = l->line;
    l->key_block[i] = l->block;
    l->prev = i;
    why = set_value(l->c, k, value);
    if (why == VALUE_OK)
        return;
    l->key_bad[i] = true;
    describe(k, expect, sizeof(expect));
    if (k->flags & KEY_SECRET)
        snprintf(val, sizeof(val), "the value (not shown)");
    else
        shown(value, val, sizeof(val));
    problem(l, l->line, "%s.%s: %s%s (expected %s)", k->section, k->name,
            why == VALUE_EMPTY ? "" : val,
            why == VALUE_EMPTY          ? "empty value"
            : why == VALUE_OUT_OF_RANGE ? " is out of range"
            : why == VALUE_TOO_LONG     ? " is too long"
                                        : " is not valid",
            expect);
}

static void section_line(struct loader *l, char *start)
{
    char *end = find_chars_or_comment(start + 1, "]");
    size_t n;

    l->block++;
    l->prev = -1;
    if (*end != ']') {
        problem(l, l->line, "section line without ']' (expected [section])");
        l->state = SKIPPED;
        return;
    }
    *end = '\0';
    n = strlen(start + 1);
    if (*lskip(end + 1) != '\0' && *lskip(end + 1) != ';')
        problem(l, l->line, "[%.60s]: text after ']' (expected only a comment)", start + 1);
    if (strncmp(start + 1, RADIUS_CLIENT_PREFIX, strlen(RADIUS_CLIENT_PREFIX)) == 0) {
        radius_client_section(l, lskip(start + 1 + strlen(RADIUS_CLIENT_PREFIX)));
        return;
    }
    if (n >= sizeof(l->section) ||
        (strcmp(start + 1, "agents") != 0 && !section_known(start + 1))) {
        problem(l, l->line, "[%.60s%s]: unknown section", start + 1, n > 60 ? "..." : "");
        l->state = SKIPPED;
        return;
    }
    memcpy(l->section, start + 1, n + 1);
    l->state = strcmp(l->section, "agents") == 0 ? AGENTS : KNOWN;
}

static void one_line(struct loader *l, char *line)
{
    char *start = lskip(rstrip(line)), *end, *value;

    if (*start == '\0' || *start == ';' || *start == '#')
        return;
    if (start > line && l->prev != -1 && (l->state == KNOWN || l->state == AGENTS)) {
        /* An indented line continues the last key (as inih and Python's configparser). */
        end = find_chars_or_comment(start, NULL);
        *end = '\0';
        rstrip(start);
        if (l->prev >= 0)
            key_line(l, keys[l->prev].name, start, true);
        else
            problem(l, l->line,
                    "agents: indented line continues an agent (expected every key at the start "
                    "of its line)");
        return;
    }
    if (*start == '[') {
        section_line(l, start);
        return;
    }
    end = find_chars_or_comment(start, "=:");
    if (*end != '=' && *end != ':') {
        problem(l, l->line, "malformed line (expected [section], key = value or a comment)");
        return;
    }
    *end = '\0';
    rstrip(start);
    value = end + 1;
    end = find_chars_or_comment(value, NULL);
    *end = '\0';
    value = rstrip(lskip(value));
    if (*start == '\0') {
        problem(l, l->line, "no key before '%c' (expected key = value)", '=');
        return;
    }
    l->prev = -1; /* set again once the key is known */
    switch (l->state) {
    case NO_SECTION:
        problem(l, l->line, "%.60s: key outside any section (expected a [section] line before it)",
                start);
        return;
    case SKIPPED:
        return; /* its section was reported */
    case AGENTS:
        l->prev = -2;
        break;
    case KNOWN:
    case RADIUS_CLIENT:
        break;
    }
    key_line(l, start, value, false);
}

/* Reads one line of at most SLS_CONFIG_LINE_MAX characters into buf (which
 * holds SLS_CONFIG_LINE_MAX + 1); a longer one is consumed to its end and
 * *too_long set. Returns false at the end of the file. */
static bool read_line(FILE *f, char *buf, size_t *len, bool *too_long)
{
    int ch;
    size_t n = 0;

    *too_long = false;
    while ((ch = getc(f)) != EOF && ch != '\n') {
        if (n < SLS_CONFIG_LINE_MAX)
            buf[n++] = (char)ch;
        else
            *too_long = true;
    }
    buf[n] = '\0';
    *len = n;
    return ch != EOF || n > 0 || *too_long;
}

/* ---- checks across keys ---- */

static int line_of(const struct loader *l, const char *section, const char *name)
{
    long i = find_key(section, name);
    return i < 0 ? 0 : l->key_line[i];
}

static bool bad(const struct loader *l, const char *section, const char *name)
{
    long i = find_key(section, name);
    return i >= 0 && l->key_bad[i];
}

/* The later of the lines that set a and b: the one that made them disagree. */
static int later(const struct loader *l, const char *section, const char *a, const char *b)
{
    int la = line_of(l, section, a), lb = line_of(l, section, b);
    return la > lb ? la : lb;
}

static void check_limits(struct loader *l)
{
    const struct sls_limit_policy *p = &l->c->limits;
    char day[40], five[40];

    for (int k = 0; k < SLS_LIMIT__COUNT; k++) {
        const struct sls_limit *d = &p->per_day[k], *f = &p->per_5_days[k];
        const char *cls = sls_limit_class_name((enum sls_limit_class)k);
        snprintf(day, sizeof(day), "%s_per_day", cls);
        snprintf(five, sizeof(five), "%s_per_5_days", cls);
        if (bad(l, "limits", day) || bad(l, "limits", five))
            continue;
        if (f->unlimited || (!d->unlimited && d->cents <= f->cents))
            continue;
        problem(l, later(l, "limits", day, five),
                "limits.%s: must not be larger than limits.%s (expected at most the 5-day limit)",
                day, five);
    }
}

static void check_across(struct loader *l)
{
    const struct sls_config *c = l->c;

    if (!bad(l, "documents", "max_document_bytes") && !bad(l, "documents", "max_message_bytes") &&
        c->documents.max_document_bytes > c->documents.max_message_bytes)
        problem(l, later(l, "documents", "max_document_bytes", "max_message_bytes"),
                "documents.max_document_bytes: must not be larger than "
                "documents.max_message_bytes");
    if (!bad(l, "documents", "european_address") && !bad(l, "documents", "non_european_address") &&
        sls_doc_address_equal(c->documents.european_address, c->documents.non_european_address))
        problem(l, later(l, "documents", "european_address", "non_european_address"),
                "documents.european_address: must differ from documents.non_european_address "
                "(compared without regard to case)");
    if (!bad(l, "policy", "temp_portal_access") && !bad(l, "policy", "temp_full_access") &&
        c->access.temp_portal < c->access.temp_full)
        problem(l, later(l, "policy", "temp_portal_access", "temp_full_access"),
                "policy.temp_portal_access: must not be shorter than policy.temp_full_access");
    check_limits(l);
    check_radius_clients(l);
    if (!bad(l, "policy", "dsc_plus_first_notice") && !bad(l, "policy", "dsc_plus_last_notice") &&
        !bad(l, "policy", "dsc_plus_auto_activation") &&
        (c->dsc_plus.first_notice <= c->dsc_plus.last_notice ||
         c->dsc_plus.first_notice >= c->dsc_plus.auto_activation)) {
        int a = later(l, "policy", "dsc_plus_first_notice", "dsc_plus_last_notice");
        int b = line_of(l, "policy", "dsc_plus_auto_activation");
        problem(l, a > b ? a : b,
                "policy.dsc_plus_first_notice: must be longer than policy.dsc_plus_last_notice "
                "and shorter than policy.dsc_plus_auto_activation");
    }
    if (c->delivery.command[0] && c->delivery.webhook[0])
        problem(l, later(l, "delivery", "command", "webhook"),
                "delivery: sets both command and webhook (expected one of them)");
    if (c->delivery.webhook_token[0] && !c->delivery.webhook[0] && !bad(l, "delivery", "webhook"))
        problem(l, line_of(l, "delivery", "webhook_token"),
                "delivery.webhook_token: webhook_token needs a webhook (expected delivery.webhook "
                "too)");
    if (!bad(l, "delivery", "retry_max") && !bad(l, "delivery", "retry_initial") &&
        c->delivery.retry.retry_max < c->delivery.retry.retry_initial)
        problem(l, later(l, "delivery", "retry_max", "retry_initial"),
                "delivery.retry_max: must not be shorter than delivery.retry_initial");
}

/* Writes "PATH: N problems:" and the problems into err, cutting at a whole
 * line with a count of what did not fit. */
static void report(const struct loader *l, char *err, size_t errlen)
{
    size_t used, i = 0, shownp = 0;
    int n;

    if (errlen == 0)
        return;
    n = snprintf(err, errlen, "%s: %zu problem%s:", l->path, l->nproblems,
                 l->nproblems == 1 ? "" : "s");
    used = n < 0 ? 0 : (size_t)n < errlen ? (size_t)n : errlen - 1;
    while (l->text != NULL && i < l->len) {
        const char *nl = memchr(l->text + i, '\n', l->len - i);
        size_t linelen = (size_t)(nl - (l->text + i));
        bool last = i + linelen + 1 >= l->len;
        /* Room for this line, and for the count of the others after it. */
        if (used + 1 + linelen + (last ? 0 : 48) >= errlen) {
            if (shownp == 0 && used + 2 < errlen) { /* the first one, cut */
                err[used++] = '\n';
                linelen = errlen - used - 1 < linelen ? errlen - used - 1 : linelen;
                memcpy(err + used, l->text + i, linelen);
                used += linelen;
                err[used] = '\0';
                shownp++;
            }
            break;
        }
        err[used++] = '\n';
        memcpy(err + used, l->text + i, linelen);
        used += linelen;
        err[used] = '\0';
        i += linelen + 1;
        shownp++;
    }
    if (shownp < l->nproblems && used + 48 < errlen)
        snprintf(err + used, errlen - used, "\n... and %zu more", l->nproblems - shownp);
}

int sls_config_load(struct sls_config *c, const char *path, char *err, size_t errlen)
{
    struct loader *l;
    char *buf;
    size_t len;
    bool too_long;
    FILE *f = fopen(path, "r");
    int rc;

    if (f == NULL) {
        snprintf(err, errlen, "cannot read config file %s", path);
        return -1;
    }
    l = calloc(1, sizeof(*l));
    buf = malloc(SLS_CONFIG_LINE_MAX + 1);
    if (l == NULL || buf == NULL) {
        free(l);
        free(buf);
        fclose(f);
        snprintf(err, errlen, "out of memory reading %s", path);
        return -1;
    }
    l->c = c;
    l->path = path;
    l->prev = -1;
    for (size_t i = 0; i < NKEYS; i++)
        l->key_block[i] = -1;
    while (read_line(f, buf, &len, &too_long)) {
        char *start = buf;
        l->line++;
        if (too_long) {
            problem(l, l->line, "line too long (expected at most %d characters)",
                    SLS_CONFIG_LINE_MAX);
            continue;
        }
        if (memchr(buf, '\0', len) != NULL) {
            problem(l, l->line, "line holds a NUL byte (expected text)");
            continue;
        }
        if (l->line == 1 && strncmp(buf, "\xEF\xBB\xBF", 3) == 0)
            start += 3; /* a UTF-8 byte order mark */
        one_line(l, start);
    }
    if (ferror(f))
        problem(l, 0, "read error");
    fclose(f);
    check_across(l);
    if (l->oom)
        snprintf(err, errlen, "%s: %zu problems (out of memory to say which)", path, l->nproblems);
    else if (l->nproblems > 0)
        report(l, err, errlen);
    rc = l->nproblems > 0 ? -1 : 0;
    sls_wipe(buf, SLS_CONFIG_LINE_MAX + 1); /* may hold the webhook token */
    free(buf);
    free(l->text);
    free(l);
    return rc;
}
