/* slsctl user import; see ctl_import.h. A JSON-lines file is sent as it is,
 * line for line. A CSV file (the first line does not start with '{') has a
 * header naming its columns among username, password_hash, password, email,
 * phone (COUNTRY:NUMBER), account_id, device_type, device_secret_hex,
 * device_pin, device_serial, device_label, device_state; each row becomes
 * one JSON line. A field holding commas (an Argon2id hash) is put in double
 * quotes, a quote inside it doubled.
 * Every batch keeps the file's line numbering (one body line per file line,
 * blank for the header), so the server's line numbers map back to the
 * file. */
#include "cli/common/ctl_import.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/common/args.h"

#define MAX_LINE   16384              /* the server's bound of a line */
#define MAX_BODY   (15 * 1024 * 1024) /* below the server's 16 MiB a request */
#define MAX_COLS   16
#define IMPORT_URL "/v1/admin/users/import"

static const char *const csv_columns[] = {
    "username",      "password_hash", "password",     "email",
    "phone",         "account_id",    "device_type",  "device_pin",
    "device_serial", "device_label",  "device_state", "device_secret_hex",
};

struct importer {
    struct sls_http_client *client;
    const char *path;
    FILE *out, *err_out;
    size_t batch;
    /* the batch being filled */
    char *body;
    size_t len, cap;
    size_t lines;      /* body lines (file lines) in it */
    size_t users;      /* non-blank ones */
    size_t first_line; /* file line of its first body line */
    /* so far */
    size_t imported, devices, batches;
    /* CSV */
    bool csv;
    size_t ncols;
    int col[MAX_COLS]; /* index into csv_columns of each column */
};

static int append(struct importer *im, const char *s, size_t n)
{
    if (im->len + n + 1 > im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 65536;
        char *nb;
        while (cap < im->len + n + 1)
            cap *= 2;
        nb = realloc(im->body, cap);
        if (nb == NULL)
            return -1;
        im->body = nb;
        im->cap = cap;
    }
    memcpy(im->body + im->len, s, n);
    im->len += n;
    im->body[im->len] = '\0';
    return 0;
}

/* Prints the errors of a refused batch with the file's line numbers. */
static void print_refusal(struct importer *im, const json_t *answer)
{
    const json_t *errors = json_object_get(answer, "errors"), *e;
    size_t i;

    fprintf(
        im->err_out,
        "slsctl: user import: the batch of lines %zu-%zu was refused, nothing of it imported:\n",
        im->first_line, im->first_line + im->lines - 1);
    json_array_foreach(errors, i, e)
    {
        json_int_t line = json_integer_value(json_object_get(e, "line"));
        json_int_t also = json_integer_value(json_object_get(e, "also_line"));
        const char *code = json_string_value(json_object_get(e, "error"));
        const char *msg = json_string_value(json_object_get(e, "message"));
        fprintf(im->err_out, "%s:%zu: %s: ", im->path, im->first_line + (size_t)line - 1,
                code ? code : "?");
        if (also > 0)
            fprintf(im->err_out, "repeats line %zu", im->first_line + (size_t)also - 1);
        else
            for (const char *c = msg ? msg : "?"; *c; c++)
                fputc((unsigned char)*c < 0x20 ? '?' : *c, im->err_out);
        fputc('\n', im->err_out);
    }
}

/* Sends the batch; 0 when imported. */
static int flush_batch(struct importer *im)
{
    struct sls_http_response resp = {0};
    char err[512];
    int rc = -1;

    if (im->users == 0)
        goto reset;
    if (sls_http_client_request_raw(im->client, "POST", IMPORT_URL, "application/x-ndjson",
                                    im->body, im->len, &resp, err, sizeof(err)) != 0) {
        fprintf(im->err_out, "slsctl: user import: %s (lines %zu-%zu not imported)\n", err,
                im->first_line, im->first_line + im->lines - 1);
        return -1;
    }
    if (resp.status == 422 && json_object_get(resp.body, "errors") != NULL) {
        print_refusal(im, resp.body);
        goto out;
    }
    if (resp.status < 200 || resp.status > 299) {
        sls_http_client_describe_error(&resp, err, sizeof(err));
        fprintf(im->err_out, "slsctl: user import: lines %zu-%zu: %s\n", im->first_line,
                im->first_line + im->lines - 1, err);
        goto out;
    }
    im->imported += (size_t)json_integer_value(json_object_get(resp.body, "imported"));
    im->devices += (size_t)json_integer_value(json_object_get(resp.body, "devices"));
    im->batches++;
    fprintf(im->out, "lines %zu-%zu: %zu users imported (%zu so far)\n", im->first_line,
            im->first_line + im->lines - 1, im->users, im->imported);
    fflush(im->out);
    rc = 0;
out:
    sls_http_client_response_clear(&resp);
    if (rc != 0)
        return rc;
reset:
    im->first_line += im->lines;
    im->len = 0;
    im->lines = im->users = 0;
    return 0;
}

/* Reads the CSV header; 0 or -1 (err). */
static int csv_header(struct importer *im, char *line)
{
    char *save = NULL, *f;

    im->ncols = 0;
    for (f = strtok_r(line, ",", &save); f != NULL; f = strtok_r(NULL, ",", &save)) {
        size_t k;
        if (im->ncols == MAX_COLS)
            break;
        for (k = 0; k < sizeof(csv_columns) / sizeof(csv_columns[0]); k++)
            if (strcmp(f, csv_columns[k]) == 0)
                break;
        if (k == sizeof(csv_columns) / sizeof(csv_columns[0])) {
            fprintf(im->err_out, "slsctl: user import: %s:1: unknown column '%s'\n", im->path, f);
            return -1;
        }
        im->col[im->ncols++] = (int)k;
    }
    return 0;
}

/* Ends the field starting at *p in place and moves *p to the next field
 * (NULL after the last). A field in double quotes may hold commas (an
 * Argon2id hash does), "" standing for one quote. Returns 0, or -1 when a
 * quoted field is not closed. */
static int split_field(char **p)
{
    char *r = *p, *w = *p, *comma;

    if (*r != '"') {
        comma = strchr(r, ',');
        if (comma != NULL)
            *comma = '\0';
        *p = comma != NULL ? comma + 1 : NULL;
        return 0;
    }
    for (r++;; r++) {
        if (*r == '\0')
            return -1;
        if (*r == '"' && r[1] == '"') {
            *w++ = '"';
            r++;
        } else if (*r == '"') {
            break;
        } else {
            *w++ = *r;
        }
    }
    r++;
    *w = '\0';
    if (*r == '\0') {
        *p = NULL;
        return 0;
    }
    if (*r != ',')
        return -1;
    *p = r + 1;
    return 0;
}

/* One CSV row as a JSON line (a new string), or NULL with the reason printed. */
static char *csv_row(struct importer *im, char *line, size_t number)
{
    json_t *o = json_object(), *dev = json_object();
    char *fields[MAX_COLS + 1], *p = line, *text = NULL;
    size_t n = 0, i;
    int bad = 0;

    for (;;) {
        if (n == MAX_COLS) {
            n++; /* more fields than any header has */
            break;
        }
        fields[n++] = p;
        if (split_field(&p) != 0) {
            fprintf(im->err_out,
                    "slsctl: user import: %s:%zu: a quoted field must end with '\"' before the "
                    "next comma or the end of the line\n",
                    im->path, number);
            goto out;
        }
        if (p == NULL)
            break;
    }
    if (n != im->ncols) {
        fprintf(im->err_out, "slsctl: user import: %s:%zu: %zu fields, the header has %zu\n",
                im->path, number, n, im->ncols);
        goto out;
    }
    for (i = 0; i < n; i++) {
        const char *name = csv_columns[im->col[i]];
        if (fields[i][0] == '\0')
            continue;
        if (strncmp(name, "device_", 7) == 0) {
            const char *key = strcmp(name, "device_secret_hex") == 0 ? "secret_hex" : name + 7;
            bad |= json_object_set_new(dev, key, json_string(fields[i]));
        } else if (strcmp(name, "phone") == 0) {
            char *colon = strchr(fields[i], ':');
            if (colon == NULL) {
                fprintf(im->err_out, "slsctl: user import: %s:%zu: phone must be COUNTRY:NUMBER\n",
                        im->path, number);
                goto out;
            }
            *colon = '\0';
            bad |= json_object_set_new(
                o, "phone", json_pack("{s:s, s:s}", "country", fields[i], "number", colon + 1));
        } else {
            bad |= json_object_set_new(o, name, json_string(fields[i]));
        }
    }
    if (json_object_size(dev) > 0)
        bad |= json_object_set_new(o, "devices", json_pack("[O]", dev));
    if (bad == 0)
        text = json_dumps(o, JSON_COMPACT);
    if (text == NULL)
        fprintf(im->err_out, "slsctl: user import: %s:%zu: cannot encode the row\n", im->path,
                number);
out:
    json_decref(o);
    json_decref(dev);
    return text;
}

/* Adds file line `number` (without its newline) to the batch, sending the
 * batch first when it is full. 0 or -1. */
static int add_line(struct importer *im, char *line, size_t number)
{
    size_t len = strlen(line);
    char *row = NULL;
    bool blank = strspn(line, " \t\r") == len;
    int rc = -1;

    if (!blank && im->csv) {
        row = csv_row(im, line, number);
        if (row == NULL)
            return -1;
        line = row;
        len = strlen(row);
    }
    if (blank)
        len = 0;
    if (len > MAX_LINE) {
        fprintf(im->err_out, "slsctl: user import: %s:%zu: longer than %d bytes\n", im->path,
                number, MAX_LINE);
        goto out;
    }
    if (!blank && (im->users == im->batch || im->len + len + 1 > MAX_BODY) && flush_batch(im) != 0)
        goto out;
    if (append(im, line, len) != 0 || append(im, "\n", 1) != 0) {
        fprintf(im->err_out, "slsctl: user import: out of memory\n");
        goto out;
    }
    im->lines++;
    im->users += !blank;
    rc = 0;
out:
    free(row);
    return rc;
}

int sls_ctl_import_run(struct sls_http_client *client, const char *path, size_t batch, FILE *out,
                       FILE *err_out)
{
    struct importer im = {.client = client,
                          .path = path,
                          .out = out,
                          .err_out = err_out,
                          .batch = batch,
                          .first_line = 1};
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, number = 0;
    ssize_t got;
    int status = SLS_EXIT_FAIL;
    bool first = true;

    if (f == NULL) {
        fprintf(err_out, "slsctl: user import: cannot open %s: %s\n", path, strerror(errno));
        return SLS_EXIT_FAIL;
    }
    while ((got = getline(&line, &cap, f)) >= 0) {
        number++;
        if (got > 0 && line[got - 1] == '\n')
            line[--got] = '\0';
        if (first && strspn(line, " \t\r") != (size_t)got) {
            first = false;
            im.csv = line[strspn(line, " \t")] != '{';
            if (im.csv) {
                if (got > 0 && line[got - 1] == '\r')
                    line[--got] = '\0';
                if (csv_header(&im, line) != 0)
                    goto out;
                im.first_line = number + 1; /* the header is in no batch */
                continue;
            }
        }
        if (im.csv && got > 0 && line[got - 1] == '\r')
            line[--got] = '\0';
        if (add_line(&im, line, number) != 0)
            goto out;
    }
    if (ferror(f)) {
        fprintf(err_out, "slsctl: user import: cannot read %s\n", path);
        goto out;
    }
    if (flush_batch(&im) != 0)
        goto out;
    status = SLS_EXIT_OK;
out:
    fprintf(out, "imported %zu users with %zu devices in %zu batches%s\n", im.imported, im.devices,
            im.batches, status == SLS_EXIT_OK ? "" : "; stopped");
    if (f != stdin)
        fclose(f);
    free(line);
    free(im.body);
    return status;
}
