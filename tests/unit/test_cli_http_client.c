/* Tests of src/cli/common/http_client.c against a one-shot HTTP server on a
 * loopback port run by the test: what is sent (method, path, bearer token,
 * JSON body), how answers are read, unreachable servers, oversized answers,
 * URL escaping and the one-line description of API errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/common/http_client.h"

#define REQ_MAX 65536

/* A server that accepts one connection, records the request and sends a
 * canned answer (then, when flood is set, junk until the client hangs up). */
struct server {
    int fd;
    int port;
    const char *answer;
    size_t flood;
    char request[REQ_MAX];
    size_t request_len;
    pthread_t thread;
};

static size_t content_length(const char *req)
{
    const char *h = strcasestr(req, "\r\ncontent-length:");
    return h ? (size_t)strtoul(h + 17, NULL, 10) : 0;
}

static void *serve(void *arg)
{
    struct server *s = arg;
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    for (;;) {
        ssize_t n = read(c, s->request + s->request_len, REQ_MAX - 1 - s->request_len);
        if (n <= 0)
            break;
        s->request_len += (size_t)n;
        s->request[s->request_len] = '\0';
        const char *end = strstr(s->request, "\r\n\r\n");
        if (end && s->request_len >= (size_t)(end + 4 - s->request) + content_length(s->request))
            break;
    }
    if (write(c, s->answer, strlen(s->answer)) < 0) {
        close(c);
        return NULL;
    }
    static char junk[65536];
    memset(junk, 'x', sizeof(junk));
    for (size_t sent = 0; sent < s->flood;) {
        ssize_t n = write(c, junk, sizeof(junk));
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    close(c);
    return NULL;
}

static int listen_any(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t len = sizeof(addr);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    *port = ntohs(addr.sin_port);
    return fd;
}

static void server_start(struct server *s, const char *answer, size_t flood)
{
    memset(s, 0, sizeof(*s));
    s->answer = answer;
    s->flood = flood;
    s->fd = listen_any(&s->port);
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

struct exchange_case {
    const char *method, *path, *body; /* body: JSON or NULL */
    const char *status_line;          /* of the answer, e.g. "201 Created" */
    const char *text;                 /* the answer's body */
    long status;
    const char *described; /* sls_http_client_describe_error, or NULL */
};

static const struct exchange_case exchange_cases[] = {
    {"POST", "/v1/admin/users", "{\"username\":\"alice\",\"primary\":true}", "201 Created",
     "{\"username\":\"alice\"}", 201, NULL},
    {"GET", "/v1/admin/users/bob", NULL, "404 Not Found",
     "{\"error\":\"not_found\",\"message\":\"no such user\"}", 404,
     "no such user (not_found, HTTP 404)"},
    {"POST", "/v1/admin/users/bob/unlock", "{}", "403 Forbidden",
     "{\"error\":\"identity_not_verified\",\"message\":\"verify the caller first\","
     "\"hint\":\"slsctl verify-identity\"}",
     403,
     "verify the caller first (identity_not_verified, HTTP 403); hint: slsctl verify-identity"},
    {"GET", "/healthz", NULL, "503 Service Unavailable",
     "{\"status\":\"store_unavailable\",\"error\":\"store_unavailable\","
     "\"message\":\"The store cannot write\",\"reason\":\"user_insert: disk full\\n\"}",
     503, "The store cannot write (store_unavailable, HTTP 503); reason: user_insert: disk full?"},
    {"GET", "/healthz", NULL, "502 Bad Gateway", "upstream down", 502,
     "server answered HTTP 502 without an API error"},
    {"POST", "/v1/x", NULL, "200 OK", "", 200, NULL},
    {"POST", "/v1/x", NULL, "200 OK", "{\"a\":1} trailing", 200, NULL},
};

static void test_exchange(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(exchange_cases) / sizeof(exchange_cases[0]); i++) {
        const struct exchange_case *c = &exchange_cases[i];
        struct server s;
        char url[64], err[512] = "", answer[1024];
        struct sls_http_response resp;
        snprintf(answer, sizeof(answer),
                 "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n\r\n%s",
                 c->status_line, strlen(c->text), c->text);
        server_start(&s, answer, 0);
        snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
        struct sls_http_client *client = sls_http_client_new(url, "tok-123");
        assert_non_null(client);
        json_t *body = c->body ? json_loads(c->body, 0, NULL) : NULL;
        int rc = sls_http_client_request(client, c->method, c->path, body, &resp, err, sizeof(err));
        server_stop(&s);
        if (rc != 0)
            print_error("case %zu: %s\n", i, err);
        assert_int_equal(rc, 0);
        assert_int_equal(resp.status, c->status);

        /* What the server received. */
        char line[256];
        snprintf(line, sizeof(line), "%s %s HTTP/1.1\r\n", c->method, c->path);
        assert_memory_equal(s.request, line, strlen(line));
        assert_non_null(strstr(s.request, "\r\nAuthorization: Bearer tok-123\r\n"));
        assert_non_null(strstr(s.request, "\r\nAccept: application/json\r\n"));
        const char *sent_body = strstr(s.request, "\r\n\r\n") + 4;
        if (body) {
            assert_non_null(strstr(s.request, "\r\nContent-Type: application/json\r\n"));
            json_t *got = json_loads(sent_body, 0, NULL);
            assert_true(json_equal(got, body));
            json_decref(got);
        } else {
            assert_null(strstr(s.request, "Content-Type:"));
            assert_string_equal(sent_body, "");
        }

        /* What the client read: the raw text, and the JSON when it is JSON. */
        assert_string_equal(resp.text, c->text);
        assert_int_equal(resp.len, strlen(c->text));
        json_t *want = json_loads(c->text, 0, NULL);
        if (want)
            assert_true(json_equal(want, resp.body));
        else
            assert_null(resp.body);
        json_decref(want);
        if (c->described) {
            char d[512];
            sls_http_client_describe_error(&resp, d, sizeof(d));
            assert_string_equal(d, c->described);
        }
        json_decref(body);
        sls_http_client_response_clear(&resp);
        assert_null(resp.text);
        assert_null(resp.body);
        sls_http_client_free(client);
    }
}

static void test_no_token_no_header(void **state)
{
    (void)state;
    struct server s;
    char url[64], err[256];
    struct sls_http_response resp;
    server_start(&s,
                 "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nConnection: close\r\n\r\n"
                 "{\"status\":\"ok\"}",
                 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", s.port);
    struct sls_http_client *client = sls_http_client_new(url, NULL);
    assert_int_equal(
        sls_http_client_request(client, "GET", "/healthz", NULL, &resp, err, sizeof(err)), 0);
    server_stop(&s);
    assert_memory_equal(s.request, "GET /healthz HTTP/1.1\r\n", 23);
    assert_null(strstr(s.request, "Authorization"));
    assert_string_equal(json_string_value(json_object_get(resp.body, "status")), "ok");
    sls_http_client_response_clear(&resp);
    sls_http_client_free(client);
}

static void test_unreachable(void **state)
{
    (void)state;
    int port;
    int fd = listen_any(&port);
    close(fd); /* nothing listens there now */
    char url[64], err[512] = "";
    struct sls_http_response resp;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    struct sls_http_client *client = sls_http_client_new(url, "t");
    assert_int_equal(
        sls_http_client_request(client, "GET", "/healthz", NULL, &resp, err, sizeof(err)), -1);
    char want[96];
    snprintf(want, sizeof(want), "cannot reach %s: ", url);
    assert_memory_equal(err, want, strlen(want));
    assert_null(strchr(err, '\n'));
    assert_null(resp.text);
    sls_http_client_free(client);
}

static void test_answer_too_large(void **state)
{
    (void)state;
    struct server s;
    char url[64], err[512] = "";
    struct sls_http_response resp;
    server_start(&s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", SLS_HTTP_MAX_ANSWER + 65536);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", s.port);
    struct sls_http_client *client = sls_http_client_new(url, NULL);
    assert_int_equal(
        sls_http_client_request(client, "GET", "/v1/admin/audit", NULL, &resp, err, sizeof(err)),
        -1);
    server_stop(&s);
    assert_non_null(strstr(err, "larger than"));
    sls_http_client_free(client);
}

static void test_new_refuses_bad_urls(void **state)
{
    (void)state;
    static const char *const bad[] = {"ftp://h", "127.0.0.1:8081", "", "file:///etc/passwd",
                                      "httpx://h"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(sls_http_client_new(bad[i], NULL));
    struct sls_http_client *c = sls_http_client_new("https://h:1//", "t");
    assert_non_null(c);
    sls_http_client_free(c);
    sls_http_client_free(NULL);
}

static void test_bad_path(void **state)
{
    (void)state;
    char err[256] = "";
    struct sls_http_response resp;
    struct sls_http_client *c = sls_http_client_new("http://127.0.0.1:1", NULL);
    assert_int_equal(sls_http_client_request(c, "GET", "healthz", NULL, &resp, err, sizeof(err)),
                     -1);
    assert_non_null(strstr(err, "path"));
    sls_http_client_free(c);
}

struct escape_case {
    const char *in, *out;
};

static const struct escape_case escape_cases[] = {
    {"alice", "alice"}, {"Alice123", "Alice123"},
    {"a b", "a%20b"},   {"a/b?c&d=e#f%", "a%2Fb%3Fc%26d%3De%23f%25"},
    {"-._~", "-._~"},   {"2026-11-20T10:00:00Z", "2026-11-20T10%3A00%3A00Z"},
    {"+1", "%2B1"},     {"\xc3\xa9", "%C3%A9"},
    {"", ""},
};

static void test_escape(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(escape_cases) / sizeof(escape_cases[0]); i++) {
        char out[64];
        assert_int_equal(sls_http_client_escape(escape_cases[i].in, out, sizeof(out)), 0);
        assert_string_equal(out, escape_cases[i].out);
    }
    char small[6];
    assert_int_equal(sls_http_client_escape("a b c", small, sizeof(small)), -1);
    assert_int_equal(sls_http_client_escape("abcde", small, sizeof(small)), 0);
    assert_int_equal(sls_http_client_escape("abcdef", small, sizeof(small)), -1);
}

struct describe_case {
    long status;
    const char *body; /* JSON or NULL */
    const char *want;
};

static const struct describe_case describe_cases[] = {
    {401, "{\"error\":\"unauthorized\",\"message\":\"bad token\"}",
     "bad token (unauthorized, HTTP 401)"},
    {400, "{\"error\":\"bad_character\"}", "bad_character (bad_character, HTTP 400)"},
    {400, "{\"message\":\"BAD CHARACTER\"}", "BAD CHARACTER (HTTP 400)"},
    {401, "{\"error\":\"login_failed\",\"message\":\"Login failed\",\"hint\":\"\"}",
     "Login failed (login_failed, HTTP 401)"},
    {403, "{\"error\":\"x\\u001b[1m\",\"message\":\"m\\nn\",\"hint\":\"h\\r\"}",
     "m?n (x?[1m, HTTP 403); hint: h?"},
    {500, "[1,2]", "server answered HTTP 500 without an API error"},
    {500, "{\"error\":5}", "server answered HTTP 500 without an API error"},
    {503, NULL, "server answered HTTP 503 without an API error"},
};

static void test_describe(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(describe_cases) / sizeof(describe_cases[0]); i++) {
        const struct describe_case *c = &describe_cases[i];
        struct sls_http_response resp = {.status = c->status};
        resp.body = c->body ? json_loads(c->body, 0, NULL) : NULL;
        char out[256];
        sls_http_client_describe_error(&resp, out, sizeof(out));
        assert_string_equal(out, c->want);
        json_decref(resp.body);
    }
    /* Truncated, still NUL-terminated. */
    struct sls_http_response resp = {.status = 404};
    resp.body = json_loads("{\"error\":\"not_found\",\"message\":\"no such user\"}", 0, NULL);
    char out[8];
    sls_http_client_describe_error(&resp, out, sizeof(out));
    assert_string_equal(out, "no such");
    json_decref(resp.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exchange),
        cmocka_unit_test(test_no_token_no_header),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_answer_too_large),
        cmocka_unit_test(test_new_refuses_bad_urls),
        cmocka_unit_test(test_bad_path),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
