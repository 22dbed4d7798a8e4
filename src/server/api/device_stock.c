/* The token stock on the admin API; see device_stock.h. */
#include "server/api/device_stock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "crypto/encoding.h"
#include "crypto/secmem.h"
#include "intake/pskc.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/flows/stock_tx.h"

_Static_assert(SLS_HTTP_PSKC_MAX_BYTES == SLS_PSKC_MAX_BYTES,
               "the route's body limit is the reader's");

#define KEY_HEADER      "X-PSKC-Key"
#define PASSWORD_HEADER "X-PSKC-Password"
#define PASSWORD_MAX    1024
#define PAGE_DEFAULT    100

/* The file's protection from the headers: the pre-shared key in hex (16
 * bytes), the PBKDF2 password. Returns false with the answer in rs. */
static bool read_protection(struct sls_req *rq, struct sls_resp *rs, uint8_t psk[16],
                            char *password, struct sls_pskc_protection *p)
{
    const char *key = sls_req_header(rq, KEY_HEADER);
    const char *pass = sls_req_header(rq, PASSWORD_HEADER);
    size_t n = 0;
    bool ok = true;

    memset(p, 0, sizeof(*p));
    if (key != NULL) {
        if (sls_hex_decode(key, strlen(key), psk, 16, &n) != 0 || n != 16) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                               "Header " KEY_HEADER " must be the 16-byte AES key in hex "
                               "(32 characters)",
                               NULL);
            ok = false;
        } else {
            p->psk = psk;
            p->psk_len = 16;
        }
    }
    if (ok && pass != NULL) {
        if (pass[0] == '\0' || strlen(pass) > PASSWORD_MAX) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                               "Header " PASSWORD_HEADER " must be 1 to 1024 characters", NULL);
            ok = false;
        } else {
            memcpy(password, pass, strlen(pass) + 1);
            p->password = password;
        }
    }
    /* The header values are secrets too: none stays in the connection's
     * memory once read. */
    if (key != NULL)
        sls_wipe((void *)key, strlen(key));
    if (pass != NULL)
        sls_wipe((void *)pass, strlen(pass));
    return ok;
}

static json_t *skipped_json(const char *serial, const char *reason)
{
    return json_pack("{s:s, s:s}", "serial", serial, "reason", reason);
}

void sls_api_admin_stock_import(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_pskc_result res = {0};
    struct sls_pskc_protection prot;
    struct sls_stock_import t = {0};
    uint8_t psk[16];
    char *password = sls_req_alloc(rq, PASSWORD_MAX + 1); /* wiped with the arena */
    char actor[80];
    json_t *skipped = NULL;
    size_t i;
    int rc = SLS_OK;

    if (password == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!read_protection(rq, rs, psk, password, &prot))
        goto out;
    if (rq->raw == NULL || rq->raw_len == 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "The body must be the PSKC file", NULL);
        goto out;
    }
    if (sls_pskc_parse((const char *)rq->raw, rq->raw_len, &prot, &res) != 0) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "The body is not a PSKC file this server reads: an RFC 6030 "
                           "KeyContainer, well-formed XML without a document type "
                           "declaration, at most 10000 keys",
                           NULL);
        goto out;
    }
    sls_wipe(psk, sizeof(psk));
    sls_wipe(password, PASSWORD_MAX + 1);
    t.skip = calloc(res.nkeys ? res.nkeys : 1, sizeof(*t.skip));
    if (t.skip == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        goto out;
    }
    snprintf(actor, sizeof(actor), "agent:%s", rq->agent);
    t.keys = res.keys;
    t.nkeys = res.nkeys;
    t.file_skipped = res.nskipped;
    t.actor = actor;
    t.now = rq->now;
    rc = sls_stock_tx_import(rq->app, &t);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        goto out;
    }
    skipped = json_array();
    for (i = 0; i < res.nskipped; i++)
        json_array_append_new(skipped, skipped_json(res.skipped[i].serial, res.skipped[i].reason));
    for (i = 0; i < res.nkeys; i++)
        if (t.skip[i] != NULL)
            json_array_append_new(skipped, skipped_json(res.keys[i].serial, t.skip[i]));
    sls_resp_json(rs, 200,
                  json_pack("{s:I, s:o}", "imported", (json_int_t)t.imported, "skipped", skipped));
out:
    free(t.skip);
    sls_pskc_result_free(&res);
    sls_wipe(psk, sizeof(psk));
    sls_wipe(password, PASSWORD_MAX + 1);
}

static const char *algorithm_name(enum sls_stock_algorithm a)
{
    switch (a) {
    case SLS_STOCK_TOTP:
        return "totp";
    case SLS_STOCK_OCRA:
        return "ocra";
    case SLS_STOCK_HOTP:
    default:
        return "hotp";
    }
}

static json_t *time_or_null(sls_time t)
{
    char ts[32];

    if (t == 0 || sls_time_format(t, ts, sizeof(ts)) != 0)
        return json_null();
    return json_string(ts);
}

static json_t *token_json(const struct sls_stock_rec *r)
{
    json_t *o = json_pack("{s:s, s:s, s:i, s:o, s:b}", "serial", r->serial, "algorithm",
                          algorithm_name(r->algorithm), "digits", r->digits, "imported_at",
                          time_or_null(r->imported_at), "assigned", r->device_id[0] != '\0');

    if (r->algorithm == SLS_STOCK_OCRA)
        json_object_set_new(o, "suite", json_string(r->suite));
    if (r->algorithm == SLS_STOCK_TOTP)
        json_object_set_new(o, "period", json_integer(r->period));
    if (r->algorithm == SLS_STOCK_HOTP)
        json_object_set_new(o, "counter", json_integer(r->counter));
    json_object_set_new(o, "device_id", r->device_id[0] ? json_string(r->device_id) : json_null());
    json_object_set_new(o, "assigned_at", time_or_null(r->assigned_at));
    return o;
}

void sls_api_admin_stock_list(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_stock_page p = {0};
    const char *after = sls_req_query(rq, "after");
    const char *limit = sls_req_query(rq, "limit");
    json_t *tokens;
    size_t i;
    int rc;

    p.limit = PAGE_DEFAULT;
    if (limit != NULL) {
        char *end = NULL;
        long v = strtol(limit, &end, 10);
        if (limit[0] < '0' || limit[0] > '9' || *end != '\0' || v < 1 || v > SLS_STOCK_PAGE_MAX) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'limit' must be 1 to 500", NULL);
            return;
        }
        p.limit = (size_t)v;
    }
    if (after != NULL && strlen(after) >= sizeof(p.tokens->serial)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Parameter 'after' must be a serial", NULL);
        return;
    }
    p.after = after;
    p.tokens = sls_req_alloc(rq, p.limit * sizeof(*p.tokens));
    if (p.tokens == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    rc = sls_stock_tx_list(rq->app, &p);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    tokens = json_array();
    for (i = 0; i < p.n; i++)
        json_array_append_new(tokens, token_json(&p.tokens[i]));
    sls_resp_json(rs, 200,
                  json_pack("{s:o, s:I, s:I, s:o}", "tokens", tokens, "total", (json_int_t)p.total,
                            "assigned", (json_int_t)p.assigned, "next_after",
                            p.n == p.limit ? json_string(p.tokens[p.n - 1].serial) : json_null()));
}
