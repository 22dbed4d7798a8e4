/* `slstoken app`, the mobile authenticator emulator; see token_app.h.
 *
 * Timestamps: Ed25519 signatures are deterministic, so two requests to the
 * same path signed in the same second are identical and the server refuses
 * the second as a replay. The app therefore never signs twice with one
 * timestamp: it keeps the last one it used in the state file and takes
 * max(now, last + 1), waiting for the next second of its own clock. When the
 * server runs with --dev, "now" is the server's development clock (GET
 * /v1/dev/clock), which tests and demos freeze and move; as that clock does
 * not tick, the app then runs ahead of it by a second per request, up to
 * AHEAD_MAX, well inside the server's allowed skew. */
#include "cli/common/token_app.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/common/http_client.h"
#include "cli/common/table.h"
#include "cli/common/token.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "crypto/sign.h"

#define ERR_LEN       512
#define PATH_MAX_LEN  4096
#define STATE_VERSION 1
#define SEED_BYTES    32
#define AHEAD_MAX     120 /* seconds the app may sign ahead of a frozen dev clock */
#define PASSWORD_MAX  1024
#define PATH_PENDING  "/v1/ibkey/pending"
#define PATH_APPROVE  "/v1/ibkey/approve"
#define NOT_ACTIVE    "This device is not an active mobile authenticator"

/* One run of an app command: the state file and, when it talks to the
 * server, the client. */
struct app {
    char path[PATH_MAX_LEN];
    json_t *state; /* {version, key_seed_hex, public_key, server, last_timestamp, users} */
    struct sls_http_client *http;
    bool dev_clock; /* the server answered GET /v1/dev/clock */
    uint8_t pk[SLS_SIGN_PUBLIC_BYTES];
    uint8_t sk[SLS_SIGN_SECRET_BYTES];
};

/* Prints "slstoken: " and the message made of fmt and its arguments. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;

    fputs("slstoken: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return SLS_EXIT_FAIL;
}

static int usage(const char *msg)
{
    fprintf(stderr, "slstoken: %s (see slstoken help app)\n", msg);
    return SLS_EXIT_USAGE;
}

/* ---- the state file ---- */

static int state_path(const struct sls_args *a, char *out, size_t len)
{
    const char *p = sls_args_get(a, "state");
    const char *home;

    if (p == NULL)
        p = getenv(SLS_TOKEN_APP_STATE_ENV);
    if (p != NULL && p[0] != '\0')
        return (size_t)snprintf(out, len, "%s", p) < len ? 0 : -1;
    home = getenv("HOME");
    if (home == NULL || home[0] == '\0')
        return -1;
    return (size_t)snprintf(out, len, "%s/%s/%s", home, SLS_TOKEN_APP_STATE_DIR,
                            SLS_TOKEN_APP_STATE_FILE) < len
               ? 0
               : -1;
}

static json_t *state_users(const struct app *ap)
{
    return json_object_get(ap->state, "users");
}

/* Derives the key pair from the seed in the state. */
static int state_keys(struct app *ap)
{
    const char *hex = json_string_value(json_object_get(ap->state, "key_seed_hex"));
    uint8_t seed[SEED_BYTES];
    size_t n = 0;
    int rc = -1;

    if (hex == NULL || sls_hex_decode(hex, strlen(hex), seed, sizeof(seed), &n) != 0 ||
        n != sizeof(seed))
        goto out;
    sls_sign_seed_keypair(ap->pk, ap->sk, seed);
    rc = 0;
out:
    sls_wipe(seed, sizeof(seed));
    return rc;
}

/* A new app: a fresh key pair and no users. */
static int state_new(struct app *ap)
{
    uint8_t seed[SEED_BYTES];
    char hex[2 * SEED_BYTES + 1];
    int rc = -1;

    sls_random_bytes(seed, sizeof(seed));
    if (sls_hex_encode(seed, sizeof(seed), hex, sizeof(hex)) != 0)
        goto out;
    ap->state = json_pack("{s:i, s:s, s:I, s:{}}", "version", STATE_VERSION, "key_seed_hex", hex,
                          "last_timestamp", (json_int_t)0, "users");
    if (ap->state != NULL)
        rc = state_keys(ap);
out:
    sls_wipe(seed, sizeof(seed));
    sls_wipe(hex, sizeof(hex));
    return rc;
}

/* Loads the state file. A missing file is a new app when may_create,
 * otherwise an error. Refuses a file others may read. */
static int state_load(struct app *ap, bool may_create)
{
    struct stat st;
    json_error_t jerr;
    int fd = open(ap->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

    if (fd < 0 && errno == ENOENT && may_create)
        return state_new(ap) == 0 ? 0 : fail("%s", "out of memory");
    if (fd < 0 && errno == ENOENT)
        return fail("no app state in %s: activate a user first (slstoken app activate)", ap->path);
    if (fd < 0)
        return fail("cannot open the app state %s", ap->path);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail("the app state %s is not a regular file", ap->path);
    }
    if ((st.st_mode & 077) != 0) {
        close(fd);
        return fail("the app state %s holds keys but others may read it: chmod 600 it", ap->path);
    }
    ap->state = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
    close(fd);
    if (ap->state == NULL || !json_is_object(ap->state) ||
        json_integer_value(json_object_get(ap->state, "version")) != STATE_VERSION ||
        !json_is_object(state_users(ap)) || state_keys(ap) != 0)
        return fail("the app state %s is damaged or not an slstoken app file", ap->path);
    return 0;
}

/* Creates the default folder ($HOME/.slstoken) when the state lives there. */
static int state_dir(const char *path)
{
    char dir[PATH_MAX_LEN];
    char *slash;

    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* Writes the state to a new file of mode 0600 next to it, then renames it
 * over the old one, so that a crash leaves the old or the new state. */
static int state_save(struct app *ap)
{
    char tmp[PATH_MAX_LEN + 16];
    char *text = NULL;
    size_t len, off = 0;
    int fd = -1, rc = -1;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", ap->path) >= sizeof(tmp))
        goto out;
    if (state_dir(ap->path) != 0)
        goto out;
    text = json_dumps(ap->state, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (text == NULL)
        goto out;
    len = strlen(text);
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0)
        goto out;
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0)
        goto unlink;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto unlink;
        off += (size_t)w;
    }
    if (write(fd, "\n", 1) != 1 || fsync(fd) != 0)
        goto unlink;
    if (close(fd) != 0) {
        fd = -1;
        goto unlink;
    }
    fd = -1;
    if (rename(tmp, ap->path) != 0)
        goto unlink;
    rc = 0;
    goto out;
unlink:
    unlink(tmp);
out:
    if (fd >= 0)
        close(fd);
    if (text != NULL) {
        sls_wipe(text, strlen(text));
        free(text);
    }
    if (rc != 0)
        fprintf(stderr, "slstoken: cannot write the app state %s: %s\n", ap->path, strerror(errno));
    return rc;
}

static void app_clear(struct app *ap)
{
    json_decref(ap->state);
    sls_http_client_free(ap->http);
    sls_wipe(ap, sizeof(*ap));
}

/* Opens the state (and the server when needs_server). */
static int app_open(struct app *ap, const struct sls_args *a, bool may_create, bool needs_server)
{
    const char *server;

    memset(ap, 0, sizeof(*ap));
    if (state_path(a, ap->path, sizeof(ap->path)) != 0)
        return usage("no app state file: give --state FILE (or set HOME)");
    if (state_load(ap, may_create) != 0)
        return SLS_EXIT_FAIL;
    if (!needs_server)
        return 0;
    server = sls_args_get(a, "server");
    if (server == NULL)
        server = json_string_value(json_object_get(ap->state, "server"));
    if (server == NULL)
        return usage("--server URL is required (the app has no server yet)");
    ap->http = sls_http_client_new(server, NULL);
    if (ap->http == NULL)
        return usage("--server must be an http:// or https:// URL");
    if (json_object_set_new(ap->state, "server", json_string(server)) != 0)
        return fail("%s", "out of memory");
    return 0;
}

/* The string member key of o, or "" when there is none. */
static const char *field(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* Prints o (compact JSON and a newline) and drops it. */
static int print_json(json_t *o)
{
    int rc = o != NULL && json_dumpf(o, stdout, JSON_COMPACT) == 0 ? SLS_EXIT_OK : SLS_EXIT_FAIL;

    json_decref(o);
    fputc('\n', stdout);
    if (rc != SLS_EXIT_OK)
        fputs("slstoken: cannot write the result\n", stderr);
    return rc;
}

/* ---- requests ---- */

/* Sends a request; 0 with a 2xx answer in resp, else prints why and returns
 * an exit status (resp cleared). */
static int call(struct app *ap, const char *method, const char *path, const json_t *body,
                const char *const *headers, struct sls_http_response *resp)
{
    char err[ERR_LEN];

    if (sls_http_client_request_headers(ap->http, method, path, body, headers, resp, err,
                                        sizeof(err)) != 0)
        return fail("%s", err);
    if (resp->status >= 200 && resp->status < 300)
        return 0;
    sls_http_client_describe_error(resp, err, sizeof(err));
    sls_http_client_response_clear(resp);
    return fail("%s", err);
}

/* The time the server goes by: its development clock when it has one (asked
 * each time: tests move it), else this machine's clock. */
static int64_t server_now(struct app *ap)
{
    struct sls_http_response resp;
    char err[ERR_LEN];
    int64_t now = (int64_t)time(NULL);
    json_t *v;

    if (sls_http_client_request(ap->http, "GET", "/v1/dev/clock", NULL, &resp, err, sizeof(err)) !=
        0)
        return now;
    v = json_object_get(resp.body, "now_unix");
    ap->dev_clock = resp.status == 200 && json_is_integer(v);
    if (ap->dev_clock)
        now = (int64_t)json_integer_value(v);
    sls_http_client_response_clear(&resp);
    return now;
}

/* The timestamp of the next signed request: never one used before (see the
 * top of the file). Saved in the state before the request is sent. */
static int next_timestamp(struct app *ap, int64_t *out)
{
    int64_t last = (int64_t)json_integer_value(json_object_get(ap->state, "last_timestamp"));
    int64_t now = server_now(ap);
    int64_t ts = now > last ? now : last + 1;

    if (ts > now && !ap->dev_clock) {
        sleep((unsigned)(ts - now)); /* the next second of our own clock */
        now = (int64_t)time(NULL);
        ts = now > last ? now : last + 1;
    }
    if (ts - now > AHEAD_MAX)
        return fail("%s", "too many signed requests while the server clock stands still: "
                          "move the clock or wait");
    if (json_object_set_new(ap->state, "last_timestamp", json_integer((json_int_t)ts)) != 0 ||
        state_save(ap) != 0)
        return SLS_EXIT_FAIL;
    *out = ts;
    return 0;
}

/* base64 of the app's signature over text into out. */
static int sign_b64(const struct app *ap, const char *text, char *out, size_t len)
{
    uint8_t sig[SLS_SIGN_BYTES];

    sls_sign(sig, (const uint8_t *)text, strlen(text), ap->sk);
    return sls_base64_encode(sig, sizeof(sig), 0, out, len);
}

/* A request signed as device_id (SPEC §8). Returns 0 with a 2xx answer, or
 * an exit status. *not_active tells that the server no longer knows
 * device_id as an active app (another device id of the app may still work). */
static int signed_call(struct app *ap, const char *method, const char *path, const char *device_id,
                       const json_t *body, struct sls_http_response *resp, bool *not_active)
{
    char text[256], sig[128], h_id[128], h_ts[64], h_sig[160], err[ERR_LEN];
    const char *headers[4] = {h_id, h_ts, h_sig, NULL};
    const char *msg;
    int64_t ts = 0;
    int rc = next_timestamp(ap, &ts);

    *not_active = false;
    if (rc != 0)
        return rc;
    snprintf(text, sizeof(text), "%s\n%s\n%lld", method, path, (long long)ts);
    if (sign_b64(ap, text, sig, sizeof(sig)) != 0)
        return fail("%s", "cannot sign the request");
    snprintf(h_id, sizeof(h_id), "X-Device-Id: %s", device_id);
    snprintf(h_ts, sizeof(h_ts), "X-Timestamp: %lld", (long long)ts);
    snprintf(h_sig, sizeof(h_sig), "X-Signature: %s", sig);
    if (sls_http_client_request_headers(ap->http, method, path, body, headers, resp, err,
                                        sizeof(err)) != 0)
        return fail("%s", err);
    if (resp->status >= 200 && resp->status < 300)
        return 0;
    msg = json_string_value(json_object_get(resp->body, "message"));
    *not_active = resp->status == 401 && msg != NULL && strcmp(msg, NOT_ACTIVE) == 0;
    if (*not_active) {
        sls_http_client_response_clear(resp);
        return SLS_EXIT_FAIL;
    }
    sls_http_client_describe_error(resp, err, sizeof(err));
    sls_http_client_response_clear(resp);
    return fail("%s", err);
}

/* The same as any device of the app that is still active, first_id first
 * (NULL: in the state's order). */
static int signed_call_any(struct app *ap, const char *method, const char *path,
                           const char *first_id, const json_t *body, struct sls_http_response *resp)
{
    const char *name;
    json_t *u;
    bool not_active = false;
    int rc;

    if (first_id != NULL) {
        rc = signed_call(ap, method, path, first_id, body, resp, &not_active);
        if (!not_active)
            return rc;
    }
    json_object_foreach(state_users(ap), name, u)
    {
        const char *id = json_string_value(json_object_get(u, "device_id"));
        if (id == NULL || (first_id != NULL && strcmp(id, first_id) == 0))
            continue;
        rc = signed_call(ap, method, path, id, body, resp, &not_active);
        if (!not_active)
            return rc;
    }
    if (json_object_size(state_users(ap)) == 0)
        return fail("%s", "the app holds no user: activate one first (slstoken app activate)");
    return fail("%s", "the server knows none of the app's users any more (activated elsewhere?): "
                      "activate again");
}

/* ---- activate ---- */

/* The password: --password, $SLSTOKEN_PASSWORD or a line of stdin. */
static int read_password(const struct sls_args *a, char *out, size_t len)
{
    const char *p = sls_args_get(a, "password");
    size_t n;

    if (p == NULL)
        p = getenv(SLS_TOKEN_APP_PASSWORD_ENV);
    if (p != NULL) {
        if ((size_t)snprintf(out, len, "%s", p) >= len)
            return usage("the password is too long");
        return 0;
    }
    if (isatty(STDIN_FILENO))
        fputs("password: ", stderr);
    if (fgets(out, (int)len, stdin) == NULL)
        return usage("no password: give --password, set " SLS_TOKEN_APP_PASSWORD_ENV
                     " or write it to standard input");
    n = strcspn(out, "\r\n");
    out[n] = '\0';
    if (n == 0)
        return usage("the password is empty");
    return 0;
}

/* Whether outbox recipient `to` fits the masked phone `mask` the server
 * named ("+41*****89": same length, '*' stands for any digit). */
static bool mask_fits(const char *mask, const char *to)
{
    if (mask == NULL || strlen(mask) != strlen(to))
        return false;
    for (; *mask; mask++, to++)
        if (*mask != '*' && *mask != *to)
            return false;
    return true;
}

/* The activation code from the dev outbox: the newest SMS with a code to
 * `to`, or when to is NULL to a number fitting `mask`. */
static int outbox_code(struct app *ap, const char *to, const char *mask, char *out, size_t len)
{
    struct sls_http_response resp;
    char path[256], esc[128];
    size_t i;
    int rc;

    if (to != NULL) {
        if (sls_http_client_escape(to, esc, sizeof(esc)) != 0)
            return fail("%s", "phone number too long");
        snprintf(path, sizeof(path), "/v1/dev/outbox?to=%s", esc);
    } else {
        snprintf(path, sizeof(path), "/v1/dev/outbox");
    }
    rc = call(ap, "GET", path, NULL, NULL, &resp);
    if (rc != 0)
        return fail("%s", "cannot read the dev outbox (a server without --dev): give --code");
    rc = SLS_EXIT_FAIL;
    for (i = json_array_size(resp.body); i > 0; i--) {
        json_t *m = json_array_get(resp.body, i - 1);
        const char *code = json_string_value(json_object_get(m, "code"));
        const char *mto = json_string_value(json_object_get(m, "to"));
        const char *channel = json_string_value(json_object_get(m, "channel"));
        if (code == NULL || mto == NULL || channel == NULL || strcmp(channel, "sms") != 0)
            continue;
        if (to == NULL && !mask_fits(mask, mto))
            continue;
        snprintf(out, len, "%s", code);
        rc = 0;
        break;
    }
    sls_http_client_response_clear(&resp);
    if (rc != 0)
        return fail("%s", "no activation code in the dev outbox: give --code");
    return rc;
}

/* §10.3: an activation that waits for the answer of the user's security
 * device, kept in the state ("activation": {user, activation_id, sent_to,
 * phone}) until the same command runs again with --device-response. */
static int activation_keep(struct app *ap, const char *user, const char *activation_id,
                           const char *mask, const char *to)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "user", user, "activation_id", activation_id,
                          "sent_to", mask, "phone", to);

    if (o == NULL || json_object_set_new(ap->state, "activation", o) != 0)
        return fail("%s", "out of memory");
    return state_save(ap) != 0 ? SLS_EXIT_FAIL : 0;
}

/* Prints the challenge of the device that must confirm the activation and
 * what to run next; the exit status says the activation is not done. */
static int activation_needs_device(const json_t *challenge, const char *user)
{
    const json_t *dev = json_object_get(challenge, "device");
    const json_t *idx = json_object_get(challenge, "indexes");
    const char *kind = field(challenge, "kind");

    fprintf(stderr,
            "slstoken: %s holds a security device (%s \"%s\"): it must confirm this "
            "activation.\n",
            user, field(dev, "type"), field(dev, "label"));
    if (strcmp(kind, "card") == 0 && json_array_size(idx) == 2)
        printf("card indexes: %lld %lld\n", (long long)json_integer_value(json_array_get(idx, 0)),
               (long long)json_integer_value(json_array_get(idx, 1)));
    else if (strcmp(kind, "static") == 0)
        printf("challenge: type the temporary passcode\n");
    else
        printf("challenge: %s\n", field(challenge, "challenge"));
    fflush(stdout);
    return fail("run again as: slstoken app activate --user %s --device-response RESPONSE "
                "(the response the device shows; the SMS code stays valid until it expires)",
                user);
}

int sls_token_app_activate(const struct sls_args *a, bool json)
{
    struct app ap;
    struct sls_http_response resp = {0};
    const char *user = sls_args_get(a, "user"), *mode = sls_args_get(a, "mode");
    const char *country = sls_args_get(a, "phone-country");
    const char *number = sls_args_get(a, "phone-number");
    const char *code_arg = sls_args_get(a, "code");
    const char *device_response = sls_args_get(a, "device-response");
    char password[PASSWORD_MAX], code[16], to[64], pk_b64[64], activation_id[80], mask[64];
    json_t *body = NULL, *entry = NULL, *kept;
    const char *username, *device_id, *suite, *secret;
    int rc;

    memset(&ap, 0, sizeof(ap));
    password[0] = '\0';
    to[0] = '\0';
    if (user == NULL)
        return usage("--user is required");
    if (mode == NULL)
        mode = "pin";
    if (strcmp(mode, "pin") != 0 && strcmp(mode, "biometric") != 0)
        return usage("--mode must be pin or biometric");
    if ((country == NULL) != (number == NULL))
        return usage("--phone-country and --phone-number go together (or neither: the phone on "
                     "record)");
    rc = app_open(&ap, a, true, true);
    if (rc != 0)
        goto out;
    kept = json_object_get(ap.state, "activation");
    if (device_response != NULL) {
        /* The second run: the activation kept by the first one. */
        if (!json_is_object(kept) || strcmp(field(kept, "user"), user) != 0) {
            rc = usage("no activation of this user waits for a device response: run "
                       "slstoken app activate without --device-response first");
            goto out;
        }
        snprintf(activation_id, sizeof(activation_id), "%s", field(kept, "activation_id"));
        snprintf(mask, sizeof(mask), "%s", field(kept, "sent_to"));
        snprintf(to, sizeof(to), "%s", field(kept, "phone"));
    } else {
        rc = read_password(a, password, sizeof(password));
        if (rc != 0)
            goto out;
        body = json_pack("{s:s, s:s}", "username", user, "password", password);
        if (body != NULL && country != NULL)
            json_object_set_new(body, "phone",
                                json_pack("{s:s, s:s}", "country", country, "number", number));
        rc = call(&ap, "POST", "/v1/ibkey/activation", body, NULL, &resp);
        if (rc != 0)
            goto out;
        snprintf(activation_id, sizeof(activation_id), "%s", field(resp.body, "activation_id"));
        snprintf(mask, sizeof(mask), "%s", field(resp.body, "sent_to"));
        if (country != NULL)
            snprintf(to, sizeof(to), "+%s%s", country, number);
        if (json_is_object(json_object_get(resp.body, "challenge"))) {
            rc = activation_keep(&ap, user, activation_id, mask, to);
            if (rc == 0)
                rc = activation_needs_device(json_object_get(resp.body, "challenge"), user);
            goto out;
        }
        sls_http_client_response_clear(&resp);
    }
    if (code_arg != NULL) {
        snprintf(code, sizeof(code), "%s", code_arg);
    } else {
        rc = outbox_code(&ap, to[0] ? to : NULL, mask, code, sizeof(code));
        if (rc != 0)
            goto out;
    }
    if (sls_base64_encode(ap.pk, sizeof(ap.pk), 0, pk_b64, sizeof(pk_b64)) != 0) {
        rc = fail("%s", "cannot encode the public key");
        goto out;
    }
    json_decref(body);
    body = json_pack("{s:s, s:s, s:s, s:s}", "activation_id", activation_id, "code", code,
                     "public_key", pk_b64, "mode", mode);
    if (body != NULL && device_response != NULL)
        json_object_set_new(body, "device_response", json_string(device_response));
    /* Tried once: a wrong response ends the activation on the server too. */
    if (json_object_del(ap.state, "activation") == 0 && state_save(&ap) != 0) {
        rc = SLS_EXIT_FAIL;
        goto out;
    }
    rc = call(&ap, "POST", "/v1/ibkey/activation/complete", body, NULL, &resp);
    if (rc != 0)
        goto out;
    username = json_string_value(json_object_get(resp.body, "username"));
    device_id = json_string_value(json_object_get(resp.body, "device_id"));
    suite = json_string_value(json_object_get(resp.body, "ocra_suite"));
    secret = json_string_value(json_object_get(resp.body, "ocra_secret_hex"));
    if (username == NULL || device_id == NULL || suite == NULL || secret == NULL) {
        rc = fail("%s", "the server's activation answer lacks a field");
        goto out;
    }
    entry = json_pack("{s:s, s:s, s:s, s:s}", "device_id", device_id, "ocra_suite", suite,
                      "ocra_secret_hex", secret, "mode", mode);
    if (entry == NULL || json_object_set(state_users(&ap), username, entry) != 0) {
        rc = fail("%s", "out of memory");
        goto out;
    }
    if (state_save(&ap) != 0) {
        rc = SLS_EXIT_FAIL;
        goto out;
    }
    rc = SLS_EXIT_OK;
    if (json)
        rc = print_json(json_pack("{s:s, s:s, s:s, s:s, s:s}", "username", username, "device_id",
                                  device_id, "mode", mode, "ocra_suite", suite, "state", ap.path));
    else
        printf("activated %s on this app: device %s, mode %s\n", username, device_id, mode);
    if (fflush(stdout) != 0)
        rc = SLS_EXIT_FAIL;
out:
    sls_wipe(password, sizeof(password));
    sls_wipe(code, sizeof(code));
    json_decref(entry);
    json_decref(body);
    sls_http_client_response_clear(&resp);
    app_clear(&ap);
    return rc;
}

/* ---- pending, approve, deny ---- */

/* The pending pushes (a JSON array in *out) or an exit status. */
static int fetch_pending(struct app *ap, json_t **out)
{
    struct sls_http_response resp = {0};
    int rc = signed_call_any(ap, "GET", PATH_PENDING, NULL, NULL, &resp);

    if (rc != 0)
        return rc;
    if (!json_is_array(resp.body)) {
        sls_http_client_response_clear(&resp);
        return fail("%s", "the server's pending list is not a JSON array");
    }
    *out = json_incref(resp.body);
    sls_http_client_response_clear(&resp);
    return 0;
}

int sls_token_app_pending(const struct sls_args *a, bool json)
{
    struct app ap;
    json_t *list = NULL, *p;
    struct sls_table *t = NULL;
    size_t i;
    int rc = app_open(&ap, a, false, true);

    if (rc == 0)
        rc = fetch_pending(&ap, &list);
    if (rc != 0)
        goto out;
    if (json) {
        rc = print_json(json_pack("{s:O}", "pending", list));
    } else if (json_array_size(list) == 0) {
        puts("no push request is pending");
    } else {
        static const char *const head[] = {"PUSH_ID",  "USER",      "PURPOSE",
                                           "PLATFORM", "CHALLENGE", "EXPIRES_AT"};
        t = sls_table_new(6);
        if (t == NULL || sls_table_add_row(t, head) != 0) {
            rc = fail("%s", "out of memory");
            goto out;
        }
        json_array_foreach(list, i, p)
        {
            const char *row[6] = {field(p, "push_id"),   field(p, "username"),
                                  field(p, "purpose"),   field(p, "platform"),
                                  field(p, "challenge"), field(p, "expires_at")};
            if (sls_table_add_row(t, row) != 0) {
                rc = fail("%s", "out of memory");
                goto out;
            }
        }
        sls_table_print(t, stdout);
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = SLS_EXIT_FAIL;
out:
    sls_table_free(t);
    json_decref(list);
    app_clear(&ap);
    return rc;
}

/* The push to decide: the one named, else the only one. */
static const json_t *choose(const json_t *list, const char *push_id, int *rc)
{
    const json_t *p, *found = NULL;
    size_t i;

    json_array_foreach(list, i, p)
    {
        if (push_id != NULL && strcmp(field(p, "push_id"), push_id) == 0)
            return p;
        found = p;
    }
    if (push_id != NULL)
        *rc = fail("no pending push request %s (see slstoken app pending)", push_id);
    else if (found == NULL)
        *rc = fail("%s", "no push request is pending");
    else if (json_array_size(list) > 1)
        *rc = fail("%s", "several push requests are pending: name one (see slstoken app pending)");
    else
        return found;
    return NULL;
}

int sls_token_app_decide(const struct sls_args *a, bool json, bool approve)
{
    struct app ap;
    struct sls_http_response resp = {0};
    const char *decision = approve ? "approve" : "deny";
    const char *auth = sls_args_get(a, "auth");
    const char *number_arg = sls_args_get(a, "number");
    const char *user, *device_id;
    const json_t *push;
    json_t *list = NULL, *body = NULL, *entry;
    char text[256], sig[128], *end = NULL;
    long number = 0;
    bool required;
    int rc;

    if (auth != NULL && strcmp(auth, "pin") != 0 && strcmp(auth, "biometric") != 0)
        return usage("--auth must be pin or biometric");
    if (number_arg != NULL) {
        number = strtol(number_arg, &end, 10);
        if (strlen(number_arg) != 2 || *end != '\0' || number < 10 || number > 99)
            return usage("--number must be the two digits shown with the request (10 to 99)");
    }
    rc = app_open(&ap, a, false, true);
    if (rc == 0)
        rc = fetch_pending(&ap, &list);
    if (rc != 0)
        goto out;
    push = choose(list, a->npos > 0 ? a->pos[0] : NULL, &rc);
    if (push == NULL)
        goto out;
    user = field(push, "username");
    entry = json_object_get(state_users(&ap), user);
    device_id = json_string_value(json_object_get(entry, "device_id"));
    if (auth == NULL)
        auth = json_string_value(json_object_get(entry, "mode"));
    if (auth == NULL)
        auth = "pin";
    required = json_is_true(json_object_get(push, "number_required"));
    if (required && approve && number_arg == NULL) {
        rc = usage("this request needs the number shown where the login or verification "
                   "started: give --number N");
        goto out;
    }
    /* §10.3: with matching, the number typed (empty for a denial without one). */
    if (!required)
        snprintf(text, sizeof(text), "%s\n%s\n%s", field(push, "push_id"), field(push, "challenge"),
                 decision);
    else if (number_arg != NULL)
        snprintf(text, sizeof(text), "%s\n%s\n%s\n%ld", field(push, "push_id"),
                 field(push, "challenge"), decision, number);
    else
        snprintf(text, sizeof(text), "%s\n%s\n%s\n", field(push, "push_id"),
                 field(push, "challenge"), decision);
    if (sign_b64(&ap, text, sig, sizeof(sig)) != 0) {
        rc = fail("%s", "cannot sign the decision");
        goto out;
    }
    body = json_pack("{s:s, s:s, s:s, s:s}", "push_id", field(push, "push_id"), "decision",
                     decision, "auth", auth, "signature", sig);
    if (body != NULL && required && number_arg != NULL)
        json_object_set_new(body, "number", json_integer(number));
    rc = signed_call_any(&ap, "POST", PATH_APPROVE, device_id, body, &resp);
    if (rc != 0)
        goto out;
    if (json) {
        rc = print_json(json_pack("{s:s, s:s, s:s, s:s}", "push_id", field(push, "push_id"),
                                  "status", field(resp.body, "status"), "username", user, "purpose",
                                  field(push, "purpose")));
    } else {
        printf("%s %s (%s, %s)\n", approve ? "approved" : "denied", field(push, "push_id"), user,
               field(push, "purpose"));
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = SLS_EXIT_FAIL;
out:
    json_decref(body);
    json_decref(list);
    sls_http_client_response_clear(&resp);
    app_clear(&ap);
    return rc;
}

/* ---- respond, users ---- */

int sls_token_app_respond(const struct sls_args *a, bool json)
{
    struct app ap;
    const char *user = sls_args_get(a, "user");
    json_t *entry = NULL, *u;
    const char *name;
    char out[SLS_TOKEN_RESPONSE_LEN + 8];
    struct sls_token_ocra_req req;
    int rc = app_open(&ap, a, false, false);

    if (rc != 0)
        goto out;
    if (user != NULL) {
        entry = json_object_get(state_users(&ap), user);
        if (entry == NULL) {
            rc = fail("the app holds no user %s (see slstoken app users)", user);
            goto out;
        }
    } else if (json_object_size(state_users(&ap)) == 1) {
        json_object_foreach(state_users(&ap), name, u) entry = u;
    } else {
        rc = usage(json_object_size(state_users(&ap)) == 0
                       ? "the app holds no user: activate one first"
                       : "the app holds several users: name one with --user");
        goto out;
    }
    if (strlen(a->pos[0]) != SLS_TOKEN_CHALLENGE_LEN ||
        strspn(a->pos[0], "0123456789") != SLS_TOKEN_CHALLENGE_LEN) {
        rc = usage(sls_token_err_message(SLS_TOKEN_ERR_CHALLENGE));
        goto out;
    }
    memset(&req, 0, sizeof(req));
    req.suite = field(entry, "ocra_suite");
    req.secret_hex = field(entry, "ocra_secret_hex");
    req.question = a->pos[0];
    rc = sls_token_ocra(&req, out, sizeof(out));
    if (rc != SLS_TOKEN_OK) {
        rc = usage(sls_token_err_message(rc));
        goto out;
    }
    rc = SLS_EXIT_OK;
    if (json)
        rc = print_json(json_pack("{s:s}", "response", out));
    else
        printf("%s\n", out);
    if (fflush(stdout) != 0)
        rc = SLS_EXIT_FAIL;
out:
    sls_wipe(out, sizeof(out));
    app_clear(&ap);
    return rc;
}

int sls_token_app_users(const struct sls_args *a, bool json)
{
    struct app ap;
    struct sls_table *t = NULL;
    json_t *arr, *u;
    const char *name;
    const char *server;
    int rc = app_open(&ap, a, false, false);

    if (rc != 0)
        goto out;
    server = field(ap.state, "server");
    if (json) {
        arr = json_array();
        json_object_foreach(state_users(&ap), name, u) json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s}", "username", name, "device_id",
                           field(u, "device_id"), "mode", field(u, "mode"), "server", server));
        rc = print_json(json_pack("{s:o}", "users", arr));
    } else {
        static const char *const head[] = {"USER", "DEVICE_ID", "MODE", "SERVER"};
        t = sls_table_new(4);
        if (t == NULL || sls_table_add_row(t, head) != 0) {
            rc = fail("%s", "out of memory");
            goto out;
        }
        json_object_foreach(state_users(&ap), name, u)
        {
            const char *row[4] = {name, field(u, "device_id"), field(u, "mode"), server};
            if (sls_table_add_row(t, row) != 0) {
                rc = fail("%s", "out of memory");
                goto out;
            }
        }
        sls_table_print(t, stdout);
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = SLS_EXIT_FAIL;
out:
    sls_table_free(t);
    app_clear(&ap);
    return rc;
}
