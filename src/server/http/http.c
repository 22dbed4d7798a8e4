/* libmicrohttpd glue: two listeners, bounded bodies, JSON parsing, routing,
 * admin token checks and the rendering of answers. Handlers never see raw
 * bytes or MHD types beyond the connection used for headers and query.
 *
 * SPEC §10.2 serving under load: the public listener is event-driven, one
 * thread of ours running libmicrohttpd's epoll loop; a complete request is
 * suspended and handed to the worker pool (workers.h), whose answer resumes
 * it; a full pool answers 503 at once. The same loop closes connections that
 * have not sent their request head within [http] header_timeout. The admin
 * listener is a daemon of its own, thread per connection, with its own
 * connection limit, so that nothing on the public port can starve it. */
#include "server/http/http.h"
#include "server/http/arena.h"

#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/app/clock.h"
#include "core/cidr.h"
#include "core/error.h"
#include "crypto/hash.h"
#include "crypto/secmem.h"
#include "server/app/metrics.h"
#include "server/app/throttle.h"
#include "server/http/workers.h"

/* Descriptors kept for the admin listener, the store, the log and the
 * delivery, out of RLIMIT_NOFILE, when sizing the public connection limit. */
#define FD_RESERVE 256
/* Longest the event loop sleeps: how late the header deadline may fire. */
#define LOOP_TICK_MS 200

/* One accepted connection of the public listener; touched only by the event
 * loop's thread (libmicrohttpd calls every callback there). */
struct conn_state {
    struct conn_state *prev, *next;
    int fd;
    struct timespec since; /* accepted, or the previous request answered */
    bool head_done;        /* the current request's head has arrived */
    bool cut;              /* shut down by the header deadline */
};

struct listener {
    struct sls_http *http;
    bool admin;
    struct MHD_Daemon *daemon;
    struct sls_workers *workers; /* public: runs the requests; admin: NULL */
    struct conn_state *conns;    /* public: open connections, for the deadline */
    pthread_t loop;
    bool loop_started;
    atomic_bool stop;
    int wake; /* public: eventfd a worker writes after resuming a connection */
    int epfd; /* public: the loop's epoll set: libmicrohttpd's epoll and wake */
};

struct sls_http {
    struct sls_app *app;
    struct sls_config *cfg; /* fit_descriptors may lower its limits at start */
    const struct sls_route *routes;
    sls_gate_fn gates;
    struct sls_throttle *throttle;
    struct listener pub;
    struct listener adm;
};

struct req_ctx {
    bool started;    /* the access handler has seen this request */
    bool nul_in_uri; /* the request line carried %00 (SPEC §10.2) */
    char *buf;
    size_t len;
    size_t cap;
    size_t max; /* body limit of this request's route */
    bool too_large;
    struct timespec start;
    /* Public listener: the request as handed to a worker, and its answer. */
    bool queued;   /* suspended and given to the worker pool */
    bool answered; /* rs holds the answer; the connection was resumed */
    struct listener *l;
    struct MHD_Connection *conn;
    const char *url;
    const char *method;
    struct sls_resp rs;
    struct sls_req rq;             /* prepared in the loop, run by the worker */
    char segbuf[512];              /* rq's path parameters */
    const struct sls_route *route; /* NULL until prepared */
    bool admitted;                 /* a hashing route let in by sls_throttle_admit */
};

void sls_resp_json(struct sls_resp *rs, int status, json_t *json)
{
    json_decref(rs->json);
    rs->status = status;
    rs->json = json;
}

static int (*store_last_error)(void);

void sls_resp_refine_store_errors(int (*last_error)(void))
{
    store_last_error = last_error;
}

void sls_resp_error_msg(struct sls_resp *rs, int err, const char *message, const char *hint)
{
    json_t *o = json_object();

    /* Many handlers answer a failed store call with SLS_ERR_STORE whatever it
     * returned: the store remembers, per thread, whether that call failed
     * because the store cannot write or be reached. */
    if (err == SLS_ERR_STORE && store_last_error != NULL)
        err = store_last_error();

    json_object_set_new(o, "error", json_string(sls_err_code(err)));
    json_object_set_new(o, "message", json_string(message ? message : sls_err_message(err)));
    if (hint != NULL)
        json_object_set_new(o, "hint", json_string(hint));
    if (err == SLS_ERR_STORE_UNAVAILABLE) {
        json_object_set_new(o, "retry_after", json_integer(SLS_STORE_RETRY_AFTER));
        rs->retry_after = SLS_STORE_RETRY_AFTER;
    }
    sls_resp_json(rs, sls_err_http_status(err), o);
}

void sls_resp_error(struct sls_resp *rs, int err, const char *hint)
{
    sls_resp_error_msg(rs, err, NULL, hint);
}

void sls_resp_text(struct sls_resp *rs, int status, const char *content_type, const char *text)
{
    free(rs->text);
    rs->status = status;
    rs->text = strdup(text);
    rs->text_len = rs->text ? strlen(rs->text) : 0;
    rs->content_type = content_type;
}

void sls_resp_bytes(struct sls_resp *rs, int status, const char *content_type, uint8_t *data,
                    size_t len)
{
    free(rs->text);
    json_decref(rs->json);
    rs->json = NULL;
    rs->status = status;
    rs->text = (char *)data;
    rs->text_len = data ? len : 0;
    rs->content_type = content_type;
}

const char *sls_req_query(struct sls_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sls_req_header(struct sls_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *sls_req_bearer(struct sls_req *rq)
{
    const char *h = sls_req_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);

    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

/* Matches path against pattern; fills params with pointers into segbuf. */
static bool route_match(const char *pattern, const char *path, char *segbuf, size_t segbuflen,
                        struct sls_req *rq)
{
    size_t nparams = 0;
    size_t used = 0;

    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            size_t n = strcspn(path, "/");
            if (n == 0 || nparams == SLS_HTTP_MAX_PARAMS || used + n + 1 > segbuflen)
                return false;
            memcpy(segbuf + used, path, n);
            segbuf[used + n] = '\0';
            rq->params[nparams++] = segbuf + used;
            used += n + 1;
            pattern += 2;
            path += n;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return false;
    rq->nparams = nparams;
    return true;
}

/* True when the Content-Type header ct is media (parameters allowed). */
static bool content_type_is(const char *ct, const char *media)
{
    size_t n = strlen(media);

    if (ct == NULL || strncasecmp(ct, media, n) != 0)
        return false;
    ct += n;
    return *ct == '\0' || *ct == ';' || *ct == ' ';
}

static bool method_has_body(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
           strcmp(m, "DELETE") == 0;
}

static const char *authenticate_agent(const struct sls_config *cfg, const char *token)
{
    char hash[65];
    const char *found = NULL;
    size_t i;

    if (token == NULL || strlen(token) > 512)
        return NULL;
    sls_sha256_hex(token, strlen(token), hash);
    for (i = 0; i < cfg->nagents; i++)
        if (sls_ct_equal(hash, cfg->agents[i].token_hash, 64))
            found = cfg->agents[i].name;
    return found;
}

/* The route of (url, method) on listener l, with its path parameters in rq;
 * NULL when none, *path_known telling whether another method would match.
 * HEAD is answered by the GET route of the path (SPEC §10.2); libmicrohttpd
 * sends its headers without the body. */
static const struct sls_route *find_route(struct listener *l, const char *url, const char *method,
                                          char *segbuf, size_t segbuflen, struct sls_req *rq,
                                          bool *path_known)
{
    struct sls_http *h = l->http;
    size_t i;

    *path_known = false;
    for (i = 0; h->routes[i].method != NULL; i++) {
        const struct sls_route *r = &h->routes[i];
        bool here = l->admin ? (r->flags & (SLS_ROUTE_ADMIN | SLS_ROUTE_OPEN)) != 0
                             : (r->flags & SLS_ROUTE_PUBLIC) != 0;
        if (!here || ((r->flags & SLS_ROUTE_DEV) && !h->cfg->dev))
            continue;
        if (!route_match(r->pattern, url, segbuf, segbuflen, rq))
            continue;
        *path_known = true;
        if (strcmp(r->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
            return r;
    }
    return NULL;
}

/* Every X-Forwarded-For line of a request, joined in order with ", " as one
 * list (RFC 9110 5.3): a proxy that adds a line of its own (HAProxy's option
 * forwardfor) leaves the client's line in front of it, so reading only the
 * first line would take the client's word. Only the rightmost entries count
 * (the walk starts there), so when the lines do not fit the oldest bytes are
 * dropped, at an entry's edge. */
#define FORWARDED_MAX 512

struct forwarded {
    char text[FORWARDED_MAX];
    size_t len;
    unsigned lines;
};

/* Keeps the last `keep` bytes of f->text, from the start of an entry. */
static void forwarded_keep_tail(struct forwarded *f, size_t keep)
{
    const char *start = f->text + (f->len - keep);
    const char *comma = memchr(start, ',', keep);

    if (start != f->text) {
        if (comma == NULL) {
            f->len = 0; /* one entry longer than the room: malformed anyway */
            f->text[0] = '\0';
            return;
        }
        keep -= (size_t)(comma + 1 - start);
        start = comma + 1;
    }
    memmove(f->text, start, keep);
    f->len = keep;
    f->text[keep] = '\0';
}

static enum MHD_Result forwarded_line(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct forwarded *f = cls;
    size_t vlen = value ? strlen(value) : 0;
    size_t need = (f->lines > 0 ? 2 : 0) + vlen;

    (void)kind;
    if (key == NULL || strcasecmp(key, "X-Forwarded-For") != 0 || value == NULL)
        return MHD_YES;
    if (need >= sizeof(f->text)) {
        /* This line alone fills the room: its own tail. */
        memcpy(f->text, value + (vlen - (sizeof(f->text) - 1)), sizeof(f->text) - 1);
        f->len = sizeof(f->text) - 1;
        f->text[f->len] = '\0';
        forwarded_keep_tail(f, f->len - 1); /* from its first whole entry */
        f->lines++;
        return MHD_YES;
    }
    if (f->len + need >= sizeof(f->text))
        forwarded_keep_tail(f, sizeof(f->text) - 1 - need);
    if (f->len > 0 || f->lines > 0) {
        memcpy(f->text + f->len, ", ", 2);
        f->len += 2;
    }
    memcpy(f->text + f->len, value, vlen);
    f->len += vlen;
    f->text[f->len] = '\0';
    f->lines++;
    return MHD_YES;
}

/* The peer of conn as 16 bytes (IPv4 mapped); zeros when unknown. */
static void peer_address(struct MHD_Connection *conn, unsigned char out[16])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

    memset(out, 0, 16);
    if (sa != NULL && sa->sa_family == AF_INET) {
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    } else if (sa != NULL && sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
    }
}

/* Sets the 429 of SPEC §10.2 throttling in rs. */
static void refuse_hashing(struct sls_resp *rs, enum sls_throttle_metric why, sls_time wait)
{
    const char *message = "The server is busy: try again in a moment";

    if (why == SLS_THROTTLED_PER_IP)
        message = "Too many attempts from this address: try again in a moment";
    else if (why == SLS_THROTTLED_HASHING_PER_IP)
        message = "This address has a request like this running: try again in a moment";
    sls_metrics_throttled(why);
    sls_resp_error_msg(rs, SLS_ERR_TOO_MANY_REQUESTS, message, NULL);
    json_object_set_new(rs->json, "retry_after", json_integer(wait));
    rs->retry_after = (long)wait;
}

/* SPEC §10.2: a route that costs a password hash is let in only when its
 * client has a token left and the throttle has a place for it (at most
 * [throttle] hashing + hashing_queue such requests in, queued for a worker
 * or running, [throttle] hashing_per_ip of them from one address). Decided
 * without waiting, so that a refusal is immediate and never holds a worker.
 * Returns true when admitted (ctx->admitted), or false with the 429 in rs. */
static bool admit_hashing(struct sls_http *h, struct req_ctx *ctx, struct sls_resp *rs)
{
    sls_time wait = 1;

    switch (sls_throttle_admit(h->throttle, ctx->rq.client, ctx->rq.now, &wait)) {
    case SLS_THROTTLE_ADMITTED:
        ctx->admitted = true;
        return true;
    case SLS_THROTTLE_PER_IP:
        refuse_hashing(rs, SLS_THROTTLED_PER_IP, wait);
        return false;
    case SLS_THROTTLE_ADDRESS_FULL:
        refuse_hashing(rs, SLS_THROTTLED_HASHING_PER_IP, wait);
        return false;
    case SLS_THROTTLE_FULL:
    default:
        refuse_hashing(rs, SLS_THROTTLED_HASHING, wait);
        return false;
    }
}

/* Everything before the handler, cheap and without waiting: the route, the
 * agent, the body and the admission of a hashing route. Returns true with
 * ctx->rq and ctx->route ready for run_handler, or false with the answer in
 * rs. */
static bool prepare(struct listener *l, struct MHD_Connection *conn, const char *url,
                    const char *method, struct req_ctx *ctx, struct sls_resp *rs)
{
    struct sls_http *h = l->http;
    const struct sls_config *cfg = h->cfg;
    struct sls_req rq;
    struct forwarded fwd = {.len = 0};
    const struct sls_route *found = NULL;
    bool path_known = false;
    char *segbuf = ctx->segbuf;
    json_error_t jerr;
    const char *ctype;

    memset(&rq, 0, sizeof(rq));
    rq.app = h->app;
    rq.conn = conn;
    rq.method = method;
    rq.path = url;
    rq.now = sls_clock_now();
    /* Until a step-up gate has looked: a handler that relies on one its
     * route does not declare fails closed. */
    rq.step_up = SLS_STEP_UP_REQUIRED;
    peer_address(conn, rq.client);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, forwarded_line, &fwd);
    sls_client_address(rq.client, fwd.lines > 0 ? fwd.text : NULL, cfg->http.trusted_proxies,
                       cfg->http.ntrusted_proxies, rq.client);

    if (ctx->too_large) {
        sls_resp_error(rs, SLS_ERR_TOO_LARGE, NULL);
        return false;
    }
    found = find_route(l, url, method, segbuf, sizeof(ctx->segbuf), &rq, &path_known);
    if (found == NULL) {
        sls_resp_error(rs, path_known ? SLS_ERR_METHOD_NOT_ALLOWED : SLS_ERR_NOT_FOUND, NULL);
        return false;
    }
    rq.admin_listener = l->admin;
    if (l->admin && (found->flags & SLS_ROUTE_ADMIN)) {
        rq.agent = authenticate_agent(cfg, sls_req_bearer(&rq));
        if (rq.agent == NULL) {
            sls_resp_error(rs, SLS_ERR_UNAUTHORIZED, NULL);
            return false;
        }
    }
    ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (found->flags & (SLS_ROUTE_MESSAGE | SLS_ROUTE_PSKC)) {
        bool pskc = (found->flags & SLS_ROUTE_PSKC) != 0;
        if (!content_type_is(ctype, pskc ? "application/pskc+xml" : "message/rfc822")) {
            sls_resp_error_msg(rs, SLS_ERR_UNSUPPORTED_MEDIA,
                               pskc ? "Content-Type must be application/pskc+xml (the vendor's "
                                      "PSKC file as sent)"
                                    : "Content-Type must be message/rfc822 (the raw e-mail)",
                               NULL);
            return false;
        }
        rq.raw = (const uint8_t *)ctx->buf;
        rq.raw_len = ctx->len;
        rq.body = json_object();
    } else if (found->flags & SLS_ROUTE_LINES) {
        if (!content_type_is(ctype, "application/x-ndjson")) {
            sls_resp_error_msg(rs, SLS_ERR_UNSUPPORTED_MEDIA,
                               "Content-Type must be application/x-ndjson (one JSON object a line)",
                               NULL);
            return false;
        }
        rq.raw = (const uint8_t *)ctx->buf;
        rq.raw_len = ctx->len;
        rq.body = json_object();
    } else if (ctx->len > 0 && method_has_body(method)) {
        if (!content_type_is(ctype, "application/json")) {
            sls_resp_error_msg(rs, SLS_ERR_UNSUPPORTED_MEDIA,
                               "Content-Type must be application/json", NULL);
            return false;
        }
        rq.body = json_loadb(ctx->buf, ctx->len, JSON_REJECT_DUPLICATES, &jerr);
        if (rq.body == NULL) {
            char msg[128];
            snprintf(msg, sizeof(msg), "Body is not valid JSON (line %d, column %d)", jerr.line,
                     jerr.column);
            sls_resp_error_msg(rs, SLS_ERR_BAD_JSON, msg, NULL);
            return false;
        }
        if (!json_is_object(rq.body)) {
            json_decref(rq.body);
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "A JSON object is expected", NULL);
            return false;
        }
    } else {
        rq.body = json_object();
    }
    ctx->rq = rq;
    ctx->route = found;
    if ((found->flags & SLS_ROUTE_HASHING) && !admit_hashing(h, ctx, rs)) {
        json_decref(ctx->rq.body);
        ctx->rq.body = NULL;
        return false;
    }
    return true;
}

/* The flags that are gates, checked by h->gates. */
#define GATES                                                                                      \
    (SLS_ROUTE_SESSION | SLS_ROUTE_FULL_SESSION | SLS_ROUTE_PASSCODE | SLS_ROUTE_PRIMARY |         \
     SLS_ROUTE_STEP_UP)

/* The gates the route declares, in the worker (they read the store): true
 * to go on to the handler. A route with gates and nothing to check them
 * with is refused, never served open. */
static bool pass_gates(struct sls_http *h, struct req_ctx *ctx, struct sls_resp *rs)
{
    if (!(ctx->route->flags & GATES))
        return true;
    if (h->gates == NULL) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return false;
    }
    return h->gates(&ctx->rq, rs, ctx->route);
}

/* The handler of a prepared request, once its gates pass; a hashing route
 * then takes its slot (waiting in the queue at most [throttle] queue_wait):
 * a request refused at a gate never waits for one. */
static void run_handler(struct sls_http *h, struct req_ctx *ctx, struct sls_resp *rs)
{
    if (!pass_gates(h, ctx, rs)) {
        /* answered */
    } else if (!ctx->admitted) {
        ctx->route->handler(&ctx->rq, rs);
    } else if (sls_throttle_acquire(h->throttle, ctx->rq.client)) {
        ctx->route->handler(&ctx->rq, rs);
        sls_throttle_release(h->throttle, ctx->rq.client);
    } else {
        refuse_hashing(rs, SLS_THROTTLED_HASHING, 1);
    }
    if (ctx->admitted)
        sls_throttle_leave(h->throttle, ctx->rq.client);
    ctx->admitted = false;
    sls_req_release(&ctx->rq);
    json_decref(ctx->rq.body);
    ctx->rq.body = NULL;
    if (rs->status == 0 || (rs->json == NULL && rs->text == NULL))
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct sls_resp *rs)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    char *body = rs->text;
    size_t len = rs->text_len;
    const char *ctype = rs->content_type ? rs->content_type : "text/plain; charset=utf-8";

    if (body == NULL) {
        body = json_dumps(rs->json, JSON_COMPACT);
        ctype = "application/json";
        if (body == NULL) {
            body = strdup("{\"error\":\"internal\",\"message\":\"Internal error\"}");
            rs->status = 500;
        }
        len = body ? strlen(body) : 0;
    }
    rs->text = NULL;
    if (body == NULL)
        return MHD_NO;
    resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            rs->cache_control ? rs->cache_control : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            rs->csp ? rs->csp : "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (rs->retry_after > 0) {
        char secs[24];
        snprintf(secs, sizeof(secs), "%ld", rs->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    ret = MHD_queue_response(conn, (unsigned)rs->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static double elapsed(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

struct framing {
    size_t content_lengths;
    bool bad_length;
    bool transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct framing *f = cls;

    (void)kind;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        f->content_lengths++;
        if (value == NULL || *value == '\0' || value[strspn(value, "0123456789")] != '\0')
            f->bad_length = true;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->transfer_encoding = true;
    }
    return MHD_YES;
}

/* True when the request says where its body ends in one way only: at most one
 * Content-Length of plain digits, and never Content-Length together with
 * Transfer-Encoding. A proxy in front of slsd could read an ambiguous request
 * differently and smuggle a second request past it (SPEC §10.2). */
static bool framing_unambiguous(struct MHD_Connection *conn)
{
    struct framing f = {0};

    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
    return f.content_lengths <= 1 && !f.bad_length &&
           !(f.content_lengths == 1 && f.transfer_encoding);
}

/* Decides, before any of the body is read, the body limit of the request
 * (raw messages and JSON-lines imports have their own) and whether to
 * refuse it at once: a declared length over the limit (413), or such a large
 * body without a valid admin token (401), so that nobody can make the server
 * buffer a large body unasked;
 * and a request line with %00 or an ambiguous body length (400).
 * Returns true with the answer in rs when refusing. */
static bool early_refusal(struct listener *l, struct MHD_Connection *conn, const char *url,
                          const char *method, struct req_ctx *ctx, struct sls_resp *rs)
{
    const struct sls_config *cfg = l->http->cfg;
    struct sls_req rq;
    char segbuf[512];
    bool path_known;
    const struct sls_route *r;
    const char *cl;

    if (ctx->nul_in_uri) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "The request must not contain %00", NULL);
        return true;
    }
    if (!framing_unambiguous(conn)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Give the body's length once: one Content-Length, or "
                           "Transfer-Encoding alone",
                           NULL);
        return true;
    }
    memset(&rq, 0, sizeof(rq));
    rq.app = l->http->app;
    rq.conn = conn;
    r = find_route(l, url, method, segbuf, sizeof(segbuf), &rq, &path_known);
    ctx->max = cfg->max_body;
    if (r != NULL && (r->flags & SLS_ROUTE_MESSAGE))
        ctx->max = cfg->documents.max_message_bytes;
    else if (r != NULL && (r->flags & SLS_ROUTE_PSKC))
        ctx->max = SLS_HTTP_PSKC_MAX_BYTES;
    else if (r != NULL && (r->flags & SLS_ROUTE_LINES))
        ctx->max = SLS_HTTP_LINES_MAX;
    if (r != NULL && (r->flags & (SLS_ROUTE_MESSAGE | SLS_ROUTE_PSKC | SLS_ROUTE_LINES)) &&
        (r->flags & SLS_ROUTE_ADMIN) && authenticate_agent(cfg, sls_req_bearer(&rq)) == NULL) {
        sls_resp_error(rs, SLS_ERR_UNAUTHORIZED, NULL);
        return true;
    }
    cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl != NULL && strtoull(cl, NULL, 10) > ctx->max) {
        if (r != NULL && (r->flags & (SLS_ROUTE_MESSAGE | SLS_ROUTE_PSKC | SLS_ROUTE_LINES))) {
            char msg[128];
            snprintf(msg, sizeof(msg), "The %s is larger than %zu bytes",
                     (r->flags & SLS_ROUTE_PSKC)      ? "token file"
                     : (r->flags & SLS_ROUTE_MESSAGE) ? "message"
                                                      : "body",
                     ctx->max);
            sls_resp_error_msg(rs, SLS_ERR_TOO_LARGE, msg, NULL);
        } else {
            sls_resp_error(rs, SLS_ERR_TOO_LARGE, NULL);
        }
        return true;
    }
    return false;
}

/* Resumes conn and wakes the event loop: libmicrohttpd's own signal does
 * not wake a loop run from outside, so without this the answer would wait
 * for the loop's next tick. */
static void resume(struct listener *l, struct MHD_Connection *conn)
{
    uint64_t one = 1;

    MHD_resume_connection(conn);
    if (write(l->wake, &one, sizeof(one)) < 0) {
        /* the counter is already set: the loop wakes anyway */
    }
}

/* A worker's job: the request's answer, then the connection resumed. */
static void run_request(void *arg)
{
    struct req_ctx *ctx = arg;
    struct MHD_Connection *conn = ctx->conn;
    struct listener *l = ctx->l;

    run_handler(l->http, ctx, &ctx->rs);
    ctx->answered = true;
    resume(l, conn); /* ctx is not touched past this point */
}

/* SPEC §10.2: the complete request is suspended and queued for a worker; the
 * access handler, called again once the worker resumed the connection, sends
 * the answer. A full queue answers 503 too_busy at once. */
static enum MHD_Result hand_to_worker(struct listener *l, struct MHD_Connection *conn,
                                      const char *url, const char *method, struct req_ctx *ctx)
{
    enum MHD_Result ret;

    if (ctx->answered) {
        ret = send_resp(conn, &ctx->rs);
        sls_metrics_request(ctx->rs.status, elapsed(&ctx->start));
        json_decref(ctx->rs.json);
        free(ctx->rs.text);
        memset(&ctx->rs, 0, sizeof(ctx->rs));
        return ret;
    }
    if (ctx->queued)
        return MHD_YES;                                  /* not answered yet (a spurious call) */
    if (!prepare(l, conn, url, method, ctx, &ctx->rs)) { /* refused: answered at once */
        ctx->answered = true;
        return hand_to_worker(l, conn, url, method, ctx);
    }
    ctx->queued = true;
    ctx->l = l;
    ctx->conn = conn;
    ctx->url = url;
    ctx->method = method;
    MHD_suspend_connection(conn);
    if (!sls_workers_submit(l->workers, run_request, ctx)) {
        if (ctx->admitted)
            sls_throttle_leave(l->http->throttle, ctx->rq.client);
        ctx->admitted = false;
        json_decref(ctx->rq.body);
        ctx->rq.body = NULL;
        sls_metrics_throttled(SLS_THROTTLED_WORKERS);
        sls_resp_error(&ctx->rs, SLS_ERR_TOO_BUSY, NULL);
        json_object_set_new(ctx->rs.json, "retry_after", json_integer(1));
        ctx->rs.retry_after = 1;
        ctx->answered = true;
        resume(l, conn);
    }
    return MHD_YES;
}

/* The connection state of conn on the public listener (NULL elsewhere). */
static struct conn_state *conn_state_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return ci != NULL ? ci->socket_context : NULL;
}

/* Wipes and frees the body buffer of ctx (ctx->buf stays as it was). */
static void free_body(struct req_ctx *ctx)
{
    if (ctx->buf != NULL)
        sls_wipe(ctx->buf, ctx->cap);
    free(ctx->buf);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct listener *l = cls;
    struct req_ctx *ctx = *con_cls;
    struct sls_resp rs = {0};
    enum MHD_Result ret;
    size_t max;

    (void)version;
    if (ctx == NULL)
        return MHD_NO; /* on_uri could not allocate it */
    if (!ctx->started) {
        ctx->started = true;
        if (l->workers != NULL) {
            struct conn_state *cs = conn_state_of(conn);
            if (cs != NULL)
                cs->head_done = true; /* the header deadline is met */
        }
        if (early_refusal(l, conn, url, method, ctx, &rs)) {
            /* Refuse before reading the body; the connection closes afterwards. */
            ret = send_resp(conn, &rs);
            json_decref(rs.json);
            sls_metrics_request(rs.status, elapsed(&ctx->start));
            return ret;
        }
        return MHD_YES;
    }
    max = ctx->max;
    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (ctx->too_large)
            return MHD_YES;
        if (ctx->len + n > max) {
            ctx->too_large = true;
            free_body(ctx);
            ctx->buf = NULL;
            ctx->len = ctx->cap = 0;
            return MHD_YES;
        }
        if (ctx->len + n > ctx->cap) {
            size_t cap = ctx->cap ? ctx->cap : 1024;
            char *nb;
            while (cap < ctx->len + n)
                cap *= 2;
            /* Bodies carry passwords and token keys: a grown buffer leaves
             * no copy behind (no realloc), and every one is wiped when freed. */
            nb = malloc(cap);
            if (nb == NULL)
                return MHD_NO;
            if (ctx->len > 0)
                memcpy(nb, ctx->buf, ctx->len);
            free_body(ctx);
            ctx->buf = nb;
            ctx->cap = cap;
        }
        memcpy(ctx->buf + ctx->len, upload_data, n);
        ctx->len += n;
        return MHD_YES;
    }
    if (l->workers != NULL)
        return hand_to_worker(l, conn, url, method, ctx);
    if (prepare(l, conn, url, method, ctx, &rs))
        run_handler(l->http, ctx, &rs);
    ret = send_resp(conn, &rs);
    json_decref(rs.json);
    free(rs.text);
    sls_metrics_request(rs.status, elapsed(&ctx->start));
    return ret;
}

/* Called with the request line's target before it is unescaped: the only
 * place where %00 can still be seen (unescaped, it would cut the path short
 * and route "/v1/login%00x" as "/v1/login"). Its answer becomes the
 * request's context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct req_ctx *ctx = calloc(1, sizeof(*ctx));

    (void)cls;
    (void)conn;
    if (ctx == NULL)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &ctx->start);
    ctx->nul_in_uri = uri != NULL && strstr(uri, "%00") != NULL;
    return ctx;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct listener *l = cls;
    struct req_ctx *ctx = *con_cls;

    (void)toe;
    if (l->workers != NULL) {
        struct conn_state *cs = conn_state_of(conn);
        if (cs != NULL) { /* a kept-alive connection owes the next head in time */
            cs->head_done = false;
            clock_gettime(CLOCK_MONOTONIC, &cs->since);
        }
    }
    if (ctx != NULL) {
        json_decref(ctx->rs.json);
        free(ctx->rs.text);
        free_body(ctx);
        free(ctx);
        *con_cls = NULL;
    }
}

/* Public listener: notes every connection accepted and forgets it closed. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct listener *l = cls;
    struct conn_state *cs = *socket_context;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        cs = calloc(1, sizeof(*cs));
        if (cs == NULL || ci == NULL) {
            free(cs);
            *socket_context = NULL;
            return; /* untracked: only the idle timeout applies to it */
        }
        cs->fd = ci->connect_fd;
        clock_gettime(CLOCK_MONOTONIC, &cs->since);
        cs->next = l->conns;
        if (l->conns != NULL)
            l->conns->prev = cs;
        l->conns = cs;
        *socket_context = cs;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && cs != NULL) {
        if (cs->prev != NULL)
            cs->prev->next = cs->next;
        else
            l->conns = cs->next;
        if (cs->next != NULL)
            cs->next->prev = cs->prev;
        free(cs);
        *socket_context = NULL;
    }
}

/* SPEC §10.2 header deadline: shuts down every connection whose request
 * head is still incomplete [http] header_timeout after it was accepted (or
 * after its previous answer), however slowly it keeps sending. Runs on the
 * loop's thread, where the descriptor cannot have been closed and reused
 * under us; libmicrohttpd then reads the end of the stream and closes it. */
static void enforce_header_deadline(struct listener *l)
{
    struct timespec now;
    sls_time limit = l->http->cfg->http.header_timeout;

    clock_gettime(CLOCK_MONOTONIC, &now);
    for (struct conn_state *cs = l->conns; cs != NULL; cs = cs->next) {
        double age = (double)(now.tv_sec - cs->since.tv_sec) +
                     (double)(now.tv_nsec - cs->since.tv_nsec) / 1e9;
        if (cs->head_done || cs->cut || age < (double)limit)
            continue;
        cs->cut = true;
        shutdown(cs->fd, SHUT_RDWR);
        sls_metrics_throttled(SLS_THROTTLED_HEADER_DEADLINE);
    }
}

/* The public listener's event loop: waits for libmicrohttpd's sockets or a
 * worker's wake-up, at most LOOP_TICK_MS, then lets libmicrohttpd work
 * without blocking and checks the header deadline. */
static void *serve(void *arg)
{
    struct listener *l = arg;
    struct epoll_event ev[2];
    uint64_t n;

    while (!atomic_load(&l->stop)) {
        MHD_UNSIGNED_LONG_LONG due;
        int ms = LOOP_TICK_MS;
        if (MHD_get_timeout(l->daemon, &due) == MHD_YES && due < (MHD_UNSIGNED_LONG_LONG)ms)
            ms = (int)due;
        if (epoll_wait(l->epfd, ev, 2, ms) > 0 && read(l->wake, &n, sizeof(n)) < 0) {
            /* not woken by a worker */
        }
        MHD_run(l->daemon);
        enforce_header_deadline(l);
    }
    return NULL;
}

/* The loop's epoll set (libmicrohttpd's epoll descriptor and an eventfd for
 * the workers); 0 or -1. */
static int loop_setup(struct listener *l)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_EPOLL_FD);
    struct epoll_event ev = {.events = EPOLLIN};

    l->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (di == NULL || l->wake < 0 || l->epfd < 0)
        return -1;
    ev.data.fd = di->epoll_fd;
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, di->epoll_fd, &ev) != 0)
        return -1;
    ev.data.fd = l->wake;
    return epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wake, &ev);
}

static int start_listener(struct listener *l, const char *hostport, char *err, size_t errlen)
{
    struct sls_config *cfg = l->http->cfg;
    char host[128];
    const char *colon = strrchr(hostport, ':');
    struct addrinfo hints, *res = NULL;
    /* Public: epoll run by our own thread, requests suspended for the
     * workers. Admin: a thread per connection over poll() (not select():
     * descriptors past FD_SETSIZE must not stop it), its own small limit. */
    unsigned flags =
        l->admin ? MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG
                 : MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    unsigned limit = l->admin ? cfg->http.admin_connection_limit : cfg->connection_limit;
    size_t hlen;
    int rc;

    if (colon == NULL || (hlen = (size_t)(colon - hostport)) == 0 || hlen >= sizeof(host)) {
        snprintf(err, errlen, "listen address must be HOST:PORT, not %s", hostport);
        return -1;
    }
    memcpy(host, hostport, hlen);
    host[hlen] = '\0';
    if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
        memmove(host, host + 1, hlen - 2);
        host[hlen - 2] = '\0';
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", hostport, gai_strerror(rc));
        return -1;
    }
    if (res->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    l->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, l, MHD_OPTION_SOCK_ADDR, res->ai_addr,
        MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)cfg->http.connections_per_ip, MHD_OPTION_NOTIFY_COMPLETED, on_completed, l,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_CONNECTION,
        l->admin ? NULL : on_connection, l, MHD_OPTION_END);
    freeaddrinfo(res);
    if (l->daemon == NULL) {
        snprintf(err, errlen, "cannot listen on %s", hostport);
        return -1;
    }
    if (!l->admin) {
        l->workers = sls_workers_start(cfg->http.workers, cfg->http.worker_queue);
        if (l->workers == NULL) {
            snprintf(err, errlen, "cannot start the worker threads");
            return -1;
        }
        if (loop_setup(l) != 0 || pthread_create(&l->loop, NULL, serve, l) != 0) {
            snprintf(err, errlen, "cannot start the event loop of %s", hostport);
            return -1;
        }
        l->loop_started = true;
    }
    return 0;
}

/* SPEC §10.2: thousands of idle connections need as many descriptors.
 * Raises RLIMIT_NOFILE to its hard limit and lowers [server]
 * connection_limit to what fits under it, keeping FD_RESERVE for the rest. */
static void fit_descriptors(struct sls_config *cfg)
{
    struct rlimit rl;
    unsigned fit;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    fit = rl.rlim_cur > (rlim_t)FD_RESERVE + cfg->http.admin_connection_limit + 64
              ? (unsigned)(rl.rlim_cur - FD_RESERVE - cfg->http.admin_connection_limit)
              : 64;
    if (rl.rlim_cur == RLIM_INFINITY)
        fit = cfg->connection_limit;
    if (cfg->connection_limit > fit) {
        fprintf(stderr,
                "slsd: [server] connection_limit %u lowered to %u to fit the descriptor limit\n",
                cfg->connection_limit, fit);
        cfg->connection_limit = fit;
    }
    fprintf(stderr,
            "slsd: descriptor limit %llu; public connections at most %u (%u per address), admin "
            "%u\n",
            (unsigned long long)rl.rlim_cur, cfg->connection_limit, cfg->http.connections_per_ip,
            cfg->http.admin_connection_limit);
}

struct sls_http *sls_http_start(struct sls_app *app, struct sls_config *cfg,
                                const struct sls_route *routes, sls_gate_fn gates, char *err,
                                size_t errlen)
{
    struct sls_http *h = calloc(1, sizeof(*h));

    if (h == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->app = app;
    h->cfg = cfg;
    h->routes = routes;
    h->gates = gates;
    h->throttle = sls_throttle_new(&cfg->throttle);
    if (h->throttle == NULL) {
        snprintf(err, errlen, "out of memory");
        free(h);
        return NULL;
    }
    fit_descriptors(cfg);
    h->pub.http = h;
    h->adm.http = h;
    h->pub.wake = h->pub.epfd = h->adm.wake = h->adm.epfd = -1;
    h->adm.admin = true;
    if (start_listener(&h->pub, cfg->listen, err, errlen) != 0 ||
        start_listener(&h->adm, cfg->admin_listen, err, errlen) != 0) {
        sls_http_stop(h);
        return NULL;
    }
    fprintf(stderr,
            "slsd: %u workers, %u requests may wait for one; request heads due within %llds\n",
            sls_workers_count(h->pub.workers), sls_workers_queue(h->pub.workers),
            (long long)cfg->http.header_timeout);
    return h;
}

struct sls_throttle *sls_http_throttle(struct sls_http *h)
{
    return h->throttle;
}

void sls_http_stop(struct sls_http *h)
{
    if (h == NULL)
        return;
    /* Stop accepting and reading; let the workers finish every request they
     * hold or have queued (each resumes its connection); then libmicrohttpd
     * closes every connection, suspended or not. */
    if (h->pub.loop_started) {
        atomic_store(&h->pub.stop, true);
        pthread_join(h->pub.loop, NULL);
    }
    sls_workers_stop(h->pub.workers);
    if (h->pub.daemon)
        MHD_stop_daemon(h->pub.daemon);
    if (h->pub.epfd >= 0)
        close(h->pub.epfd);
    if (h->pub.wake >= 0)
        close(h->pub.wake);
    if (h->adm.daemon)
        MHD_stop_daemon(h->adm.daemon);
    sls_throttle_free(h->throttle);
    free(h);
}
