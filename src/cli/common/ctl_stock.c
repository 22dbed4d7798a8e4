/* slsctl commands for the vendor token stock (SPEC §10.4): importing a PSKC
 * file (its protection as the X-PSKC-Key or X-PSKC-Password header) and
 * listing the stock. Built and printed like the commands of ctl.c, through
 * ctl_internal.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/ctl_internal.h"
#include "cli/common/http_client.h"
#include "cli/common/table.h"

#define MAX_FILE     (1024 * 1024) /* the server reads no larger token file */
#define MAX_PASSWORD 1024
#define MAX_ESCAPED  256

/* ---- device import ---- */

static const struct sls_args_opt import_opts[] = {
    {"key", SLS_ARGS_VALUE},
    {"key-file", SLS_ARGS_VALUE},
    {"password-file", SLS_ARGS_VALUE},
};

/* Reads the whole file at path (at most MAX_FILE bytes) into req->raw. */
static int read_token_file(const char *path, struct sls_ctl_request *req, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    buf = malloc(MAX_FILE + 1);
    if (buf == NULL) {
        fclose(f);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    n = fread(buf, 1, MAX_FILE + 1, f);
    if (ferror(f) || n == 0 || n > MAX_FILE) {
        snprintf(err, errlen,
                 ferror(f) ? "cannot read %s"
                 : n == 0  ? "%s is empty"
                           : "%s is larger than 1 MiB",
                 path);
        explicit_bzero(buf, n < MAX_FILE + 1 ? n : MAX_FILE + 1);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    req->raw = buf;
    req->raw_len = n;
    return 0;
}

/* The header line "NAME: <first line of path>" into *out; the line may be
 * at most max characters and, when hex_len is not 0, must be that many hex
 * digits (a key). Everything read is wiped. */
static int header_from_file(const char *path, const char *name, size_t max, size_t hex_len,
                            char **out, char *err, size_t errlen)
{
    char line[MAX_PASSWORD + 2];
    FILE *f = fopen(path, "r");
    size_t n, cap;
    int rc = -1;

    if (f == NULL) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fgets(line, sizeof(line), f) == NULL) {
        snprintf(err, errlen, "%s is empty", path);
        goto out;
    }
    n = strcspn(line, "\r\n");
    if (line[n] == '\0' && n > max) {
        snprintf(err, errlen, "the first line of %s is longer than %zu characters", path, max);
        goto out;
    }
    line[n] = '\0';
    if (n == 0) {
        snprintf(err, errlen, "the first line of %s is empty", path);
        goto out;
    }
    if (hex_len != 0 && (n != hex_len || strspn(line, "0123456789abcdefABCDEF") != n)) {
        snprintf(err, errlen, "%s must hold the 16-byte AES key in hex (32 characters)", path);
        goto out;
    }
    cap = strlen(name) + 2 + n + 1;
    *out = malloc(cap);
    if (*out == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(*out, cap, "%s: %s", name, line);
    rc = 0;
out:
    explicit_bzero(line, sizeof(line));
    fclose(f);
    return rc;
}

static int build_import(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                        size_t errlen)
{
    const char *key = sls_args_get(a, "key");
    const char *keyfile = sls_args_get(a, "key-file");
    const char *pwfile = sls_args_get(a, "password-file");
    size_t h = 0;

    if ((key != NULL) + (keyfile != NULL) + (pwfile != NULL) > 1) {
        snprintf(err, errlen, "give one of --key, --key-file and --password-file");
        return -1;
    }
    if (key != NULL && (strlen(key) != 32 || strspn(key, "0123456789abcdefABCDEF") != 32)) {
        snprintf(err, errlen, "--key must be the 16-byte AES key in hex (32 characters)");
        return -1;
    }
    if (read_token_file(a->pos[0], req, err, errlen) != 0)
        return -1;
    if (key != NULL) {
        req->headers[h] = malloc(sizeof("X-PSKC-Key: ") + 32);
        if (req->headers[h] == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        snprintf(req->headers[h++], sizeof("X-PSKC-Key: ") + 32, "X-PSKC-Key: %s", key);
    }
    if (keyfile != NULL &&
        header_from_file(keyfile, "X-PSKC-Key", 32, 32, &req->headers[h++], err, errlen) != 0)
        return -1;
    if (pwfile != NULL && header_from_file(pwfile, "X-PSKC-Password", MAX_PASSWORD, 0,
                                           &req->headers[h++], err, errlen) != 0)
        return -1;
    req->raw_type = "application/pskc+xml";
    req->method = "POST";
    req->needs_token = true;
    snprintf(req->path, sizeof(req->path), "/v1/admin/device-stock");
    return 0;
}

/* Prints rows of the array at key of answer as a table of the given columns. */
static void print_rows(const json_t *rows, const char *const *cols, const char *const *head,
                       size_t ncols, FILE *out)
{
    struct sls_table *t = sls_table_new(ncols);
    size_t i;
    json_t *r;

    if (t == NULL)
        return;
    sls_table_add_row(t, head);
    json_array_foreach(rows, i, r)
    {
        char *cell[8];
        for (size_t j = 0; j < ncols; j++) {
            const json_t *v = json_object_get(r, cols[j]);
            cell[j] =
                (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
                    ? strdup("-")
                    : sls_ctl_text_of(v);
        }
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < ncols; j++)
            free(cell[j]);
    }
    sls_table_print(t, out);
    sls_table_free(t);
}

static void print_import(const struct sls_args *a, const struct sls_ctl_request *req,
                         const json_t *answer, FILE *out)
{
    static const char *const cols[] = {"serial", "reason"};
    static const char *const head[] = {"SKIPPED SERIAL", "REASON"};
    const json_t *skipped = json_object_get(answer, "skipped");

    (void)a;
    (void)req;
    fprintf(out, "imported %lld, skipped %zu\n",
            (long long)json_integer_value(json_object_get(answer, "imported")),
            json_array_size(skipped));
    if (json_array_size(skipped) > 0)
        print_rows(skipped, cols, head, 2, out);
}

/* ---- device stock ---- */

static const struct sls_args_opt stock_opts[] = {
    {"after", SLS_ARGS_VALUE},
    {"limit", SLS_ARGS_VALUE},
};

static int build_stock(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                       size_t errlen)
{
    static const char *const names[] = {"after", "limit", NULL};
    size_t pos;
    char sep = '?';

    pos = (size_t)snprintf(req->path, sizeof(req->path), "/v1/admin/device-stock");
    for (const char *const *o = names; *o; o++) {
        const char *v = sls_args_get(a, *o);
        char esc[MAX_ESCAPED];
        if (v == NULL)
            continue;
        if (sls_http_client_escape(v, esc, sizeof(esc)) != 0) {
            snprintf(err, errlen, "--%s too long", *o);
            return -1;
        }
        pos += (size_t)snprintf(req->path + pos, sizeof(req->path) - pos, "%c%s=%s", sep, *o, esc);
        sep = '&';
    }
    req->method = "GET";
    req->needs_token = true;
    return 0;
}

static void print_stock(const struct sls_args *a, const struct sls_ctl_request *req,
                        const json_t *answer, FILE *out)
{
    static const char *const cols[] = {"serial", "algorithm", "digits", "imported_at", "device_id"};
    static const char *const head[] = {"SERIAL", "ALGORITHM", "DIGITS", "IMPORTED", "DEVICE"};
    const json_t *tokens = json_object_get(answer, "tokens");
    const json_t *next = json_object_get(answer, "next_after");

    (void)a;
    (void)req;
    if (json_array_size(tokens) == 0)
        fputs("no tokens\n", out);
    else
        print_rows(tokens, cols, head, 5, out);
    fprintf(out, "%lld in stock, %lld assigned\n",
            (long long)json_integer_value(json_object_get(answer, "total")),
            (long long)json_integer_value(json_object_get(answer, "assigned")));
    if (json_is_string(next)) {
        fputs("more: --after ", out);
        sls_ctl_put_clean(json_string_value(next), out);
        fputc('\n', out);
    }
}

#define OPTS(o) o, sizeof(o) / sizeof(o[0])

const struct sls_ctl_command sls_ctl_stock_commands[] = {
    {{"device import", "FILE [--key HEX | --key-file F | --password-file F]",
      "stock the tokens of a vendor's PSKC file (RFC 6030); encrypted keys opened with the "
      "pre-shared AES key or the password on the first line of F"},
     OPTS(import_opts),
     1,
     1,
     build_import,
     print_import,
     NULL},
    {{"device stock", "[--after SERIAL] [--limit N]",
      "list the token stock by serial, never a key"},
     OPTS(stock_opts),
     0,
     0,
     build_stock,
     print_stock,
     NULL},
};

const size_t sls_ctl_stock_ncommands =
    sizeof(sls_ctl_stock_commands) / sizeof(sls_ctl_stock_commands[0]);
