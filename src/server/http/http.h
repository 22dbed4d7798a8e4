/* The HTTP layer: requests and responses as handlers see them, the route
 * table, and the two libmicrohttpd listeners. Bodies are bounded, JSON bodies
 * parsed before a handler runs, and every answer is JSON (or the text the
 * handler sets). */
#ifndef SLS_SERVER_HTTP_H
#define SLS_SERVER_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/app/config.h"
#include "core/time.h"

#define SLS_HTTP_MAX_PARAMS 4

struct MHD_Connection;
/* What handlers work with (server/app/app.h); the HTTP layer only passes it on. */
struct sls_app;
struct sls_arena_block;

struct sls_req {
    struct sls_app *app;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *params[SLS_HTTP_MAX_PARAMS]; /* the {} segments of the route, in order */
    size_t nparams;
    json_t *body;       /* parsed JSON object (an empty object when there was no body) */
    const uint8_t *raw; /* SLS_ROUTE_MESSAGE routes: the body as sent (NULL if none) */
    size_t raw_len;
    sls_time now;             /* read once when the request arrived */
    const char *agent;        /* admin routes: the authenticated agent's name */
    unsigned char client[16]; /* the client's address (core/cidr.h), behind trusted proxies */
    /* §10.3 [lockout] mode client: set by sls_session_require to the valid
     * client token of the session, whose counter its checks count against;
     * "" otherwise. */
    char client_token_hash[65];
    struct sls_arena_block *arena; /* what the handler allocated (arena.h) */
};

struct sls_resp {
    int status;
    json_t *json;    /* owned; rendered when text is NULL */
    char *text;      /* owned, malloc'd; sent as is with content_type */
    size_t text_len; /* bytes of text (set by sls_resp_text and sls_resp_bytes) */
    const char *content_type;
    const char *csp;           /* Content-Security-Policy; NULL: default-src 'none' */
    const char *cache_control; /* Cache-Control; NULL: no-store */
    long retry_after;          /* > 0: sent as Retry-After (seconds) */
};

typedef void (*sls_handler)(struct sls_req *rq, struct sls_resp *rs);

enum sls_route_flags {
    SLS_ROUTE_PUBLIC = 1,   /* served on the public listener */
    SLS_ROUTE_ADMIN = 2,    /* served on the admin listener, needs an agent token */
    SLS_ROUTE_OPEN = 4,     /* admin listener, no token (healthz, metrics) */
    SLS_ROUTE_DEV = 8,      /* only with --dev */
    SLS_ROUTE_MESSAGE = 16, /* the body is a raw e-mail (message/rfc822), up to
                               [documents] max_message_bytes, handed over in rq->raw */
    SLS_ROUTE_HASHING = 32, /* costs a password hash: admitted by the throttle (SPEC §10.2) */
};

struct sls_route {
    const char *method;
    const char *pattern; /* "/v1/login/{}/response": {} matches one segment */
    sls_handler handler;
    int flags;
};

/* Sets a JSON answer (steals json). */
void sls_resp_json(struct sls_resp *rs, int status, json_t *json);
/* Seconds a 503 store_unavailable asks the client to wait (Retry-After). */
#define SLS_STORE_RETRY_AFTER 5

/* Sets an error answer with the table message of err and an optional hint.
 * SLS_ERR_STORE becomes what the refiner set by sls_resp_refine_store_errors
 * says: SLS_ERR_STORE_UNAVAILABLE when this thread's last store call failed
 * because the store cannot write or be reached; that one carries
 * Retry-After. */
void sls_resp_error(struct sls_resp *rs, int err, const char *hint);
/* Same with a message of the caller's. */
void sls_resp_error_msg(struct sls_resp *rs, int err, const char *message, const char *hint);
/* The HTTP layer knows no store: slsd hands it, once at start and before any
 * listener runs, the store's sls_store_last_error (the error class of the
 * calling thread's last store call). NULL leaves SLS_ERR_STORE as it is. */
void sls_resp_refine_store_errors(int (*last_error)(void));
/* Sets a text answer (copies text). */
void sls_resp_text(struct sls_resp *rs, int status, const char *content_type, const char *text);
/* Sets a binary answer of len bytes; takes data (malloc'd). */
void sls_resp_bytes(struct sls_resp *rs, int status, const char *content_type, uint8_t *data,
                    size_t len);

/* The value of query argument `name`, or NULL. */
const char *sls_req_query(struct sls_req *rq, const char *name);
/* The value of request header `name`, or NULL. */
const char *sls_req_header(struct sls_req *rq, const char *name);
/* The bearer token of the Authorization header, or NULL. */
const char *sls_req_bearer(struct sls_req *rq);

struct sls_http;

/* Starts both listeners with the given routes (terminated by a NULL method).
 * Returns NULL with a message in err on failure. */
struct sls_http *sls_http_start(struct sls_app *app, struct sls_config *cfg,
                                const struct sls_route *routes, char *err, size_t errlen);
void sls_http_stop(struct sls_http *h);

#endif
