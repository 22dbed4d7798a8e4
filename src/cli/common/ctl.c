/* The command table of slsctl: for each command its options, how its
 * command line becomes an admin API request, and how the answer is shown.
 * Requests are only built here; slsctl.c sends them. */
#include "cli/common/ctl.h"
#include "cli/common/ctl_import.h"
#include "cli/common/ctl_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/http_client.h"
#include "cli/common/table.h"
#include "core/device.h"
#include "crypto/random.h"

#define MAX_ESCAPED 1024

static const struct sls_args_opt global_opts[] = {
    {"server", SLS_ARGS_VALUE},
    {"token", SLS_ARGS_VALUE},
    {"json", SLS_ARGS_FLAG},
    {"help", SLS_ARGS_FLAG},
};

int sls_ctl_add_global_opts(struct sls_args *a)
{
    return sls_args_add_opts(a, global_opts, sizeof(global_opts) / sizeof(global_opts[0]));
}

/* ---- helpers for building ---- */

/* Sets key of obj to a new value; counts failures in *bad. */
static void set_new(json_t *obj, const char *key, json_t *value, int *bad)
{
    if (value == NULL || json_object_set_new(obj, key, value) != 0)
        (*bad)++;
}

static void set_string_opt(json_t *obj, const char *key, const struct sls_args *a, const char *opt,
                           int *bad)
{
    const char *v = sls_args_get(a, opt);
    if (v != NULL)
        set_new(obj, key, json_string(v), bad);
}

/* Writes "/v1/admin/users/ESCAPED(user)SUFFIX" to req->path. */
static int user_path(const char *user, const char *suffix, struct sls_ctl_request *req, char *err,
                     size_t errlen)
{
    char esc[MAX_ESCAPED];
    if (user[0] == '\0') {
        snprintf(err, errlen, "empty username");
        return -1;
    }
    if (sls_http_client_escape(user, esc, sizeof(esc)) != 0) {
        snprintf(err, errlen, "username too long");
        return -1;
    }
    int n = snprintf(req->path, sizeof(req->path), "/v1/admin/users/%s%s", esc, suffix);
    if (n < 0 || (size_t)n >= sizeof(req->path)) {
        snprintf(err, errlen, "username too long");
        return -1;
    }
    return 0;
}

static bool one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return true;
    return false;
}

static bool is_hex(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n % 2 != 0)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
            return false;
    return true;
}

/* Finishes a build: the body must have been made without failure. */
static int body_done(struct sls_ctl_request *req, int bad, char *err, size_t errlen)
{
    if (req->body == NULL || bad) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* ---- text of JSON values, for readable output ---- */

char *sls_ctl_text_of(const json_t *v)
{
    if (v == NULL || json_is_null(v))
        return strdup("-");
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_true(v))
        return strdup("yes");
    if (json_is_false(v))
        return strdup("no");
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

void sls_ctl_put_clean(const char *s, FILE *out)
{
    for (; s && *s; s++) {
        unsigned char u = (unsigned char)*s;
        fputc((u < 0x20 || u == 0x7f) ? '?' : u, out);
    }
}

static const char *str_or(const json_t *obj, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : fallback;
}

/* "USD 1,234,567.89" from cents. */
static void format_usd(json_int_t cents, char *out, size_t outlen)
{
    char digits[32];
    char grouped[48];
    bool neg = cents < 0;
    unsigned long long v = neg ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
    snprintf(digits, sizeof(digits), "%llu", v / 100);
    size_t n = strlen(digits), g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    snprintf(out, outlen, "%sUSD %s.%02llu", neg ? "-" : "", grouped, v % 100);
}

/* Adds a key/value row; the value text is owned by the call. */
static void kv_row(struct sls_table *t, const char *key, char *value)
{
    char label[64];
    snprintf(label, sizeof(label), "%s:", key);
    const char *row[2] = {label, value ? value : "?"};
    sls_table_add_row(t, row);
    free(value);
}

/* ---- user add ---- */

static const struct sls_args_opt user_add_opts[] = {
    {"password", SLS_ARGS_VALUE},    {"email", SLS_ARGS_VALUE},
    {"phone", SLS_ARGS_LIST},        {"account-id", SLS_ARGS_VALUE},
    {"state", SLS_ARGS_VALUE},       {"equity-cents", SLS_ARGS_VALUE},
    {"not-primary", SLS_ARGS_FLAG},  {"no-sls", SLS_ARGS_FLAG},
    {"paper-of", SLS_ARGS_VALUE},    {"dob", SLS_ARGS_VALUE},
    {"citizenship", SLS_ARGS_VALUE}, {"residence", SLS_ARGS_VALUE},
    {"id-type", SLS_ARGS_VALUE},     {"id-number", SLS_ARGS_VALUE},
};

static const char *const identity_opts[] = {"dob", "citizenship", "residence", "id-type",
                                            "id-number"};
static const char *const identity_keys[] = {"dob", "citizenship", "residence", "id_type",
                                            "id_number"};
#define N_IDENTITY (sizeof(identity_opts) / sizeof(identity_opts[0]))

static json_t *phones_of(const struct sls_args *a, char *err, size_t errlen)
{
    json_t *phones = json_array();
    json_t *result = NULL;
    if (phones == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < sls_args_count(a, "phone"); i++) {
        const char *p = sls_args_nth(a, "phone", i);
        const char *colon = strchr(p, ':');
        if (colon == NULL || colon == p || colon[1] == '\0') {
            snprintf(err, errlen, "--phone wants COUNTRY:NUMBER, not '%s'", p);
            goto out;
        }
        json_t *ph =
            json_pack("{s:s%,s:s}", "country", p, (size_t)(colon - p), "number", colon + 1);
        if (ph == NULL || json_array_append_new(phones, ph) != 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    result = phones;
    phones = NULL;
out:
    json_decref(phones);
    return result;
}

static json_t *identity_of(const struct sls_args *a, char *err, size_t errlen, bool *given)
{
    json_t *id = NULL, *result = NULL;
    size_t n = 0;
    int bad = 0;
    for (size_t i = 0; i < N_IDENTITY; i++)
        n += sls_args_has(a, identity_opts[i]);
    *given = n > 0;
    if (n == 0)
        goto out;
    if (n != N_IDENTITY) {
        snprintf(err, errlen,
                 "identity needs --dob, --citizenship, --residence, --id-type and --id-number "
                 "together");
        goto out;
    }
    id = json_object();
    if (id == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < N_IDENTITY; i++)
        set_string_opt(id, identity_keys[i], a, identity_opts[i], &bad);
    if (bad) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    result = id;
    id = NULL;
out:
    json_decref(id);
    return result;
}

static int build_user_add(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                          size_t errlen)
{
    static const char *const states[] = {"pending", "approved", "closed", NULL};
    const char *user = a->pos[0];
    const char *state = sls_args_get(a, "state");
    const char *equity = sls_args_get(a, "equity-cents");
    json_t *phones = NULL, *identity = NULL;
    uint64_t cents = 0;
    int bad = 0, rc = -1;
    bool has_identity;

    if (!sls_args_has(a, "password") || !sls_args_has(a, "email")) {
        snprintf(err, errlen, "user add needs --password and --email");
        goto out;
    }
    if (state && !one_of(state, states)) {
        snprintf(err, errlen, "--state must be pending, approved or closed");
        goto out;
    }
    if (equity && sls_args_u64(equity, 0, INT64_MAX, &cents) != 0) {
        snprintf(err, errlen, "--equity-cents must be a whole number of cents");
        goto out;
    }
    phones = phones_of(a, err, errlen);
    if (phones == NULL)
        goto out;
    identity = identity_of(a, err, errlen, &has_identity);
    if (has_identity && identity == NULL)
        goto out;

    req->method = "POST";
    snprintf(req->path, sizeof(req->path), "/v1/admin/users");
    req->needs_token = true;
    req->body = json_object();
    if (req->body == NULL) {
        rc = body_done(req, 1, err, errlen);
        goto out;
    }
    set_new(req->body, "username", json_string(user), &bad);
    set_string_opt(req->body, "password", a, "password", &bad);
    set_string_opt(req->body, "email", a, "email", &bad);
    set_new(req->body, "phones", json_incref(phones), &bad);
    set_string_opt(req->body, "account_id", a, "account-id", &bad);
    set_string_opt(req->body, "account_state", a, "state", &bad);
    if (equity)
        set_new(req->body, "equity_cents", json_integer((json_int_t)cents), &bad);
    set_new(req->body, "primary", json_boolean(!sls_args_has(a, "not-primary")), &bad);
    set_new(req->body, "sls", json_boolean(!sls_args_has(a, "no-sls")), &bad);
    set_string_opt(req->body, "paper_of", a, "paper-of", &bad);
    if (identity)
        set_new(req->body, "identity", json_incref(identity), &bad);
    rc = body_done(req, bad, err, errlen);
out:
    json_decref(phones);
    json_decref(identity);
    return rc;
}

static void print_user_add(const struct sls_args *a, const struct sls_ctl_request *req,
                           const json_t *answer, FILE *out)
{
    (void)req;
    fputs("created user ", out);
    sls_ctl_put_clean(str_or(answer, "username", a->pos[0]), out);
    const char *account = str_or(answer, "account_id", NULL);
    if (account) {
        fputs(" (account ", out);
        sls_ctl_put_clean(account, out);
        fputc(')', out);
    }
    fputc('\n', out);
}

/* ---- user show ---- */

static int build_user_show(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                           size_t errlen)
{
    req->method = "GET";
    req->needs_token = true;
    return user_path(a->pos[0], "", req, err, errlen);
}

static char *phones_text(const json_t *phones)
{
    size_t cap = 1, i;
    json_t *p;
    json_array_foreach(phones, i, p)
    {
        cap += strlen(str_or(p, "country", "?")) + strlen(str_or(p, "number", "?")) + 3;
    }
    char *s = malloc(cap);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    json_array_foreach(phones, i, p)
    {
        if (i > 0)
            strcat(s, ", ");
        strcat(s, str_or(p, "country", "?"));
        strcat(s, ":");
        strcat(s, str_or(p, "number", "?"));
    }
    if (s[0] == '\0') {
        free(s);
        return strdup("-");
    }
    return s;
}

/* "dob 1980-01-02, citizenship US, ..." from an object of scalars. */
static char *object_text(const json_t *obj)
{
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    if (f == NULL)
        return NULL;
    const char *key;
    json_t *v;
    bool first = true;
    json_object_foreach((json_t *)obj, key, v)
    {
        char *t = sls_ctl_text_of(v);
        fprintf(f, "%s%s %s", first ? "" : ", ", key, t ? t : "?");
        free(t);
        first = false;
    }
    if (first)
        fputs("-", f);
    fclose(f);
    return s;
}

static char *lock_text(const json_t *lock)
{
    char buf[256];
    const json_t *failures = json_object_get(lock, "failures");
    char fail[48] = "";
    if (json_is_integer(failures))
        snprintf(fail, sizeof(fail), " (failures: %" JSON_INTEGER_FORMAT ")",
                 json_integer_value(failures));
    if (json_is_true(json_object_get(lock, "locked")))
        snprintf(buf, sizeof(buf), "yes, until %s%s", str_or(lock, "locked_until", "?"), fail);
    else
        snprintf(buf, sizeof(buf), "no%s", fail);
    return strdup(buf);
}

/* SPEC §10.3 [lockout] mode client: the client tokens holding failures or a
 * lock, as a table; "none" in mode client when there are none, nothing in
 * mode account. */
static void print_client_tokens(const json_t *lock, FILE *out)
{
    enum { NCOLS = 4 };
    const json_t *tokens = json_object_get(lock, "client_tokens");
    bool client = strcmp(str_or(lock, "mode", "account"), "client") == 0;
    if (!json_is_array(tokens) || json_array_size(tokens) == 0) {
        if (client)
            fputs("client tokens with failures: none\n", out);
        return;
    }
    struct sls_table *t = sls_table_new(NCOLS);
    if (t == NULL)
        return;
    const char *head[NCOLS] = {"CLIENT TOKEN", "LOCKED UNTIL", "FAILURES", "EXPIRES"};
    sls_table_add_row(t, head);
    size_t i;
    json_t *tok;
    json_array_foreach(tokens, i, tok)
    {
        char failures[24];
        const json_t *n = json_object_get(tok, "failures");
        snprintf(failures, sizeof(failures), "%" JSON_INTEGER_FORMAT,
                 json_is_integer(n) ? json_integer_value(n) : (json_int_t)0);
        const char *cell[NCOLS] = {
            str_or(tok, "id", "?"),
            json_is_true(json_object_get(tok, "locked")) ? str_or(tok, "locked_until", "?") : "-",
            failures, str_or(tok, "expires_at", "")};
        sls_table_add_row(t, cell);
    }
    fputs("client tokens with failures:\n", out);
    sls_table_print(t, out);
    sls_table_free(t);
}

static void print_devices(const json_t *devices, FILE *out)
{
    static const char *const cols[] = {"id", "type", "label", "state", "strength", "serial"};
    enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
    if (json_array_size(devices) == 0) {
        fputs("devices: none\n", out);
        return;
    }
    struct sls_table *t = sls_table_new(NCOLS);
    if (t == NULL)
        return;
    const char *head[NCOLS] = {"ID", "TYPE", "LABEL", "STATE", "STRENGTH", "SERIAL"};
    sls_table_add_row(t, head);
    size_t i;
    json_t *d;
    json_array_foreach(devices, i, d)
    {
        char *cell[NCOLS];
        for (size_t j = 0; j < NCOLS; j++) {
            const json_t *v = json_object_get(d, cols[j]);
            cell[j] = (v == NULL || json_is_null(v)) ? strdup("") : sls_ctl_text_of(v);
        }
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < NCOLS; j++)
            free(cell[j]);
    }
    fputs("devices:\n", out);
    sls_table_print(t, out);
    sls_table_free(t);
}

static void print_user_show(const struct sls_args *a, const struct sls_ctl_request *req,
                            const json_t *answer, FILE *out)
{
    (void)req;
    (void)a;
    struct sls_table *t = sls_table_new(2);
    if (t == NULL)
        return;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)answer, key, v)
    {
        if (strcmp(key, "devices") == 0 || strcmp(key, "lock") == 0 || strcmp(key, "password") == 0)
            continue;
        if (strcmp(key, "phones") == 0 && json_is_array(v)) {
            kv_row(t, key, phones_text(v));
        } else if (strcmp(key, "equity_cents") == 0 && json_is_integer(v)) {
            char usd[64];
            format_usd(json_integer_value(v), usd, sizeof(usd));
            kv_row(t, "equity", strdup(usd));
        } else if (json_is_object(v)) {
            kv_row(t, key, object_text(v));
        } else {
            kv_row(t, key, sls_ctl_text_of(v));
        }
    }
    const json_t *lock = json_object_get(answer, "lock");
    bool client = json_is_object(lock) && strcmp(str_or(lock, "mode", "account"), "client") == 0;
    if (json_is_object(lock))
        kv_row(t, client ? "unknown clients locked" : "locked", lock_text(lock));
    sls_table_print(t, out);
    sls_table_free(t);
    print_devices(json_object_get(answer, "devices"), out);
    if (json_is_object(lock))
        print_client_tokens(lock, out);
}

/* ---- device add ---- */

static const struct sls_args_opt device_add_opts[] = {
    {"type", SLS_ARGS_VALUE},  {"serial", SLS_ARGS_VALUE}, {"secret", SLS_ARGS_VALUE},
    {"pin", SLS_ARGS_VALUE},   {"cells", SLS_ARGS_VALUE},  {"state", SLS_ARGS_VALUE},
    {"label", SLS_ARGS_VALUE},
};

static json_t *cells_of(const char *arg, char *err, size_t errlen)
{
    char *text = NULL;
    json_error_t jerr;
    if (sls_args_load(arg, &text, err, errlen) != 0)
        return NULL;
    json_t *cells = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    free(text);
    if (cells == NULL) {
        snprintf(err, errlen, "--cells is not JSON: %s", jerr.text);
        return NULL;
    }
    if (!json_is_object(cells)) {
        snprintf(err, errlen, "--cells must be a JSON object {\"1\":\"123\",...}");
        json_decref(cells);
        return NULL;
    }
    return cells;
}

static int build_device_add(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                            size_t errlen)
{
    static const char *const states[] = {"active", "shipped", NULL};
    const char *type = sls_args_get(a, "type");
    const char *state = sls_args_get(a, "state");
    const char *secret = sls_args_get(a, "secret");
    const char *cells_arg = sls_args_get(a, "cells");
    enum sls_device_type t;
    json_t *cells = NULL;
    int bad = 0, rc = -1;

    if (type == NULL) {
        snprintf(err, errlen, "device add needs --type");
        goto out;
    }
    if (sls_device_type_parse(type, &t) != 0) {
        snprintf(err, errlen,
                 "unknown device type '%s' (dsc_plus, dsc, platinum, gold, ibkey, scc, sms, totp)",
                 type);
        goto out;
    }
    if (state && !one_of(state, states)) {
        snprintf(err, errlen, "--state must be active or shipped");
        goto out;
    }
    if (secret && !is_hex(secret)) {
        snprintf(err, errlen, "--secret must be hex (an even number of 0-9a-f)");
        goto out;
    }
    if (cells_arg) {
        cells = cells_of(cells_arg, err, errlen);
        if (cells == NULL)
            goto out;
    }
    if (user_path(a->pos[0], "/devices", req, err, errlen) != 0)
        goto out;
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    if (req->body == NULL) {
        rc = body_done(req, 1, err, errlen);
        goto out;
    }
    set_new(req->body, "type", json_string(type), &bad);
    set_string_opt(req->body, "serial", a, "serial", &bad);
    set_string_opt(req->body, "secret_hex", a, "secret", &bad);
    set_string_opt(req->body, "pin", a, "pin", &bad);
    if (cells)
        set_new(req->body, "cells", json_incref(cells), &bad);
    set_new(req->body, "state", json_string(state ? state : "active"), &bad);
    set_string_opt(req->body, "label", a, "label", &bad);
    rc = body_done(req, bad, err, errlen);
out:
    json_decref(cells);
    return rc;
}

static void print_device_add(const struct sls_args *a, const struct sls_ctl_request *req,
                             const json_t *answer, FILE *out)
{
    (void)req;
    (void)a;
    char *id = sls_ctl_text_of(json_object_get(answer, "id"));
    sls_ctl_put_clean(id ? id : "?", out);
    fputc('\n', out);
    free(id);
}

/* ---- verify-identity ---- */

static const struct sls_args_opt verify_opts[] = {
    {"channel", SLS_ARGS_VALUE},
};

static int build_verify(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                        size_t errlen)
{
    const char *channel = sls_args_get(a, "channel");
    int bad = 0;
    if (channel && channel[0] == '\0') {
        snprintf(err, errlen, "--channel must not be empty");
        return -1;
    }
    if (user_path(a->pos[0], "/identity-verifications", req, err, errlen) != 0)
        return -1;
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    if (req->body)
        set_new(req->body, "channel", json_string(channel ? channel : "phone"), &bad);
    return body_done(req, bad, err, errlen);
}

static void print_verify(const struct sls_args *a, const struct sls_ctl_request *req,
                         const json_t *answer, FILE *out)
{
    (void)req;
    fputs("identity of ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(" verified until ", out);
    sls_ctl_put_clean(str_or(answer, "valid_until", "?"), out);
    fputc('\n', out);
}

/* ---- unlock ---- */

static int build_unlock(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                        size_t errlen)
{
    if (user_path(a->pos[0], "/unlock", req, err, errlen) != 0)
        return -1;
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    return body_done(req, 0, err, errlen);
}

static void print_unlock(const struct sls_args *a, const struct sls_ctl_request *req,
                         const json_t *answer, FILE *out)
{
    (void)req;
    (void)answer;
    fputs("unlocked ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputc('\n', out);
}

/* ---- account ---- */

static int build_account(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                         size_t errlen)
{
    static const char *const verbs[][2] = {
        {"approve", "approved"}, {"approved", "approved"}, {"pending", "pending"},
        {"close", "closed"},     {"closed", "closed"},
    };
    const char *state = NULL;
    int bad = 0;
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(a->pos[1], verbs[i][0]) == 0)
            state = verbs[i][1];
    if (state == NULL) {
        snprintf(err, errlen, "account state must be approve, pending or close, not '%s'",
                 a->pos[1]);
        return -1;
    }
    if (user_path(a->pos[0], "/account", req, err, errlen) != 0)
        return -1;
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    if (req->body)
        set_new(req->body, "state", json_string(state), &bad);
    return body_done(req, bad, err, errlen);
}

static void print_account(const struct sls_args *a, const struct sls_ctl_request *req,
                          const json_t *answer, FILE *out)
{
    (void)req;
    fputs("account of ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(": ", out);
    sls_ctl_put_clean(str_or(answer, "account_state", "?"), out);
    const char *at = str_or(answer, "approved_at", NULL);
    if (at) {
        fputs(" (approved at ", out);
        sls_ctl_put_clean(at, out);
        fputc(')', out);
    }
    fputc('\n', out);
}

/* ---- audit ---- */

static const struct sls_args_opt audit_opts[] = {
    {"user", SLS_ARGS_VALUE},
    {"since", SLS_ARGS_VALUE},
    {"limit", SLS_ARGS_VALUE},
};

static int build_audit(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                       size_t errlen)
{
    static const char *const params[][2] = {
        {"user", "user"}, {"since", "since"}, {"limit", "limit"}};
    uint64_t limit;
    const char *l = sls_args_get(a, "limit");
    if (l && sls_args_u64(l, 1, 1000000, &limit) != 0) {
        snprintf(err, errlen, "--limit must be a number from 1 to 1000000");
        return -1;
    }
    size_t pos = (size_t)snprintf(req->path, sizeof(req->path), "/v1/admin/audit");
    char sep = '?';
    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        const char *v = sls_args_get(a, params[i][0]);
        char esc[MAX_ESCAPED];
        if (v == NULL)
            continue;
        if (sls_http_client_escape(v, esc, sizeof(esc)) != 0) {
            snprintf(err, errlen, "--%s too long", params[i][0]);
            return -1;
        }
        pos += (size_t)snprintf(req->path + pos, sizeof(req->path) - pos, "%c%s=%s", sep,
                                params[i][1], esc);
        sep = '&';
    }
    req->method = "GET";
    req->needs_token = true;
    return 0;
}

static void print_audit(const struct sls_args *a, const struct sls_ctl_request *req,
                        const json_t *answer, FILE *out)
{
    (void)req;
    static const char *const cols[] = {"seq", "at", "actor", "user", "event", "outcome", "detail"};
    enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
    (void)a;
    const json_t *records = json_object_get(answer, "records");
    if (json_array_size(records) == 0) {
        fputs("no audit records\n", out);
        return;
    }
    struct sls_table *t = sls_table_new(NCOLS);
    if (t == NULL)
        return;
    const char *head[NCOLS] = {"SEQ", "AT", "ACTOR", "USER", "EVENT", "OUTCOME", "DETAIL"};
    sls_table_add_row(t, head);
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r)
    {
        char *cell[NCOLS];
        for (size_t j = 0; j < NCOLS; j++) {
            const json_t *v = json_object_get(r, cols[j]);
            cell[j] = (v == NULL || json_is_null(v)) ? strdup("") : sls_ctl_text_of(v);
        }
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < NCOLS; j++)
            free(cell[j]);
    }
    sls_table_print(t, out);
    sls_table_free(t);
}

/* ---- documents (R50) ---- */

/* Reads all of f into a new buffer of at most SLS_CTL_MAX_MESSAGE bytes. */
static int read_all(FILE *f, char **out, size_t *len, char *err, size_t errlen)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap);

    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            char *grown;
            if (cap >= SLS_CTL_MAX_MESSAGE) {
                free(buf);
                snprintf(err, errlen, "the message is larger than %d bytes", SLS_CTL_MAX_MESSAGE);
                return -1;
            }
            cap *= 2;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        snprintf(err, errlen, "cannot read the message");
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int build_documents_ingest(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                                  size_t errlen)
{
    const char *path = a->npos > 0 ? a->pos[0] : "-";
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    int rc;

    if (f == NULL) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    rc = read_all(f, &req->raw, &req->raw_len, err, errlen);
    if (f != stdin)
        fclose(f);
    if (rc != 0)
        return -1;
    if (req->raw_len == 0) {
        snprintf(err, errlen, "the message is empty");
        return -1;
    }
    req->raw_type = "message/rfc822";
    req->method = "POST";
    req->needs_token = true;
    snprintf(req->path, sizeof(req->path), "/v1/admin/documents");
    return 0;
}

/* Prints the documents of an answer as a table. */
static void print_documents(const json_t *docs, FILE *out)
{
    static const char *const cols[] = {"id",   "received_at", "purpose", "type",
                                       "size", "filename",    "sender"};
    enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
    const char *head[NCOLS] = {"ID", "RECEIVED", "PURPOSE", "TYPE", "SIZE", "FILE", "SENDER"};
    struct sls_table *t = sls_table_new(NCOLS);
    size_t i;
    json_t *d;

    if (t == NULL)
        return;
    sls_table_add_row(t, head);
    json_array_foreach(docs, i, d)
    {
        char *cell[NCOLS];
        for (size_t j = 0; j < NCOLS; j++)
            cell[j] = sls_ctl_text_of(json_object_get(d, cols[j]));
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < NCOLS; j++)
            free(cell[j]);
    }
    sls_table_print(t, out);
    sls_table_free(t);
}

static void print_documents_ingest(const struct sls_args *a, const struct sls_ctl_request *req,
                                   const json_t *answer, FILE *out)
{
    (void)req;
    const json_t *docs = json_object_get(answer, "documents");
    char n[32];
    (void)a;
    snprintf(n, sizeof(n), "%zu", json_array_size(docs));
    fputs("accepted ", out);
    fputs(n, out);
    fputs(json_array_size(docs) == 1 ? " document" : " documents", out);
    fputs(" for ", out);
    sls_ctl_put_clean(str_or(answer, "user", "?"), out);
    fputs(" (", out);
    sls_ctl_put_clean(str_or(answer, "account_id", "?"), out);
    fputs("), purpose ", out);
    sls_ctl_put_clean(str_or(answer, "purpose", "?"), out);
    fputc('\n', out);
    print_documents(docs, out);
}

static const struct sls_args_opt documents_list_opts[] = {
    {"user", SLS_ARGS_VALUE},
};

static int build_documents_list(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                                size_t errlen)
{
    const char *user = sls_args_get(a, "user");
    char esc[MAX_ESCAPED];

    if (user == NULL) {
        snprintf(err, errlen, "--user USERNAME is required");
        return -1;
    }
    if (sls_http_client_escape(user, esc, sizeof(esc)) != 0) {
        snprintf(err, errlen, "--user too long");
        return -1;
    }
    req->method = "GET";
    req->needs_token = true;
    snprintf(req->path, sizeof(req->path), "/v1/admin/documents?user=%s", esc);
    return 0;
}

static void print_documents_list(const struct sls_args *a, const struct sls_ctl_request *req,
                                 const json_t *answer, FILE *out)
{
    (void)req;
    const json_t *docs = json_object_get(answer, "documents");
    (void)a;
    if (json_array_size(docs) == 0) {
        fputs("no documents for ", out);
        sls_ctl_put_clean(str_or(answer, "user", "?"), out);
        fputc('\n', out);
        return;
    }
    print_documents(docs, out);
}

static const struct sls_args_opt documents_rejections_opts[] = {
    {"limit", SLS_ARGS_VALUE},
};

static int build_documents_rejections(const struct sls_args *a, struct sls_ctl_request *req,
                                      char *err, size_t errlen)
{
    const char *l = sls_args_get(a, "limit");
    uint64_t limit = 100;

    if (l && sls_args_u64(l, 1, 1000, &limit) != 0) {
        snprintf(err, errlen, "--limit must be a number from 1 to 1000");
        return -1;
    }
    req->method = "GET";
    req->needs_token = true;
    snprintf(req->path, sizeof(req->path), "/v1/admin/documents/rejections?limit=%llu",
             (unsigned long long)limit);
    return 0;
}

static void print_documents_rejections(const struct sls_args *a, const struct sls_ctl_request *req,
                                       const json_t *answer, FILE *out)
{
    (void)req;
    static const char *const cols[] = {"id", "received_at", "sender", "user", "reason", "subject"};
    enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
    const char *head[NCOLS] = {"ID", "RECEIVED", "SENDER", "USER", "REASON", "SUBJECT"};
    const json_t *list = json_object_get(answer, "rejections");
    struct sls_table *t;
    size_t i;
    json_t *r;
    (void)a;

    if (json_array_size(list) == 0) {
        fputs("no rejected messages\n", out);
        return;
    }
    t = sls_table_new(NCOLS);
    if (t == NULL)
        return;
    sls_table_add_row(t, head);
    json_array_foreach(list, i, r)
    {
        char *cell[NCOLS];
        for (size_t j = 0; j < NCOLS; j++)
            cell[j] = sls_ctl_text_of(json_object_get(r, cols[j]));
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < NCOLS; j++)
            free(cell[j]);
    }
    sls_table_print(t, out);
    sls_table_free(t);
}

/* ---- health ---- */

static int build_health(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                        size_t errlen)
{
    (void)a;
    (void)err;
    (void)errlen;
    req->method = "GET";
    req->needs_token = false;
    snprintf(req->path, sizeof(req->path), "/healthz");
    return 0;
}

static void print_health(const struct sls_args *a, const struct sls_ctl_request *req,
                         const json_t *answer, FILE *out)
{
    (void)req;
    (void)a;
    sls_ctl_put_clean(str_or(answer, "status", "?"), out);
    fputc('\n', out);
}

/* ---- login assistance (R40): temporary passcode, lost device, PIN, password ---- */

/* Writes "/v1/admin/users/ESCAPED(user)/devices/ESCAPED(device)SUFFIX". */
static int device_path(const char *user, const char *device, const char *suffix,
                       struct sls_ctl_request *req, char *err, size_t errlen)
{
    char esc[MAX_ESCAPED];
    char tail[MAX_ESCAPED + 64];
    if (device[0] == '\0') {
        snprintf(err, errlen, "empty device id");
        return -1;
    }
    if (sls_http_client_escape(device, esc, sizeof(esc)) != 0) {
        snprintf(err, errlen, "device id too long");
        return -1;
    }
    snprintf(tail, sizeof(tail), "/devices/%s%s", esc, suffix);
    return user_path(user, tail, req, err, errlen);
}

/* A POST with an empty JSON object to path (already in req). */
static int empty_post(struct sls_ctl_request *req, char *err, size_t errlen)
{
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    return body_done(req, 0, err, errlen);
}

static int build_temp_passcode(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                               size_t errlen)
{
    if (user_path(a->pos[0], "/temporary-passcode", req, err, errlen) != 0)
        return -1;
    return empty_post(req, err, errlen);
}

static void print_temp_passcode(const struct sls_args *a, const struct sls_ctl_request *req,
                                const json_t *answer, FILE *out)
{
    (void)req;
    fputs("temporary passcode for ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(": ", out);
    sls_ctl_put_clean(str_or(answer, "passcode", "?"), out);
    fputs("\n  full access until:         ", out);
    sls_ctl_put_clean(str_or(answer, "full_access_until", "?"), out);
    fputs("\n  Client Portal only until:  ", out);
    sls_ctl_put_clean(str_or(answer, "portal_until", "?"), out);
    fputs("\nRead the passcode to the caller once: it is not shown again.\n", out);
}

static int build_device_lost(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                             size_t errlen)
{
    if (device_path(a->pos[0], a->pos[1], "/lost", req, err, errlen) != 0)
        return -1;
    return empty_post(req, err, errlen);
}

/* "ID (TYPE)" of the answer's device, or of the command line's id. */
static void put_device(const struct sls_args *a, const json_t *answer, FILE *out)
{
    const json_t *d = json_object_get(answer, "device");
    sls_ctl_put_clean(str_or(d, "id", a->pos[1]), out);
    const char *type = str_or(d, "type", NULL);
    if (type) {
        fputs(" (", out);
        sls_ctl_put_clean(type, out);
        fputc(')', out);
    }
}

static void print_device_lost(const struct sls_args *a, const struct sls_ctl_request *req,
                              const json_t *answer, FILE *out)
{
    (void)req;
    fputs("device ", out);
    put_device(a, answer, out);
    fputs(" of ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(" marked lost", out);
    const json_t *n = json_object_get(answer, "sessions_revoked");
    if (json_is_integer(n))
        fprintf(out, "; sessions revoked: %" JSON_INTEGER_FORMAT, json_integer_value(n));
    fputc('\n', out);
}

static const struct sls_args_opt pin_reset_opts[] = {
    {"pin", SLS_ARGS_VALUE},
};

static bool is_pin(const char *s)
{
    return strlen(s) == 4 && strspn(s, "0123456789") == 4;
}

static int build_pin_reset(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                           size_t errlen)
{
    const char *pin = sls_args_get(a, "pin");
    int bad = 0;
    if (pin && !is_pin(pin)) {
        snprintf(err, errlen, "--pin must be 4 digits");
        return -1;
    }
    if (device_path(a->pos[0], a->pos[1], "/pin-reset", req, err, errlen) != 0)
        return -1;
    if (pin == NULL) {
        /* The agent gave none: a random one, shown once with the answer. */
        sls_random_digits(req->chosen_pin, 4);
        pin = req->chosen_pin;
    }
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    if (req->body)
        set_new(req->body, "pin", json_string(pin), &bad);
    return body_done(req, bad, err, errlen);
}

static void print_pin_reset(const struct sls_args *a, const struct sls_ctl_request *req,
                            const json_t *answer, FILE *out)
{
    fputs("PIN of device ", out);
    put_device(a, answer, out);
    fputs(" of ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(" reset\n", out);
    if (req && req->chosen_pin[0]) {
        fputs("new PIN: ", out);
        sls_ctl_put_clean(req->chosen_pin, out);
        fputs("\nRead the PIN to the caller once: it is not shown again.\n", out);
    }
}

static int build_password_reset(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                                size_t errlen)
{
    if (user_path(a->pos[0], "/password-reset", req, err, errlen) != 0)
        return -1;
    return empty_post(req, err, errlen);
}

static void print_password_reset(const struct sls_args *a, const struct sls_ctl_request *req,
                                 const json_t *answer, FILE *out)
{
    (void)req;
    fputs("password reset for ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(" sent to ", out);
    sls_ctl_put_clean(str_or(answer, "sent_to", "?"), out);
    fputs(", valid until ", out);
    sls_ctl_put_clean(str_or(answer, "expires_at", "?"), out);
    fputc('\n', out);
}

/* ---- audit verify ---- */

static int build_audit_verify(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                              size_t errlen)
{
    (void)a;
    (void)err;
    (void)errlen;
    req->method = "GET";
    req->needs_token = true;
    snprintf(req->path, sizeof(req->path), "/v1/admin/audit/verify");
    return 0;
}

static bool chain_ok(const json_t *answer)
{
    return json_is_true(json_object_get(answer, "ok"));
}

/* "#S" of an integer field, "#?" when it is missing. */
static void put_seq(const json_t *answer, const char *key, FILE *out)
{
    const json_t *v = json_object_get(answer, key);
    if (json_is_integer(v))
        fprintf(out, "#%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        fputs("#?", out);
}

static void print_audit_verify(const struct sls_args *a, const struct sls_ctl_request *req,
                               const json_t *answer, FILE *out)
{
    (void)a;
    (void)req;
    if (chain_ok(answer)) {
        const json_t *n = json_object_get(answer, "records");
        json_int_t records = json_is_integer(n) ? json_integer_value(n) : 0;
        fprintf(out, "audit chain ok: %" JSON_INTEGER_FORMAT " records", records);
        if (records > 0) {
            fputs(", last ", out);
            put_seq(answer, "last_seq", out);
        }
    } else {
        fputs("audit chain BROKEN at record ", out);
        put_seq(answer, "first_broken_seq", out);
        fputs(": ", out);
        sls_ctl_put_clean(str_or(answer, "reason", "?"), out);
    }
    fputc('\n', out);
}

static int status_audit_verify(const json_t *answer)
{
    return chain_ok(answer) ? SLS_EXIT_OK : SLS_EXIT_FAIL;
}

/* ---- helpers shared with ctl_devices.c (ctl_internal.h) ---- */

int sls_ctl_user_path(const char *user, const char *suffix, struct sls_ctl_request *req, char *err,
                      size_t errlen)
{
    return user_path(user, suffix, req, err, errlen);
}

int sls_ctl_device_path(const char *user, const char *device, const char *suffix,
                        struct sls_ctl_request *req, char *err, size_t errlen)
{
    return device_path(user, device, suffix, req, err, errlen);
}

int sls_ctl_empty_post(struct sls_ctl_request *req, char *err, size_t errlen)
{
    return empty_post(req, err, errlen);
}

int sls_ctl_body_done(struct sls_ctl_request *req, int bad, char *err, size_t errlen)
{
    return body_done(req, bad, err, errlen);
}

const char *sls_ctl_str_or(const json_t *obj, const char *key, const char *fallback)
{
    return str_or(obj, key, fallback);
}

/* ---- user import ---- */

static const struct sls_args_opt user_import_opts[] = {
    {"batch", SLS_ARGS_VALUE},
};

static int build_user_import(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                             size_t errlen)
{
    const char *batch = sls_args_get(a, "batch");
    uint64_t n = SLS_CTL_IMPORT_BATCH;

    if (batch != NULL && sls_args_u64(batch, 1, SLS_CTL_IMPORT_MAX_BATCH, &n) != 0) {
        snprintf(err, errlen, "--batch must be a number from 1 to %d", SLS_CTL_IMPORT_MAX_BATCH);
        return -1;
    }
    req->method = "POST";
    req->needs_token = true;
    snprintf(req->path, sizeof(req->path), "/v1/admin/users/import");
    req->import_path = a->pos[0];
    req->import_batch = (size_t)n;
    return 0;
}

/* Prints nothing: the import prints its own progress and total. */
static void print_user_import(const struct sls_args *a, const struct sls_ctl_request *req,
                              const json_t *answer, FILE *out)
{
    (void)a;
    (void)req;
    (void)answer;
    (void)out;
}

/* ---- the table ---- */

#define OPTS(o) o, sizeof(o) / sizeof(o[0])

static const struct sls_ctl_command commands[] = {
    {{"user add",
      "USERNAME --password P --email E [--phone COUNTRY:NUMBER]... [--account-id U1234567]\n"
      "        [--state pending|approved|closed] [--equity-cents N] [--not-primary] [--no-sls]\n"
      "        [--paper-of USERNAME] [--dob YYYY-MM-DD --citizenship CC --residence CC\n"
      "        --id-type T --id-number N]",
      "create a user and its account"},
     OPTS(user_add_opts),
     1,
     1,
     build_user_add,
     print_user_add,
     NULL},
    {{"user import", "FILE [--batch N]",
      "load users with their devices from JSON lines or CSV (FILE, or - for standard\n"
      "      input), N users a request (default 1000, at most 10000), each request all or\n"
      "      nothing; stops at the first refused request, naming its bad lines"},
     OPTS(user_import_opts),
     1,
     1,
     build_user_import,
     print_user_import,
     NULL},
    {{"user show", "USERNAME", "show a user, its devices and its lock state"},
     NULL,
     0,
     1,
     1,
     build_user_show,
     print_user_show,
     NULL},
    {{"device add",
      "USERNAME --type TYPE [--serial S] [--secret HEX] [--pin PIN] [--cells JSON|@FILE]\n"
      "        [--state active|shipped] [--label L]",
      "register or ship a security device; with --serial and no --secret or --cells, the "
      "vendor token of that serial from stock"},
     OPTS(device_add_opts),
     1,
     1,
     build_device_add,
     print_device_add,
     NULL},
    {{"verify-identity", "USERNAME [--channel phone]",
      "record that the caller's identity was verified (R40)"},
     OPTS(verify_opts),
     1,
     1,
     build_verify,
     print_verify,
     NULL},
    {{"unlock", "USERNAME", "unlock a locked user (R8; needs a verified identity)"},
     NULL,
     0,
     1,
     1,
     build_unlock,
     print_unlock,
     NULL},
    {{"account", "USERNAME approve|pending|close", "set the state of a user's account"},
     NULL,
     0,
     2,
     2,
     build_account,
     print_account,
     NULL},
    {{"temp-passcode", "USERNAME",
      "issue a temporary passcode (R26; needs a verified identity), shown once"},
     NULL,
     0,
     1,
     1,
     build_temp_passcode,
     print_temp_passcode,
     NULL},
    {{"device lost", "USERNAME DEVICE_ID",
      "mark a device lost; it stops working at once (R29; needs a verified identity)"},
     NULL,
     0,
     2,
     2,
     build_device_lost,
     print_device_lost,
     NULL},
    {{"pin-reset", "USERNAME DEVICE_ID [--pin NNNN]",
      "reset a card's PIN (needs a verified identity); without --pin, a random one"},
     OPTS(pin_reset_opts),
     2,
     2,
     build_pin_reset,
     print_pin_reset,
     NULL},
    {{"password-reset", "USERNAME",
      "send the user a password reset message (needs a verified identity)"},
     NULL,
     0,
     1,
     1,
     build_password_reset,
     print_password_reset,
     NULL},
    {{"audit", "[--user U] [--since RFC3339] [--limit N]", "read the audit log (R41)"},
     OPTS(audit_opts),
     0,
     0,
     build_audit,
     print_audit,
     NULL},
    {{"audit verify", "",
      "check the hash chain of the whole audit log (R41); exit status 1 when it is broken"},
     NULL,
     0,
     0,
     0,
     build_audit_verify,
     print_audit_verify,
     status_audit_verify},
    {{"documents ingest", "[FILE]",
      "hand an e-mail (FILE, or standard input) to document intake (R50)"},
     NULL,
     0,
     0,
     1,
     build_documents_ingest,
     print_documents_ingest,
     NULL},
    {{"documents list", "--user USERNAME", "list the documents received for a user (R50)"},
     OPTS(documents_list_opts),
     0,
     0,
     build_documents_list,
     print_documents_list,
     NULL},
    {{"documents rejections", "[--limit N]", "list the messages document intake refused"},
     OPTS(documents_rejections_opts),
     0,
     0,
     build_documents_rejections,
     print_documents_rejections,
     NULL},
    {{"health", "", "check that the server answers"},
     NULL,
     0,
     0,
     0,
     build_health,
     print_health,
     NULL},
};

#define N_OWN_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The commands of every table: this file's, then ctl_devices.c's, then
 * ctl_stock.c's, then ctl_review.c's. */
static size_t command_count(void)
{
    return N_OWN_COMMANDS + sls_ctl_device_ncommands + sls_ctl_stock_ncommands +
           sls_ctl_review_ncommands;
}

static const struct sls_ctl_command *command_at(size_t i)
{
    if (i < N_OWN_COMMANDS)
        return &commands[i];
    i -= N_OWN_COMMANDS;
    if (i < sls_ctl_device_ncommands)
        return &sls_ctl_device_commands[i];
    i -= sls_ctl_device_ncommands;
    if (i < sls_ctl_stock_ncommands)
        return &sls_ctl_stock_commands[i];
    return &sls_ctl_review_commands[i - sls_ctl_stock_ncommands];
}

const struct sls_ctl_command *sls_ctl_find(int argc, char *const *argv, int *words)
{
    const struct sls_ctl_command *best = NULL;
    int most = 0;
    for (size_t i = 0; i < command_count(); i++) {
        int w = sls_args_words(command_at(i)->cmd.name, argc, argv);
        if (w > most) {
            most = w;
            best = command_at(i);
        }
    }
    *words = most;
    return best;
}

const char *sls_ctl_name(const struct sls_ctl_command *cmd)
{
    return cmd->cmd.name;
}

int sls_ctl_parse(const struct sls_ctl_command *cmd, int argc, char *const *argv,
                  struct sls_args *a, char *err, size_t errlen)
{
    sls_args_init(a);
    if (sls_ctl_add_global_opts(a) != 0 || sls_args_add_opts(a, cmd->opts, cmd->nopts) != 0) {
        snprintf(err, errlen, "internal error: bad option table of %s", cmd->cmd.name);
        return -1;
    }
    if (sls_args_parse(a, argc, argv, false, NULL, err, errlen) != 0)
        return -1;
    if (sls_args_has(a, "help"))
        return 0;
    if (a->npos < cmd->min_pos || a->npos > cmd->max_pos) {
        snprintf(err, errlen, "usage: slsctl %s %s", cmd->cmd.name, cmd->cmd.usage);
        /* Only the first line of a long usage: the message stays one line. */
        char *nl = strchr(err, '\n');
        if (nl)
            snprintf(nl, errlen - (size_t)(nl - err), " ... (see --help)");
        return -1;
    }
    return 0;
}

int sls_ctl_build(const struct sls_ctl_command *cmd, const struct sls_args *a,
                  struct sls_ctl_request *req, char *err, size_t errlen)
{
    memset(req, 0, sizeof(*req));
    if (cmd->build(a, req, err, errlen) != 0) {
        sls_ctl_request_clear(req);
        return -1;
    }
    return 0;
}

void sls_ctl_request_clear(struct sls_ctl_request *req)
{
    json_decref(req->body);
    if (req->raw != NULL) /* a token file may hold keys in plaintext */
        explicit_bzero(req->raw, req->raw_len);
    free(req->raw);
    for (size_t i = 0; i < sizeof(req->headers) / sizeof(req->headers[0]); i++) {
        if (req->headers[i] != NULL)
            explicit_bzero(req->headers[i], strlen(req->headers[i]));
        free(req->headers[i]);
    }
    explicit_bzero(req, sizeof(*req));
}

void sls_ctl_print(const struct sls_ctl_command *cmd, const struct sls_args *a,
                   const struct sls_ctl_request *req, const json_t *answer, FILE *out)
{
    cmd->print(a, req, answer, out);
}

int sls_ctl_answer_status(const struct sls_ctl_command *cmd, const json_t *answer)
{
    return cmd->status ? cmd->status(answer) : SLS_EXIT_OK;
}

static void help_one(const struct sls_ctl_command *c, FILE *out)
{
    fprintf(out, "  %s%s%s\n      %s\n", c->cmd.name, c->cmd.usage[0] ? " " : "", c->cmd.usage,
            c->cmd.summary);
}

void sls_ctl_help(const struct sls_ctl_command *cmd, FILE *out)
{
    if (cmd) {
        fprintf(out, "usage: slsctl [GLOBAL OPTIONS] %s %s\n\n%s\n", cmd->cmd.name, cmd->cmd.usage,
                cmd->cmd.summary);
        fputs("\nglobal options: --server URL, --token TOKEN, --json (see slsctl --help)\n", out);
        return;
    }
    fputs("usage: slsctl [--server URL] [--token TOKEN] [--json] COMMAND [ARGS]\n"
          "\n"
          "The service-desk client of the sls admin API.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < command_count(); i++)
        help_one(command_at(i), out);
    fputs("  help [COMMAND]\n"
          "      print this help, or the help of one command\n"
          "\n"
          "global options (before or after the command):\n"
          "  --server URL    admin API; default $SLS_ADMIN_URL, else " SLS_CTL_DEFAULT_URL "\n"
          "  --token TOKEN   admin token; default $SLS_ADMIN_TOKEN, else the first line of\n"
          "                  the file $SLS_ADMIN_TOKEN_FILE, else of ./" SLS_CTL_TOKEN_FILE "\n"
          "  --json          print the server's JSON answer instead of text\n"
          "  --help          print this help\n"
          "  --version       print the version and exit (alone on the line)\n"
          "\n"
          "exit status: 0 done, 1 refused by the server, server unreachable or audit chain\n"
          "broken, 2 bad command line\n",
          out);
}

size_t sls_ctl_help_words(int argc, char *const *argv, FILE *out)
{
    size_t n = 0;
    for (size_t i = 0; i < command_count(); i++) {
        if (!sls_args_prefix(command_at(i)->cmd.name, argc, argv))
            continue;
        if (out) {
            if (n == 0)
                fputs("usage: slsctl [GLOBAL OPTIONS] COMMAND [ARGS], where COMMAND is one of\n",
                      out);
            help_one(command_at(i), out);
        }
        n++;
    }
    return n;
}

const char *sls_ctl_server(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("SLS_ADMIN_URL");
    if (env && env[0])
        return env;
    return SLS_CTL_DEFAULT_URL;
}

/* Checks and copies a token: printable ASCII, no spaces (it goes in a header). */
static int take_token(const char *tok, size_t len, const char *from, char *out, size_t outlen,
                      char *err, size_t errlen)
{
    if (len == 0) {
        snprintf(err, errlen, "admin token from %s is empty", from);
        return -1;
    }
    if (len >= outlen) {
        snprintf(err, errlen, "admin token from %s is too long", from);
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)tok[i];
        if (c <= 0x20 || c >= 0x7f) {
            snprintf(err, errlen, "admin token from %s holds a character that is not allowed",
                     from);
            return -1;
        }
    }
    memcpy(out, tok, len);
    out[len] = '\0';
    return 0;
}

static int token_from_file(const char *path, bool must_exist, char *out, size_t outlen, char *err,
                           size_t errlen)
{
    int rc = -1;
    char line[SLS_CTL_MAX_TOKEN + 2];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (must_exist)
            snprintf(err, errlen, "cannot read admin token file %s: %s", path, strerror(errno));
        else
            snprintf(err, errlen,
                     "no admin token: give --token, or set SLS_ADMIN_TOKEN or "
                     "SLS_ADMIN_TOKEN_FILE (./%s not found)",
                     SLS_CTL_TOKEN_FILE);
        return -1;
    }
    if (fgets(line, sizeof(line), f) == NULL) {
        snprintf(err, errlen, "admin token file %s is empty", path);
        goto out;
    }
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
        len--;
    rc = take_token(line, len, path, out, outlen, err, errlen);
out:
    explicit_bzero(line, sizeof(line));
    fclose(f);
    return rc;
}

int sls_ctl_token(const char *given, char *out, size_t outlen, char *err, size_t errlen)
{
    if (given)
        return take_token(given, strlen(given), "--token", out, outlen, err, errlen);
    const char *env = getenv("SLS_ADMIN_TOKEN");
    if (env && env[0])
        return take_token(env, strlen(env), "SLS_ADMIN_TOKEN", out, outlen, err, errlen);
    const char *file = getenv("SLS_ADMIN_TOKEN_FILE");
    if (file && file[0])
        return token_from_file(file, true, out, outlen, err, errlen);
    return token_from_file(SLS_CTL_TOKEN_FILE, false, out, outlen, err, errlen);
}
