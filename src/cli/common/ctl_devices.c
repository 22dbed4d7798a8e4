/* slsctl commands for the DSC+ lifecycle (R21) and device sharing (R32):
 * shipping an order, recording a returned device, listing orders, and the
 * compliance queue of sharing requests. Built and printed like the commands
 * of ctl.c, through ctl_internal.h. */
#include <stdlib.h>
#include <string.h>

#include "cli/common/ctl_internal.h"
#include "cli/common/http_client.h"
#include "cli/common/table.h"

#define MAX_ESCAPED 1024

/* Appends "?name=ESCAPED(value)" (or "&...") for each option given. */
static int add_query(const struct sls_args *a, const char *const *opts, struct sls_ctl_request *req,
                     char *err, size_t errlen)
{
    size_t pos = strlen(req->path);
    char sep = '?';

    for (; *opts; opts++) {
        const char *v = sls_args_get(a, *opts);
        char esc[MAX_ESCAPED];
        if (v == NULL)
            continue;
        if (sls_http_client_escape(v, esc, sizeof(esc)) != 0) {
            snprintf(err, errlen, "--%s too long", *opts);
            return -1;
        }
        pos +=
            (size_t)snprintf(req->path + pos, sizeof(req->path) - pos, "%c%s=%s", sep, *opts, esc);
        if (pos >= sizeof(req->path)) {
            snprintf(err, errlen, "request too long");
            return -1;
        }
        sep = '&';
    }
    req->method = "GET";
    req->needs_token = true;
    return 0;
}

/* Prints the array at key of answer as a table of the given columns. */
static void print_rows(const json_t *answer, const char *key, const char *const *cols,
                       const char *const *head, size_t ncols, const char *none, FILE *out)
{
    const json_t *rows = json_object_get(answer, key);
    struct sls_table *t;
    size_t i;
    json_t *r;

    if (json_array_size(rows) == 0) {
        fprintf(out, "%s\n", none);
        return;
    }
    t = sls_table_new(ncols);
    if (t == NULL)
        return;
    sls_table_add_row(t, head);
    json_array_foreach(rows, i, r)
    {
        char *cell[16];
        for (size_t j = 0; j < ncols; j++) {
            const json_t *v = json_object_get(r, cols[j]);
            cell[j] = (v == NULL || json_is_null(v)) ? strdup("-") : sls_ctl_text_of(v);
        }
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < ncols; j++)
            free(cell[j]);
    }
    sls_table_print(t, out);
    sls_table_free(t);
}

/* ---- device ship ---- */

static const struct sls_args_opt ship_opts[] = {
    {"serial", SLS_ARGS_VALUE},
    {"secret-hex", SLS_ARGS_VALUE},
    {"label", SLS_ARGS_VALUE},
};

static int build_ship(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                      size_t errlen)
{
    const char *serial = sls_args_get(a, "serial");
    const char *secret = sls_args_get(a, "secret-hex");
    const char *label = sls_args_get(a, "label");
    int bad = 0;

    if (serial == NULL || serial[0] == '\0' || secret == NULL) {
        snprintf(err, errlen, "--serial and --secret-hex are required");
        return -1;
    }
    if (strlen(secret) != 40 || strspn(secret, "0123456789abcdefABCDEF") != 40) {
        snprintf(err, errlen, "--secret-hex must be 20 bytes in hex (40 characters)");
        return -1;
    }
    if (sls_ctl_user_path(a->pos[0], "/devices", req, err, errlen) != 0)
        return -1;
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    if (req->body != NULL) {
        bad |= json_object_set_new(req->body, "order_id", json_string(a->pos[1]));
        bad |= json_object_set_new(req->body, "serial", json_string(serial));
        bad |= json_object_set_new(req->body, "secret_hex", json_string(secret));
        if (label != NULL)
            bad |= json_object_set_new(req->body, "label", json_string(label));
    }
    return sls_ctl_body_done(req, bad != 0, err, errlen);
}

static void print_ship(const struct sls_args *a, const struct sls_ctl_request *req,
                       const json_t *answer, FILE *out)
{
    (void)req;
    fputs("order ", out);
    sls_ctl_put_clean(a->pos[1], out);
    fputs(" shipped to ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(": device ", out);
    sls_ctl_put_clean(sls_ctl_str_or(answer, "id", "?"), out);
    fputs(" (dsc_plus, shipped)\n  activates by itself at: ", out);
    sls_ctl_put_clean(sls_ctl_str_or(answer, "auto_activation_at", "?"), out);
    fputc('\n', out);
}

/* ---- device returned ---- */

static int build_returned(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                          size_t errlen)
{
    if (sls_ctl_device_path(a->pos[0], a->pos[1], "/returned", req, err, errlen) != 0)
        return -1;
    return sls_ctl_empty_post(req, err, errlen);
}

static void print_returned(const struct sls_args *a, const struct sls_ctl_request *req,
                           const json_t *answer, FILE *out)
{
    const char *order = sls_ctl_str_or(answer, "order_id", NULL);
    (void)req;
    fputs("device ", out);
    sls_ctl_put_clean(a->pos[1], out);
    fputs(" of ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(" recorded returned", out);
    if (order != NULL) {
        fputs("; deposit hold of order ", out);
        sls_ctl_put_clean(order, out);
        fputs(" released", out);
    }
    fputc('\n', out);
}

/* ---- dsc-plus orders ---- */

static const struct sls_args_opt orders_opts[] = {
    {"user", SLS_ARGS_VALUE},
    {"state", SLS_ARGS_VALUE},
};

static int build_orders(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                        size_t errlen)
{
    static const char *const opts[] = {"user", "state", NULL};
    snprintf(req->path, sizeof(req->path), "/v1/admin/dsc-plus-orders");
    return add_query(a, opts, req, err, errlen);
}

static void print_orders(const struct sls_args *a, const struct sls_ctl_request *req,
                         const json_t *answer, FILE *out)
{
    static const char *const cols[] = {"order_id",
                                       "username",
                                       "state",
                                       "hold",
                                       "device_id",
                                       "device_state",
                                       "estimated_ship_date",
                                       "auto_activation_at"};
    static const char *const head[] = {"ORDER",  "USER",         "STATE", "HOLD",
                                       "DEVICE", "DEVICE STATE", "SHIPS", "AUTO-ACTIVATES"};
    (void)a;
    (void)req;
    print_rows(answer, "orders", cols, head, sizeof(cols) / sizeof(cols[0]), "no orders", out);
}

/* ---- sharing ---- */

static const struct sls_args_opt sharing_list_opts[] = {
    {"state", SLS_ARGS_VALUE},
};

static int build_sharing_list(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                              size_t errlen)
{
    static const char *const opts[] = {"state", NULL};
    snprintf(req->path, sizeof(req->path), "/v1/admin/sharing-requests");
    return add_query(a, opts, req, err, errlen);
}

static void print_sharing_list(const struct sls_args *a, const struct sls_ctl_request *req,
                               const json_t *answer, FILE *out)
{
    static const char *const cols[] = {"request_id", "requester",  "owner",     "device_id",
                                       "state",      "created_at", "decided_by"};
    static const char *const head[] = {"REQUEST", "REQUESTER", "OWNER",     "DEVICE",
                                       "STATE",   "CREATED",   "DECIDED BY"};
    (void)a;
    (void)req;
    print_rows(answer, "requests", cols, head, sizeof(cols) / sizeof(cols[0]),
               "no sharing requests", out);
}

static int decide(const struct sls_args *a, const char *verb, struct sls_ctl_request *req,
                  char *err, size_t errlen)
{
    char esc[MAX_ESCAPED];

    if (a->pos[0][0] == '\0' || sls_http_client_escape(a->pos[0], esc, sizeof(esc)) != 0) {
        snprintf(err, errlen, "bad request id");
        return -1;
    }
    snprintf(req->path, sizeof(req->path), "/v1/admin/sharing-requests/%s/%s", esc, verb);
    return sls_ctl_empty_post(req, err, errlen);
}

static int build_approve(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                         size_t errlen)
{
    return decide(a, "approve", req, err, errlen);
}

static int build_deny(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                      size_t errlen)
{
    return decide(a, "deny", req, err, errlen);
}

static void print_decided(const struct sls_args *a, const struct sls_ctl_request *req,
                          const json_t *answer, FILE *out)
{
    (void)req;
    fputs("sharing request ", out);
    sls_ctl_put_clean(a->pos[0], out);
    fputs(" (", out);
    sls_ctl_put_clean(sls_ctl_str_or(answer, "requester", "?"), out);
    fputs(" shares a device of ", out);
    sls_ctl_put_clean(sls_ctl_str_or(answer, "owner", "?"), out);
    fputs("): ", out);
    sls_ctl_put_clean(sls_ctl_str_or(answer, "state", "?"), out);
    fputc('\n', out);
}

#define OPTS(o) o, sizeof(o) / sizeof(o[0])

const struct sls_ctl_command sls_ctl_device_commands[] = {
    {{"device ship", "USERNAME ORDER_ID --serial S --secret-hex HEX [--label L]",
      "ship a DSC+ order: the card starts shipped and activates by itself after 21 days (R21)"},
     OPTS(ship_opts),
     2,
     2,
     build_ship,
     print_ship,
     NULL},
    {{"device returned", "USERNAME DEVICE_ID",
      "record a returned device: it stops working and its deposit hold is released (R21)"},
     NULL,
     0,
     2,
     2,
     build_returned,
     print_returned,
     NULL},
    {{"dsc-plus orders", "[--user USERNAME] [--state ordered|shipped|settled]",
      "list DSC+ orders with their deposit holds (R21)"},
     OPTS(orders_opts),
     0,
     0,
     build_orders,
     print_orders,
     NULL},
    {{"sharing list", "[--state pending_compliance|active|denied|cancelled]",
      "list device sharing requests (R32)"},
     OPTS(sharing_list_opts),
     0,
     0,
     build_sharing_list,
     print_sharing_list,
     NULL},
    {{"sharing approve", "REQUEST_ID", "approve a sharing request waiting for compliance (R32)"},
     NULL,
     0,
     1,
     1,
     build_approve,
     print_decided,
     NULL},
    {{"sharing deny", "REQUEST_ID", "deny a sharing request waiting for compliance (R32)"},
     NULL,
     0,
     1,
     1,
     build_deny,
     print_decided,
     NULL},
};

const size_t sls_ctl_device_ncommands =
    sizeof(sls_ctl_device_commands) / sizeof(sls_ctl_device_commands[0]);
