/* pam_sls.so: a PAM auth module that logs a user in through the public API
 * of slsd (SPEC §10.4): the password (PAM_AUTHTOK, asked for when no module
 * before gave one) is stage 1 of POST /v1/login; a second factor is asked
 * for with the challenge as the prompt and sent to /v1/login/{id}/response,
 * and a push is waited for, polling GET /v1/login/{id}. Arguments:
 * url=http://127.0.0.1:8080 (required), platform=portal|trading (portal),
 * timeout=SECONDS (10; of each request). Answers PAM_SUCCESS,
 * PAM_AUTH_ERR, PAM_MAXTRIES when the account is locked (R8), and
 * PAM_AUTHINFO_UNAVAIL when the server cannot be reached or fails. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_AUTH
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#define BODY_MAX  (64 * 1024)
#define PUSH_WAIT 300 /* seconds: a login lives 5 minutes (R9) */
#define ID_MAX    64

struct opts {
    const char *url;
    const char *platform;
    long timeout;
};

struct buf {
    char *data;
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
    struct buf *b = arg;
    size_t add = size * n;
    char *more;

    if (b->len + add > BODY_MAX)
        return 0;
    more = realloc(b->data, b->len + add + 1);
    if (more == NULL)
        return 0;
    memcpy(more + b->len, p, add);
    b->data = more;
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

/* One call: method on url+path with body (NULL: GET). Returns the HTTP
 * status with the JSON answer in *out, or -1 when the server could not be
 * reached or answered no JSON. */
static long call(const struct opts *o, const char *path, json_t *body, json_t **out)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct buf b = {NULL, 0};
    char url[1024], *text = NULL;
    long status = -1;

    *out = NULL;
    if (c == NULL || snprintf(url, sizeof(url), "%s%s", o->url, path) >= (int)sizeof(url))
        goto out;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (body != NULL) {
        text = json_dumps(body, JSON_COMPACT);
        if (text == NULL)
            goto out;
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
    }
    if (curl_easy_perform(c) != CURLE_OK)
        goto out;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    *out = b.data != NULL ? json_loads(b.data, 0, NULL) : NULL;
    if (*out == NULL)
        status = -1;
out:
    if (text != NULL) {
        memset(text, 0, strlen(text)); /* holds a password or a response */
        free(text);
    }
    if (b.data != NULL) {
        memset(b.data, 0, b.len);
        free(b.data);
    }
    curl_slist_free_all(h);
    if (c != NULL)
        curl_easy_cleanup(c);
    return status;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

/* The PAM code of an answer that is not a success. */
static int refused(pam_handle_t *pamh, long status, json_t *js)
{
    const char *err = str(js, "error");

    if (status < 0 || status >= 500)
        return PAM_AUTHINFO_UNAVAIL;
    if (js != NULL && str(js, "message")[0] != '\0')
        pam_info(pamh, "%s%s%s", str(js, "message"), str(js, "hint")[0] ? ": " : "",
                 str(js, "hint"));
    if (strcmp(err, "locked") == 0)
        return PAM_MAXTRIES;
    return PAM_AUTH_ERR;
}

static bool authenticated(long status, json_t *js)
{
    return status == 200 && strcmp(str(js, "status"), "authenticated") == 0;
}

/* The prompt of a challenge, as the user reads it. */
static void prompt_of(json_t *ch, char *out, size_t len)
{
    const char *kind = str(ch, "kind");
    json_t *ix = json_object_get(ch, "indexes");

    if (strcmp(kind, "card") == 0 && json_array_size(ix) == 2)
        snprintf(out, len, "Security card values at indexes %lld and %lld: ",
                 (long long)json_integer_value(json_array_get(ix, 0)),
                 (long long)json_integer_value(json_array_get(ix, 1)));
    else if (strcmp(kind, "code") == 0)
        snprintf(out, len, "Code sent to your phone: ");
    else if (strcmp(kind, "static") == 0)
        snprintf(out, len, "Temporary passcode: ");
    else
        snprintf(out, len, "Challenge %s, response: ", str(ch, "challenge"));
}

/* A push: tells the user, then polls until the login is decided. */
static int wait_push(pam_handle_t *pamh, const struct opts *o, const char *id, json_t *ch)
{
    char path[128];
    time_t until = time(NULL) + PUSH_WAIT;
    json_t *js = NULL;
    long status;

    if (json_integer_value(json_object_get(ch, "number")) != 0)
        pam_info(pamh, "Approve the notification in the app with the number %lld",
                 (long long)json_integer_value(json_object_get(ch, "number")));
    else
        pam_info(pamh, "Approve the notification in the app");
    snprintf(path, sizeof(path), "/v1/login/%s", id);
    while (time(NULL) < until) {
        sleep(1);
        status = call(o, path, NULL, &js);
        if (authenticated(status, js)) {
            json_decref(js);
            return PAM_SUCCESS;
        }
        if (status != 200 || strcmp(str(js, "status"), "pending") != 0) {
            int rc = status == 200 ? PAM_AUTH_ERR : refused(pamh, status, js);
            json_decref(js);
            return rc;
        }
        json_decref(js);
    }
    return PAM_AUTH_ERR;
}

/* The second factor of the login in js. */
static int second_factor(pam_handle_t *pamh, const struct opts *o, json_t *login)
{
    json_t *ch = json_object_get(login, "challenge"), *js = NULL;
    const char *id = str(login, "login_id");
    char prompt[160], path[128];
    char *resp = NULL;
    long status;
    int rc;

    if (strlen(id) == 0 || strlen(id) > ID_MAX || strspn(id, "0123456789abcdef") != strlen(id))
        return PAM_AUTHINFO_UNAVAIL;
    if (strcmp(str(ch, "kind"), "push") == 0)
        return wait_push(pamh, o, id, ch);
    if (strcmp(str(ch, "kind"), "webauthn") == 0) {
        /* A terminal carries no WebAuthn ceremony (SPEC §10.5). */
        pam_error(pamh, "A passkey cannot answer a login here: sign in on the portal, or use "
                        "another security device");
        return PAM_AUTH_ERR;
    }
    prompt_of(ch, prompt, sizeof(prompt));
    rc = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", prompt);
    if (rc != PAM_SUCCESS || resp == NULL)
        return PAM_CONV_ERR;
    snprintf(path, sizeof(path), "/v1/login/%s/response", id);
    json_t *body = json_pack("{s:s}", "response", resp);
    memset(resp, 0, strlen(resp));
    free(resp);
    status = call(o, path, body, &js);
    json_decref(body);
    rc = authenticated(status, js) ? PAM_SUCCESS : refused(pamh, status, js);
    json_decref(js);
    return rc;
}

static int parse_args(int argc, const char **argv, struct opts *o)
{
    o->url = NULL;
    o->platform = "portal";
    o->timeout = 10;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "url=", 4) == 0)
            o->url = argv[i] + 4;
        else if (strncmp(argv[i], "platform=", 9) == 0)
            o->platform = argv[i] + 9;
        else if (strncmp(argv[i], "timeout=", 8) == 0)
            o->timeout = strtol(argv[i] + 8, NULL, 10);
        else
            return -1;
    }
    if (o->url == NULL || o->timeout <= 0 || o->timeout > 600 ||
        (strcmp(o->platform, "portal") != 0 && strcmp(o->platform, "trading") != 0))
        return -1;
    return 0;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    const char *user = NULL, *password = NULL;
    json_t *body, *js = NULL;
    struct opts o;
    long status;
    int rc;

    (void)flags;
    if (parse_args(argc, argv, &o) != 0) {
        pam_syslog(pamh, LOG_ERR,
                   "bad arguments (expected url=URL [platform=portal|trading] "
                   "[timeout=SECONDS])");
        return PAM_SERVICE_ERR;
    }
    if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL)
        return PAM_USER_UNKNOWN;
    if (pam_get_authtok(pamh, PAM_AUTHTOK, &password, NULL) != PAM_SUCCESS || password == NULL)
        return PAM_AUTH_ERR;
    body = json_pack("{s:s, s:s, s:s}", "username", user, "password", password, "platform",
                     o.platform);
    if (body == NULL)
        return PAM_BUF_ERR;
    status = call(&o, "/v1/login", body, &js);
    json_decref(body);
    if (authenticated(status, js))
        rc = PAM_SUCCESS;
    else if (status == 200 && strcmp(str(js, "status"), "second_factor") == 0)
        rc = second_factor(pamh, &o, js);
    else
        rc = refused(pamh, status, js);
    json_decref(js);
    return rc;
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh;
    (void)flags;
    (void)argc;
    (void)argv;
    return PAM_SUCCESS;
}
