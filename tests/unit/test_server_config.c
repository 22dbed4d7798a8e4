/* Tests of src/server/config.c: the defaults against the SPEC numbers, the
 * duration parser, and loading INI files (every key, unknown keys, malformed
 * values, agents). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/config.h"

#define HASH_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define HASH_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
#define HASH_C "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"

/* Writes text to a new temporary file; the caller removes it. */
static void write_temp(char *path, size_t len, const char *text)
{
    const char *dir = getenv("TMPDIR");
    FILE *f;
    int fd;

    snprintf(path, len, "%s/sls-config-test-XXXXXX", dir && dir[0] ? dir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Loads text over the defaults; returns sls_config_load's answer. */
static int load_text(struct sls_config *c, const char *text, char *err, size_t errlen)
{
    char path[512];
    int rc;

    sls_config_default(c);
    err[0] = '\0';
    write_temp(path, sizeof(path), text);
    rc = sls_config_load(c, path, err, errlen);
    unlink(path);
    return rc;
}

static void test_defaults_match_spec(void **state)
{
    struct sls_config c;

    (void)state;
    sls_config_default(&c);
    /* R8: 10 failures within 24 h lock for 24 h. */
    assert_int_equal(c.lockout.max_failures, 10);
    assert_int_equal(c.lockout.window, 24 * 3600);
    assert_int_equal(c.lockout.lock_duration, 24 * 3600);
    assert_int_equal(c.lockout_mode, SLS_LOCKOUT_MODE_ACCOUNT);
    assert_int_equal(c.client_token_ttl, 90 * 86400);
    /* R9: challenges and pending logins live 5 minutes. */
    assert_int_equal(c.challenge_ttl, 300);
    assert_int_equal(c.login_ttl, 300);
    /* R10: portal idle 30 min, trading 24 h, ibkey 12 h (PIN) and 30 h (biometric). */
    assert_int_equal(c.session.portal_idle, 30 * 60);
    assert_int_equal(c.session.trading_lifetime, 24 * 3600);
    assert_int_equal(c.session.ibkey_pin, 12 * 3600);
    assert_int_equal(c.session.ibkey_biometric, 30 * 3600);
    /* R40: an identity verification holds 15 minutes. */
    assert_int_equal(c.identity_ttl, 15 * 60);
    /* R34: a step-up verification holds 5 minutes. */
    assert_int_equal(c.step_up_ttl, 5 * 60);
    /* R11, R12: temporary passcode 2 + 10 days, online card 21 days, cut-off 16:00 UTC. */
    assert_int_equal(c.access.temp_full, 2 * 86400);
    assert_int_equal(c.access.temp_portal, 12 * 86400);
    assert_int_equal(c.access.online_card_lifetime, 21 * 86400);
    assert_int_equal(c.access.cutoff_seconds, 16 * 3600);
    /* SPEC §8, §9: listeners and the embedded store. */
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.admin_listen, "127.0.0.1:8081");
    assert_string_equal(c.store_url, "sqlite:sls.db");
    assert_string_equal(c.key_file, "sls.key");
    assert_string_equal(c.admin_token_file, "admin.token");
    assert_int_equal(c.max_body, 64 * 1024);
    assert_int_equal(c.connection_limit, 8192);
    assert_int_equal(c.connection_timeout, 30);
    assert_false(c.dev);
    assert_int_equal(c.nagents, 0);
    assert_true(c.pwhash.opslimit >= 1);
    assert_true(c.pwhash.memlimit >= 8 * 1024);
}

static void test_duration_accepts(void **state)
{
    static const struct {
        const char *text;
        sls_time seconds;
    } cases[] = {
        {"0", 0},
        {"1", 1},
        {"300", 300},
        {"300s", 300},
        {"5m", 300},
        {"30m", 1800},
        {"24h", 86400},
        {"2d", 172800},
        {"21d", 21 * 86400},
        {"007s", 7},
        {"106751991167d", (sls_time)106751991167 * 86400},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sls_time out = -1;
        assert_int_equal(sls_config_parse_duration(cases[i].text, &out), 0);
        assert_int_equal(out, cases[i].seconds);
    }
}

static void test_duration_rejects(void **state)
{
    static const char *const bad[] = {
        "",
        "-1",
        "+5",
        " 5",
        "5 ",
        "5x",
        "5mm",
        "5sm",
        "5M",
        "m",
        "5.5h",
        "1e3",
        "0x10",
        "5 m",
        "99999999999999999999", /* beyond long long */
        "9223372036854775807",  /* fits, but too large to add to a time */
        "106751991168d",        /* overflows once multiplied */
        "153722867280913m",     /* likewise in minutes */
        "9223372036854775807d",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sls_time out = 42;
        if (sls_config_parse_duration(bad[i], &out) != -1)
            fail_msg("duration \"%s\" was accepted", bad[i]);
        assert_int_equal(out, 42);
    }
    assert_int_equal(sls_config_parse_duration(NULL, &(sls_time){0}), -1);
}

static const char every_key[] = "; every key slsd knows, none at its default\n"
                                "[server]\n"
                                "listen = 0.0.0.0:9080\n"
                                "admin_listen = [::1]:9081\n"
                                "store = sqlite:///var/lib/sls/sls.db\n"
                                "key_file = /etc/sls/sls.key\n"
                                "admin_token_file = /etc/sls/admin.token\n"
                                "max_body = 131072\n"
                                "connection_limit = 256\n"
                                "connection_timeout = 15\n"
                                "\n"
                                "[security]\n"
                                "argon2_ops = 3\n"
                                "argon2_mem_kib = 131072\n"
                                "\n"
                                "# policy numbers\n"
                                "[policy]\n"
                                "lockout_failures = 5\n"
                                "lockout_window = 12h\n"
                                "lockout_duration = 2d\n"
                                "challenge_ttl = 120\n"
                                "login_ttl = 10m\n"
                                "portal_idle = 15m\n"
                                "trading_session = 20h\n"
                                "ibkey_pin_session = 6h\n"
                                "ibkey_biometric_session = 36h\n"
                                "identity_ttl = 600s\n"
                                "step_up_ttl = 2m\n"
                                "temp_full_access = 1d\n"
                                "temp_portal_access = 14d\n"
                                "online_card_lifetime = 30d\n"
                                "approval_cutoff = 17:30\n"
                                "\n"
                                "[agents]\n"
                                "jdoe = " HASH_A "\n"
                                "msmith = " HASH_B "\n";

static void test_load_every_key(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    if (load_text(&c, every_key, err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_string_equal(c.listen, "0.0.0.0:9080");
    assert_string_equal(c.admin_listen, "[::1]:9081");
    assert_string_equal(c.store_url, "sqlite:///var/lib/sls/sls.db");
    assert_string_equal(c.key_file, "/etc/sls/sls.key");
    assert_string_equal(c.admin_token_file, "/etc/sls/admin.token");
    assert_int_equal(c.max_body, 131072);
    assert_int_equal(c.connection_limit, 256);
    assert_int_equal(c.connection_timeout, 15);
    assert_int_equal(c.pwhash.opslimit, 3);
    assert_int_equal(c.pwhash.memlimit, (size_t)131072 * 1024);
    assert_int_equal(c.lockout.max_failures, 5);
    assert_int_equal(c.lockout.window, 12 * 3600);
    assert_int_equal(c.lockout.lock_duration, 2 * 86400);
    assert_int_equal(c.challenge_ttl, 120);
    assert_int_equal(c.login_ttl, 600);
    assert_int_equal(c.session.portal_idle, 900);
    assert_int_equal(c.session.trading_lifetime, 20 * 3600);
    assert_int_equal(c.session.ibkey_pin, 6 * 3600);
    assert_int_equal(c.session.ibkey_biometric, 36 * 3600);
    assert_int_equal(c.identity_ttl, 600);
    assert_int_equal(c.step_up_ttl, 120);
    assert_int_equal(c.access.temp_full, 86400);
    assert_int_equal(c.access.temp_portal, 14 * 86400);
    assert_int_equal(c.access.online_card_lifetime, 30 * 86400);
    assert_int_equal(c.access.cutoff_seconds, 17 * 3600 + 30 * 60);
    assert_int_equal(c.nagents, 2);
    assert_string_equal(c.agents[0].name, "jdoe");
    assert_string_equal(c.agents[0].token_hash, HASH_A);
    assert_string_equal(c.agents[1].name, "msmith");
    assert_string_equal(c.agents[1].token_hash, HASH_B);
}

static void test_load_keeps_defaults_of_absent_keys(void **state)
{
    struct sls_config c, d;
    char err[256];

    (void)state;
    assert_int_equal(load_text(&c, "[policy]\nlockout_failures = 3\n", err, sizeof(err)), 0);
    sls_config_default(&d);
    assert_int_equal(c.lockout.max_failures, 3);
    assert_int_equal(c.lockout.window, d.lockout.window);
    assert_int_equal(c.challenge_ttl, d.challenge_ttl);
    assert_string_equal(c.listen, d.listen);
    /* An empty file (or only comments) changes nothing. */
    assert_int_equal(load_text(&c, "; nothing\n# here\n\n", err, sizeof(err)), 0);
    assert_int_equal(c.lockout.max_failures, 10);
    /* §10.3: number matching is on unless switched off. */
    assert_true(d.push.number_matching);
    assert_true(c.push.number_matching);
    assert_int_equal(load_text(&c, "[push]\nnumber_matching = false\n", err, sizeof(err)), 0);
    assert_false(c.push.number_matching);
    assert_int_equal(load_text(&c, "[push]\nnumber_matching = true\n", err, sizeof(err)), 0);
    assert_true(c.push.number_matching);
}

/* SPEC §10.3: [lockout] mode and the lifetime of client tokens. */
static void test_lockout_section(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    assert_int_equal(
        load_text(&c, "[lockout]\nmode = client\nclient_token_ttl = 30d\n", err, sizeof(err)), 0);
    assert_int_equal(c.lockout_mode, SLS_LOCKOUT_MODE_CLIENT);
    assert_int_equal(c.client_token_ttl, 30 * 86400);
    assert_int_equal(load_text(&c, "[lockout]\nmode = account\n", err, sizeof(err)), 0);
    assert_int_equal(c.lockout_mode, SLS_LOCKOUT_MODE_ACCOUNT);
}

static void test_unknown_settings_rejected(void **state)
{
    static const struct {
        const char *text;
        const char *named;
    } cases[] = {
        {"[bogus]\nlisten = 127.0.0.1:1\n", "[bogus] listen"},
        {"[server]\ncolour = blue\n", "[server] colour"},
        {"[policy]\nlockout_failure = 10\n", "[policy] lockout_failure"},
        {"[lockout]\nfailures = 10\n", "[lockout] failures"},
        {"[policy]\nlisten = 127.0.0.1:1\n", "[policy] listen"},
        {"[security]\nargon2_memory = 65536\n", "[security] argon2_memory"},
        {"[push]\nnumber_match = false\n", "[push] number_match"},
        {"[Server]\nlisten = 127.0.0.1:1\n", "[Server] listen"},
        {"listen = 127.0.0.1:1\n", "[] listen"},
    };
    struct sls_config c;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(load_text(&c, cases[i].text, err, sizeof(err)), -1);
        if (strstr(err, "unknown setting") == NULL || strstr(err, cases[i].named) == NULL)
            fail_msg("case %zu: message \"%s\" does not name %s", i, err, cases[i].named);
    }
}

static void test_malformed_values_rejected(void **state)
{
    static const char *const bad[] = {
        "[server]\nlisten =\n",
        "[server]\nmax_body = 1023\n",
        "[server]\nmax_body = 16777217\n",
        "[server]\nmax_body = 64k\n",
        "[server]\nmax_body = -1\n",
        "[server]\nmax_body = 99999999999999999999999\n",
        "[server]\nconnection_limit = 0\n",
        "[server]\nconnection_limit = 65537\n",
        "[server]\nconnection_timeout = 0\n",
        "[server]\nconnection_timeout = 3601\n",
        "[server]\nconnection_timeout = 30s\n",
        "[security]\nargon2_ops = 0\n",
        "[security]\nargon2_ops = 101\n",
        "[security]\nargon2_mem_kib = 7\n",
        "[security]\nargon2_mem_kib = 4194305\n",
        "[policy]\nlockout_failures = 0\n",
        "[policy]\nlockout_failures = 65\n",
        "[policy]\nlockout_failures = ten\n",
        "[lockout]\nmode = Client\n",
        "[lockout]\nmode = token\n",
        "[lockout]\nmode =\n",
        "[lockout]\nclient_token_ttl = 59m\n",
        "[lockout]\nclient_token_ttl = 3651d\n",
        "[policy]\nlockout_window = 0\n",
        "[policy]\nlockout_window = 0s\n",
        "[policy]\nlockout_duration = 1w\n",
        "[policy]\nchallenge_ttl = -300\n",
        "[policy]\nlogin_ttl = 5mm\n",
        "[policy]\nportal_idle =\n",
        "[policy]\ntrading_session = 24 h\n",
        "[policy]\nidentity_ttl = 15min\n",
        "[policy]\napproval_cutoff = 24:00\n",
        "[policy]\napproval_cutoff = 16:60\n",
        "[policy]\napproval_cutoff = 16\n",
        "[policy]\napproval_cutoff = 4pm\n",
        "[policy]\napproval_cutoff = 16:00:00\n",
        "[policy]\napproval_cutoff = 16:00Z\n",
        "[policy]\nholidays =\n",
        "[policy]\nholidays = 2026-12-32\n",
        "[policy]\nholidays = 25.12.2026\n",
        "[policy]\nholidays = 2026-12-25,2027-1-1\n",
        "[push]\nnumber_matching = yes\n",
        "[push]\nnumber_matching = 0\n",
        "[push]\nnumber_matching =\n",
    };
    struct sls_config c;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (load_text(&c, bad[i], err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
        if (strstr(err, "bad value for [") == NULL)
            fail_msg("message \"%s\" for: %s", err, bad[i]);
    }
    assert_int_equal(load_text(&c, "[server]\nmax_body = 1023\n", err, sizeof(err)), -1);
    assert_string_equal(err, "bad value for [server] max_body: 1023");
}

static void test_bounds_accepted(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    assert_int_equal(load_text(&c,
                               "[server]\nmax_body = 1024\nconnection_limit = 65536\n"
                               "connection_timeout = 3600\n[security]\nargon2_ops = 1\n"
                               "argon2_mem_kib = 8\n[policy]\nlockout_failures = 64\n"
                               "approval_cutoff = 00:00\n",
                               err, sizeof(err)),
                     0);
    assert_int_equal(c.max_body, 1024);
    assert_int_equal(c.connection_limit, 65536);
    assert_int_equal(c.connection_timeout, 3600);
    assert_int_equal(c.lockout.max_failures, 64);
    assert_int_equal(c.access.cutoff_seconds, 0);
    assert_int_equal(load_text(&c, "[policy]\napproval_cutoff = 23:59\nlockout_failures = 1\n", err,
                               sizeof(err)),
                     0);
    assert_int_equal(c.access.cutoff_seconds, 23 * 3600 + 59 * 60);
    assert_int_equal(c.lockout.max_failures, 1);
}

static void test_malformed_file(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    /* A line with neither '=' nor ':', and a section header without ']'. */
    assert_int_equal(load_text(&c, "[server]\nmax_body 65536\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: malformed line"));
    assert_int_equal(load_text(&c, "; comment\n[server\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: malformed line"));

    sls_config_default(&c);
    assert_int_equal(sls_config_load(&c, "/nonexistent/sls-test/slsd.ini", err, sizeof(err)), -1);
    assert_string_equal(err, "cannot read config file /nonexistent/sls-test/slsd.ini");
}

static void test_temp_windows_ordered(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    assert_int_equal(load_text(&c, "[policy]\ntemp_full_access = 13d\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "temp_portal_access"));
    assert_int_equal(load_text(&c, "[policy]\ntemp_full_access = 3d\ntemp_portal_access = 3d\n",
                               err, sizeof(err)),
                     0);
    assert_int_equal(c.access.temp_full, c.access.temp_portal);
}

/* SPEC §10.2: [throttle] and [http], their defaults and bounds. */
static void test_throttle_and_http_keys(void **state)
{
    struct sls_config c;
    char err[256];
    unsigned char a[16];
    static const char *const bad[] = {
        "[throttle]\nper_ip_per_minute = 0\n",
        "[throttle]\nper_ip_per_minute = 1000001\n",
        "[throttle]\nhashing = 0\n",
        "[throttle]\nhashing_queue = -1\n",
        "[throttle]\nqueue_wait = 0\n",
        "[throttle]\nqueue_wait = 61s\n",
        "[throttle]\nreset_interval = 2d\n",
        "[throttle]\nburst = 3\n",
        "[http]\nconnections_per_ip = 0\n",
        "[http]\ntrusted_proxies = 10.0.0.0/33\n",
        "[http]\ntrusted_proxies = proxy.lan\n",
        "[http]\nheader_deadline = 10\n",
        "[http]\nworkers = 0\n",
        "[http]\nworkers = 257\n",
        "[http]\nworker_queue = 0\n",
        "[http]\nworker_queue = 65537\n",
        "[http]\nheader_timeout = 0\n",
        "[http]\nheader_timeout = 6m\n",
        "[http]\nadmin_connection_limit = 0\n",
        "[http]\nadmin_connection_limit = 4097\n",
    };
    (void)state;

    sls_config_default(&c);
    assert_int_equal(c.throttle.per_ip_per_minute, 60);
    assert_int_equal(c.throttle.hashing, 0); /* twice the cores, resolved at start */
    assert_int_equal(c.throttle.hashing_queue, -1);
    assert_int_equal(c.throttle.queue_wait, 2);
    assert_int_equal(c.throttle.reset_interval, 300);
    assert_int_equal(c.http.connections_per_ip, 64);
    assert_int_equal(c.http.ntrusted_proxies, 0);
    assert_int_equal(c.http.workers, 0);      /* twice the cores, resolved at start */
    assert_int_equal(c.http.worker_queue, 0); /* 64 per worker */
    assert_int_equal(c.http.header_timeout, 10);
    assert_int_equal(c.http.admin_connection_limit, 64);

    assert_int_equal(load_text(&c,
                               "[throttle]\nper_ip_per_minute = 1000000\nhashing = 4096\n"
                               "hashing_queue = 0\nqueue_wait = 1m\nreset_interval = 1s\n"
                               "[http]\nconnections_per_ip = 65536\n"
                               "trusted_proxies = 10.0.0.0/8, 192.0.2.7 ::1\n"
                               "workers = 256\nworker_queue = 65536\nheader_timeout = 5m\n"
                               "admin_connection_limit = 4096\n",
                               err, sizeof(err)),
                     0);
    assert_int_equal(c.http.workers, 256);
    assert_int_equal(c.http.worker_queue, 65536);
    assert_int_equal(c.http.header_timeout, 300);
    assert_int_equal(c.http.admin_connection_limit, 4096);
    assert_int_equal(c.throttle.per_ip_per_minute, 1000000);
    assert_int_equal(c.throttle.hashing, 4096);
    assert_int_equal(c.throttle.hashing_queue, 0);
    assert_int_equal(c.throttle.queue_wait, 60);
    assert_int_equal(c.throttle.reset_interval, 1);
    assert_int_equal(c.http.connections_per_ip, 65536);
    assert_int_equal(c.http.ntrusted_proxies, 3);
    assert_int_equal(sls_ip_parse("10.9.8.7", a), 0);
    assert_true(sls_cidr_list_match(c.http.trusted_proxies, c.http.ntrusted_proxies, a));
    assert_int_equal(sls_ip_parse("192.0.2.8", a), 0);
    assert_false(sls_cidr_list_match(c.http.trusted_proxies, c.http.ntrusted_proxies, a));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (load_text(&c, bad[i], err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
    }
}

static void test_agents_from_file(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    /* The same name twice is refused, with the name in the message. */
    assert_int_equal(
        load_text(&c, "[agents]\njdoe = " HASH_A "\njdoe = " HASH_B "\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "[agents] jdoe"));
    /* Hashes are 64 lower-case hex digits. */
    assert_int_equal(load_text(&c, "[agents]\njdoe = 9F86D081\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "[agents] jdoe"));
    assert_int_equal(load_text(&c,
                               "[agents]\njdoe = "
                               "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\n",
                               err, sizeof(err)),
                     -1);
    assert_int_equal(load_text(&c, "[agents]\njdoe = " HASH_A "0\n", err, sizeof(err)), -1);
    assert_int_equal(load_text(&c, "[agents]\njdoe = secret-token-in-clear\n", err, sizeof(err)),
                     -1);
    assert_int_equal(load_text(&c, "[agents]\njdoe =\n", err, sizeof(err)), -1);
    /* Two agents in two [agents] blocks add up. */
    assert_int_equal(load_text(&c,
                               "[agents]\njdoe = " HASH_A "\n[policy]\nlogin_ttl = 5m\n"
                               "[agents]\nmsmith = " HASH_B "\n",
                               err, sizeof(err)),
                     0);
    assert_int_equal(c.nagents, 2);
    assert_string_equal(c.agents[1].name, "msmith");
}

/* R33: holidays as a list, and the key repeated for more lines. */
static void test_holidays(void **state)
{
    struct sls_config c;
    char err[256];
    int64_t xmas, newyear, day;

    (void)state;
    assert_int_equal(sls_date_parse("2026-12-25", &xmas), 0);
    assert_int_equal(sls_date_parse("2027-01-01", &newyear), 0);
    if (load_text(&c, "[policy]\nholidays = 2026-12-25, 2027-01-01\n", err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_int_equal(c.holidays.n, 2);
    assert_false(sls_business_day_is(xmas, &c.holidays));
    assert_false(sls_business_day_is(newyear, &c.holidays));
    if (load_text(&c,
                  "[policy]\nholidays = 2026-12-25\nholidays = 2027-01-01 2027-05-31\n"
                  "holidays = 2026-12-25\n",
                  err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_int_equal(c.holidays.n, 3);
    assert_int_equal(sls_date_parse("2027-05-31", &day), 0);
    assert_false(sls_business_day_is(day, &c.holidays));
    assert_int_equal(load_text(&c, "", err, sizeof(err)), 0);
    assert_int_equal(c.holidays.n, 0);
}

static void test_delivery_defaults(void **state)
{
    struct sls_config c;

    (void)state;
    sls_config_default(&c);
    assert_string_equal(c.delivery.command, "");
    assert_string_equal(c.delivery.webhook, "");
    assert_string_equal(c.delivery.webhook_token, "");
    assert_int_equal(c.delivery.timeout, 30);
    assert_int_equal(c.delivery.retry.max_attempts, 10);
    assert_int_equal(c.delivery.retry.retry_initial, 10);
    assert_int_equal(c.delivery.retry.retry_max, 3600);
    assert_int_equal(c.delivery.retention, 30 * 86400); /* SPEC §10.3 */
}

/* SPEC §10.3: how long settled messages are kept; 1 s to about ten years. */
static void test_delivery_retention(void **state)
{
    static const char *const bad[] = {"0", "-1", "3661d", "soon", "30x", ""};
    struct sls_config c;
    char text[128], err[256];

    (void)state;
    assert_int_equal(load_text(&c, "[delivery]\nretention = 7d\n", err, sizeof(err)), 0);
    assert_int_equal(c.delivery.retention, 7 * 86400);
    assert_int_equal(load_text(&c, "[delivery]\nretention = 1\n", err, sizeof(err)), 0);
    assert_int_equal(c.delivery.retention, 1);
    assert_int_equal(load_text(&c, "[delivery]\nretention = 3660d\n", err, sizeof(err)), 0);
    assert_int_equal(c.delivery.retention, 3660 * 86400);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "[delivery]\nretention = %s\n", bad[i]);
        if (load_text(&c, text, err, sizeof(err)) != -1)
            fail_msg("accepted retention = %s", bad[i]);
        assert_non_null(strstr(err, "retention"));
    }
}

static void test_delivery_command(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    if (load_text(&c,
                  "[delivery]\ncommand = /usr/local/bin/sls-send --via gateway\n"
                  "max_attempts = 1\nretry_initial = 1\nretry_max = 1d\ntimeout = 10m\n",
                  err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_string_equal(c.delivery.command, "/usr/local/bin/sls-send --via gateway");
    assert_int_equal(c.delivery.retry.max_attempts, 1);
    assert_int_equal(c.delivery.retry.retry_initial, 1);
    assert_int_equal(c.delivery.retry.retry_max, 86400);
    assert_int_equal(c.delivery.timeout, 600);
    /* A path relative to the working directory is a path too. */
    assert_int_equal(load_text(&c, "[delivery]\ncommand = ./send.sh\n", err, sizeof(err)), 0);
}

static void test_delivery_webhook(void **state)
{
    static const char *const good[] = {
        "https://sms.example.com/v1/send", "https://sms.example.com:8443",
        "http://127.0.0.1:9000/hook",      "http://127.10.0.1/hook",
        "http://localhost:9000/hook",      "http://localhost",
        "http://[::1]:9000/hook",
    };
    static const char *const bad[] = {
        "http://sms.example.com/hook",       /* a token in clear over the network */
        "http://127.0.0.1.example.com/hook", /* not loopback at all */
        "http://localhost.example.com/",
        "http://[::2]/",
        "ftp://example.com/",
        "https://",
        "https:///path",
        "sms.example.com",
        "https://example.com/a b",
    };
    struct sls_config c;
    char text[512], err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "[delivery]\nwebhook = %s\nwebhook_token = s3cr3t-T0ken\n",
                 good[i]);
        if (load_text(&c, text, err, sizeof(err)) != 0)
            fail_msg("refused %s: %s", good[i], err);
        assert_string_equal(c.delivery.webhook, good[i]);
        assert_string_equal(c.delivery.webhook_token, "s3cr3t-T0ken");
        sls_config_wipe(&c);
        assert_string_equal(c.delivery.webhook_token, "");
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "[delivery]\nwebhook = %s\n", bad[i]);
        if (load_text(&c, text, err, sizeof(err)) != -1)
            fail_msg("accepted %s", bad[i]);
        assert_non_null(strstr(err, "bad value for [delivery] webhook"));
    }
}

static void test_delivery_rejected(void **state)
{
    static const struct {
        const char *text;
        const char *says;
    } cases[] = {
        {"[delivery]\ncommand = /bin/send\nwebhook = https://example.com/\n",
         "both command and webhook"},
        {"[delivery]\nwebhook = https://example.com/\ncommand = /bin/send\n",
         "both command and webhook"},
        {"[delivery]\nwebhook_token = abcdef\n", "webhook_token needs a webhook"},
        {"[delivery]\nretry_initial = 2h\n", "retry_max must not be shorter"},
        {"[delivery]\nretry_initial = 1m\nretry_max = 59s\n", "retry_max must not be shorter"},
        {"[delivery]\ncommand = send.sh\n", "bad value for [delivery] command"},
        {"[delivery]\ncommand =\n", "bad value for [delivery] command"},
        {"[delivery]\nmax_attempts = 0\n", "bad value for [delivery] max_attempts"},
        {"[delivery]\nmax_attempts = 1001\n", "bad value for [delivery] max_attempts"},
        {"[delivery]\nretry_initial = 0\n", "bad value for [delivery] retry_initial"},
        {"[delivery]\nretry_max = 2d\n", "bad value for [delivery] retry_max"},
        {"[delivery]\ntimeout = 0\n", "bad value for [delivery] timeout"},
        {"[delivery]\ntimeout = 601\n", "bad value for [delivery] timeout"},
        {"[delivery]\nurl = https://example.com/\n", "unknown setting [delivery] url"},
    };
    struct sls_config c;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (load_text(&c, cases[i].text, err, sizeof(err)) != -1)
            fail_msg("case %zu accepted", i);
        if (strstr(err, cases[i].says) == NULL)
            fail_msg("case %zu: message \"%s\" does not say %s", i, err, cases[i].says);
    }
    /* A token with a space is refused without being repeated in the message. */
    assert_int_equal(load_text(&c,
                               "[delivery]\nwebhook = https://example.com/\n"
                               "webhook_token = secret part\n",
                               err, sizeof(err)),
                     -1);
    assert_string_equal(err, "bad value for [delivery] webhook_token: (not shown)");
}

static void test_add_agent(void **state)
{
    struct sls_config c;
    char name[80];
    size_t i;

    (void)state;
    sls_config_default(&c);
    assert_int_equal(sls_config_add_agent(&c, "admin", HASH_A), 0);
    assert_int_equal(c.nagents, 1);
    assert_string_equal(c.agents[0].name, "admin");
    assert_string_equal(c.agents[0].token_hash, HASH_A);
    /* Duplicates are refused whatever the hash; the table is unchanged. */
    assert_int_equal(sls_config_add_agent(&c, "admin", HASH_B), -1);
    assert_int_equal(sls_config_add_agent(&c, "admin", HASH_A), -1);
    assert_int_equal(c.nagents, 1);
    assert_string_equal(c.agents[0].token_hash, HASH_A);
    /* Empty names, names that do not fit and bad hashes are refused. */
    assert_int_equal(sls_config_add_agent(&c, "", HASH_B), -1);
    memset(name, 'a', 64);
    name[64] = '\0';
    assert_int_equal(sls_config_add_agent(&c, name, HASH_B), -1);
    name[63] = '\0';
    assert_int_equal(sls_config_add_agent(&c, name, HASH_B), 0);
    assert_int_equal(sls_config_add_agent(&c, "short", "abc"), -1);
    assert_int_equal(c.nagents, 2);
    /* The table holds SLS_CONFIG_MAX_AGENTS agents, then refuses. */
    /* One token belongs to one agent: the audit must name the right person. */
    assert_int_equal(sls_config_add_agent(&c, "other", HASH_B), -1);
    assert_int_equal(c.nagents, 2);
    for (i = c.nagents; i < SLS_CONFIG_MAX_AGENTS; i++) {
        char hash[65];
        snprintf(name, sizeof(name), "agent%zu", i);
        snprintf(hash, sizeof(hash), "%064zx", i + 0x1000);
        assert_int_equal(sls_config_add_agent(&c, name, hash), 0);
    }
    assert_int_equal(c.nagents, SLS_CONFIG_MAX_AGENTS);
    assert_int_equal(sls_config_add_agent(&c, "onemore", HASH_C), -1);
    assert_int_equal(c.nagents, SLS_CONFIG_MAX_AGENTS);
}

/* R50: [documents] keys, their defaults, sizes with units and their bounds. */
static void test_store_max_size(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    assert_int_equal(load_text(&c, "", err, sizeof(err)), 0);
    assert_int_equal(c.store_max_size, 0);
    assert_int_equal(load_text(&c, "[store]\nmax_size = 512MiB\n", err, sizeof(err)), 0);
    assert_int_equal(c.store_max_size, 512LL * 1024 * 1024);
    assert_int_equal(load_text(&c, "[store]\nmax_size = 64KiB\n", err, sizeof(err)), 0);
    assert_int_equal(c.store_max_size, 65536);
    assert_int_equal(load_text(&c, "[store]\nmax_size = 0\n", err, sizeof(err)), 0);
    assert_int_equal(c.store_max_size, 0);
    assert_int_equal(load_text(&c, "[store]\nmax_size = 63KiB\n", err, sizeof(err)), -1);
    assert_string_equal(err, "bad value for [store] max_size: 63KiB");
    assert_int_equal(load_text(&c, "[store]\nmax_size = -1\n", err, sizeof(err)), -1);
    assert_int_equal(load_text(&c, "[store]\nsize = 1MiB\n", err, sizeof(err)), -1);
    assert_string_equal(err, "unknown setting [store] size");
}

static void test_documents(void **state)
{
    static const char *const bad[] = {
        "[documents]\neuropean_address = nobody\n",
        "[documents]\neuropean_address = @example.com\n",
        "[documents]\neuropean_address = a@\n",
        "[documents]\neuropean_address = a b@example.com\n",
        "[documents]\nnon_european_address = a@b@c\n",
        "[documents]\nnon_european_address = <a@example.com>\n",
        "[documents]\neuropean_countries = \n",
        "[documents]\neuropean_countries = FRA\n",
        "[documents]\neuropean_countries = FR, DE\n",
        "[documents]\neuropean_countries = FR,\n",
        "[documents]\nmax_message_bytes = 65535\n",
        "[documents]\nmax_message_bytes = 257MiB\n",
        "[documents]\nmax_message_bytes = 25MB\n",
        "[documents]\nmax_message_bytes = 25 MiB\n",
        "[documents]\nmax_document_bytes = 1023\n",
        "[documents]\nmax_document_bytes = -1\n",
        "[documents]\nmax_document_bytes = 99999999999999999999MiB\n",
    };
    struct sls_config c;
    char err[256];
    unsigned long long v;
    size_t i;

    (void)state;
    sls_config_default(&c);
    assert_string_equal(c.documents.non_european_address, "newaccounts@example.com");
    assert_string_equal(c.documents.european_address, "newaccounts.uk@example.co.uk");
    assert_int_equal(c.documents.max_message_bytes, 25 * 1024 * 1024);
    assert_int_equal(c.documents.max_document_bytes, 10 * 1024 * 1024);
    assert_non_null(strstr(c.documents.european_countries, "FR"));
    assert_non_null(strstr(c.documents.european_countries, "GB"));
    assert_non_null(strstr(c.documents.european_countries, "CH"));
    assert_non_null(strstr(c.documents.european_countries, "NO"));
    assert_null(strstr(c.documents.european_countries, "US"));

    assert_int_equal(load_text(&c,
                               "[documents]\neuropean_address = Docs.EU@Example.org\n"
                               "non_european_address = docs@example.org\n"
                               "european_countries = fr,De\nmax_message_bytes = 64KiB\n"
                               "max_document_bytes = 1KiB\n",
                               err, sizeof(err)),
                     0);
    assert_string_equal(c.documents.european_address, "Docs.EU@Example.org");
    assert_string_equal(c.documents.non_european_address, "docs@example.org");
    assert_string_equal(c.documents.european_countries, "FR,DE");
    assert_int_equal(c.documents.max_message_bytes, 65536);
    assert_int_equal(c.documents.max_document_bytes, 1024);
    assert_int_equal(
        load_text(&c, "[documents]\nmax_message_bytes = 256MiB\nmax_document_bytes = 268435456\n",
                  err, sizeof(err)),
        0);
    assert_int_equal(c.documents.max_document_bytes, 256 * 1024 * 1024);

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (load_text(&c, bad[i], err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
        if (strstr(err, "bad value for [") == NULL)
            fail_msg("message \"%s\" for: %s", err, bad[i]);
    }
    /* Cross-key checks. */
    assert_int_equal(load_text(&c, "[documents]\nmax_document_bytes = 26MiB\n", err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "max_document_bytes"));
    assert_int_equal(load_text(&c, "[documents]\neuropean_address = NEWACCOUNTS@example.com\n", err,
                               sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "must differ"));
    assert_int_equal(load_text(&c, "[documents]\nmax_pages = 3\n", err, sizeof(err)), -1);
    assert_string_equal(err, "unknown setting [documents] max_pages");

    assert_int_equal(sls_config_parse_size("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(sls_config_parse_size("3KiB", &v), 0);
    assert_int_equal(v, 3072);
    assert_int_equal(sls_config_parse_size("2MiB", &v), 0);
    assert_int_equal(v, 2 * 1024 * 1024);
    assert_int_equal(sls_config_parse_size("2GiB", &v), -1);
    assert_int_equal(sls_config_parse_size("2kib", &v), -1);
    assert_int_equal(sls_config_parse_size("MiB", &v), -1);
    assert_int_equal(sls_config_parse_size("", &v), -1);
    assert_int_equal(sls_config_parse_size(NULL, &v), -1);
}

#define USD(x) ((int64_t)(x)*100)

static void test_limits_defaults_match_spec(void **state)
{
    static const int64_t day[SLS_LIMIT__COUNT] = {50000, 200000, 1000000, 200000, 1000000};
    static const int64_t five[SLS_LIMIT__COUNT] = {100000, 600000, 1000000, 600000, 1500000};
    struct sls_config c;
    int k;

    (void)state;
    sls_config_default(&c);
    for (k = 0; k < SLS_LIMIT_DSC_PLUS; k++) {
        assert_false(c.limits.per_day[k].unlimited);
        assert_int_equal(c.limits.per_day[k].cents, USD(day[k]));
        assert_int_equal(c.limits.per_5_days[k].cents, USD(five[k]));
    }
    assert_true(c.limits.per_day[SLS_LIMIT_DSC_PLUS].unlimited);
    assert_true(c.limits.per_5_days[SLS_LIMIT_DSC_PLUS].unlimited);
    assert_int_equal(c.limits.deposit_cap_cents, USD(20000));
}

static void test_limits_load(void **state)
{
    struct sls_config c;
    char err[256];

    (void)state;
    if (load_text(&c,
                  "[limits]\nnone_per_day = 1000\nnone_per_5_days = 1000\n"
                  "sms_per_day = 0\nsms_per_5_days = unlimited\n"
                  "ibkey_per_day = unlimited\nibkey_per_5_days = unlimited\n"
                  "scc_per_day = 300000\nscc_per_5_days = 900000\n"
                  "dsc_per_day = 1\ndsc_per_5_days = 1000000000000\n"
                  "dsc_plus_per_day = 5000000\ndsc_plus_per_5_days = 10000000\n"
                  "ach_eft_deposit_cap = 0\n",
                  err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_int_equal(c.limits.per_day[SLS_LIMIT_NONE].cents, USD(1000));
    assert_int_equal(c.limits.per_5_days[SLS_LIMIT_NONE].cents, USD(1000));
    assert_false(c.limits.per_day[SLS_LIMIT_SMS].unlimited);
    assert_int_equal(c.limits.per_day[SLS_LIMIT_SMS].cents, 0);
    assert_true(c.limits.per_5_days[SLS_LIMIT_SMS].unlimited);
    assert_true(c.limits.per_day[SLS_LIMIT_IBKEY].unlimited);
    assert_int_equal(c.limits.per_day[SLS_LIMIT_SCC].cents, USD(300000));
    assert_int_equal(c.limits.per_5_days[SLS_LIMIT_SCC].cents, USD(900000));
    assert_int_equal(c.limits.per_day[SLS_LIMIT_DSC].cents, USD(1));
    assert_int_equal(c.limits.per_5_days[SLS_LIMIT_DSC].cents, USD(1000000000000));
    assert_false(c.limits.per_day[SLS_LIMIT_DSC_PLUS].unlimited);
    assert_int_equal(c.limits.per_day[SLS_LIMIT_DSC_PLUS].cents, USD(5000000));
    assert_int_equal(c.limits.per_5_days[SLS_LIMIT_DSC_PLUS].cents, USD(10000000));
    assert_int_equal(c.limits.deposit_cap_cents, 0);
    /* Absent keys keep their defaults. */
    if (load_text(&c, "[limits]\nsms_per_day = 250000\n", err, sizeof(err)) != 0)
        fail_msg("load failed: %s", err);
    assert_int_equal(c.limits.per_day[SLS_LIMIT_SMS].cents, USD(250000));
    assert_int_equal(c.limits.per_5_days[SLS_LIMIT_SMS].cents, USD(600000));
    assert_int_equal(c.limits.deposit_cap_cents, USD(20000));
}

static void test_limits_rejected(void **state)
{
    static const char *const bad[] = {
        "[limits]\nnone_per_day = -1\n",
        "[limits]\nnone_per_day = 50,000\n",
        "[limits]\nnone_per_day = 50000.00\n",
        "[limits]\nnone_per_day = USD 50000\n",
        "[limits]\nnone_per_day = 1000000000001\n",
        "[limits]\nnone_per_day = Unlimited\n",
        "[limits]\nnone_per_day =\n",
        "[limits]\nach_eft_deposit_cap = unlimited\n",
        "[limits]\nach_eft_deposit_cap = 20k\n",
    };
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"[limits]\nplatinum_per_day = 5\n", "unknown setting [limits] platinum_per_day"},
        {"[limits]\nnone_per_week = 5\n", "unknown setting [limits] none_per_week"},
        {"[limits]\ndsc_plus = 5\n", "unknown setting [limits] dsc_plus"},
        {"[limits]\ndeposit_cap = 5\n", "unknown setting [limits] deposit_cap"},
        {"[policy]\nnone_per_day = 5\n", "unknown setting [policy] none_per_day"},
        {"[limits]\nnone_per_day = 100001\n",
         "[limits] none_per_day must not be larger than none_per_5_days"},
        {"[limits]\ndsc_plus_per_5_days = 10\n",
         "[limits] dsc_plus_per_day must not be larger than dsc_plus_per_5_days"},
    };
    struct sls_config c;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (load_text(&c, bad[i], err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
        if (strstr(err, "bad value for [limits]") == NULL)
            fail_msg("message \"%s\" for: %s", err, bad[i]);
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(load_text(&c, cases[i].text, err, sizeof(err)), -1);
        assert_string_equal(err, cases[i].message);
    }
    /* The boundary: a day limit equal to the 5-day one is fine. */
    assert_int_equal(load_text(&c, "[limits]\nnone_per_day = 100000\n", err, sizeof(err)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_match_spec),
        cmocka_unit_test(test_duration_accepts),
        cmocka_unit_test(test_duration_rejects),
        cmocka_unit_test(test_load_every_key),
        cmocka_unit_test(test_load_keeps_defaults_of_absent_keys),
        cmocka_unit_test(test_lockout_section),
        cmocka_unit_test(test_unknown_settings_rejected),
        cmocka_unit_test(test_malformed_values_rejected),
        cmocka_unit_test(test_bounds_accepted),
        cmocka_unit_test(test_malformed_file),
        cmocka_unit_test(test_temp_windows_ordered),
        cmocka_unit_test(test_agents_from_file),
        cmocka_unit_test(test_throttle_and_http_keys),
        cmocka_unit_test(test_add_agent),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_delivery_defaults),
        cmocka_unit_test(test_delivery_retention),
        cmocka_unit_test(test_delivery_command),
        cmocka_unit_test(test_delivery_webhook),
        cmocka_unit_test(test_delivery_rejected),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_store_max_size),
        cmocka_unit_test(test_limits_defaults_match_spec),
        cmocka_unit_test(test_limits_load),
        cmocka_unit_test(test_limits_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
