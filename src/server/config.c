/* Loading slsd's INI configuration (libinih) with strict checking: every key
 * is known, every number bounded, every duration parsed. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/challenge.h"
#include "core/document_rules.h"
#include "core/identity.h"
#include "crypto/secmem.h"

void sls_config_default(struct sls_config *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
    snprintf(c->admin_listen, sizeof(c->admin_listen), "127.0.0.1:8081");
    snprintf(c->store_url, sizeof(c->store_url), "sqlite:sls.db");
    snprintf(c->key_file, sizeof(c->key_file), "sls.key");
    snprintf(c->admin_token_file, sizeof(c->admin_token_file), "admin.token");
    c->max_body = 64 * 1024;
    c->connection_limit = 8192;
    c->connection_timeout = 30;
    sls_pwhash_cost_default(&c->pwhash);
    sls_lockout_policy_default(&c->lockout);
    c->lockout_mode = SLS_LOCKOUT_MODE_ACCOUNT;
    c->client_token_ttl = 90 * SLS_DAY;
    sls_session_policy_default(&c->session);
    sls_access_policy_default(&c->access);
    c->challenge_ttl = SLS_CHALLENGE_TTL_DEFAULT;
    c->login_ttl = SLS_LOGIN_TTL_DEFAULT;
    c->identity_ttl = SLS_IDENTITY_TTL_DEFAULT;
    snprintf(c->documents.european_address, sizeof(c->documents.european_address),
             "newaccounts.uk@example.co.uk");
    snprintf(c->documents.non_european_address, sizeof(c->documents.non_european_address),
             "newaccounts@example.com");
    snprintf(c->documents.european_countries, sizeof(c->documents.european_countries), "%s",
             SLS_DOCUMENTS_EUROPE_DEFAULT);
    c->documents.max_message_bytes = 25 * 1024 * 1024;
    c->documents.max_document_bytes = 10 * 1024 * 1024;
    c->password_reset_ttl = 30 * SLS_MINUTE;
    c->step_up_ttl = 5 * SLS_MINUTE;
    sls_push_policy_default(&c->push);
    c->sms_code_ttl = 5 * SLS_MINUTE;
    c->activation_code_ttl = 10 * SLS_MINUTE;
    c->code_tries = 5;
    sls_dsc_plus_policy_default(&c->dsc_plus);
    c->delivery.timeout = SLS_DELIVERY_TIMEOUT_DEFAULT;
    c->delivery.retention = SLS_DELIVERY_RETENTION_DEFAULT;
    sls_delivery_policy_default(&c->delivery.retry);
    sls_limit_policy_default(&c->limits);
    c->throttle.per_ip_per_minute = 60;
    c->throttle.hashing = 0;
    c->throttle.hashing_queue = -1;
    c->throttle.queue_wait = 2;
    c->throttle.reset_interval = 5 * SLS_MINUTE;
    c->http.connections_per_ip = 64;
    c->http.header_timeout = 10;
    c->http.admin_connection_limit = 64;
}

void sls_config_wipe(struct sls_config *c)
{
    sls_wipe(c->delivery.webhook_token, sizeof(c->delivery.webhook_token));
}

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

static int parse_uint(const char *s, unsigned long long lo, unsigned long long hi,
                      unsigned long long *out)
{
    char *end = NULL;
    unsigned long long v;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
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

/* An e-mail address as configured: local@domain, no spaces or controls. */
static int parse_address(const char *s, char *dst, size_t dstlen)
{
    const char *at = strchr(s, '@');
    const char *p;

    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
        return -1;
    for (p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',')
            return -1;
    return copy_str(dst, dstlen, s);
}

static int parse_countries(const char *s, char *dst, size_t dstlen)
{
    size_t i;

    if (sls_doc_country_list_check(s) != 0 || copy_str(dst, dstlen, s) != 0)
        return -1;
    for (i = 0; dst[i]; i++)
        if (dst[i] >= 'a' && dst[i] <= 'z')
            dst[i] = (char)(dst[i] - 'a' + 'A');
    return 0;
}

/* R33: "2026-12-25, 2027-01-01" (commas and/or spaces between dates) added
 * to h. The key may repeat: each line adds its dates. */
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

struct load_ctx {
    struct sls_config *c;
    char *err;
    size_t errlen;
    int failed;
};

struct duration_key {
    const char *section;
    const char *name;
    size_t offset;
    sls_time min;
};

#define DUR(sec, key, field, min)                                                                  \
    {                                                                                              \
        sec, key, offsetof(struct sls_config, field), min                                          \
    }

static const struct duration_key durations[] = {
    DUR("policy", "lockout_window", lockout.window, 1),
    DUR("policy", "lockout_duration", lockout.lock_duration, 1),
    DUR("policy", "challenge_ttl", challenge_ttl, 1),
    DUR("policy", "login_ttl", login_ttl, 1),
    DUR("policy", "portal_idle", session.portal_idle, 1),
    DUR("policy", "trading_session", session.trading_lifetime, 1),
    DUR("policy", "ibkey_pin_session", session.ibkey_pin, 1),
    DUR("policy", "ibkey_biometric_session", session.ibkey_biometric, 1),
    DUR("policy", "identity_ttl", identity_ttl, 1),
    DUR("policy", "push_window", push.window, 1),
    DUR("policy", "push_ttl", push.ttl, 1),
    DUR("policy", "signature_skew", push.max_skew, 1),
    DUR("policy", "sms_code_ttl", sms_code_ttl, 1),
    DUR("policy", "activation_code_ttl", activation_code_ttl, 1),
    DUR("policy", "password_reset_ttl", password_reset_ttl, 1),
    DUR("policy", "step_up_ttl", step_up_ttl, 1),
    DUR("policy", "temp_full_access", access.temp_full, 1),
    DUR("policy", "temp_portal_access", access.temp_portal, 1),
    DUR("policy", "online_card_lifetime", access.online_card_lifetime, 1),
    DUR("policy", "dsc_plus_auto_activation", dsc_plus.auto_activation, 1),
    DUR("policy", "dsc_plus_first_notice", dsc_plus.first_notice, 1),
    DUR("policy", "dsc_plus_last_notice", dsc_plus.last_notice, 1),
    DUR("lockout", "client_token_ttl", client_token_ttl, SLS_HOUR),
    DUR("delivery", "retry_initial", delivery.retry.retry_initial, 1),
    DUR("delivery", "retry_max", delivery.retry.retry_max, 1),
    DUR("delivery", "timeout", delivery.timeout, 1),
    DUR("throttle", "queue_wait", throttle.queue_wait, 1),
    DUR("throttle", "reset_interval", throttle.reset_interval, 1),
    DUR("delivery", "retention", delivery.retention, 1),
    DUR("http", "header_timeout", http.header_timeout, 1),
};

/* Upper bounds of the duration keys that have one (0: none). */
static sls_time duration_max(const char *section, const char *name)
{
    if (strcmp(section, "throttle") == 0)
        return strcmp(name, "queue_wait") == 0 ? SLS_MINUTE : SLS_DAY;
    if (strcmp(section, "lockout") == 0)
        return 3650 * SLS_DAY;
    if (strcmp(section, "http") == 0)
        return 5 * SLS_MINUTE;
    if (strcmp(section, "delivery") != 0)
        return 0;
    if (strcmp(name, "retention") == 0)
        return SLS_DELIVERY_RETENTION_MAX;
    return strcmp(name, "timeout") == 0 ? SLS_DELIVERY_TIMEOUT_MAX : SLS_DELIVERY_RETRY_MAX_LIMIT;
}

static bool printable_without_spaces(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
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

static int parse_delivery(struct sls_config *c, const char *name, const char *value, bool *unknown)
{
    struct sls_delivery_config *d = &c->delivery;
    unsigned long long u;

    *unknown = false;
    if (strcmp(name, "command") == 0) {
        /* The program is a path (no search of PATH): it holds a '/'. */
        if (value[0] == ' ' || strchr(value, '/') == NULL || strpbrk(value, "\t\r\n") != NULL)
            return -1;
        return copy_str(d->command, sizeof(d->command), value);
    }
    if (strcmp(name, "webhook") == 0) {
        if (!sls_config_webhook_ok(value))
            return -1;
        return copy_str(d->webhook, sizeof(d->webhook), value);
    }
    if (strcmp(name, "webhook_token") == 0) {
        if (!printable_without_spaces(value))
            return -1;
        return copy_str(d->webhook_token, sizeof(d->webhook_token), value);
    }
    if (strcmp(name, "max_attempts") == 0) {
        if (parse_uint(value, 1, SLS_DELIVERY_ATTEMPTS_LIMIT, &u) != 0)
            return -1;
        d->retry.max_attempts = (int)u;
        return 0;
    }
    *unknown = true;
    return -1;
}

/* The largest amount a [limits] key takes: USD 1 trillion. */
#define LIMIT_MAX_USD 1000000000000ULL

/* A [limits] amount: whole US dollars, or "unlimited" when allowed. */
static int parse_amount(const char *value, bool unlimited_ok, struct sls_limit *out)
{
    unsigned long long usd;

    if (unlimited_ok && strcmp(value, "unlimited") == 0) {
        out->unlimited = true;
        out->cents = 0;
        return 0;
    }
    if (parse_uint(value, 0, LIMIT_MAX_USD, &usd) != 0)
        return -1;
    out->unlimited = false;
    out->cents = (int64_t)usd * 100;
    return 0;
}

/* [limits]: CLASS_per_day, CLASS_per_5_days for each row of the R33 table,
 * and ach_eft_deposit_cap (R31). */
static int parse_limits(struct sls_config *c, const char *name, const char *value, bool *unknown)
{
    struct sls_limit l;
    int k;

    *unknown = false;
    if (strcmp(name, "ach_eft_deposit_cap") == 0) {
        if (parse_amount(value, false, &l) != 0)
            return -1;
        c->limits.deposit_cap_cents = l.cents;
        return 0;
    }
    for (k = 0; k < SLS_LIMIT__COUNT; k++) {
        const char *cls = sls_limit_class_name((enum sls_limit_class)k);
        size_t n = strlen(cls);
        struct sls_limit *slot;
        if (strncmp(name, cls, n) != 0)
            continue;
        if (strcmp(name + n, "_per_day") == 0)
            slot = &c->limits.per_day[k];
        else if (strcmp(name + n, "_per_5_days") == 0)
            slot = &c->limits.per_5_days[k];
        else
            continue; /* "dsc" is a prefix of "dsc_plus" */
        return parse_amount(value, true, slot);
    }
    *unknown = true;
    return -1;
}

/* Each row's day limit fits in its 5-day limit. Returns 0, or -1 with err. */
static int check_limits(const struct sls_limit_policy *p, char *err, size_t errlen)
{
    int k;

    for (k = 0; k < SLS_LIMIT__COUNT; k++) {
        const struct sls_limit *day = &p->per_day[k], *five = &p->per_5_days[k];
        if (five->unlimited || (!day->unlimited && day->cents <= five->cents))
            continue;
        snprintf(err, errlen, "[limits] %s_per_day must not be larger than %s_per_5_days",
                 sls_limit_class_name((enum sls_limit_class)k),
                 sls_limit_class_name((enum sls_limit_class)k));
        return -1;
    }
    return 0;
}

static int handle(void *user, const char *section, const char *name, const char *value)
{
    struct load_ctx *lc = user;
    struct sls_config *c = lc->c;
    unsigned long long u;
    size_t i;

    for (i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
        if (strcmp(section, durations[i].section) == 0 && strcmp(name, durations[i].name) == 0) {
            sls_time d;
            sls_time max = duration_max(section, name);
            if (sls_config_parse_duration(value, &d) != 0 || d < durations[i].min ||
                (max > 0 && d > max))
                goto bad;
            memcpy((char *)c + durations[i].offset, &d, sizeof(d));
            return 1;
        }
    }
    if (strcmp(section, "server") == 0) {
        if (strcmp(name, "listen") == 0) {
            if (copy_str(c->listen, sizeof(c->listen), value) != 0)
                goto bad;
        } else if (strcmp(name, "admin_listen") == 0) {
            if (copy_str(c->admin_listen, sizeof(c->admin_listen), value) != 0)
                goto bad;
        } else if (strcmp(name, "store") == 0) {
            if (copy_str(c->store_url, sizeof(c->store_url), value) != 0)
                goto bad;
        } else if (strcmp(name, "key_file") == 0) {
            if (copy_str(c->key_file, sizeof(c->key_file), value) != 0)
                goto bad;
        } else if (strcmp(name, "admin_token_file") == 0) {
            if (copy_str(c->admin_token_file, sizeof(c->admin_token_file), value) != 0)
                goto bad;
        } else if (strcmp(name, "max_body") == 0) {
            if (parse_uint(value, 1024, 16 * 1024 * 1024, &u) != 0)
                goto bad;
            c->max_body = (size_t)u;
        } else if (strcmp(name, "connection_limit") == 0) {
            if (parse_uint(value, 1, 65536, &u) != 0)
                goto bad;
            c->connection_limit = (unsigned)u;
        } else if (strcmp(name, "connection_timeout") == 0) {
            if (parse_uint(value, 1, 3600, &u) != 0)
                goto bad;
            c->connection_timeout = (unsigned)u;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "security") == 0) {
        if (strcmp(name, "argon2_ops") == 0) {
            if (parse_uint(value, 1, 100, &u) != 0)
                goto bad;
            c->pwhash.opslimit = u;
        } else if (strcmp(name, "argon2_mem_kib") == 0) {
            if (parse_uint(value, 8, 4 * 1024 * 1024, &u) != 0)
                goto bad;
            c->pwhash.memlimit = (size_t)u * 1024;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "policy") == 0) {
        if (strcmp(name, "lockout_failures") == 0) {
            if (parse_uint(value, 1, SLS_LOCKOUT_MAX_TRACKED, &u) != 0)
                goto bad;
            c->lockout.max_failures = (int)u;
        } else if (strcmp(name, "push_cap") == 0) {
            if (parse_uint(value, 1, 1000, &u) != 0)
                goto bad;
            c->push.cap = (size_t)u;
        } else if (strcmp(name, "code_tries") == 0) {
            if (parse_uint(value, 1, 100, &u) != 0)
                goto bad;
            c->code_tries = (int)u;
        } else if (strcmp(name, "approval_cutoff") == 0) {
            if (parse_time_of_day(value, &c->access.cutoff_seconds) != 0)
                goto bad;
        } else if (strcmp(name, "holidays") == 0) {
            if (parse_holidays(value, &c->holidays) != 0)
                goto bad;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "push") == 0) {
        if (strcmp(name, "number_matching") == 0) {
            if (strcmp(value, "true") == 0)
                c->push.number_matching = true;
            else if (strcmp(value, "false") == 0)
                c->push.number_matching = false;
            else
                goto bad;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "lockout") == 0) {
        if (strcmp(name, "mode") == 0) {
            if (sls_lockout_mode_parse(value, &c->lockout_mode) != 0)
                goto bad;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "limits") == 0) {
        bool unknown;
        if (parse_limits(c, name, value, &unknown) != 0) {
            if (unknown)
                goto unknown;
            goto bad;
        }
    } else if (strcmp(section, "delivery") == 0) {
        bool unknown;
        if (parse_delivery(c, name, value, &unknown) != 0) {
            if (unknown)
                goto unknown;
            goto bad;
        }
    } else if (strcmp(section, "documents") == 0) {
        struct sls_documents_config *d = &c->documents;
        if (strcmp(name, "european_address") == 0) {
            if (parse_address(value, d->european_address, sizeof(d->european_address)) != 0)
                goto bad;
        } else if (strcmp(name, "non_european_address") == 0) {
            if (parse_address(value, d->non_european_address, sizeof(d->non_european_address)) != 0)
                goto bad;
        } else if (strcmp(name, "european_countries") == 0) {
            if (parse_countries(value, d->european_countries, sizeof(d->european_countries)) != 0)
                goto bad;
        } else if (strcmp(name, "max_message_bytes") == 0) {
            if (sls_config_parse_size(value, &u) != 0 || u < 64 * 1024 || u > 256ULL * 1024 * 1024)
                goto bad;
            d->max_message_bytes = (size_t)u;
        } else if (strcmp(name, "max_document_bytes") == 0) {
            if (sls_config_parse_size(value, &u) != 0 || u < 1024 || u > 256ULL * 1024 * 1024)
                goto bad;
            d->max_document_bytes = (size_t)u;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "store") == 0) {
        if (strcmp(name, "max_size") == 0) {
            /* 0: no cap; else from 64 KiB to 16 TiB (SQLite's page count bound). */
            if (sls_config_parse_size(value, &u) != 0 ||
                (u != 0 && (u < 64 * 1024 || u > 16384ULL * 1024 * 1024 * 1024)))
                goto bad;
            c->store_max_size = (int64_t)u;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "throttle") == 0) {
        if (strcmp(name, "per_ip_per_minute") == 0) {
            if (parse_uint(value, 1, 1000000, &u) != 0)
                goto bad;
            c->throttle.per_ip_per_minute = (unsigned)u;
        } else if (strcmp(name, "hashing") == 0) {
            if (parse_uint(value, 1, 4096, &u) != 0)
                goto bad;
            c->throttle.hashing = (unsigned)u;
        } else if (strcmp(name, "hashing_queue") == 0) {
            if (parse_uint(value, 0, 65536, &u) != 0)
                goto bad;
            c->throttle.hashing_queue = (int)u;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "http") == 0) {
        if (strcmp(name, "connections_per_ip") == 0) {
            if (parse_uint(value, 1, 65536, &u) != 0)
                goto bad;
            c->http.connections_per_ip = (unsigned)u;
        } else if (strcmp(name, "workers") == 0) {
            if (parse_uint(value, 1, 256, &u) != 0)
                goto bad;
            c->http.workers = (unsigned)u;
        } else if (strcmp(name, "worker_queue") == 0) {
            if (parse_uint(value, 1, 65536, &u) != 0)
                goto bad;
            c->http.worker_queue = (unsigned)u;
        } else if (strcmp(name, "admin_connection_limit") == 0) {
            if (parse_uint(value, 1, 4096, &u) != 0)
                goto bad;
            c->http.admin_connection_limit = (unsigned)u;
        } else if (strcmp(name, "trusted_proxies") == 0) {
            if (sls_cidr_list_parse(value, c->http.trusted_proxies, SLS_TRUSTED_PROXIES_MAX,
                                    &c->http.ntrusted_proxies) != 0)
                goto bad;
        } else {
            goto unknown;
        }
    } else if (strcmp(section, "agents") == 0) {
        if (sls_config_add_agent(c, name, value) != 0)
            goto bad;
    } else {
        goto unknown;
    }
    return 1;
bad:
    if (!lc->failed) /* report the first problem; a secret is not repeated */
        snprintf(lc->err, lc->errlen, "bad value for [%s] %s: %s", section, name,
                 strcmp(name, "webhook_token") == 0 ? "(not shown)" : value);
    lc->failed = 1;
    return 0;
unknown:
    if (!lc->failed)
        snprintf(lc->err, lc->errlen, "unknown setting [%s] %s", section, name);
    lc->failed = 1;
    return 0;
}

int sls_config_load(struct sls_config *c, const char *path, char *err, size_t errlen)
{
    struct load_ctx lc = {c, err, errlen, 0};
    int rc = ini_parse(path, handle, &lc);

    if (rc < 0) {
        snprintf(err, errlen, "cannot read config file %s", path);
        return -1;
    }
    if (rc > 0 && !lc.failed)
        snprintf(err, errlen, "%s:%d: malformed line", path, rc);
    if (rc != 0 || lc.failed)
        return -1;
    if (c->documents.max_document_bytes > c->documents.max_message_bytes) {
        snprintf(err, errlen, "max_document_bytes must not be larger than max_message_bytes");
        return -1;
    }
    if (sls_doc_address_equal(c->documents.european_address, c->documents.non_european_address)) {
        snprintf(err, errlen, "european_address and non_european_address must differ");
        return -1;
    }
    if (c->access.temp_portal < c->access.temp_full) {
        snprintf(err, errlen, "temp_portal_access must not be shorter than temp_full_access");
        return -1;
    }
    if (check_limits(&c->limits, err, errlen) != 0)
        return -1;
    if (c->dsc_plus.first_notice <= c->dsc_plus.last_notice ||
        c->dsc_plus.first_notice >= c->dsc_plus.auto_activation) {
        snprintf(err, errlen,
                 "dsc_plus_first_notice must be longer than dsc_plus_last_notice and "
                 "shorter than dsc_plus_auto_activation");
        return -1;
    }
    if (c->delivery.command[0] && c->delivery.webhook[0]) {
        snprintf(err, errlen, "[delivery] sets both command and webhook: choose one");
        return -1;
    }
    if (c->delivery.webhook_token[0] && !c->delivery.webhook[0]) {
        snprintf(err, errlen, "[delivery] webhook_token needs a webhook");
        return -1;
    }
    if (c->delivery.retry.retry_max < c->delivery.retry.retry_initial) {
        snprintf(err, errlen, "[delivery] retry_max must not be shorter than retry_initial");
        return -1;
    }
    return 0;
}
