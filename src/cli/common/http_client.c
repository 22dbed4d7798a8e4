/* JSON-over-HTTP requests for slsctl through libcurl, answers parsed by
 * jansson. The bearer token is kept in one buffer that is wiped on free. */
#include "cli/common/http_client.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#define CONNECT_TIMEOUT_S 10L
#define TOTAL_TIMEOUT_S   120L

struct sls_http_client {
    char *base; /* without a trailing '/' */
    char *auth; /* "Authorization: Bearer TOKEN", or NULL */
    size_t authlen;
    bool curl_ready;
};

struct sink {
    char *buf;
    size_t len;
    size_t cap;
    bool too_large;
};

struct sls_http_client *sls_http_client_new(const char *base_url, const char *token)
{
    struct sls_http_client *c = NULL;
    size_t blen = strlen(base_url);

    if (strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0)
        return NULL;
    if (blen >= SLS_HTTP_MAX_URL / 2)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        goto fail;
    c->base = strdup(base_url);
    if (c->base == NULL)
        goto fail;
    while (blen > 0 && c->base[blen - 1] == '/')
        c->base[--blen] = '\0';
    if (token != NULL) {
        static const char prefix[] = "Authorization: Bearer ";
        size_t tlen = strlen(token);
        c->authlen = sizeof(prefix) + tlen;
        c->auth = malloc(c->authlen);
        if (c->auth == NULL)
            goto fail;
        memcpy(c->auth, prefix, sizeof(prefix) - 1);
        memcpy(c->auth + sizeof(prefix) - 1, token, tlen + 1);
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        goto fail;
    c->curl_ready = true;
    return c;
fail:
    sls_http_client_free(c);
    return NULL;
}

void sls_http_client_free(struct sls_http_client *c)
{
    if (c == NULL)
        return;
    if (c->auth) {
        explicit_bzero(c->auth, c->authlen);
        free(c->auth);
    }
    free(c->base);
    if (c->curl_ready)
        curl_global_cleanup();
    free(c);
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    size_t n = size * nmemb;
    if (n > SLS_HTTP_MAX_ANSWER - s->len) {
        s->too_large = true;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *grown = realloc(s->buf, cap);
        if (grown == NULL)
            return 0;
        s->buf = grown;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

/* Frees a header list after wiping its strings (one holds the token). */
static void free_headers(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

static struct curl_slist *add_header(struct curl_slist *list, const char *line, bool *ok)
{
    struct curl_slist *n = curl_slist_append(list, line);
    if (n == NULL) {
        *ok = false;
        return list;
    }
    return n;
}

/* Sends method to base + path with payload (len bytes, of content_type) or
 * none (payload NULL), and fills resp; see sls_http_client_request. */
static int perform(struct sls_http_client *c, const char *method, const char *path,
                   const char *payload, size_t payload_len, const char *content_type,
                   const char *const *extra, struct sls_http_response *resp, char *err,
                   size_t errlen)
{
    int rc = -1;
    CURL *h = NULL;
    struct curl_slist *headers = NULL;
    struct sink sink = {0};
    char url[SLS_HTTP_MAX_URL];
    char ctype_line[128];
    char curl_err[CURL_ERROR_SIZE] = "";
    bool ok = true;

    memset(resp, 0, sizeof(*resp));
    if (path[0] != '/' ||
        (size_t)snprintf(url, sizeof(url), "%s%s", c->base, path) >= sizeof(url)) {
        snprintf(err, errlen, "request path too long or malformed");
        goto out;
    }
    h = curl_easy_init();
    if (h == NULL) {
        snprintf(err, errlen, "cannot start libcurl");
        goto out;
    }
    headers = add_header(headers, "Accept: application/json", &ok);
    if (c->auth)
        headers = add_header(headers, c->auth, &ok);
    if (payload) {
        snprintf(ctype_line, sizeof(ctype_line), "Content-Type: %s", content_type);
        headers = add_header(headers, ctype_line, &ok);
    } else if (strcmp(method, "GET") != 0) {
        headers = add_header(headers, "Content-Type:", &ok); /* no form type by default */
    }
    for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
        headers = add_header(headers, extra[i], &ok);
    if (!ok) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }

    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, TOTAL_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(h, CURLOPT_USERAGENT, "sls-cli/0.1");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        if (payload || strcmp(method, "POST") == 0) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload ? payload : "");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             (curl_off_t)(payload ? payload_len : 0));
        }
    }

    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        if (sink.too_large)
            snprintf(err, errlen, "answer from %s larger than %d bytes", c->base,
                     SLS_HTTP_MAX_ANSWER);
        else
            snprintf(err, errlen, "cannot reach %s: %s", c->base,
                     curl_err[0] ? curl_err : curl_easy_strerror(cc));
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    if (sink.buf == NULL) {
        sink.buf = calloc(1, 1);
        if (sink.buf == NULL) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    resp->text = sink.buf;
    resp->len = sink.len;
    sink.buf = NULL;
    if (resp->len > 0)
        resp->body = json_loadb(resp->text, resp->len, JSON_REJECT_DUPLICATES, NULL);
    rc = 0;
out:
    free(sink.buf);
    free_headers(headers);
    if (h)
        curl_easy_cleanup(h);
    return rc;
}

int sls_http_client_request(struct sls_http_client *c, const char *method, const char *path,
                            const json_t *body, struct sls_http_response *resp, char *err,
                            size_t errlen)
{
    return sls_http_client_request_headers(c, method, path, body, NULL, resp, err, errlen);
}

int sls_http_client_request_headers(struct sls_http_client *c, const char *method, const char *path,
                                    const json_t *body, const char *const *headers,
                                    struct sls_http_response *resp, char *err, size_t errlen)
{
    char *payload = NULL;
    int rc;

    if (body) {
        payload = json_dumps(body, JSON_COMPACT);
        if (payload == NULL) {
            memset(resp, 0, sizeof(*resp));
            snprintf(err, errlen, "cannot encode the request body");
            return -1;
        }
    }
    rc = perform(c, method, path, payload, payload ? strlen(payload) : 0, "application/json",
                 headers, resp, err, errlen);
    if (payload) /* may hold a password or a device secret */
        explicit_bzero(payload, strlen(payload));
    free(payload);
    return rc;
}

int sls_http_client_request_raw(struct sls_http_client *c, const char *method, const char *path,
                                const char *content_type, const void *data, size_t len,
                                struct sls_http_response *resp, char *err, size_t errlen)
{
    return sls_http_client_request_raw_headers(c, method, path, content_type, data, len, NULL, resp,
                                               err, errlen);
}

int sls_http_client_request_raw_headers(struct sls_http_client *c, const char *method,
                                        const char *path, const char *content_type,
                                        const void *data, size_t len, const char *const *headers,
                                        struct sls_http_response *resp, char *err, size_t errlen)
{
    return perform(c, method, path, data ? (const char *)data : "", len, content_type, headers,
                   resp, err, errlen);
}

void sls_http_client_response_clear(struct sls_http_response *resp)
{
    json_decref(resp->body);
    free(resp->text);
    memset(resp, 0, sizeof(*resp));
}

int sls_http_client_escape(const char *s, char *out, size_t outlen)
{
    char *e = curl_easy_escape(NULL, s, (int)strlen(s));
    if (e == NULL)
        return -1;
    size_t n = strlen(e);
    int rc = -1;
    if (n < outlen) {
        memcpy(out, e, n + 1);
        rc = 0;
    }
    curl_free(e);
    return rc;
}

/* Appends s to out at *pos, control characters shown as '?'. */
static void put_clean(char *out, size_t outlen, size_t *pos, const char *s)
{
    for (; *s && *pos + 1 < outlen; s++) {
        unsigned char u = (unsigned char)*s;
        out[(*pos)++] = (u < 0x20 || u == 0x7f) ? '?' : *s;
    }
    out[*pos] = '\0';
}

void sls_http_client_describe_error(const struct sls_http_response *resp, char *out, size_t outlen)
{
    const char *code = NULL, *message = NULL, *hint = NULL, *reason = NULL;
    char status[32];
    size_t pos = 0;

    if (outlen == 0)
        return;
    out[0] = '\0';
    if (json_is_object(resp->body)) {
        code = json_string_value(json_object_get(resp->body, "error"));
        message = json_string_value(json_object_get(resp->body, "message"));
        hint = json_string_value(json_object_get(resp->body, "hint"));
        reason = json_string_value(json_object_get(resp->body, "reason"));
    }
    snprintf(status, sizeof(status), "HTTP %ld", resp->status);
    if (code == NULL && message == NULL) {
        put_clean(out, outlen, &pos, "server answered ");
        put_clean(out, outlen, &pos, status);
        put_clean(out, outlen, &pos, " without an API error");
        return;
    }
    put_clean(out, outlen, &pos, message ? message : code);
    put_clean(out, outlen, &pos, " (");
    if (code) {
        put_clean(out, outlen, &pos, code);
        put_clean(out, outlen, &pos, ", ");
    }
    put_clean(out, outlen, &pos, status);
    put_clean(out, outlen, &pos, ")");
    if (hint && hint[0]) {
        put_clean(out, outlen, &pos, "; hint: ");
        put_clean(out, outlen, &pos, hint);
    }
    if (reason && reason[0]) {
        put_clean(out, outlen, &pos, "; reason: ");
        put_clean(out, outlen, &pos, reason);
    }
}
