/* The service desk's bulk user import (POST /v1/admin/users/import): a
 * JSON-lines body, one user a line ({username, password_hash | password,
 * email?, phone? | phones?, account_id?, primary?, sls?, devices?}), checked
 * line by line with the rules of POST /v1/admin/users and of the device
 * route, then written in one transaction (flows/user_import_tx.h). Either
 * every line is good and every user is imported, or nothing is and the
 * answer names each bad line with its reason. */
#include "server/api/user_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/password_policy.h"
#include "core/user_import.h"
#include "core/username.h"
#include "crypto/password.h"
#include "server/api/admin.h"
#include "server/app/app.h"
#include "server/flows/user_import_tx.h"
#include "server/http/arena.h"
#include "server/http/body.h"

/* The members a line may have; any other is a typo worth refusing. */
static const char *const line_keys[] = {"username", "password_hash", "password",   "email",
                                        "phone",    "phones",        "account_id", "primary",
                                        "sls",      "devices"};

/* The lines of the body: where each starts, how long it is, and its number
 * (1-based, blank lines counted but not kept). */
struct line {
    const char *text;
    size_t len;
    size_t number;
};

struct batch {
    struct sls_req *rq;
    json_t *errors; /* [{line, error, message}] */
    size_t passwords;
};

static void line_error(struct batch *b, size_t number, int err, const char *message)
{
    json_array_append_new(b->errors, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)number,
                                               "error", sls_err_code(err), "message",
                                               message ? message : sls_err_message(err)));
}

/* A line error from the answer a shared parser put in scratch. */
static void line_error_from(struct batch *b, size_t number, struct sls_resp *scratch)
{
    const char *code = sls_json_str(scratch->json, "error");
    const char *message = sls_json_str(scratch->json, "message");

    json_array_append_new(b->errors,
                          json_pack("{s:I, s:s, s:s}", "line", (json_int_t)number, "error",
                                    code[0] ? code : "bad_request", "message", message));
    json_decref(scratch->json);
    memset(scratch, 0, sizeof(*scratch));
}

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* Splits the body into its non-blank lines. Returns how many, or
 * SLS_IMPORT_MAX_LINES + 1 when there are more than that. */
static size_t split_lines(const char *raw, size_t len, struct line *out)
{
    size_t n = 0, number = 0, start = 0, i;

    for (i = 0; i <= len; i++) {
        if (i < len && raw[i] != '\n')
            continue;
        number++;
        size_t end = i;
        if (end > start && raw[end - 1] == '\r')
            end--;
        size_t k = start;
        while (k < end && (raw[k] == ' ' || raw[k] == '\t'))
            k++;
        if (k < end) {
            if (n == SLS_IMPORT_MAX_LINES)
                return n + 1;
            out[n].text = raw + start;
            out[n].len = end - start;
            out[n].number = number;
            n++;
        }
        start = i + 1;
    }
    return n;
}

/* The password of the line: a ready Argon2id hash, or a plain password the
 * server hashes (slow: a few per request). */
static bool take_password(struct batch *b, size_t number, json_t *o, struct sls_user_rec *u)
{
    json_t *h = json_object_get(o, "password_hash"), *p = json_object_get(o, "password");
    const char *pw;

    if ((h == NULL) == (p == NULL)) {
        line_error(b, number, SLS_ERR_BAD_REQUEST,
                   "Give exactly one of 'password_hash' and 'password'");
        return false;
    }
    if (h != NULL) {
        if (!json_is_string(h) || json_string_length(h) >= sizeof(u->password_hash) ||
            sls_password_hash_acceptable(json_string_value(h)) != 0) {
            line_error(b, number, SLS_ERR_BAD_REQUEST,
                       "Field 'password_hash' must be an Argon2id hash "
                       "($argon2id$v=19$m=M,t=T,p=1$salt$hash) with 8 <= M <= 4194304 and "
                       "1 <= T <= 100");
            return false;
        }
        snprintf(u->password_hash, sizeof(u->password_hash), "%s", json_string_value(h));
        return true;
    }
    pw = json_is_string(p) ? json_string_value(p) : NULL;
    if (pw == NULL || json_string_length(p) > 1024 ||
        sls_password_check(pw, strlen(pw)) != SLS_OK) {
        line_error(b, number, SLS_ERR_WEAK_PASSWORD,
                   "6 to 40 characters with at least one letter and one digit");
        return false;
    }
    if (++b->passwords > SLS_IMPORT_MAX_PASSWORDS) {
        line_error(b, number, SLS_ERR_TOO_LARGE,
                   "At most 16 lines a request may carry a plain 'password' (each is hashed "
                   "here); give 'password_hash' instead");
        return false;
    }
    if (sls_password_hash(pw, strlen(pw), &b->rq->app->cfg.pwhash, u->password_hash) != 0) {
        line_error(b, number, SLS_ERR_INTERNAL, NULL);
        return false;
    }
    return true;
}

/* 'phone' {country, number} is one entry of 'phones'. */
static bool take_phones(struct batch *b, size_t number, json_t *o, struct sls_user_rec *u)
{
    struct sls_resp scratch = {0};
    json_t *phone = json_object_get(o, "phone");
    bool ok;

    if (phone != NULL && json_object_get(o, "phones") != NULL) {
        line_error(b, number, SLS_ERR_BAD_REQUEST, "Give 'phone' or 'phones', not both");
        return false;
    }
    if (phone != NULL)
        json_object_set_new(o, "phones", json_pack("[O]", phone));
    ok = sls_api_admin_phones_parse(b->rq, &scratch, u);
    if (!ok)
        line_error_from(b, number, &scratch);
    return ok;
}

static bool take_devices(struct batch *b, size_t number, json_t *o, struct sls_import_entry *e)
{
    struct sls_req *rq = b->rq;
    json_t *devs = json_object_get(o, "devices"), *d;
    size_t i;

    if (devs == NULL || json_is_null(devs))
        return true;
    if (!json_is_array(devs) || json_array_size(devs) > SLS_IMPORT_MAX_DEVICES) {
        line_error(b, number, SLS_ERR_BAD_REQUEST,
                   "Field 'devices' must be a list of at most 4 devices");
        return false;
    }
    if (json_array_size(devs) == 0)
        return true;
    e->devices = sls_req_alloc(rq, json_array_size(devs) * sizeof(*e->devices));
    if (e->devices == NULL) {
        line_error(b, number, SLS_ERR_NOMEM, NULL);
        return false;
    }
    json_array_foreach(devs, i, d)
    {
        struct sls_resp scratch = {0};
        bool ok;
        if (!json_is_object(d)) {
            line_error(b, number, SLS_ERR_BAD_REQUEST, "Each device must be a JSON object");
            return false;
        }
        rq->body = d; /* the device route's rules read the body */
        ok = sls_api_admin_device_parse(rq, &scratch, &e->devices[i]);
        rq->body = o;
        if (!ok) {
            char msg[256];
            snprintf(msg, sizeof(msg), "Device %zu: %s", i + 1,
                     sls_json_str(scratch.json, "message"));
            json_object_set_new(scratch.json, "message", json_string(msg));
            line_error_from(b, number, &scratch);
            return false;
        }
        e->ndevices++;
    }
    return true;
}

/* Reads one line into e; false with the line's error added. */
static bool take_line(struct batch *b, const struct line *l, struct sls_import_entry *e)
{
    struct sls_req *rq = b->rq;
    struct sls_user_rec *u = &e->user;
    struct sls_resp scratch = {0};
    json_t *saved = rq->body, *o;
    json_error_t jerr;
    const char *username, *email, *account_id, *key;
    json_t *v;
    bool primary, sls, ok = false;
    size_t i;
    int err;

    if (l->len > SLS_IMPORT_MAX_LINE) {
        line_error(b, l->number, SLS_ERR_TOO_LARGE, "A line may hold at most 16384 bytes");
        return false;
    }
    o = json_loadb(l->text, l->len, JSON_REJECT_DUPLICATES, &jerr);
    if (o == NULL || !json_is_object(o)) {
        line_error(b, l->number, o == NULL ? SLS_ERR_BAD_JSON : SLS_ERR_BAD_REQUEST,
                   o == NULL ? "Not valid JSON" : "Each line must be a JSON object");
        json_decref(o);
        return false;
    }
    json_object_foreach(o, key, v)
    {
        bool known = false;
        for (i = 0; i < sizeof(line_keys) / sizeof(line_keys[0]); i++)
            known = known || strcmp(key, line_keys[i]) == 0;
        if (!known) {
            char msg[128];
            snprintf(msg, sizeof(msg), "Unknown field '%.64s'", key);
            line_error(b, l->number, SLS_ERR_BAD_REQUEST, msg);
            goto out;
        }
    }
    rq->body = o; /* the shared field readers read the body */
    if (!sls_body_str(rq, &scratch, "username", true, 256, &username) ||
        !sls_body_str(rq, &scratch, "email", false, 254, &email) ||
        !sls_body_str(rq, &scratch, "account_id", false, 8, &account_id) ||
        !sls_body_bool(rq, &scratch, "primary", true, &primary) ||
        !sls_body_bool(rq, &scratch, "sls", true, &sls)) {
        line_error_from(b, l->number, &scratch);
        goto out;
    }
    err = sls_username_check_new(username, strlen(username));
    if (err != SLS_OK) {
        line_error(b, l->number, err, "User names are 3 to 32 lower-case letters and digits");
        goto out;
    }
    if (email != NULL && (strchr(email, '@') == NULL || strpbrk(email, " \t\r\n") != NULL)) {
        line_error(b, l->number, SLS_ERR_BAD_REQUEST, "Field 'email' is not an e-mail address");
        goto out;
    }
    if (account_id != NULL && (account_id[0] != 'U' || !all_digits(account_id + 1, 7, 7))) {
        line_error(b, l->number, SLS_ERR_BAD_REQUEST, "Field 'account_id' must be U and 7 digits");
        goto out;
    }
    if (!take_phones(b, l->number, o, u) || !take_password(b, l->number, o, u) ||
        !take_devices(b, l->number, o, e))
        goto out;
    snprintf(u->username, sizeof(u->username), "%s", username);
    snprintf(u->email, sizeof(u->email), "%s", email ? email : "");
    if (account_id != NULL)
        snprintf(u->account_id, sizeof(u->account_id), "%s", account_id);
    e->account_given = account_id != NULL;
    u->account_state = SLS_ACCOUNT_APPROVED;
    u->approved_at = rq->now;
    u->primary = primary;
    u->sls = sls;
    u->created_at = rq->now;
    ok = true;
out:
    rq->body = saved;
    json_decref(o);
    return ok;
}

/* Lines of the batch that repeat the user name, or the given account id of
 * a primary user, of an earlier line. */
static bool find_repeats(struct batch *b, const struct line *lines, struct sls_import_entry *e,
                         size_t n, bool accounts)
{
    struct sls_import_name *names = sls_req_alloc(b->rq, (n ? n : 1) * sizeof(*names));
    size_t i, m = 0;

    if (names == NULL)
        return false;
    for (i = 0; i < n; i++) {
        if (e[i].user.username[0] == '\0' /* a bad line */ ||
            (accounts && !(e[i].account_given && e[i].user.primary)))
            continue;
        names[m].name = accounts ? e[i].user.account_id : e[i].user.username;
        names[m].index = i;
        m++;
    }
    sls_import_find_duplicates(names, m);
    for (i = 0; i < m; i++) {
        char msg[128];
        if (names[i].first == names[i].index)
            continue;
        snprintf(msg, sizeof(msg), "%s also on line %zu",
                 accounts ? "Primary user's account id" : "User name",
                 lines[names[i].first].number);
        line_error(b, lines[names[i].index].number, SLS_ERR_CONFLICT, msg);
        json_object_set_new(json_array_get(b->errors, json_array_size(b->errors) - 1), "also_line",
                            json_integer((json_int_t)lines[names[i].first].number));
    }
    return true;
}

static int by_line(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "line"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "line"));
    return x < y ? -1 : x > y;
}

/* Answers 422 with every line error, in line order. */
static void refuse(struct sls_resp *rs, json_t *errors)
{
    size_t n = json_array_size(errors), i;
    json_t **items = calloc(n ? n : 1, sizeof(*items));
    json_t *sorted = json_array();
    char msg[96];

    if (items != NULL) {
        for (i = 0; i < n; i++)
            items[i] = json_array_get(errors, i);
        qsort(items, n, sizeof(*items), by_line);
        for (i = 0; i < n; i++)
            json_array_append(sorted, items[i]);
        free(items);
    }
    snprintf(msg, sizeof(msg), "%zu line%s refused; nothing was imported", n, n == 1 ? "" : "s");
    sls_resp_json(rs, sls_err_http_status(SLS_ERR_REJECTED),
                  json_pack("{s:s, s:s, s:i, s:o}", "error", sls_err_code(SLS_ERR_REJECTED),
                            "message", msg, "imported", 0, "errors",
                            items != NULL ? sorted : json_incref(errors)));
    if (items == NULL)
        json_decref(sorted);
}

void sls_api_admin_user_import(struct sls_req *rq, struct sls_resp *rs)
{
    struct batch b = {rq, NULL, 0};
    struct sls_user_import_tx *t = sls_req_alloc(rq, sizeof(*t));
    struct line *lines = sls_req_alloc(rq, (SLS_IMPORT_MAX_LINES + 1) * sizeof(*lines));
    char actor[80];
    size_t n, i;
    int rc;

    if (t == NULL || lines == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    n = rq->raw != NULL ? split_lines((const char *)rq->raw, rq->raw_len, lines) : 0;
    if (n == 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "The body holds no user: one JSON object a line", NULL);
        return;
    }
    if (n > SLS_IMPORT_MAX_LINES) {
        sls_resp_error_msg(rs, SLS_ERR_TOO_LARGE,
                           "At most 10000 users a request: split the file into batches", NULL);
        return;
    }
    t->entries = sls_req_alloc(rq, n * sizeof(*t->entries));
    b.errors = sls_req_json(rq, json_array());
    if (t->entries == NULL || b.errors == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    t->n = n;
    for (i = 0; i < n; i++)
        if (!take_line(&b, &lines[i], &t->entries[i]))
            memset(&t->entries[i], 0, sizeof(t->entries[i])); /* repeats nothing */
    if (!find_repeats(&b, lines, t->entries, n, false) ||
        !find_repeats(&b, lines, t->entries, n, true)) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (json_array_size(b.errors) > 0) {
        refuse(rs, b.errors);
        return;
    }
    snprintf(actor, sizeof(actor), "agent:%s", rq->agent);
    t->actor = actor;
    t->now = rq->now;
    rc = sls_user_import_tx(rq->app, t);
    if (rc == SLS_ERR_REJECTED) {
        for (i = 0; i < n; i++)
            if (t->entries[i].error != SLS_OK)
                line_error(&b, lines[i].number, t->entries[i].error, t->entries[i].why);
        refuse(rs, b.errors);
        return;
    }
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    sls_resp_json(rs, 201,
                  json_pack("{s:I, s:I, s:o}", "imported", (json_int_t)n, "devices",
                            (json_int_t)t->ndevices, "errors", json_array()));
}
