/* A small JSON-over-HTTP client (libcurl + jansson) for slsctl and slstoken's app: one request
 * at a time against a base URL, with an optional bearer token. */
#ifndef SLS_CLI_HTTP_CLIENT_H
#define SLS_CLI_HTTP_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#define SLS_HTTP_MAX_ANSWER (16 * 1024 * 1024) /* bytes of one response body */
#define SLS_HTTP_MAX_URL    4096

struct sls_http_client;

struct sls_http_response {
    long status;  /* HTTP status */
    json_t *body; /* the body parsed as JSON, or NULL when empty or not JSON */
    char *text;   /* the raw body, NUL-terminated (never NULL after a request) */
    size_t len;
};

/* A client for base_url (http:// or https://, a trailing '/' is ignored) that
 * sends "Authorization: Bearer token" when token is not NULL. Both are copied;
 * the token copy is wiped on free. Returns NULL on a bad URL or no memory. */
struct sls_http_client *sls_http_client_new(const char *base_url, const char *token);
/* NULL is a no-op. */
void sls_http_client_free(struct sls_http_client *c);

/* Sends method ("GET", "POST", ...) to base_url + path (path starts with '/'
 * and is already escaped), with body as the JSON request body when not NULL.
 * Does not follow redirects. Returns 0 when an HTTP answer arrived, whatever
 * its status, with resp filled (clear it with sls_http_client_response_clear);
 * -1 with a one-line reason in err when there was no answer (server not
 * reachable, timeout, answer too large). */
int sls_http_client_request(struct sls_http_client *c, const char *method, const char *path,
                            const json_t *body, struct sls_http_response *resp, char *err,
                            size_t errlen);

/* The same with extra header lines ("X-Timestamp: 1700000000"), a list ended
 * by NULL (headers NULL: none), as the mobile authenticator's signed requests
 * need. */
int sls_http_client_request_headers(struct sls_http_client *c, const char *method, const char *path,
                                    const json_t *body, const char *const *headers,
                                    struct sls_http_response *resp, char *err, size_t errlen);

/* The same with a body that is not JSON: len bytes of data sent as is with
 * "Content-Type: content_type" (an e-mail as message/rfc822). */
int sls_http_client_request_raw(struct sls_http_client *c, const char *method, const char *path,
                                const char *content_type, const void *data, size_t len,
                                struct sls_http_response *resp, char *err, size_t errlen);

/* The same with extra header lines as well (a list ended by NULL; NULL:
 * none), as a vendor token file's protection needs; the lines are wiped
 * once sent. */
int sls_http_client_request_raw_headers(struct sls_http_client *c, const char *method,
                                        const char *path, const char *content_type,
                                        const void *data, size_t len, const char *const *headers,
                                        struct sls_http_response *resp, char *err, size_t errlen);

/* Frees what a request put in resp and zeroes it. */
void sls_http_client_response_clear(struct sls_http_response *resp);

/* URL-encodes s (every byte but letters, digits and "-._~") into out.
 * Returns 0, or -1 when out is too small. */
int sls_http_client_escape(const char *s, char *out, size_t outlen);

/* One line about an answer that is not a success: the API's message and
 * error code ("no such user (not_found, HTTP 404)"), then its hint and the
 * reason (GET /healthz on the admin listener) if any; or the bare status when the body is not an
 * API error. Control characters from the server are shown as '?'. */
void sls_http_client_describe_error(const struct sls_http_response *resp, char *out, size_t outlen);

#endif
