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
#include "core/step_up.h"
#include "core/time.h"

#define SLS_HTTP_MAX_PARAMS 4
/* The body limit of a SLS_ROUTE_LINES route (a bulk import), whatever
 * [server] max_body says. */
#define SLS_HTTP_LINES_MAX (16 * 1024 * 1024)

struct MHD_Connection;
/* What handlers work with (server/app/app.h); the HTTP layer only passes it on. */
struct sls_app;
struct sls_arena_block;
/* The records the gates put on a request (store/store.h); the HTTP layer
 * never looks inside them. */
struct sls_session_rec;
struct sls_user_rec;

struct sls_req {
    struct sls_app *app;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *params[SLS_HTTP_MAX_PARAMS]; /* the {} segments of the route, in order */
    size_t nparams;
    json_t *body;       /* parsed JSON object (an empty object when there was no body) */
    const uint8_t *raw; /* _MESSAGE, _PSKC, _LINES routes: the body as sent (or NULL) */
    size_t raw_len;
    sls_time now;             /* read once when the request arrived */
    const char *agent;        /* admin routes: the authenticated agent's name */
    bool admin_listener;      /* arrived on the admin listener (operators only) */
    unsigned char client[16]; /* the client's address (core/cidr.h), behind trusted proxies */
    /* Set by the gates of the route (enum sls_route_flags) before the
     * handler runs, in the arena; NULL on a route without a session gate.
     * session->access is the access it grants now (R11). */
    struct sls_session_rec *session;
    struct sls_user_rec *user; /* the session's user */
    /* SLS_ROUTE_STEP_UP: SLS_STEP_UP_PASS, or SLS_STEP_UP_OUTSIDE_SLS where
     * the handler applies R31 / R4 itself; SLS_STEP_UP_REQUIRED on a
     * request the route's `sensitive` spares, and on every route without
     * SLS_ROUTE_STEP_UP. */
    enum sls_step_up_gate step_up;
    /* §10.3 [lockout] mode client: set by the session gate to the valid
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
    /* The gates, checked once by dispatch before the handler, in this
     * order; a request that fails one gets its answer and no handler. */
    SLS_ROUTE_SESSION = 64,       /* a live session of the bearer token, 401 otherwise;
                                     online_card_only sessions too (R27) */
    SLS_ROUTE_FULL_SESSION = 128, /* as SESSION, and 403 online_card_only for a
                                     session limited to the online card */
    SLS_ROUTE_PASSCODE = 256,     /* a session opened with a temporary passcode (R27) */
    SLS_ROUTE_PRIMARY = 512,      /* the primary user of the account (R30) */
    SLS_ROUTE_STEP_UP = 1024,     /* a fresh step-up (R34): 403 step_up_required; with
                                     sls_route.sensitive, only for the requests it names */
    SLS_ROUTE_PSKC = 2048,        /* the body is a vendor token file (application/pskc+xml), up
                                     to SLS_HTTP_PSKC_MAX_BYTES, handed over in rq->raw */
    SLS_ROUTE_LINES = 4096,       /* the body is JSON lines (application/x-ndjson), up to
                                     SLS_HTTP_LINES_MAX bytes, handed over in rq->raw */
};

/* The body limit of an SLS_ROUTE_PSKC route (SPEC §10.4): 1 MiB. */
#define SLS_HTTP_PSKC_MAX_BYTES (1024 * 1024)

struct sls_route {
    const char *method;
    const char *pattern; /* "/v1/login/{}/response": {} matches one segment */
    sls_handler handler;
    int flags;
    /* SLS_ROUTE_STEP_UP on a route where only some requests are sensitive:
     * whether this one is (called after the other gates, with rq->session
     * and rq->user set). NULL: every request is. */
    bool (*sensitive)(const struct sls_req *rq);
};

/* Checks the gates `route` declares for rq (SLS_ROUTE_SESSION and the
 * following) and fills what they set on rq. Returns true to run the handler,
 * false with the answer in rs. Given to sls_http_start by the layer that can
 * look sessions up; called in the worker, before the handler. */
typedef bool (*sls_gate_fn)(struct sls_req *rq, struct sls_resp *rs, const struct sls_route *route);

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

/* Starts both listeners with the given routes (terminated by a NULL method)
 * and the gates that check their flags. Returns NULL with a message in err
 * on failure. */
struct sls_http *sls_http_start(struct sls_app *app, struct sls_config *cfg,
                                const struct sls_route *routes, sls_gate_fn gates, char *err,
                                size_t errlen);
void sls_http_stop(struct sls_http *h);
/* The hashing throttle of h (SPEC §10.2), for other front ends to share. */
struct sls_throttle *sls_http_throttle(struct sls_http *h);

#endif
