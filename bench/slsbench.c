/* slsbench: measures how fast sls logs people in, in four phases.
 *
 *   argon2         the raw Argon2id verification rate of this machine, in
 *                  process (sls_password_verify on N threads), no server;
 *   login          full logins (stage 1 and stage 2) against a running slsd;
 *   second-factor  stage-2 checks only: pending logins are created first,
 *                  then only the POST /v1/login/{id}/response calls are timed;
 *   http-floor     the same stage-2 request for a login id that cannot exist,
 *                  which slsd refuses before any store or crypto work: what
 *                  HTTP and JSON alone cost at the same concurrency;
 *   attack         one client on 127.0.0.1 logging in (both stages) at a steady
 *                  pace, alone or while other loopback addresses (127.0.0.2 and
 *                  up) hold byte-at-a-time connections and flood stage 1
 *                  (SPEC §10.2): its success rate and latency.
 *
 * Every phase runs for a fixed time and prints requests per second with the
 * p50 and p99 latency, then one "result key=value ..." line that
 * scripts/bench.sh reads. The HTTP phases create their own users (with a
 * dsc_plus device each) through the admin API, authenticated by
 * $SLS_ADMIN_TOKEN; each client thread keeps one libcurl easy handle, so one
 * keep-alive connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli/common/args.h"
#include "crypto/crypto.h"
#include "crypto/ocra.h"
#include "crypto/password.h"
#include "crypto/random.h"

#define OCRA_SUITE    "OCRA-1:HOTP-SHA1-8:QN06-PSHA1" /* dsc_plus */
#define DEVICE_PIN    "1234"
#define USER_PASSWORD "benchpw1"
#define KEY_LEN       20
#define MAX_THREADS   1024
#define MAX_URL       512
#define MAX_ANSWER    (1024 * 1024)
#define HTTP_TIMEOUT  60L
/* bytes of one user's line in a bulk import request, at most */
#define IMPORT_LINE_MAX 512

/* ---- time and latency ---- */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Latencies of one thread, in seconds. */
struct lat {
    double *v;
    size_t n, cap;
};

static int lat_add(struct lat *l, double s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4096;
        double *nv = realloc(l->v, cap * sizeof(*nv));
        if (nv == NULL)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* What one phase measured. */
struct summary {
    size_t count;  /* operations completed successfully */
    size_t errors; /* operations that failed */
    double seconds;
    double p50_ms, p99_ms;
};

/* Nearest-rank percentile of sorted v[0..n). */
static double percentile(const double *v, size_t n, double p)
{
    size_t rank;

    if (n == 0)
        return 0.0;
    rank = (size_t)(p * (double)n);
    if ((double)rank < p * (double)n)
        rank++;
    if (rank < 1)
        rank = 1;
    return v[rank - 1];
}

/* Merges the latencies of n threads into s (frees them). Returns 0 or -1. */
static int summarize(struct lat *lats, size_t n, struct summary *s)
{
    size_t total = 0, i, at = 0;
    double *all;

    for (i = 0; i < n; i++)
        total += lats[i].n;
    all = malloc((total ? total : 1) * sizeof(*all));
    if (all == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        if (lats[i].n > 0)
            memcpy(all + at, lats[i].v, lats[i].n * sizeof(*all));
        at += lats[i].n;
        free(lats[i].v);
        lats[i].v = NULL;
        lats[i].n = lats[i].cap = 0;
    }
    qsort(all, total, sizeof(*all), cmp_double);
    s->p50_ms = percentile(all, total, 0.50) * 1e3;
    s->p99_ms = percentile(all, total, 0.99) * 1e3;
    free(all);
    return 0;
}

static void print_summary(const char *phase, const char *what, const struct summary *s,
                          const char *extra)
{
    double rate = s->seconds > 0 ? (double)s->count / s->seconds : 0.0;

    printf("%-40s %10.1f /s   p50 %8.2f ms   p99 %8.2f ms   (%zu in %.2f s, %zu errors)\n", what,
           rate, s->p50_ms, s->p99_ms, s->count, s->seconds, s->errors);
    printf(
        "result phase=%s count=%zu errors=%zu seconds=%.3f rate=%.1f p50_ms=%.3f p99_ms=%.3f%s\n",
        phase, s->count, s->errors, s->seconds, rate, s->p50_ms, s->p99_ms, extra);
    fflush(stdout);
}

/* ---- threads ---- */

/* Runs fn(arg + i * size) on n threads and waits for them. Returns 0 or -1. */
static int run_threads(size_t n, void *(*fn)(void *), void *args, size_t size)
{
    pthread_t *t = calloc(n, sizeof(*t));
    size_t i, started = 0;
    int rc = 0;

    if (t == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, fn, (char *)args + i * size) != 0) {
            fprintf(stderr, "slsbench: cannot start thread %zu\n", i);
            rc = -1;
            break;
        }
        started++;
    }
    for (i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    return rc;
}

/* ---- phase 1: Argon2id in process ---- */

struct argon2_ctx {
    const char *hash;
    double deadline;
};

struct argon2_worker {
    struct argon2_ctx *ctx;
    struct lat lat;
    size_t errors;
};

static void *argon2_main(void *p)
{
    struct argon2_worker *w = p;
    double t0, t1;

    for (;;) {
        t0 = now_s();
        if (t0 >= w->ctx->deadline)
            break;
        int rc = sls_password_verify(w->ctx->hash, USER_PASSWORD, strlen(USER_PASSWORD));
        t1 = now_s();
        if (rc != 0 || lat_add(&w->lat, t1 - t0) != 0)
            w->errors++;
    }
    return NULL;
}

static int phase_argon2(size_t threads, double seconds, unsigned long long ops, size_t mem_kib)
{
    struct sls_pwhash_cost cost = {.opslimit = ops, .memlimit = mem_kib * 1024};
    char hash[SLS_PASSWORD_HASH_MAX];
    struct argon2_ctx ctx;
    struct argon2_worker *w = calloc(threads, sizeof(*w));
    struct lat *lats = calloc(threads, sizeof(*lats));
    struct summary s = {0};
    char extra[128], what[128];
    double start;
    size_t i;
    int rc = -1;

    if (w == NULL || lats == NULL)
        goto out;
    if (sls_password_hash(USER_PASSWORD, strlen(USER_PASSWORD), &cost, hash) != 0) {
        fprintf(stderr, "slsbench: cannot hash at ops %llu, %zu KiB\n", ops, mem_kib);
        goto out;
    }
    ctx.hash = hash;
    start = now_s();
    ctx.deadline = start + seconds;
    for (i = 0; i < threads; i++)
        w[i].ctx = &ctx;
    if (run_threads(threads, argon2_main, w, sizeof(*w)) != 0)
        goto out;
    s.seconds = now_s() - start;
    for (i = 0; i < threads; i++) {
        s.count += w[i].lat.n;
        s.errors += w[i].errors;
        lats[i] = w[i].lat;
        w[i].lat.v = NULL;
    }
    if (summarize(lats, threads, &s) != 0)
        goto out;
    snprintf(what, sizeof(what), "argon2id verify (ops %llu, %zu KiB, %zu thr)", ops, mem_kib,
             threads);
    snprintf(extra, sizeof(extra), " threads=%zu ops=%llu mem_kib=%zu", threads, ops, mem_kib);
    print_summary("argon2", what, &s, extra);
    rc = s.errors == 0 ? 0 : -1;
out:
    if (w != NULL)
        for (i = 0; i < threads; i++)
            free(w[i].lat.v);
    free(w);
    free(lats);
    return rc;
}

/* ---- HTTP ---- */

/* One keep-alive connection: a libcurl easy handle reused for every request. */
struct conn {
    CURL *h;
    struct curl_slist *headers;
    char *buf; /* the last answer's body, NUL-terminated */
    size_t len, cap;
    bool too_large;
    unsigned reported; /* errors printed so far (only the first few are) */
    unsigned down;     /* requests in a row that got no answer */
    char err[CURL_ERROR_SIZE];
};

#define MAX_REPORTED 3
#define MAX_DOWN     3 /* a worker gives up after this many requests in a row without answer */

/* Prints an error about c unless it has printed MAX_REPORTED already. */
static void conn_report(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void conn_report(struct conn *c, const char *fmt, ...)
{
    va_list ap;

    if (c->reported >= MAX_REPORTED)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (++c->reported == MAX_REPORTED)
        fputs("slsbench: (further errors of this connection are not shown)\n", stderr);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct conn *c = userdata;
    size_t n = size * nmemb;

    if (c->len + n + 1 > MAX_ANSWER) {
        c->too_large = true;
        return 0;
    }
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        char *nb;
        while (cap < c->len + n + 1)
            cap *= 2;
        nb = realloc(c->buf, cap);
        if (nb == NULL)
            return 0;
        c->buf = nb;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
    c->buf[c->len] = '\0';
    return n;
}

/* auth is a whole "Authorization: Bearer ..." header line, or NULL. With
 * fresh, every request opens a new connection (no keep-alive). */
static int conn_init(struct conn *c, const char *auth, bool fresh)
{
    struct curl_slist *l;

    memset(c, 0, sizeof(*c));
    c->h = curl_easy_init();
    if (c->h == NULL)
        return -1;
    l = curl_slist_append(NULL, "Content-Type: application/json");
    if (l == NULL)
        return -1;
    c->headers = l;
    /* No "Expect: 100-continue" round trip. */
    if ((l = curl_slist_append(c->headers, "Expect:")) == NULL)
        return -1;
    c->headers = l;
    if (auth != NULL) {
        if ((l = curl_slist_append(c->headers, auth)) == NULL)
            return -1;
        c->headers = l;
    }
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, c->err);
    curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->h, CURLOPT_TIMEOUT, HTTP_TIMEOUT);
    curl_easy_setopt(c->h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c->h, CURLOPT_USERAGENT, "slsbench/0.1");
    if (fresh)
        curl_easy_setopt(c->h, CURLOPT_FORBID_REUSE, 1L);
    return 0;
}

static void conn_free(struct conn *c)
{
    if (c->h != NULL)
        curl_easy_cleanup(c->h);
    curl_slist_free_all(c->headers);
    free(c->buf);
    memset(c, 0, sizeof(*c));
}

/* POSTs len bytes of body to url, with the extra headers when not NULL (the
 * connection's own otherwise). Returns the HTTP status (body in c->buf), or
 * -1 when no answer came (the reason is reported, and counted in c->down). */
static long conn_post_with(struct conn *c, const char *url, const char *body, size_t len,
                           struct curl_slist *headers)
{
    long status = 0;
    CURLcode cc;

    c->len = 0;
    c->too_large = false;
    c->err[0] = '\0';
    if (c->buf != NULL)
        c->buf[0] = '\0';
    curl_easy_setopt(c->h, CURLOPT_URL, url);
    if (headers != NULL)
        curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)len);
    cc = curl_easy_perform(c->h);
    if (headers != NULL)
        curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
    if (cc != CURLE_OK) {
        c->down++;
        conn_report(c, "slsbench: %s: %s\n", url, c->err[0] ? c->err : curl_easy_strerror(cc));
        return -1;
    }
    c->down = 0;
    curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* POSTs the JSON body to url; as conn_post_with. */
static long conn_post(struct conn *c, const char *url, const char *body)
{
    return conn_post_with(c, url, body, strlen(body), NULL);
}

static const char *conn_body(const struct conn *c)
{
    return c->buf != NULL ? c->buf : "";
}

/* ---- users and logins ---- */

struct bench_user {
    char name[40];
    uint8_t key[KEY_LEN];
    char key_hex[2 * KEY_LEN + 1];
};

/* Everything an HTTP phase shares. */
struct http_ctx {
    const char *public_url;
    const char *admin_url;
    struct bench_user *users;
    size_t nusers;
    atomic_size_t next;
    double deadline;
    /* users loaded through POST /v1/admin/users/import, import_batch a
     * request (0: one by one through the admin API), all with one hash */
    size_t import_batch;
    char password_hash[SLS_PASSWORD_HASH_MAX];
    struct curl_slist *import_headers;
    double pace; /* attack: seconds between the client's logins */
};

static void hex(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Creates user u and its dsc_plus device. Returns 0 or -1. */
static int create_user(struct conn *c, const struct http_ctx *ctx, size_t i)
{
    const struct bench_user *u = &ctx->users[i];
    char url[MAX_URL], body[512];
    long st;

    snprintf(url, sizeof(url), "%s/v1/admin/users", ctx->admin_url);
    snprintf(body, sizeof(body),
             "{\"username\":\"%s\",\"password\":\"%s\",\"email\":\"%s@example.com\"}", u->name,
             USER_PASSWORD, u->name);
    st = conn_post(c, url, body);
    if (st != 200 && st != 201) {
        conn_report(c, "slsbench: creating user %s: HTTP %ld %s\n", u->name, st, conn_body(c));
        return -1;
    }
    snprintf(url, sizeof(url), "%s/v1/admin/users/%s/devices", ctx->admin_url, u->name);
    snprintf(body, sizeof(body),
             "{\"type\":\"dsc_plus\",\"serial\":\"BENCH-%06zu\",\"secret_hex\":\"%s\","
             "\"pin\":\"" DEVICE_PIN "\"}",
             i, u->key_hex);
    st = conn_post(c, url, body);
    if (st != 200 && st != 201) {
        conn_report(c, "slsbench: adding a device to %s: HTTP %ld %s\n", u->name, st, conn_body(c));
        return -1;
    }
    return 0;
}

/* Stage 1 for user u: the login id and the response its device gives to the
 * challenge (computed here, as the device would). Returns 0 or -1. */
static int stage1(struct conn *c, const struct http_ctx *ctx, const struct bench_user *u,
                  char login_id[64], char response[16])
{
    struct sls_ocra_input in;
    char url[MAX_URL], body[256];
    json_t *root = NULL;
    const char *id, *challenge;
    json_error_t jerr;
    long st;
    int rc = -1;

    snprintf(url, sizeof(url), "%s/v1/login", ctx->public_url);
    snprintf(body, sizeof(body),
             "{\"username\":\"%s\",\"password\":\"" USER_PASSWORD "\",\"platform\":\"portal\"}",
             u->name);
    st = conn_post(c, url, body);
    if (st != 200) {
        conn_report(c, "slsbench: stage 1 for %s: HTTP %ld %s\n", u->name, st, conn_body(c));
        return -1;
    }
    root = json_loadb(conn_body(c), c->len, 0, &jerr);
    id = json_string_value(json_object_get(root, "login_id"));
    challenge = json_string_value(json_object_get(json_object_get(root, "challenge"), "challenge"));
    if (id == NULL || challenge == NULL || strlen(id) >= 64) {
        conn_report(c, "slsbench: stage 1 for %s: unexpected answer %s\n", u->name, conn_body(c));
        goto out;
    }
    memcpy(login_id, id, strlen(id) + 1);
    memset(&in, 0, sizeof(in));
    in.question = challenge;
    in.pin = DEVICE_PIN;
    if (sls_ocra_compute(OCRA_SUITE, u->key, KEY_LEN, &in, response, 16) != 0) {
        conn_report(c, "slsbench: cannot compute OCRA for challenge %s\n", challenge);
        goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

/* Stage 2: sends the response; 0 when the login is authenticated. */
static int stage2(struct conn *c, const struct http_ctx *ctx, const char *login_id,
                  const char *response)
{
    char url[MAX_URL], body[64];
    long st;

    snprintf(url, sizeof(url), "%s/v1/login/%s/response", ctx->public_url, login_id);
    snprintf(body, sizeof(body), "{\"response\":\"%s\"}", response);
    st = conn_post(c, url, body);
    if (st != 200 || strstr(conn_body(c), "\"authenticated\"") == NULL) {
        conn_report(c, "slsbench: stage 2 of %s: HTTP %ld %s\n", login_id, st, conn_body(c));
        return -1;
    }
    return 0;
}

struct http_worker {
    struct http_ctx *ctx;
    struct conn conn;
    struct lat lat;
    size_t errors;
    double finished;
    /* second-factor phase */
    struct pending *pend;
    size_t npend;
};

static void *setup_main(void *p)
{
    struct http_worker *w = p;
    size_t i;

    while (w->conn.down < MAX_DOWN && (i = atomic_fetch_add(&w->ctx->next, 1)) < w->ctx->nusers)
        if (create_user(&w->conn, w->ctx, i) != 0)
            w->errors++;
    return NULL;
}

/* Imports batch number b of the users in one request. Returns 0 or -1. */
static int import_batch(struct conn *c, const struct http_ctx *ctx, size_t b, char *body,
                        size_t cap)
{
    size_t first = b * ctx->import_batch, i, len = 0;
    char url[MAX_URL];
    long st;

    for (i = first; i < ctx->nusers && i < first + ctx->import_batch; i++) {
        int n = snprintf(body + len, cap - len,
                         "{\"username\":\"%s\",\"password_hash\":\"%s\",\"devices\":[{"
                         "\"type\":\"dsc_plus\",\"serial\":\"BENCH-%07zu\",\"secret_hex\":"
                         "\"%s\",\"pin\":\"" DEVICE_PIN "\"}]}\n",
                         ctx->users[i].name, ctx->password_hash, i, ctx->users[i].key_hex);
        if (n < 0 || (size_t)n >= cap - len)
            return -1;
        len += (size_t)n;
    }
    snprintf(url, sizeof(url), "%s/v1/admin/users/import", ctx->admin_url);
    st = conn_post_with(c, url, body, len, ctx->import_headers);
    if (st != 201) {
        conn_report(c, "slsbench: importing users %zu-%zu: HTTP %ld %.300s\n", first, i - 1, st,
                    conn_body(c));
        return -1;
    }
    return 0;
}

static void *import_main(void *p)
{
    struct http_worker *w = p;
    size_t cap = w->ctx->import_batch * IMPORT_LINE_MAX, b;
    size_t nbatches = (w->ctx->nusers + w->ctx->import_batch - 1) / w->ctx->import_batch;
    char *body = malloc(cap);

    if (body == NULL) {
        w->errors++;
        return NULL;
    }
    while (w->conn.down < MAX_DOWN && (b = atomic_fetch_add(&w->ctx->next, 1)) < nbatches)
        if (import_batch(&w->conn, w->ctx, b, body, cap) != 0)
            w->errors++;
    free(body);
    return NULL;
}

/* Makes nusers users named PREFIX0001... with random keys, and creates them
 * on the server with the workers' connections: one by one through the admin
 * API, or in batches through the bulk import. Returns 0 or -1. */
static int setup_users(struct http_ctx *ctx, struct http_worker *w, size_t threads, size_t nusers,
                       const char *prefix)
{
    size_t i, errors = 0;
    double t0 = now_s();

    ctx->users = calloc(nusers, sizeof(*ctx->users));
    if (ctx->users == NULL)
        return -1;
    ctx->nusers = nusers;
    for (i = 0; i < nusers; i++) {
        snprintf(ctx->users[i].name, sizeof(ctx->users[i].name), "%s%05zu", prefix, i);
        sls_random_bytes(ctx->users[i].key, KEY_LEN);
        hex(ctx->users[i].key, KEY_LEN, ctx->users[i].key_hex);
    }
    atomic_store(&ctx->next, 0);
    if (threads > nusers)
        threads = nusers;
    if (ctx->import_batch > 0) {
        struct sls_pwhash_cost cost;
        sls_pwhash_cost_min(&cost); /* the cost of the servers that import them */
        if (sls_password_hash(USER_PASSWORD, strlen(USER_PASSWORD), &cost, ctx->password_hash) != 0)
            return -1;
    }
    if (run_threads(threads, ctx->import_batch > 0 ? import_main : setup_main, w, sizeof(*w)) != 0)
        return -1;
    for (i = 0; i < threads; i++) {
        errors += w[i].errors;
        w[i].errors = 0;
    }
    if (errors > 0) {
        fprintf(stderr, "slsbench: %zu users could not be created\n", errors);
        return -1;
    }
    printf("setup: %zu users with a dsc_plus device each in %.1f s (%s)\n", nusers, now_s() - t0,
           ctx->import_batch > 0 ? "bulk import" : "one by one");
    fflush(stdout);
    return 0;
}

/* ---- phase 2: full logins ---- */

static void *login_main(void *p)
{
    struct http_worker *w = p;
    struct http_ctx *ctx = w->ctx;
    char login_id[64], response[16];
    double t0, t1;

    for (;;) {
        t0 = now_s();
        if (t0 >= ctx->deadline || w->conn.down >= MAX_DOWN)
            break;
        const struct bench_user *u = &ctx->users[atomic_fetch_add(&ctx->next, 1) % ctx->nusers];
        if (stage1(&w->conn, ctx, u, login_id, response) != 0 ||
            stage2(&w->conn, ctx, login_id, response) != 0) {
            w->errors++;
            continue;
        }
        t1 = now_s();
        if (lat_add(&w->lat, t1 - t0) != 0)
            w->errors++;
    }
    w->finished = now_s();
    return NULL;
}

/* ---- phase 3: second-factor checks ---- */

/* A login waiting for its second factor, with the answer ready to send. */
struct pending {
    char login_id[64];
    char response[16];
};

static void *prepare_main(void *p)
{
    struct http_worker *w = p;
    struct http_ctx *ctx = w->ctx;
    size_t i;

    while (now_s() < ctx->deadline && w->conn.down < MAX_DOWN &&
           (i = atomic_fetch_add(&ctx->next, 1)) < w->npend) {
        struct pending *pd = &w->pend[i];
        uint64_t r;
        /* a random user: the logins reach every part of a large user table */
        sls_random_bytes((uint8_t *)&r, sizeof(r));
        if (stage1(&w->conn, ctx, &ctx->users[r % ctx->nusers], pd->login_id, pd->response) != 0) {
            pd->login_id[0] = '\0';
            w->errors++;
        }
    }
    return NULL;
}

static void *respond_main(void *p)
{
    struct http_worker *w = p;
    struct http_ctx *ctx = w->ctx;
    double t0, t1;
    size_t i;

    for (;;) {
        t0 = now_s();
        if (t0 >= ctx->deadline || w->conn.down >= MAX_DOWN ||
            (i = atomic_fetch_add(&ctx->next, 1)) >= w->npend)
            break;
        if (stage2(&w->conn, ctx, w->pend[i].login_id, w->pend[i].response) != 0) {
            w->errors++;
            continue;
        }
        t1 = now_s();
        if (lat_add(&w->lat, t1 - t0) != 0)
            w->errors++;
    }
    w->finished = now_s();
    return NULL;
}

/* The floor: a well-formed stage-2 request that slsd answers 401 from the
 * shape of the login id alone. */
static void *floor_main(void *p)
{
    struct http_worker *w = p;
    struct http_ctx *ctx = w->ctx;
    char url[MAX_URL];
    double t0, t1;
    long st;

    snprintf(url, sizeof(url), "%s/v1/login/not-a-login/response", ctx->public_url);
    for (;;) {
        t0 = now_s();
        if (t0 >= ctx->deadline || w->conn.down >= MAX_DOWN)
            break;
        st = conn_post(&w->conn, url, "{\"response\":\"12345678\"}");
        t1 = now_s();
        if (st != 401 || strstr(conn_body(&w->conn), "login_failed") == NULL) {
            conn_report(&w->conn, "slsbench: floor request: HTTP %ld %s\n", st,
                        conn_body(&w->conn));
            w->errors++;
            continue;
        }
        if (lat_add(&w->lat, t1 - t0) != 0)
            w->errors++;
    }
    w->finished = now_s();
    return NULL;
}

/* Collects the workers' results of a timed phase into s. */
static int collect(struct http_worker *w, size_t threads, double start, struct summary *s)
{
    struct lat *lats = calloc(threads, sizeof(*lats));
    size_t i;
    int rc;

    if (lats == NULL)
        return -1;
    memset(s, 0, sizeof(*s));
    for (i = 0; i < threads; i++) {
        s->count += w[i].lat.n;
        s->errors += w[i].errors;
        if (w[i].finished - start > s->seconds)
            s->seconds = w[i].finished - start;
        lats[i] = w[i].lat;
        memset(&w[i].lat, 0, sizeof(w[i].lat));
        w[i].errors = 0;
    }
    rc = summarize(lats, threads, s);
    free(lats);
    return rc;
}

struct http_opts {
    size_t trickle; /* attack: byte-at-a-time connections */
    size_t flood;   /* attack: stage-1 flood threads */
    double pace;    /* attack: seconds between the client's logins */
    const char *public_url;
    const char *admin_url;
    size_t threads;
    size_t setup_threads;
    size_t nusers;
    double seconds;
    size_t logins;          /* second-factor: pending logins to prepare at most */
    double prepare_seconds; /* second-factor: time allowed for preparing them */
    bool fresh;             /* a new connection for every request */
    const char *prefix;     /* of the user names */
    size_t import_batch;    /* users a bulk import request (0: one by one) */
};

static int phase_login(struct http_ctx *ctx, struct http_worker *w, const struct http_opts *o)
{
    struct summary s;
    char extra[96], what[96];
    double start;

    atomic_store(&ctx->next, 0);
    start = now_s();
    ctx->deadline = start + o->seconds;
    if (run_threads(o->threads, login_main, w, sizeof(*w)) != 0 ||
        collect(w, o->threads, start, &s) != 0)
        return -1;
    snprintf(what, sizeof(what), "full logins (stage 1 + 2, %zu conn)", o->threads);
    snprintf(extra, sizeof(extra), " threads=%zu users=%zu", o->threads, o->nusers);
    print_summary("login", what, &s, extra);
    return s.errors == 0 ? 0 : -1;
}

static int phase_second_factor(struct http_ctx *ctx, struct http_worker *w,
                               const struct http_opts *o)
{
    struct pending *pend = calloc(o->logins, sizeof(*pend));
    struct summary s;
    char extra[128], what[96];
    double start, took;
    size_t i, n = 0, failed = 0;
    int rc = -1;

    if (pend == NULL)
        goto out;
    /* Stage 1 for as many logins as fit in the preparation time. */
    for (i = 0; i < o->threads; i++) {
        w[i].pend = pend;
        w[i].npend = o->logins;
    }
    atomic_store(&ctx->next, 0);
    start = now_s();
    ctx->deadline = start + o->prepare_seconds;
    if (run_threads(o->threads, prepare_main, w, sizeof(*w)) != 0)
        goto out;
    took = now_s() - start;
    for (i = 0; i < o->threads; i++) {
        failed += w[i].errors;
        w[i].errors = 0;
    }
    /* Keep the ones that got a login id, in order (consecutive ones belong
     * to different users). */
    for (i = 0; i < o->logins && i < atomic_load(&ctx->next); i++)
        if (pend[i].login_id[0] != '\0')
            pend[n++] = pend[i];
    printf("prepared %zu pending logins in %.1f s (%.0f stage-1 logins/s, %zu failed)\n", n, took,
           took > 0 ? (double)n / took : 0.0, failed);
    fflush(stdout);
    if (n == 0)
        goto out;
    for (i = 0; i < o->threads; i++)
        w[i].npend = n;
    /* Then only the second factor, timed. */
    atomic_store(&ctx->next, 0);
    start = now_s();
    ctx->deadline = start + o->seconds;
    if (run_threads(o->threads, respond_main, w, sizeof(*w)) != 0 ||
        collect(w, o->threads, start, &s) != 0)
        goto out;
    if (s.count + s.errors >= n && s.seconds < o->seconds)
        printf("note: all %zu pending logins were used after %.2f s\n", n, s.seconds);
    snprintf(what, sizeof(what), "second-factor checks (%zu conn)", o->threads);
    snprintf(extra, sizeof(extra), " threads=%zu users=%zu prepared=%zu", o->threads, o->nusers, n);
    print_summary("second_factor", what, &s, extra);
    rc = s.errors == 0 && failed == 0 ? 0 : -1;
out:
    free(pend);
    return rc;
}

static int phase_floor(struct http_ctx *ctx, struct http_worker *w, const struct http_opts *o)
{
    struct summary s;
    char extra[96], what[96];
    double start;

    start = now_s();
    ctx->deadline = start + o->seconds;
    if (run_threads(o->threads, floor_main, w, sizeof(*w)) != 0 ||
        collect(w, o->threads, start, &s) != 0)
        return -1;
    snprintf(what, sizeof(what), "http floor (refused stage 2, %zu conn)", o->threads);
    snprintf(extra, sizeof(extra), " threads=%zu", o->threads);
    print_summary("http_floor", what, &s, extra);
    return s.errors == 0 ? 0 : -1;
}

/* ---- phase 5: logins under attack (SPEC §10.2) ---- */

#define TRICKLE_PER_ADDRESS 60 /* under slsd's default connections_per_ip (64) */
#define TRICKLE_TICK        0.05
#define TRICKLE_SLICES      20 /* each connection sends a byte every second */
#define FLOOD_ADDRESSES     8

struct attack {
    struct sockaddr_in server;
    size_t ntrickle;
    int *fds;
    size_t *sent;
    size_t opened, cut; /* connections opened, and found closed by the server */
    atomic_bool stop;
    atomic_bool ready; /* every trickling connection opened once */
    const char *public_url;
    atomic_size_t flood_ok, flood_429, flood_503, flood_other;
};

/* A connection from 127.0.0.2 and up, TRICKLE_PER_ADDRESS per address; -1 on failure. */
static int trickle_open(struct attack *a, size_t i)
{
    struct sockaddr_in src;
    unsigned n = 2 + (unsigned)(i / TRICKLE_PER_ADDRESS);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&src, 0, sizeof(src));
    src.sin_family = AF_INET;
    src.sin_addr.s_addr = htonl(0x7f000000u | n);
    if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0 ||
        connect(fd, (struct sockaddr *)&a->server, sizeof(a->server)) != 0) {
        close(fd);
        return -1;
    }
    a->opened++;
    return fd;
}

/* Sends one more byte of a request head that never ends; reopens a
 * connection the server closed. */
static void trickle_one(struct attack *a, size_t i)
{
    static const char head[] = "POST /v1/login HTTP/1.1\r\nHost: sls\r\nX-Pad: ";
    char c, buf[256];
    ssize_t r;

    if (a->fds[i] >= 0) {
        r = recv(a->fds[i], buf, sizeof(buf), MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            close(a->fds[i]);
            a->fds[i] = -1;
            a->cut++;
        }
    }
    if (a->fds[i] < 0) {
        a->fds[i] = trickle_open(a, i);
        a->sent[i] = 0;
        if (a->fds[i] < 0)
            return;
    }
    c = a->sent[i] < sizeof(head) - 1 ? head[a->sent[i]] : 'a';
    if (send(a->fds[i], &c, 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
        a->sent[i]++;
}

static void *trickle_main(void *p)
{
    struct attack *a = p;
    size_t slice = 0;

    for (size_t i = 0; i < a->ntrickle; i++)
        a->fds[i] = trickle_open(a, i);
    atomic_store(&a->ready, true);
    while (!atomic_load(&a->stop)) {
        double t0 = now_s();
        for (size_t i = slice; i < a->ntrickle; i += TRICKLE_SLICES)
            trickle_one(a, i);
        slice = (slice + 1) % TRICKLE_SLICES;
        double left = TRICKLE_TICK - (now_s() - t0);
        if (left > 0) {
            struct timespec ts = {0, (long)(left * 1e9)};
            nanosleep(&ts, NULL);
        }
    }
    for (size_t i = 0; i < a->ntrickle; i++)
        if (a->fds[i] >= 0)
            close(a->fds[i]);
    return NULL;
}

struct flooder {
    struct attack *a;
    struct conn conn;
    size_t index;
};

/* Stage 1 with a wrong password, as fast as the answers come. */
static void *flood_main(void *p)
{
    struct flooder *f = p;
    struct attack *a = f->a;
    char url[MAX_URL], iface[64];
    const char *body = "{\"username\":\"nosuchuser\",\"password\":\"wrong-password\","
                       "\"platform\":\"portal\"}";

    snprintf(url, sizeof(url), "%s/v1/login", a->public_url);
    snprintf(iface, sizeof(iface), "host!127.0.1.%zu", 1 + f->index % FLOOD_ADDRESSES);
    curl_easy_setopt(f->conn.h, CURLOPT_INTERFACE, iface);
    f->conn.reported = MAX_REPORTED; /* its failures are the point */
    while (!atomic_load(&a->stop)) {
        long st = conn_post(&f->conn, url, body);
        if (st == 401)
            atomic_fetch_add(&a->flood_ok, 1);
        else if (st == 429)
            atomic_fetch_add(&a->flood_429, 1);
        else if (st == 503)
            atomic_fetch_add(&a->flood_503, 1);
        else
            atomic_fetch_add(&a->flood_other, 1);
    }
    return NULL;
}

/* The legitimate client: a full login every o->pace seconds. */
static void *paced_main(void *p)
{
    struct http_worker *w = p;
    struct http_ctx *ctx = w->ctx;
    char login_id[64], response[16];

    for (;;) {
        double t0 = now_s();
        if (t0 >= ctx->deadline)
            break;
        if (stage1(&w->conn, ctx, &ctx->users[0], login_id, response) != 0 ||
            stage2(&w->conn, ctx, login_id, response) != 0)
            w->errors++;
        else if (lat_add(&w->lat, now_s() - t0) != 0)
            w->errors++;
        double left = ctx->pace - (now_s() - t0);
        if (left > 0) {
            struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
            nanosleep(&ts, NULL);
        }
    }
    w->finished = now_s();
    return NULL;
}

static int phase_attack(struct http_ctx *ctx, struct http_worker *w, const struct http_opts *o)
{
    struct attack a;
    struct flooder *fl = NULL;
    pthread_t trickler, *ft = NULL;
    struct summary s;
    char extra[256], what[128];
    const char *hostport = strstr(o->public_url, "://");
    char host[64];
    size_t i, nflood = 0;
    bool trickling = false;
    double start;
    int rc = -1;

    memset(&a, 0, sizeof(a));
    a.public_url = o->public_url;
    a.ntrickle = o->trickle;
    hostport = hostport ? hostport + 3 : o->public_url;
    if (sscanf(hostport, "%63[0-9.]:%hu", host, &a.server.sin_port) != 2 ||
        inet_pton(AF_INET, host, &a.server.sin_addr) != 1) {
        fprintf(stderr, "slsbench: attack needs --public http://IPV4:PORT\n");
        return -1;
    }
    a.server.sin_family = AF_INET;
    a.server.sin_port = htons(a.server.sin_port);
    a.fds = calloc(a.ntrickle + 1, sizeof(*a.fds));
    a.sent = calloc(a.ntrickle + 1, sizeof(*a.sent));
    fl = calloc(o->flood + 1, sizeof(*fl));
    ft = calloc(o->flood + 1, sizeof(*ft));
    if (a.fds == NULL || a.sent == NULL || fl == NULL || ft == NULL)
        goto out;
    if (a.ntrickle > 0) {
        if (pthread_create(&trickler, NULL, trickle_main, &a) != 0)
            goto out;
        trickling = true;
        while (!atomic_load(&a.ready))
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    for (nflood = 0; nflood < o->flood; nflood++) {
        fl[nflood].a = &a;
        fl[nflood].index = nflood;
        if (conn_init(&fl[nflood].conn, NULL, false) != 0 ||
            pthread_create(&ft[nflood], NULL, flood_main, &fl[nflood]) != 0) {
            conn_free(&fl[nflood].conn);
            break;
        }
    }
    if (nflood < o->flood)
        goto stop;
    if (o->flood > 0)
        sleep(1); /* let the flood use up its budget first */
    ctx->pace = o->pace;
    start = now_s();
    ctx->deadline = start + o->seconds;
    if (run_threads(1, paced_main, w, sizeof(*w)) != 0 || collect(w, 1, start, &s) != 0)
        goto stop;
    rc = 0;
stop:
    atomic_store(&a.stop, true);
    for (i = 0; i < nflood; i++) {
        pthread_join(ft[i], NULL);
        conn_free(&fl[i].conn);
    }
    if (trickling)
        pthread_join(trickler, NULL);
    if (rc == 0) {
        bool quiet = o->trickle == 0 && o->flood == 0;
        double ok = s.count + s.errors ? 100.0 * (double)s.count / (double)(s.count + s.errors) : 0;
        snprintf(what, sizeof(what), "%s (%zu trickling, %zu flooding)",
                 quiet ? "paced logins, quiet" : "paced logins, under attack", o->trickle,
                 o->flood);
        snprintf(extra, sizeof(extra),
                 " success_pct=%.1f trickle=%zu opened=%zu cut=%zu flood=%zu flood_401=%zu "
                 "flood_429=%zu flood_503=%zu flood_other=%zu",
                 ok, o->trickle, a.opened, a.cut, o->flood, atomic_load(&a.flood_ok),
                 atomic_load(&a.flood_429), atomic_load(&a.flood_503), atomic_load(&a.flood_other));
        print_summary(quiet ? "login_quiet" : "login_attack", what, &s, extra);
        printf("the client's logins succeeded: %.1f %%; trickling connections opened %zu, "
               "closed by the server %zu; flood answers: %zu hashed (401), %zu 429, %zu 503, "
               "%zu other\n",
               ok, a.opened, a.cut, atomic_load(&a.flood_ok), atomic_load(&a.flood_429),
               atomic_load(&a.flood_503), atomic_load(&a.flood_other));
    }
out:
    free(a.fds);
    free(a.sent);
    free(fl);
    free(ft);
    return rc;
}

/* Runs an HTTP phase: connections, users, then the measurement. */
static int run_http(const char *phase, const struct http_opts *o)
{
    const char *token = getenv("SLS_ADMIN_TOKEN");
    struct http_ctx ctx;
    struct http_worker *w = NULL;
    char *auth = NULL;
    size_t i, nconn = o->threads > o->setup_threads ? o->threads : o->setup_threads;
    int rc = -1;

    if (strcmp(phase, "http-floor") == 0)
        token = "none"; /* no admin calls */
    if (token == NULL || token[0] == '\0') {
        fprintf(stderr, "slsbench: set SLS_ADMIN_TOKEN to the server's admin token\n");
        return -1;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.public_url = o->public_url;
    ctx.admin_url = o->admin_url;
    w = calloc(nconn, sizeof(*w));
    auth = malloc(strlen(token) + 32);
    if (w == NULL || auth == NULL)
        goto out;
    sprintf(auth, "Authorization: Bearer %s", token);
    ctx.import_batch = o->import_batch;
    ctx.import_headers = curl_slist_append(NULL, "Content-Type: application/x-ndjson");
    if (ctx.import_headers == NULL || curl_slist_append(ctx.import_headers, "Expect:") == NULL ||
        curl_slist_append(ctx.import_headers, auth) == NULL)
        goto out;
    for (i = 0; i < nconn; i++) {
        w[i].ctx = &ctx;
        if (conn_init(&w[i].conn, auth, o->fresh) != 0) {
            fprintf(stderr, "slsbench: cannot start libcurl\n");
            goto out;
        }
    }
    if (strcmp(phase, "http-floor") == 0) {
        rc = phase_floor(&ctx, w, o);
        goto out;
    }
    if (setup_users(&ctx, w, o->setup_threads, o->nusers, o->prefix) != 0)
        goto out;
    if (strcmp(phase, "login") == 0)
        rc = phase_login(&ctx, w, o);
    else if (strcmp(phase, "attack") == 0)
        rc = phase_attack(&ctx, w, o);
    else
        rc = phase_second_factor(&ctx, w, o);
out:
    if (w != NULL)
        for (i = 0; i < nconn; i++) {
            conn_free(&w[i].conn);
            free(w[i].lat.v);
        }
    free(w);
    if (auth != NULL) {
        memset(auth, 0, strlen(auth));
        free(auth);
    }
    free(ctx.users);
    curl_slist_free_all(ctx.import_headers);
    return rc;
}

/* ---- command line ---- */

static const struct sls_args_opt opts[] = {
    {"help", SLS_ARGS_FLAG},
    {"threads", SLS_ARGS_VALUE},
    {"seconds", SLS_ARGS_VALUE},
    {"ops", SLS_ARGS_VALUE},
    {"mem-kib", SLS_ARGS_VALUE},
    {"public", SLS_ARGS_VALUE},
    {"admin", SLS_ARGS_VALUE},
    {"users", SLS_ARGS_VALUE},
    {"setup-threads", SLS_ARGS_VALUE},
    {"logins", SLS_ARGS_VALUE},
    {"prepare-seconds", SLS_ARGS_VALUE},
    {"no-keepalive", SLS_ARGS_FLAG},
    {"user-prefix", SLS_ARGS_VALUE},
    {"trickle", SLS_ARGS_VALUE},
    {"flood", SLS_ARGS_VALUE},
    {"pace-ms", SLS_ARGS_VALUE},
    {"import-batch", SLS_ARGS_VALUE},
};

static void usage(FILE *f)
{
    fputs("usage: slsbench argon2 [--threads N] [--seconds S] [--ops N] [--mem-kib N]\n"
          "       slsbench login --public URL --admin URL [--users N] [--threads N]\n"
          "                [--setup-threads N] [--seconds S]\n"
          "       slsbench second-factor --public URL --admin URL [--users N] [--threads N]\n"
          "                [--setup-threads N] [--seconds S] [--logins N] [--prepare-seconds S]\n"
          "       slsbench http-floor --public URL [--threads N] [--seconds S]\n"
          "       slsbench attack --public URL --admin URL [--trickle N] [--flood N]\n"
          "                [--pace-ms MS] [--seconds S]\n"
          "  argon2         raw Argon2id verifications in this process (default ops 2,\n"
          "                 65536 KiB: the production cost), no server\n"
          "  login          full logins (stage 1 and 2) against a running slsd\n"
          "  second-factor  prepares up to --logins pending logins (default 150000) within\n"
          "                 --prepare-seconds (default 30), then times only the\n"
          "                 /response calls\n"
          "  http-floor     stage-2 requests for a login id that cannot exist (refused\n"
          "                 before any store or crypto work)\n"
          "  attack         one client on 127.0.0.1 logs in every --pace-ms (default 500)\n"
          "                 while --trickle N connections from 127.0.0.2 and up send a\n"
          "                 byte a second of a request head that never ends and --flood N\n"
          "                 threads from 127.0.1.1-8 send stage 1 with a wrong password\n"
          "                 (both default 0: the quiet reference)\n"
          "  --threads N    concurrent workers, each with one keep-alive connection\n"
          "                 (default 2)\n"
          "  --no-keepalive a new connection for every request\n"
          "  --seconds S    length of the timed part (default 10)\n"
          "  --users N      users created first, each with a dsc_plus device (default 300),\n"
          "                 named PREFIX00000... (--user-prefix, default 'bench'; change it to\n"
          "                 run again against the same server)\n"
          "  --import-batch N  create the users through POST /v1/admin/users/import, N a\n"
          "                 request (default 0: one by one), all with one password hash\n"
          "                 made here at the cheapest Argon2id cost (start slsd at it)\n"
          "environment: SLS_ADMIN_TOKEN, the admin token of the server (HTTP phases)\n"
          "Prints one human line and one 'result key=value ...' line per phase.\n",
          f);
}

static int num(const struct sls_args *a, const char *name, uint64_t lo, uint64_t hi, uint64_t dflt,
               uint64_t *out)
{
    const char *v = sls_args_get(a, name);

    *out = dflt;
    if (v != NULL && sls_args_u64(v, lo, hi, out) != 0) {
        fprintf(stderr, "slsbench: --%s must be a number from %llu to %llu\n", name,
                (unsigned long long)lo, (unsigned long long)hi);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct sls_args a;
    struct http_opts o;
    char err[256];
    uint64_t threads, seconds, ops, mem, users, setup, logins, prep, trickle, flood, pace, batch;
    const char *phase;
    int rc;

    sls_args_init(&a);
    if (sls_args_add_opts(&a, opts, sizeof(opts) / sizeof(opts[0])) != 0 ||
        sls_args_parse(&a, argc - 1, argv + 1, false, NULL, err, sizeof(err)) != 0) {
        fprintf(stderr, "slsbench: %s\n", err);
        usage(stderr);
        return SLS_EXIT_USAGE;
    }
    if (sls_args_has(&a, "help")) {
        usage(stdout);
        return SLS_EXIT_OK;
    }
    if (a.npos != 1) {
        usage(stderr);
        return SLS_EXIT_USAGE;
    }
    phase = a.pos[0];
    if (num(&a, "threads", 1, MAX_THREADS, 2, &threads) != 0 ||
        num(&a, "seconds", 1, 600, 10, &seconds) != 0 || num(&a, "ops", 1, 100, 2, &ops) != 0 ||
        num(&a, "mem-kib", 8, 4 * 1024 * 1024, 64 * 1024, &mem) != 0 ||
        num(&a, "users", 1, 10000000, 300, &users) != 0 ||
        num(&a, "import-batch", 0, 10000, 0, &batch) != 0 ||
        num(&a, "setup-threads", 1, MAX_THREADS, threads, &setup) != 0 ||
        num(&a, "logins", 1, 10000000, 150000, &logins) != 0 ||
        num(&a, "prepare-seconds", 1, 600, 30, &prep) != 0 ||
        num(&a, "trickle", 0, 60000, 0, &trickle) != 0 ||
        num(&a, "flood", 0, 1024, 0, &flood) != 0 || num(&a, "pace-ms", 1, 60000, 500, &pace) != 0)
        return SLS_EXIT_USAGE;
    if (sls_crypto_init() != 0) {
        fprintf(stderr, "slsbench: cannot initialise the crypto library\n");
        return SLS_EXIT_FAIL;
    }
    if (strcmp(phase, "argon2") == 0)
        return phase_argon2((size_t)threads, (double)seconds, ops, (size_t)mem) == 0
                   ? SLS_EXIT_OK
                   : SLS_EXIT_FAIL;
    if (strcmp(phase, "login") != 0 && strcmp(phase, "second-factor") != 0 &&
        strcmp(phase, "http-floor") != 0 && strcmp(phase, "attack") != 0) {
        fprintf(stderr, "slsbench: unknown phase '%s'\n", phase);
        usage(stderr);
        return SLS_EXIT_USAGE;
    }
    memset(&o, 0, sizeof(o));
    o.public_url = sls_args_get(&a, "public");
    o.admin_url = sls_args_get(&a, "admin");
    if (o.public_url == NULL || (o.admin_url == NULL && strcmp(phase, "http-floor") != 0)) {
        fprintf(stderr, "slsbench: %s needs --public URL and --admin URL\n", phase);
        return SLS_EXIT_USAGE;
    }
    o.threads = (size_t)threads;
    o.setup_threads = (size_t)setup;
    o.nusers = (size_t)users;
    o.import_batch = (size_t)batch;
    o.seconds = (double)seconds;
    o.logins = (size_t)logins;
    o.prepare_seconds = (double)prep;
    o.fresh = sls_args_has(&a, "no-keepalive");
    o.trickle = (size_t)trickle;
    o.flood = (size_t)flood;
    o.pace = (double)pace / 1e3;
    if (o.trickle > 0) { /* a descriptor per connection */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
        }
    }
    o.prefix = sls_args_get(&a, "user-prefix");
    if (o.prefix == NULL)
        o.prefix = "bench";
    if (strlen(o.prefix) < 1 || strlen(o.prefix) > 20 ||
        strspn(o.prefix, "abcdefghijklmnopqrstuvwxyz") != strlen(o.prefix)) {
        fprintf(stderr, "slsbench: --user-prefix takes 1 to 20 lower-case letters\n");
        return SLS_EXIT_USAGE;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "slsbench: cannot initialise libcurl\n");
        return SLS_EXIT_FAIL;
    }
    rc = run_http(phase, &o);
    curl_global_cleanup();
    return rc == 0 ? SLS_EXIT_OK : SLS_EXIT_FAIL;
}
