/* slsd configuration: every listener, path and policy number, with defaults,
 * read from an INI file and overridden by the command line. The keys, their
 * types, bounds and defaults are one table in config.c. */
#ifndef SLS_SERVER_CONFIG_H
#define SLS_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/access.h"
#include "core/business_days.h"
#include "core/cidr.h"
#include "core/client_lockout.h"
#include "core/delivery.h"
#include "core/limits.h"
#include "core/dsc_plus.h"
#include "core/lockout.h"
#include "core/push.h"
#include "core/session_policy.h"
#include "core/time.h"
#include "crypto/password.h"

#define SLS_CONFIG_MAX_AGENTS 32

/* R50: EU and EEA members, the United Kingdom and Switzerland. */
#define SLS_DOCUMENTS_EUROPE_DEFAULT                                                               \
    "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO,"   \
    "GB,CH"

struct sls_agent {
    char name[64];
    char token_hash[65]; /* SHA-256 hex of the bearer token */
};

/* [delivery]: where messages to users go (SPEC §9). At most one of command
 * and webhook is set; neither means messages stay in the outbox. */
struct sls_delivery_config {
    char command[1024];      /* program and fixed arguments, split on spaces */
    char webhook[1024];      /* http(s) URL receiving a POST per message */
    char webhook_token[513]; /* sent as Authorization: Bearer; a secret */
    sls_time timeout;        /* one attempt: the command's run or the whole POST */
    struct sls_delivery_policy retry;
    sls_time retention; /* SPEC §10.3: settled messages are deleted this long after */
};

#define SLS_DELIVERY_TIMEOUT_DEFAULT ((sls_time)30)
#define SLS_DELIVERY_TIMEOUT_MAX     ((sls_time)600)
#define SLS_DELIVERY_RETRY_MAX_LIMIT SLS_DAY /* retry_max and retry_initial: at most a day */
#define SLS_DELIVERY_ATTEMPTS_LIMIT  1000
#define SLS_DELIVERY_RETENTION_MAX   (3660 * SLS_DAY) /* [delivery] retention: about ten years */

/* R50 document intake by e-mail. */
struct sls_documents_config {
    char european_address[256];     /* To: for residents of Europe */
    char non_european_address[256]; /* To: for everybody else */
    char european_countries[1024];  /* "AT,BE,...", ISO 3166-1 alpha-2, upper case */
    size_t max_message_bytes;       /* a raw message; beyond it the API answers 413 */
    size_t max_document_bytes;      /* one decoded attachment */
};

/* SPEC §10.2: [throttle] admits work that costs a password hash, and [http]
 * the connections of one client. */
struct sls_throttle_config {
    unsigned per_ip_per_minute; /* hashing requests per client address; default 60 */
    unsigned hashing;           /* at once; default 0: twice the cores, read at start */
    int hashing_queue;          /* waiting for a slot; default -1: as many as hashing */
    unsigned hashing_per_ip;    /* admitted at once from one address; default 1 */
    sls_time queue_wait;        /* longest wait for a slot; default 2 s */
    sls_time reset_interval;    /* one reset message per user; default 5 minutes */
};

#define SLS_TRUSTED_PROXIES_MAX 32

/* SPEC §10.4: a RADIUS client ([radius.client NAME]): the addresses it
 * sends from, its shared secret and the platform its logins are for. */
#define SLS_RADIUS_CLIENTS_MAX 64
#define SLS_RADIUS_SECRET_MIN  16
#define SLS_RADIUS_SECRET_MAX  128
struct sls_radius_client {
    char name[64];
    struct sls_cidr address;
    char secret[SLS_RADIUS_SECRET_MAX + 1]; /* a secret */
    enum sls_platform platform;             /* default portal */
};

/* [radius]: the RADIUS listener, off unless listen is set. */
/* [webauthn]: passkeys (SPEC §10.5). */
struct sls_webauthn_config {
    char rp_id[254];    /* the relying party: a host name; "localhost" */
    char origins[1024]; /* origins accepted, separated by spaces or commas; "": the RP ID's */
};

struct sls_radius_config {
    char listen[64]; /* "HOST:PORT"; "": off */
    struct sls_radius_client clients[SLS_RADIUS_CLIENTS_MAX];
    size_t nclients;
};

struct sls_http_config {
    unsigned connections_per_ip; /* open connections of one address; default 64 */
    struct sls_cidr trusted_proxies[SLS_TRUSTED_PROXIES_MAX]; /* whose X-Forwarded-For counts */
    size_t ntrusted_proxies;
    unsigned workers;        /* threads running handlers; default 0: 16 per core (max 256) */
    unsigned worker_queue;   /* complete requests waiting for a worker; default 0: 64 per worker */
    sls_time header_timeout; /* seconds to send a request's head; default 10 s */
    unsigned admin_connection_limit; /* connections of the admin listener; default 64 */
};

struct sls_config {
    char listen[128];            /* public listener, HOST:PORT */
    char admin_listen[128];      /* admin listener, HOST:PORT */
    char store_url[1024];        /* sqlite:PATH or postgresql://... */
    int64_t store_max_size;      /* [store] max_size: bytes, 0 for no cap */
    unsigned store_pool;         /* [store] pool: PostgreSQL connections; default 8 */
    unsigned store_timeout;      /* [store] timeout: seconds; default 2 */
    char key_file[1024];         /* master key sealing device secrets */
    char admin_token_file[1024]; /* generated admin token when no other is configured */
    size_t max_body;             /* bytes; default 64 KiB */
    unsigned connection_limit;   /* public listener's connections; default 8192 (fd-bounded) */
    unsigned connection_timeout; /* seconds of idle before a connection is closed */
    bool dev;                    /* --dev: movable clock and outbox endpoints */

    struct sls_pwhash_cost pwhash;
    struct sls_lockout_policy lockout;
    enum sls_lockout_mode lockout_mode; /* §10.3 [lockout] mode; default account (R8) */
    sls_time client_token_ttl;          /* §10.3 [lockout] client_token_ttl; default 90 days */
    struct sls_session_policy session;
    struct sls_access_policy access;
    sls_time challenge_ttl;
    sls_time login_ttl;
    sls_time identity_ttl;
    sls_time password_reset_ttl;    /* e-mailed reset codes; default 30 minutes */
    sls_time step_up_ttl;           /* R34: a step-up verification lasts; default 5 minutes */
    struct sls_push_policy push;    /* R20: cap, lifetime, signature freshness */
    sls_time sms_code_ttl;          /* R25 login codes by SMS or voice; default 5 minutes */
    sls_time activation_code_ttl;   /* R20 activation and R30 enrolment codes; 10 minutes */
    int code_tries;                 /* wrong activation/enrolment codes allowed; default 5 */
    sls_time totp_enrol_ttl;        /* §10.4: a pending authenticator app; 10 minutes */
    char totp_issuer[64];           /* §10.4: the issuer an authenticator app shows; "sls" */
    struct sls_holidays holidays;   /* R33: [policy] holidays, dates that are not business days */
    struct sls_limit_policy limits; /* R33 withdrawal table, R31 deposit cap: [limits] */
    struct sls_dsc_plus_policy dsc_plus; /* R21 order, auto-activation, notices, deposit */
    struct sls_delivery_config delivery;
    struct sls_documents_config documents;
    struct sls_throttle_config throttle;
    struct sls_http_config http;
    struct sls_radius_config radius;
    struct sls_webauthn_config webauthn;

    struct sls_agent agents[SLS_CONFIG_MAX_AGENTS];
    size_t nagents;
};

/* The longest line of a configuration file, in characters. */
#define SLS_CONFIG_LINE_MAX 4096

/* Fills every default. */
void sls_config_default(struct sls_config *c);

/* Reads an INI file over the current values. Unknown sections or keys,
 * malformed lines and values, a key set twice in one block, and settings that
 * contradict each other ([delivery] command together with webhook, ...) are
 * errors. Returns 0, or -1 with every problem in err: a first line
 * "PATH: N problems:", then one line each, "PATH:LINE: section.key: what is
 * wrong (expected ...)" (what does not fit in errlen is counted). Values of
 * secrets are never repeated. */
int sls_config_load(struct sls_config *c, const char *path, char *err, size_t errlen);

/* A key of the file, as the documentation shows it. */
struct sls_config_key_doc {
    const char *section;
    const char *name;
    const char *def;         /* the default as written in a file; NULL when it has none */
    const char *doc_default; /* the documentation's words for a default that is not def */
};

/* The i-th key of the table; false past the last. */
bool sls_config_key_at(size_t i, struct sls_config_key_doc *out);

/* Parses a duration: "300", "300s", "5m", "24h", "2d". Returns 0 or -1. */
int sls_config_parse_duration(const char *s, sls_time *out);

/* True when url is a webhook slsd accepts: https://HOST..., or http:// to a
 * loopback host (localhost, 127.x.x.x, [::1]), since a bearer token in clear
 * must not leave the machine. No spaces or control characters. */
bool sls_config_webhook_ok(const char *url);

/* Wipes the secrets the configuration holds (the webhook token, RADIUS secrets). */
void sls_config_wipe(struct sls_config *c);
/* Parses a size in bytes: "1048576", "512KiB", "25MiB". Returns 0 or -1. */
int sls_config_parse_size(const char *s, unsigned long long *out);

/* Adds an agent; returns 0, or -1 when the table is full or the name is taken. */
int sls_config_add_agent(struct sls_config *c, const char *name, const char *token_hash);

#endif
