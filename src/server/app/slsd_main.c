/* slsd: the sls server. Reads its configuration, opens the store, loads or
 * creates the master key and admin token, and serves the public and admin
 * listeners until SIGINT or SIGTERM (SIGHUP is only logged: there is no
 * reload); tells a service manager (systemd, Type=notify) when it is ready
 * and when it stops. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server/api/gates.h"
#include "server/api/routes.h"
#include "server/app/app.h"
#include "core/error.h"
#include "crypto/crypto.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/jobs/delivery.h"
#include "server/flows/dev_outbox.h"
#include "server/flows/dev_clock.h"
#include "server/flows/key_check.h"
#include "server/jobs/dsc_plus_scheduler.h"
#include "server/http/http.h"
#include "server/radius/listener.h"
#include "server/app/keyfile.h"
#include "server/app/notify.h"
#include "sls_version.h"

static void usage(FILE *f)
{
    fputs("usage: slsd [--config FILE] [--listen HOST:PORT] [--admin-listen HOST:PORT]\n"
          "            [--store URL] [--init-store] [--dev] [--check] [--version]\n"
          "  --config FILE        INI configuration (see docs/configuration.md)\n"
          "  --listen HOST:PORT   public API and Client Portal (default 127.0.0.1:8080)\n"
          "  --admin-listen H:P   admin API and metrics (default 127.0.0.1:8081)\n"
          "  --store URL          sqlite:PATH or postgresql://... (default sqlite:sls.db)\n"
          "  --init-store         make a new store in an existing empty (0-byte) file\n"
          "  --dev                development mode: movable clock and message outbox\n"
          "  --check              check the configuration and exit\n"
          "  --version            print the version and exit\n"
          "environment: SLS_ADMIN_TOKEN is the token of the agent named 'admin'\n",
          f);
}

static int set_opt(char *dst, size_t len, const char *opt, const char *val)
{
    if (val == NULL || strlen(val) >= len || val[0] == '\0') {
        fprintf(stderr, "slsd: %s needs a value\n", opt);
        return -1;
    }
    memcpy(dst, val, strlen(val) + 1);
    return 0;
}

static int setup_agents(struct sls_config *cfg, char *err, size_t errlen)
{
    const char *env = getenv("SLS_ADMIN_TOKEN");
    char hash[65], token[65];
    bool created = false;

    if (env != NULL && env[0] != '\0') {
        if (strlen(env) < 16) {
            snprintf(err, errlen, "SLS_ADMIN_TOKEN must be at least 16 characters");
            return -1;
        }
        sls_sha256_hex(env, strlen(env), hash);
        if (sls_config_add_agent(cfg, "admin", hash) != 0) {
            snprintf(err, errlen, "agent 'admin' is configured twice");
            return -1;
        }
        fprintf(stderr, "slsd: agent 'admin' authenticates with SLS_ADMIN_TOKEN\n");
        return 0;
    }
    if (cfg->nagents > 0)
        return 0;
    if (sls_tokenfile_load_or_create(cfg->admin_token_file, token, &created, err, errlen) != 0)
        return -1;
    sls_sha256_hex(token, strlen(token), hash);
    sls_wipe(token, sizeof(token));
    sls_config_add_agent(cfg, "admin", hash);
    fprintf(stderr, "slsd: %s admin token for agent 'admin' in %s\n",
            created ? "created a new" : "the", cfg->admin_token_file);
    return 0;
}

int main(int argc, char **argv)
{
    static struct sls_app app;
    const char *config_path = NULL, *listen = NULL, *admin_listen = NULL, *store = NULL;
    bool dev = false, check = false, key_created = false, init_store = false;
    struct sls_store_options store_opts;
    char why[512];
    char store_shown[sizeof(app.cfg.store_url)]; /* the URL without its password */
    char err[8192], dummy[33];
    struct sls_http *http = NULL;
    struct sls_radius *radius = NULL;
    struct sls_delivery *delivery = NULL;
    struct sls_dsc_plus_scheduler *scheduler = NULL;
    sigset_t sigs;
    int i, sig = 0, rc = 1, krc = SLS_OK;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            puts("slsd " SLS_VERSION);
            return 0;
        } else if (strcmp(a, "--dev") == 0) {
            dev = true;
        } else if (strcmp(a, "--init-store") == 0) {
            init_store = true;
        } else if (strcmp(a, "--check") == 0 || strcmp(a, "-n") == 0) {
            check = true;
        } else if (strcmp(a, "--config") == 0 && next) {
            config_path = argv[++i];
        } else if (strcmp(a, "--listen") == 0 && next) {
            listen = argv[++i];
        } else if (strcmp(a, "--admin-listen") == 0 && next) {
            admin_listen = argv[++i];
        } else if (strcmp(a, "--store") == 0 && next) {
            store = argv[++i];
        } else {
            fprintf(stderr, "slsd: unknown or incomplete option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    /* The store, its WAL and every file slsd creates are for its own user only. */
    umask(077);
    if (sls_crypto_init() != 0) {
        fprintf(stderr, "slsd: cannot initialise the crypto library\n");
        return 1;
    }
    sls_config_default(&app.cfg);
    if (config_path != NULL && sls_config_load(&app.cfg, config_path, err, sizeof(err)) != 0) {
        fprintf(stderr, "slsd: %s\n", err);
        return 1;
    }
    if ((listen && set_opt(app.cfg.listen, sizeof(app.cfg.listen), "--listen", listen)) ||
        (admin_listen && set_opt(app.cfg.admin_listen, sizeof(app.cfg.admin_listen),
                                 "--admin-listen", admin_listen)) ||
        (store && set_opt(app.cfg.store_url, sizeof(app.cfg.store_url), "--store", store)))
        return 2;
    app.cfg.dev = dev;
    if (check) {
        printf("slsd: configuration OK\n");
        return 0;
    }
    if (dev)
        fprintf(stderr, "slsd: *** DEVELOPMENT MODE: the clock can be moved and sent messages "
                        "are readable at /v1/dev/outbox. Never run --dev in production. ***\n");
    if (setup_agents(&app.cfg, err, sizeof(err)) != 0 ||
        sls_keyfile_load_or_create(app.cfg.key_file, &app.key, &key_created, err, sizeof(err)) !=
            0) {
        fprintf(stderr, "slsd: %s\n", err);
        return 1;
    }
    if (dev)
        sls_dev_outbox_enable(&app.key);
    if (key_created)
        fprintf(stderr,
                "slsd: created master key %s (keep it safe: device secrets are sealed "
                "with it)\n",
                app.cfg.key_file);
    /* R5: unknown users are checked against this hash, at the same cost. */
    sls_random_hex(dummy, 16);
    if (sls_password_hash(dummy, 32, &app.cfg.pwhash, app.dummy_hash) != 0) {
        fprintf(stderr, "slsd: cannot hash with the configured Argon2id cost\n");
        goto out;
    }
    sls_wipe(dummy, sizeof(dummy));
    store_opts = (struct sls_store_options){.init_empty = init_store,
                                            .max_size = app.cfg.store_max_size,
                                            .pool = (int)app.cfg.store_pool,
                                            .timeout = (int)app.cfg.store_timeout};
    if (sls_store_open_with(app.cfg.store_url, &store_opts, &app.store, why, sizeof(why)) !=
        SLS_OK) {
        sls_store_url_for_log(app.cfg.store_url, store_shown, sizeof(store_shown));
        fprintf(stderr, "slsd: cannot open store %s: %s\n", store_shown,
                why[0] ? why : "unknown reason");
        goto out;
    }
    /* SPEC §10.1: every node must read the same master key as the data's. */
    switch (sls_key_check_run(app.store, &app.key, &krc)) {
    case SLS_KEY_CHECK_MATCHES:
        break;
    case SLS_KEY_CHECK_WRITTEN:
        fprintf(stderr, "slsd: store %s: recorded the check value of the master key %s\n",
                app.cfg.store_url, app.cfg.key_file);
        break;
    case SLS_KEY_CHECK_MISMATCH:
        fprintf(stderr,
                "slsd: the master key %s does not match the data of store %s (it was written "
                "with another key); every node must read the same key file: not starting\n",
                app.cfg.key_file, app.cfg.store_url);
        goto out;
    case SLS_KEY_CHECK_FAILED:
        fprintf(stderr, "slsd: cannot check the master key %s against store %s (%s)\n",
                app.cfg.key_file, app.cfg.store_url, sls_err_code(krc));
        goto out;
    }
    /* SPEC §10.1: the --dev clock is shared by every node of the store. */
    if (dev)
        sls_dev_clock_share(app.store);
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    sls_resp_refine_store_errors(sls_store_last_error);
    http = sls_http_start(&app, &app.cfg, sls_api_routes, sls_api_gates, err, sizeof(err));
    if (http == NULL) {
        fprintf(stderr, "slsd: %s\n", err);
        goto out;
    }
    if (sls_radius_start(&app, sls_http_throttle(http), &radius, err, sizeof(err)) != 0) {
        fprintf(stderr, "slsd: %s\n", err);
        goto out;
    }
    if (radius != NULL)
        fprintf(stderr, "slsd: answering RADIUS on %s for %zu clients\n", app.cfg.radius.listen,
                app.cfg.radius.nclients);
    if (sls_delivery_start(app.store, &app.cfg.delivery, &delivery, err, sizeof(err)) != 0) {
        fprintf(stderr, "slsd: %s\n", err);
        goto out;
    }
    if (sls_dsc_plus_scheduler_start(app.store, &app.cfg.dsc_plus, &scheduler, err, sizeof(err)) !=
        0) {
        fprintf(stderr, "slsd: %s\n", err);
        goto out;
    }
    if (delivery != NULL)
        fprintf(stderr, "slsd: delivering messages through the %s\n",
                app.cfg.delivery.webhook[0] ? "webhook" : "command");
    else if (!dev)
        fprintf(stderr, "slsd: no [delivery] command or webhook: messages to users stay "
                        "undelivered in the outbox\n");
    sls_store_url_for_log(app.cfg.store_url, store_shown, sizeof(store_shown));
    fprintf(stderr, "slsd: serving the public API on %s and the admin API on %s (store %s)\n",
            app.cfg.listen, app.cfg.admin_listen, store_shown);
    if (sls_notify_send("READY=1\nSTATUS=serving") < 0)
        fprintf(stderr, "slsd: cannot tell the service manager it is ready (NOTIFY_SOCKET)\n");
    /* SIGHUP is the reload signal of many daemons; slsd has no reload, and
     * must not stop when it is sent out of habit. */
    while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP)
        fprintf(stderr, "slsd: SIGHUP: no reload, the configuration is read at start only; "
                        "check it and restart slsd to apply a change\n");
    if (sig != 0)
        fprintf(stderr, "slsd: signal %d, shutting down\n", sig);
    sls_notify_send("STOPPING=1");
    rc = 0;
out:
    sls_radius_stop(radius);
    sls_http_stop(http);
    sls_dsc_plus_scheduler_stop(scheduler);
    sls_delivery_stop(delivery);
    sls_store_close(app.store);
    sls_wipe(&app.key, sizeof(app.key));
    sls_config_wipe(&app.cfg);
    return rc;
}
