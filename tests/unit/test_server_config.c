/* Tests of src/server/config.c: the defaults against the SPEC numbers, the
 * duration parser, and loading INI files (every key, unknown keys, malformed
 * values, agents), and the documentation of every key (docs/configuration.md
 * and the man page sls.conf(5)) against the table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/challenge.h"
#include "core/identity.h"
#include "server/app/config.h"

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
    char err[1024];

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
    char err[1024];

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
    char err[1024];

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
        {"[bogus]\nlisten = 127.0.0.1:1\n", ":1: [bogus]: unknown section"},
        {"[server]\ncolour = blue\n", ":2: server.colour: unknown key"},
        {"[policy]\nlockout_failure = 10\n",
         ":2: policy.lockout_failure: unknown key (did you mean lockout_failures?)"},
        {"[lockout]\nfailures = 10\n", ":2: lockout.failures: unknown key"},
        {"[policy]\nlisten = 127.0.0.1:1\n", ":2: policy.listen: unknown key"},
        {"[security]\nargon2_memory = 65536\n", ":2: security.argon2_memory: unknown key"},
        {"[push]\nnumber_match = false\n", ":2: push.number_match: unknown key"},
        {"[Server]\nlisten = 127.0.0.1:1\n", ":1: [Server]: unknown section"},
        {"listen = 127.0.0.1:1\n", ":1: listen: key outside any section"},
    };
    struct sls_config c;
    char err[1024];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(load_text(&c, cases[i].text, err, sizeof(err)), -1);
        if (strstr(err, cases[i].named) == NULL)
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
    char err[1024];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (load_text(&c, bad[i], err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
        if (strstr(err, ":2: ") == NULL || strstr(err, " (expected ") == NULL)
            fail_msg("message \"%s\" for: %s", err, bad[i]);
    }
    assert_int_equal(load_text(&c, "[server]\nmax_body = 1023\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ": 1 problem:\n"));
    assert_non_null(strstr(err, ":2: server.max_body: \"1023\" is out of range (expected a whole "
                                "number from 1024 to 16777216)"));
}

static void test_bounds_accepted(void **state)
{
    struct sls_config c;
    char err[1024];

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
    char err[1024];

    (void)state;
    /* A line with neither '=' nor ':', and a section header without ']'. */
    assert_int_equal(load_text(&c, "[server]\nmax_body 65536\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: malformed line"));
    assert_int_equal(load_text(&c, "; comment\n[server\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: section line without ']'"));

    sls_config_default(&c);
    assert_int_equal(sls_config_load(&c, "/nonexistent/sls-test/slsd.ini", err, sizeof(err)), -1);
    assert_string_equal(err, "cannot read config file /nonexistent/sls-test/slsd.ini");
}

static void test_temp_windows_ordered(void **state)
{
    struct sls_config c;
    char err[1024];

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
    char err[1024];
    unsigned char a[16];
    static const char *const bad[] = {
        "[throttle]\nper_ip_per_minute = 0\n",
        "[throttle]\nper_ip_per_minute = 1000001\n",
        "[throttle]\nhashing = 0\n",
        "[throttle]\nhashing_queue = -1\n",
        "[throttle]\nhashing_per_ip = 0\n",
        "[throttle]\nhashing_per_ip = 65537\n",
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
    assert_int_equal(c.throttle.hashing_per_ip, 1);
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
                               "hashing_queue = 0\nhashing_per_ip = 65536\nqueue_wait = 1m\n"
                               "reset_interval = 1s\n"
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
    assert_int_equal(c.throttle.hashing_per_ip, 65536);
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

/* SPEC §10.4: [radius] listen and [radius.client NAME] sections. */
static void test_radius_clients(void **state)
{
    struct sls_config c;
    char err[4096];
    unsigned char ip[16];
    (void)state;

    sls_config_default(&c);
    assert_string_equal(c.radius.listen, "");
    assert_int_equal(c.radius.nclients, 0);
    assert_int_equal(load_text(&c,
                               "[radius]\nlisten = 127.0.0.1:1812\n"
                               "[radius.client vpn-gw1]\naddress = 192.0.2.0/24\n"
                               "secret = 0123456789abcdefXYZ\n"
                               "[radius.client ssh.jump]\naddress = ::1\nsecret = "
                               "fedcba9876543210fedc\nplatform = trading\n",
                               err, sizeof(err)),
                     0);
    assert_string_equal(c.radius.listen, "127.0.0.1:1812");
    assert_int_equal(c.radius.nclients, 2);
    assert_string_equal(c.radius.clients[0].name, "vpn-gw1");
    assert_string_equal(c.radius.clients[0].secret, "0123456789abcdefXYZ");
    assert_int_equal(c.radius.clients[0].platform, SLS_PLATFORM_PORTAL);
    assert_int_equal(sls_ip_parse("192.0.2.77", ip), 0);
    assert_true(sls_cidr_match(&c.radius.clients[0].address, ip));
    assert_int_equal(sls_ip_parse("192.0.3.1", ip), 0);
    assert_false(sls_cidr_match(&c.radius.clients[0].address, ip));
    assert_int_equal(c.radius.clients[1].platform, SLS_PLATFORM_TRADING);
    sls_config_wipe(&c);
    assert_string_equal(c.radius.clients[0].secret, "");

    sls_config_default(&c);
    assert_int_equal(load_text(&c,
                               "[radius.client a]\naddress = 10.0.0.300\nsecret = short\n"
                               "platform = mobile\nport = 1\n"
                               "[radius.client a]\n"
                               "[radius.client b c]\n"
                               "[radius.client nosecret]\naddress = 10.0.0.1\n"
                               "address = 10.0.0.2\n"
                               "[radius.client nosecret2]\naddress = 10.0.0.1\n",
                               err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, ":2: radius.client.a.address: \"10.0.0.300\" is not valid"));
    assert_non_null(strstr(err, ":3: radius.client.a.secret: the value (not shown) is not valid"));
    assert_null(strstr(err, "short"));
    assert_non_null(strstr(err, ":4: radius.client.a.platform: \"mobile\" is not valid"));
    assert_non_null(strstr(err, ":5: radius.client.a.port: unknown key"));
    assert_non_null(strstr(err, ":6: [radius.client a]: named twice (first at line 1)"));
    assert_non_null(strstr(err, ":7: [radius.client b c]: bad name"));
    assert_non_null(
        strstr(err, ":10: radius.client.nosecret.address: set twice (first at line 9)"));
    assert_non_null(strstr(err, ":11: [radius.client nosecret2]: needs address and secret"));
    sls_config_wipe(&c);
}

static void test_agents_from_file(void **state)
{
    struct sls_config c;
    char err[1024];

    (void)state;
    /* The same name twice is refused, with the name in the message. */
    assert_int_equal(
        load_text(&c, "[agents]\njdoe = " HASH_A "\njdoe = " HASH_B "\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":3: agents.jdoe: named twice (first at line 2)"));
    /* Hashes are 64 lower-case hex digits; the value is not repeated (a token in clear?). */
    assert_int_equal(load_text(&c, "[agents]\njdoe = 9F86D081\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: agents.jdoe: bad value (not shown)"));
    assert_null(strstr(err, "9F86"));
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
    char err[1024];
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
    char text[128], err[1024];

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
    char err[1024];

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
    char text[512], err[1024];
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
        assert_non_null(strstr(err, ":2: delivery.webhook: \""));
        assert_non_null(strstr(err, "is not valid (expected https://"));
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
        {"[delivery]\nwebhook_token = abcdef\n", ":2: delivery.webhook_token: webhook_token needs"},
        {"[delivery]\nretry_initial = 2h\n", ":2: delivery.retry_max: must not be shorter"},
        {"[delivery]\nretry_initial = 1m\nretry_max = 59s\n",
         ":3: delivery.retry_max: must not be shorter"},
        {"[delivery]\ncommand = send.sh\n", ":2: delivery.command: \"send.sh\" is not valid"},
        {"[delivery]\ncommand =\n", ":2: delivery.command: empty value"},
        {"[delivery]\nmax_attempts = 0\n", ":2: delivery.max_attempts: \"0\" is out of range"},
        {"[delivery]\nmax_attempts = 1001\n", "delivery.max_attempts: \"1001\" is out of range"},
        {"[delivery]\nretry_initial = 0\n", ":2: delivery.retry_initial: \"0\" is out of range"},
        {"[delivery]\nretry_max = 2d\n", ":2: delivery.retry_max: \"2d\" is out of range"},
        {"[delivery]\ntimeout = 0\n", ":2: delivery.timeout: \"0\" is out of range"},
        {"[delivery]\ntimeout = 601\n",
         ":2: delivery.timeout: \"601\" is out of range (expected a duration such as 300, 300s, "
         "5m, 24h or 2d, from 1s to 10m)"},
        {"[delivery]\nurl = https://example.com/\n", ":2: delivery.url: unknown key"},
    };
    struct sls_config c;
    char err[1024];
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
    assert_non_null(strstr(err, ":3: delivery.webhook_token: the value (not shown) is not valid"));
    assert_null(strstr(err, "secret"));
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

/* [store] max_size: 0 (no cap) or 64 KiB and more, in sizes with units. */
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
    assert_non_null(strstr(err, ":2: store.max_size: \"63KiB\" is out of range (expected a size "
                                "in bytes, KiB or MiB, 0 (no limit) or from 64KiB"));
    assert_int_equal(load_text(&c, "[store]\nmax_size = -1\n", err, sizeof(err)), -1);
    assert_int_equal(load_text(&c, "[store]\nsize = 1MiB\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: store.size: unknown key"));
}

/* R50: [documents] keys, their defaults, sizes with units and their bounds. */
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
    char err[1024];
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
        if (strstr(err, ":2: documents.") == NULL || strstr(err, " (expected ") == NULL)
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
    assert_non_null(strstr(err, ":2: documents.max_pages: unknown key"));

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
    char err[1024];

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
        {"[limits]\nplatinum_per_day = 5\n", ":2: limits.platinum_per_day: unknown key"},
        {"[limits]\nnone_per_week = 5\n", ":2: limits.none_per_week: unknown key"},
        {"[limits]\ndsc_plus = 5\n", ":2: limits.dsc_plus: unknown key"},
        {"[limits]\ndeposit_cap = 5\n", ":2: limits.deposit_cap: unknown key"},
        {"[policy]\nnone_per_day = 5\n", ":2: policy.none_per_day: unknown key"},
        {"[limits]\nnone_per_day = 100001\n",
         ":2: limits.none_per_day: must not be larger than limits.none_per_5_days"},
        {"[limits]\ndsc_plus_per_5_days = 10\n",
         ":2: limits.dsc_plus_per_day: must not be larger than limits.dsc_plus_per_5_days"},
    };
    struct sls_config c;
    char err[1024];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (load_text(&c, bad[i], err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
        if (strstr(err, ":2: limits.") == NULL || strstr(err, "(expected whole US dollars") == NULL)
            fail_msg("message \"%s\" for: %s", err, bad[i]);
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(load_text(&c, cases[i].text, err, sizeof(err)), -1);
        if (strstr(err, cases[i].message) == NULL)
            fail_msg("message \"%s\" does not say %s", err, cases[i].message);
    }
    /* The boundary: a day limit equal to the 5-day one is fine. */
    assert_int_equal(load_text(&c, "[limits]\nnone_per_day = 100000\n", err, sizeof(err)), 0);
}

/* Every problem of a file at once, each with its line, in the order of the file. */
static void test_all_problems_at_once(void **state)
{
    static const char text[] = "; a file with one problem of each kind\n" /* 1 */
                               "[server]\n"                               /* 2 */
                               "max_body = 64k\n"                         /* 3 */
                               "colour = blue\n"                          /* 4 */
                               "listen = 127.0.0.1:9000\n"                /* 5 */
                               "listen = 127.0.0.1:9001\n"                /* 6 */
                               "just some words\n"                        /* 7 */
                               "[policy\n"                                /* 8 */
                               "lockout_failures = 0\n"                   /* 9: skipped */
                               "[bogus]\n"                                /* 10 */
                               "key = value\n"                            /* 11: skipped */
                               "[policy]\n"                               /* 12 */
                               "temp_full_access = 13d\n"                 /* 13 */
                               "login_ttl = 5 m\n"                        /* 14 */
                               "approval_cutoff = 16:00\n"                /* 15: fine */
                               "[delivery]\n"                             /* 16 */
                               "webhook_token = very-secret-token\n"      /* 17 */
                               "max_attempts = 1001\n";                   /* 18 */
    static const char *const said[] = {
        ":3: server.max_body: \"64k\" is not valid (expected a whole number from 1024 to "
        "16777216)\n",
        ":4: server.colour: unknown key\n",
        ":6: server.listen: set twice in one [server] block (first at line 5)\n",
        ":7: malformed line (expected [section], key = value or a comment)\n",
        ":8: section line without ']' (expected [section])\n",
        ":10: [bogus]: unknown section\n",
        ":14: policy.login_ttl: \"5 m\" is not valid (expected a duration such as 300, 300s, 5m, "
        "24h or 2d, at least 1s)\n",
        ":18: delivery.max_attempts: \"1001\" is out of range (expected a whole number from 1 to "
        "1000)\n",
        ":13: policy.temp_portal_access: must not be shorter than policy.temp_full_access\n",
        ":17: delivery.webhook_token: webhook_token needs a webhook (expected delivery.webhook "
        "too)",
    };
    struct sls_config c;
    char err[4096];
    const char *at;
    size_t i;

    (void)state;
    assert_int_equal(load_text(&c, text, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ": 10 problems:\n"));
    /* In this order, each on its own line starting with the file's name. */
    at = err;
    for (i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
        const char *hit = strstr(at, said[i]);
        if (hit == NULL)
            fail_msg("\"%s\" not after %zu in:\n%s", said[i], (size_t)(at - err), err);
        assert_memory_equal(hit - strlen("/sls-config-test-XXXXXX"), "/sls-config-test-", 17);
        at = hit + strlen(said[i]) - 1;
    }
    assert_null(strstr(err, "very-secret"));
    assert_null(strstr(err, ":9:"));
    assert_null(strstr(err, ":11:"));
    assert_null(strstr(err, ":15:"));
}

/* A buffer too small for every problem gets whole lines and a count of the rest. */
static void test_problems_cut_to_the_buffer(void **state)
{
    char text[4096], err[300];
    size_t len = 0;
    struct sls_config c;

    (void)state;
    len += (size_t)snprintf(text, sizeof(text), "[server]\n");
    for (int i = 0; i < 150; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "bad%d = 1\n", i);
    assert_int_equal(load_text(&c, text, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ": 150 problems:\n"));
    assert_non_null(strstr(err, ":2: server.bad0: unknown key\n"));
    assert_non_null(strstr(err, " more"));
    assert_true(strlen(err) < sizeof(err));
    /* A tiny one still ends with a NUL. */
    assert_int_equal(load_text(&c, text, err, 16), -1);
    assert_true(strlen(err) < 16);
}

/* The bounds of each type, just in and just out. */
static void test_bounds_of_each_type(void **state)
{
    static const struct {
        const char *text;
        const char *says; /* NULL: accepted */
    } cases[] = {
        /* whole numbers */
        {"[http]\nworkers = 256\n", NULL},
        {"[http]\nworkers = 257\n",
         "http.workers: \"257\" is out of range (expected a whole number "
         "from 1 to 256)"},
        {"[throttle]\nhashing_queue = 0\n", NULL},
        {"[throttle]\nhashing_queue = -1\n", "throttle.hashing_queue: \"-1\" is not valid"},
        {"[security]\nargon2_mem_kib = 99999999999999999999\n",
         "security.argon2_mem_kib: \"99999999999999999999\" is not valid"},
        /* durations */
        {"[lockout]\nclient_token_ttl = 1h\n", NULL},
        {"[lockout]\nclient_token_ttl = 59m\n",
         "lockout.client_token_ttl: \"59m\" is out of range (expected a duration such as 300, "
         "300s, 5m, 24h or 2d, from 1h to 3650d)"},
        {"[lockout]\nclient_token_ttl = 3650d\n", NULL},
        {"[lockout]\nclient_token_ttl = 3651d\n", "lockout.client_token_ttl: \"3651d\" is out of"},
        {"[throttle]\nqueue_wait = 61s\n", "from 1s to 1m)"},
        /* sizes */
        {"[documents]\nmax_message_bytes = 64KiB\nmax_document_bytes = 64KiB\n", NULL},
        {"[documents]\nmax_message_bytes = 65535\n",
         "documents.max_message_bytes: \"65535\" is out of range (expected a size in bytes, KiB or "
         "MiB, from 64KiB to 256MiB)"},
        {"[documents]\nmax_message_bytes = 25MB\n", "\"25MB\" is not valid"},
        /* booleans, names, times of day */
        {"[push]\nnumber_matching = yes\n",
         "push.number_matching: \"yes\" is not valid (expected true or false)"},
        {"[lockout]\nmode = token\n",
         "lockout.mode: \"token\" is not valid (expected account or client)"},
        {"[policy]\napproval_cutoff = 24:00\n",
         "policy.approval_cutoff: \"24:00\" is not valid (expected HH:MM from 00:00 to 23:59)"},
        /* dates */
        {"[policy]\nholidays = 2026-02-30\n", "policy.holidays: \"2026-02-30\" is not valid"},
        /* amounts */
        {"[limits]\nnone_per_5_days = 1000000000000\nnone_per_day = 1000000000000\n", NULL},
        {"[limits]\nnone_per_5_days = 1000000000001\n",
         "limits.none_per_5_days: \"1000000000001\" is not valid (expected whole US dollars from "
         "0 to 1000000000000, or unlimited)"},
        {"[limits]\nach_eft_deposit_cap = unlimited\n",
         "limits.ach_eft_deposit_cap: \"unlimited\" is not valid (expected whole US dollars from 0 "
         "to 1000000000000)"},
        /* strings */
        {"[server]\nlisten =\n", "server.listen: empty value (expected HOST:PORT, at most 127 "
                                 "characters)"},
        {"[documents]\neuropean_address = docs\n",
         "documents.european_address: \"docs\" is not valid (expected an e-mail address"},
        /* CIDR lists */
        {"[http]\ntrusted_proxies =\n", NULL},
        {"[http]\ntrusted_proxies = 10.0.0.0/33\n",
         "http.trusted_proxies: \"10.0.0.0/33\" is not valid (expected addresses or CIDR ranges "
         "separated by commas or spaces, at most 32)"},
    };
    struct sls_config c;
    char err[1024];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = load_text(&c, cases[i].text, err, sizeof(err));
        if (cases[i].says == NULL) {
            if (rc != 0)
                fail_msg("case %zu refused: %s", i, err);
            continue;
        }
        if (rc != -1 || strstr(err, cases[i].says) == NULL)
            fail_msg("case %zu: \"%s\" does not say %s", i, err, cases[i].says);
    }
}

static void test_string_too_long(void **state)
{
    char text[2048], err[1024];
    struct sls_config c;
    int n;

    (void)state;
    n = snprintf(text, sizeof(text), "[server]\nlisten = ");
    memset(text + n, 'a', 128);
    snprintf(text + n + 128, sizeof(text) - (size_t)n - 128, "\n");
    assert_int_equal(load_text(&c, text, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: server.listen: \"aaaa"));
    assert_non_null(strstr(err, "...\" is too long (expected HOST:PORT, at most 127 characters)"));
    text[n + 127] = '\n';
    text[n + 128] = '\0';
    assert_int_equal(load_text(&c, text, err, sizeof(err)), 0);
    assert_int_equal(strlen(c.listen), 127);
}

/* Lines up to SLS_CONFIG_LINE_MAX characters; a longer one is one problem on its line. */
static void test_long_lines(void **state)
{
    static char text[3 * SLS_CONFIG_LINE_MAX];
    char err[1024];
    struct sls_config c;
    size_t n;

    (void)state;
    /* 129 holidays do not fit the table (at most 128), but a line holds them. */
    n = (size_t)snprintf(text, sizeof(text), "[policy]\nholidays =");
    for (int i = 0; i < 128; i++)
        n +=
            (size_t)snprintf(text + n, sizeof(text) - n, " 2026-%02d-%02d", 1 + i / 28, 1 + i % 28);
    n += (size_t)snprintf(text + n, sizeof(text) - n, "\n");
    assert_true(n > 1000);
    if (load_text(&c, text, err, sizeof(err)) != 0)
        fail_msg("refused: %s", err);
    assert_int_equal(c.holidays.n, 128);
    snprintf(text + n, sizeof(text) - n, "holidays = 2027-01-01\n");
    assert_int_equal(load_text(&c, text, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":3: policy.holidays: \"2027-01-01\" is not valid"));

    /* A comment of exactly the limit is fine; one more character is a problem. */
    memset(text, 0, sizeof(text));
    text[0] = ';';
    memset(text + 1, 'x', SLS_CONFIG_LINE_MAX - 1);
    strcat(text, "\n[server]\nmax_body = 2048\n");
    assert_int_equal(load_text(&c, text, err, sizeof(err)), 0);
    assert_int_equal(c.max_body, 2048);
    memset(text, 0, sizeof(text));
    snprintf(text, sizeof(text), "[server]\n;");
    memset(text + 10, 'x', SLS_CONFIG_LINE_MAX);
    strcat(text, "\nmax_body = 1\n");
    assert_int_equal(load_text(&c, text, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ": 2 problems:\n"));
    assert_non_null(strstr(err, ":2: line too long (expected at most 4096 characters)\n"));
    assert_non_null(strstr(err, ":3: server.max_body: \"1\" is out of range"));
}

/* Set twice in one block is a mistake; a later block of the section overrides
 * an earlier one (a base file with settings appended). */
static void test_duplicates(void **state)
{
    struct sls_config c;
    char err[1024];

    (void)state;
    assert_int_equal(load_text(&c, "[security]\nargon2_ops = 1\n\n[security]\nargon2_ops = 3\n",
                               err, sizeof(err)),
                     0);
    assert_int_equal(c.pwhash.opslimit, 3);
    assert_int_equal(
        load_text(&c, "[security]\nargon2_ops = 1\n; x\nargon2_ops = 3\n", err, sizeof(err)), -1);
    assert_non_null(
        strstr(err, ":4: security.argon2_ops: set twice in one [security] block (first at line "
                    "2)"));
    /* holidays add up, in one block too. */
    assert_int_equal(
        load_text(&c, "[policy]\nholidays = 2026-12-25\nholidays = 2027-01-01\n", err, sizeof(err)),
        0);
    assert_int_equal(c.holidays.n, 2);
}

/* Comments, spaces, ':' and continuation lines are read as they always were. */
static void test_syntax(void **state)
{
    struct sls_config c;
    char err[1024];

    (void)state;
    if (load_text(&c,
                  "\xEF\xBB\xBF; a byte order mark first\r\n"
                  "[server] ; the server\r\n"
                  "  # indented comment\n"
                  "  listen   =   10.0.0.1:80   ; inline comment\n"
                  "store: sqlite:x.db\n"
                  "key_file = a;b\n"
                  "[policy]\n"
                  "holidays = 2026-12-25\n"
                  "    2027-01-01, 2027-05-31 ; continues the key\n",
                  err, sizeof(err)) != 0)
        fail_msg("refused: %s", err);
    assert_string_equal(c.listen, "10.0.0.1:80");
    assert_string_equal(c.store_url, "sqlite:x.db");
    assert_string_equal(c.key_file, "a;b");
    assert_int_equal(c.holidays.n, 3);
    /* A key that takes one value is not continued. */
    assert_int_equal(
        load_text(&c, "[server]\nlisten = 10.0.0.1:80\n  10.0.0.2:80\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":3: server.listen: indented line continues a key"));
    /* An indented line after an unknown key does not continue the key before it. */
    assert_int_equal(load_text(&c, "[policy]\nholidays = 2026-12-25\ncolour = x\n  2027-01-01\n",
                               err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, ": 2 problems:\n"));
    assert_non_null(strstr(err, ":3: policy.colour: unknown key\n"));
    assert_non_null(strstr(err, ":4: malformed line"));
    {
        /* A NUL byte inside a line is a problem of that line, not the end of the value. */
        static const char nul[] = "[server]\nlisten = a\0b\nmax_body = 1\n";
        char path[512];
        FILE *f;
        write_temp(path, sizeof(path), "");
        f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
        assert_int_equal(fclose(f), 0);
        sls_config_default(&c);
        assert_int_equal(sls_config_load(&c, path, err, sizeof(err)), -1);
        unlink(path);
        assert_non_null(strstr(err, ":2: line holds a NUL byte"));
        assert_non_null(strstr(err, ":3: server.max_body"));
        assert_string_equal(c.listen, "127.0.0.1:8080");
    }
    assert_int_equal(load_text(&c, "[server] listen\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":1: [server]: text after ']'"));
    assert_int_equal(load_text(&c, "[server]\n= 5\n", err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":2: no key before '='"));
}

/* The table's defaults are the core's numbers (SPEC), for every policy the core holds. */
static void test_defaults_are_the_cores(void **state)
{
    struct sls_config c;
    struct sls_pwhash_cost pw;
    struct sls_lockout_policy lo;
    struct sls_session_policy se;
    struct sls_access_policy ac;
    struct sls_push_policy pu;
    struct sls_dsc_plus_policy ds;
    struct sls_delivery_policy de;
    struct sls_limit_policy li;

    (void)state;
    sls_config_default(&c);
    sls_pwhash_cost_default(&pw);
    sls_lockout_policy_default(&lo);
    sls_session_policy_default(&se);
    sls_access_policy_default(&ac);
    sls_push_policy_default(&pu);
    sls_dsc_plus_policy_default(&ds);
    sls_delivery_policy_default(&de);
    sls_limit_policy_default(&li);
    assert_int_equal(c.pwhash.opslimit, pw.opslimit);
    assert_int_equal(c.pwhash.memlimit, pw.memlimit);
    assert_int_equal(c.lockout.max_failures, lo.max_failures);
    assert_int_equal(c.lockout.window, lo.window);
    assert_int_equal(c.lockout.lock_duration, lo.lock_duration);
    assert_int_equal(c.session.portal_idle, se.portal_idle);
    assert_int_equal(c.session.trading_lifetime, se.trading_lifetime);
    assert_int_equal(c.session.ibkey_pin, se.ibkey_pin);
    assert_int_equal(c.session.ibkey_biometric, se.ibkey_biometric);
    assert_int_equal(c.access.cutoff_seconds, ac.cutoff_seconds);
    assert_int_equal(c.access.temp_full, ac.temp_full);
    assert_int_equal(c.access.temp_portal, ac.temp_portal);
    assert_int_equal(c.access.online_card_lifetime, ac.online_card_lifetime);
    assert_int_equal(c.push.cap, pu.cap);
    assert_int_equal(c.push.window, pu.window);
    assert_int_equal(c.push.ttl, pu.ttl);
    assert_int_equal(c.push.max_skew, pu.max_skew);
    assert_int_equal(c.push.number_matching, pu.number_matching);
    assert_int_equal(c.dsc_plus.auto_activation, ds.auto_activation);
    assert_int_equal(c.dsc_plus.first_notice, ds.first_notice);
    assert_int_equal(c.dsc_plus.last_notice, ds.last_notice);
    assert_int_equal(c.dsc_plus.equity_min_cents, ds.equity_min_cents);
    assert_int_equal(c.dsc_plus.hold_cents, ds.hold_cents);
    assert_int_equal(c.delivery.retry.max_attempts, de.max_attempts);
    assert_int_equal(c.delivery.retry.retry_initial, de.retry_initial);
    assert_int_equal(c.delivery.retry.retry_max, de.retry_max);
    for (int k = 0; k < SLS_LIMIT__COUNT; k++) {
        assert_int_equal(c.limits.per_day[k].unlimited, li.per_day[k].unlimited);
        assert_int_equal(c.limits.per_day[k].cents, li.per_day[k].cents);
        assert_int_equal(c.limits.per_5_days[k].unlimited, li.per_5_days[k].unlimited);
        assert_int_equal(c.limits.per_5_days[k].cents, li.per_5_days[k].cents);
    }
    assert_int_equal(c.limits.deposit_cap_cents, li.deposit_cap_cents);
    assert_int_equal(c.challenge_ttl, SLS_CHALLENGE_TTL_DEFAULT);
    assert_int_equal(c.login_ttl, SLS_LOGIN_TTL_DEFAULT);
    assert_int_equal(c.identity_ttl, SLS_IDENTITY_TTL_DEFAULT);
    assert_int_equal(c.delivery.timeout, SLS_DELIVERY_TIMEOUT_DEFAULT);
    assert_int_equal(c.delivery.retention, SLS_DELIVERY_RETENTION_DEFAULT);
    /* Today's numbers of the keys no other test pins. */
    assert_int_equal(c.password_reset_ttl, 30 * 60);
    assert_int_equal(c.sms_code_ttl, 5 * 60);
    assert_int_equal(c.activation_code_ttl, 10 * 60);
    assert_int_equal(c.code_tries, 5);
    assert_int_equal(c.push.cap, 5);
    assert_int_equal(c.push.window, 10 * 60);
    assert_int_equal(c.push.ttl, 5 * 60);
    assert_int_equal(c.push.max_skew, 5 * 60);
    assert_int_equal(c.dsc_plus.auto_activation, 21 * 86400);
    assert_int_equal(c.dsc_plus.first_notice, 3 * 86400);
    assert_int_equal(c.dsc_plus.last_notice, 86400);
    assert_int_equal(c.pwhash.opslimit, 2);
    assert_int_equal(c.pwhash.memlimit, 64 * 1024 * 1024);
    assert_string_equal(c.documents.european_countries, SLS_DOCUMENTS_EUROPE_DEFAULT);
}

/* Backticked names of a cell ("`a`, `b`") into names; returns how many. */
static size_t cell_names(const char *cell, size_t len, char names[][64], size_t max)
{
    size_t n = 0;
    const char *p = cell, *end = cell + len;

    while (n < max && (p = memchr(p, '`', (size_t)(end - p))) != NULL) {
        const char *q = memchr(p + 1, '`', (size_t)(end - p - 1));
        if (q == NULL || (size_t)(q - p - 1) >= 64)
            break;
        memcpy(names[n], p + 1, (size_t)(q - p - 1));
        names[n][q - p - 1] = '\0';
        n++;
        p = q + 1;
    }
    return n;
}

/* docs/configuration.md names every key of the table, in its section's table
 * "| key | default | ...", with the table's default; and documents no key the
 * table lacks. A two-key row ("`a`, `b`" | "`1`, `2`") gives both defaults. */
static void test_docs_match_the_table(void **state)
{
    static char doc[256 * 1024];
    char section[64] = "", names[4][64], line[4096], cell[1024];
    bool in_keys = false, found[256] = {false};
    struct sls_config_key_doc k;
    size_t nkeys = 0, i, len;
    FILE *f = fopen(SLS_SOURCE_DIR "/docs/configuration.md", "r");

    (void)state;
    assert_non_null(f);
    len = fread(doc, 1, sizeof(doc) - 1, f);
    fclose(f);
    doc[len] = '\0';
    while (sls_config_key_at(nkeys, &k))
        nkeys++;
    assert_true(nkeys > 60 && nkeys < 256);

    for (const char *p = doc; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (nl ? 1 : 0);
        if (strncmp(line, "## `[", 5) == 0) {
            snprintf(section, sizeof(section), "%.60s", line + 5);
            section[strcspn(section, "]")] = '\0';
            in_keys = false;
            continue;
        }
        if (strncmp(line, "## ", 3) == 0)
            section[0] = '\0';
        if (line[0] != '|') {
            in_keys = false;
            continue;
        }
        if (strncmp(line, "| key | default |", 17) == 0) {
            in_keys = section[0] != '\0';
            continue;
        }
        if (!in_keys || strncmp(line, "|---", 4) == 0)
            continue;
        /* | KEYS | DEFAULTS | ... */
        char *c1 = line + 2, *c2 = strstr(c1, " | "), *c3;
        assert_non_null(c2);
        *c2 = '\0';
        c2 += 3;
        c3 = strstr(c2, " | ");
        assert_non_null(c3);
        *c3 = '\0';
        size_t nn = cell_names(c1, strlen(c1), names, 4);
        if (nn == 0)
            fail_msg("[%s]: a row without a key: %s", section, c1);
        for (size_t j = 0; j < nn; j++) {
            /* The j-th default of the cell. */
            const char *d = c2;
            for (size_t skip = j; skip > 0 && nn > 1; skip--) {
                d = strstr(d, ", ");
                assert_non_null(d);
                d += 2;
            }
            snprintf(cell, sizeof(cell), "%s", d);
            if (nn > 1)
                cell[strcspn(cell, ",")] = '\0';
            for (i = 0; i < nkeys; i++) {
                assert_true(sls_config_key_at(i, &k));
                if (strcmp(k.section, section) == 0 && strcmp(k.name, names[j]) == 0)
                    break;
            }
            if (i == nkeys)
                fail_msg("the documentation has [%s] %s, the table has not", section, names[j]);
            if (found[i])
                fail_msg("[%s] %s documented twice", section, names[j]);
            found[i] = true;
            if (k.doc_default != NULL) {
                if (strcmp(cell, k.doc_default) != 0)
                    fail_msg("[%s] %s: documented default \"%s\", table \"%s\"", section, names[j],
                             cell, k.doc_default);
            } else {
                char want[1100];
                size_t wl = (size_t)snprintf(want, sizeof(want), "`%s`", k.def);
                if (strncmp(cell, want, wl) != 0 ||
                    (cell[wl] != '\0' && strncmp(cell + wl, " (", 2) != 0))
                    fail_msg("[%s] %s: documented default \"%s\", table %s", section, names[j],
                             cell, want);
            }
            if (k.def != NULL && k.doc_default != NULL) {
                char want[1100];
                snprintf(want, sizeof(want), "`%s`", k.def);
                if (strstr(doc, want) == NULL)
                    fail_msg("[%s] %s: the default %s is not in the documentation", section,
                             names[j], want);
            }
        }
    }
    for (i = 0; i < nkeys; i++) {
        assert_true(sls_config_key_at(i, &k));
        if (!found[i])
            fail_msg("[%s] %s is not in the documentation's tables", k.section, k.name);
    }
}

/* The value of a man page line ".Ql VALUE [punctuation]", or of
 * ".Ql \"VALUE\" ...", in out, without the break points "\\:" a long value
 * may hold; false when the line is not a .Ql. */
static bool man_ql_value(const char *line, char *out, size_t len)
{
    const char *v, *end;

    if (strncmp(line, ".Ql ", 4) != 0)
        return false;
    v = line + 4;
    if (*v == '"') {
        v++;
        end = strchr(v, '"');
    } else {
        end = strchr(v, ' ');
    }
    if (end == NULL)
        end = v + strlen(v);
    /* "\\:" is a place where the line may break, not part of the value. */
    size_t n = 0;
    while (v < end && n + 1 < len) {
        if (v[0] == '\\' && v + 1 < end && v[1] == ':') {
            v += 2;
            continue;
        }
        out[n++] = *v++;
    }
    out[n] = '\0';
    return true;
}

/* man/sls.conf.5.in documents every key of the table, each once, as
 * ".It Ic KEY" under its section's ".Ss \"[SECTION]\"", with a line
 * "Default:" followed by ".Ql DEFAULT" for a key with a default in the table,
 * or by words (such as "none.") for a key without one; and no key that the
 * table lacks. */
static void test_man_page_matches_the_table(void **state)
{
    static char page[256 * 1024];
    char section[64] = "", key[64] = "", line[4096], value[1100];
    bool found[256] = {false}, in_entry = false, default_next = false, has_default = false;
    struct sls_config_key_doc k;
    size_t nkeys = 0, i = 0, len;
    FILE *f = fopen(SLS_SOURCE_DIR "/man/sls.conf.5.in", "r");

    (void)state;
    assert_non_null(f);
    len = fread(page, 1, sizeof(page) - 1, f);
    fclose(f);
    page[len] = '\0';
    while (sls_config_key_at(nkeys, &k))
        nkeys++;
    assert_true(nkeys > 60 && nkeys < 256);

    for (const char *p = page; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        p += n + (nl ? 1 : 0);
        bool ends = strncmp(line, ".It ", 4) == 0 || strncmp(line, ".El", 3) == 0 ||
                    strncmp(line, ".Ss ", 4) == 0 || strncmp(line, ".Sh ", 4) == 0;
        if (ends && in_entry && !has_default)
            fail_msg("sls.conf(5): [%s] %s has no \"Default:\" line", section, key);
        if (ends)
            in_entry = false;
        if (default_next) {
            default_next = false;
            assert_true(sls_config_key_at(i, &k));
            if (k.def != NULL) {
                if (!man_ql_value(line, value, sizeof(value)) || strcmp(value, k.def) != 0)
                    fail_msg("sls.conf(5): [%s] %s: default \"%s\", table \"%s\"", section, key,
                             line, k.def);
            } else if (line[0] == '.' || line[0] == '\0') {
                fail_msg("sls.conf(5): [%s] %s: the default of a key without one in the table "
                         "is said in words, not \"%s\"",
                         section, key, line);
            } else if (k.doc_default != NULL && strcmp(k.doc_default, "none") == 0 &&
                       strcmp(line, "none.") != 0) {
                fail_msg("sls.conf(5): [%s] %s: default \"%s\", table none", section, key, line);
            }
            continue;
        }
        if (strncmp(line, ".Sh ", 4) == 0) {
            section[0] = '\0';
        } else if (strncmp(line, ".Ss \"[", 6) == 0) {
            snprintf(section, sizeof(section), "%.60s", line + 6);
            section[strcspn(section, "]")] = '\0';
        } else if (strncmp(line, ".It Ic ", 7) == 0 && section[0] != '\0') {
            snprintf(key, sizeof(key), "%.60s", line + 7);
            key[strcspn(key, " ")] = '\0';
            for (i = 0; i < nkeys; i++) {
                assert_true(sls_config_key_at(i, &k));
                if (strcmp(k.section, section) == 0 && strcmp(k.name, key) == 0)
                    break;
            }
            if (i == nkeys)
                fail_msg("sls.conf(5) has [%s] %s, the table has not", section, key);
            if (found[i])
                fail_msg("sls.conf(5) has [%s] %s twice", section, key);
            found[i] = true;
            in_entry = true;
            has_default = false;
        } else if (in_entry && strcmp(line, "Default:") == 0) {
            if (has_default)
                fail_msg("sls.conf(5): [%s] %s has two \"Default:\" lines", section, key);
            has_default = true;
            default_next = true;
        }
    }
    for (i = 0; i < nkeys; i++) {
        assert_true(sls_config_key_at(i, &k));
        if (!found[i])
            fail_msg("[%s] %s is missing from sls.conf(5)", k.section, k.name);
    }
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
        cmocka_unit_test(test_radius_clients),
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
        cmocka_unit_test(test_all_problems_at_once),
        cmocka_unit_test(test_problems_cut_to_the_buffer),
        cmocka_unit_test(test_bounds_of_each_type),
        cmocka_unit_test(test_string_too_long),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_defaults_are_the_cores),
        cmocka_unit_test(test_docs_match_the_table),
        cmocka_unit_test(test_man_page_matches_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
