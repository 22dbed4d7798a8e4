/* slsd configuration: every listener, path and policy number, with defaults,
 * read from an INI file and overridden by the command line. */
#ifndef SLS_SERVER_CONFIG_H
#define SLS_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/access.h"
#include "core/lockout.h"
#include "core/session_policy.h"
#include "core/time.h"
#include "crypto/password.h"

#define SLS_CONFIG_MAX_AGENTS 32

struct sls_agent {
    char name[64];
    char token_hash[65]; /* SHA-256 hex of the bearer token */
};

struct sls_config {
    char listen[128];            /* public listener, HOST:PORT */
    char admin_listen[128];      /* admin listener, HOST:PORT */
    char store_url[1024];        /* sqlite:PATH */
    char key_file[1024];         /* master key sealing device secrets */
    char admin_token_file[1024]; /* generated admin token when no other is configured */
    size_t max_body;             /* bytes; default 64 KiB */
    unsigned connection_limit;   /* concurrent connections per listener */
    unsigned connection_timeout; /* seconds of idle before a connection is closed */
    bool dev;                    /* --dev: movable clock and outbox endpoints */

    struct sls_pwhash_cost pwhash;
    struct sls_lockout_policy lockout;
    struct sls_session_policy session;
    struct sls_access_policy access;
    sls_time challenge_ttl;
    sls_time login_ttl;
    sls_time identity_ttl;
    sls_time password_reset_ttl; /* e-mailed reset codes; default 30 minutes */

    struct sls_agent agents[SLS_CONFIG_MAX_AGENTS];
    size_t nagents;
};

/* Fills every default. */
void sls_config_default(struct sls_config *c);

/* Reads an INI file over the current values. Unknown sections or keys and
 * malformed values are errors: returns 0, or -1 with a message in err. */
int sls_config_load(struct sls_config *c, const char *path, char *err, size_t errlen);

/* Parses a duration: "300", "300s", "5m", "24h", "2d". Returns 0 or -1. */
int sls_config_parse_duration(const char *s, sls_time *out);

/* Adds an agent; returns 0, or -1 when the table is full or the name is taken. */
int sls_config_add_agent(struct sls_config *c, const char *name, const char *token_hash);

#endif
