/* Operations endpoints: health, Prometheus metrics, and the --dev clock and
 * outbox that let tests and demos move time and read sent messages. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/api/ops.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "server/app/clock.h"
#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/dev_outbox.h"
#include "server/app/metrics.h"
#include "server/flows/health.h"
#include "server/flows/outbox_read.h"

/* 200 while the store can be read and can write; 503 while a read fails or
 * the last write failed because the store could not write (the store then
 * probes with a write every few seconds, so this turns back to 200 by itself
 * once it can). The cause (SQLite's message and the operation) is for
 * operators: only the admin listener says it. */
static void answer_unavailable(struct sls_req *rq, struct sls_resp *rs, const char *store,
                               const char *reason)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "status", "store_unavailable", "store", store,
                          "error", "store_unavailable", "message",
                          strcmp(store, "cannot_read") == 0 ? "The store cannot be read"
                                                            : "The store cannot write");

    if (rq->admin_listener)
        json_object_set_new(o, "reason", json_string(reason));
    sls_resp_json(rs, 503, o);
}

void sls_api_healthz(struct sls_req *rq, struct sls_resp *rs)
{
    char reason[256];

    if (sls_health_read(rq->app) != SLS_OK) {
        answer_unavailable(rq, rs, "cannot_read", "the store cannot be read (see the log)");
        return;
    }
    if (sls_health_write(rq->app, reason, sizeof(reason)) != SLS_OK) {
        answer_unavailable(rq, rs, "cannot_write", reason);
        return;
    }
    sls_resp_json(rs, 200, json_pack("{s:s}", "status", "ok"));
}

void sls_api_metrics(struct sls_req *rq, struct sls_resp *rs)
{
    char *text = sls_metrics_render();

    if (text == NULL || !sls_req_defer(rq, free, text)) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    sls_resp_text(rs, 200, "text/plain; version=0.0.4", text);
}

static void answer_clock(struct sls_resp *rs)
{
    char ts[32];
    sls_time now = sls_clock_now();

    sls_time_text(now, ts);
    sls_resp_json(rs, 200, json_pack("{s:s, s:I}", "now", ts, "now_unix", (json_int_t)now));
}

void sls_api_dev_clock_get(struct sls_req *rq, struct sls_resp *rs)
{
    (void)rq;
    answer_clock(rs);
}

void sls_api_dev_clock_set(struct sls_req *rq, struct sls_resp *rs)
{
    json_t *set = json_object_get(rq->body, "set");
    int64_t advance;
    sls_time t;
    int rc = SLS_OK;

    if (!sls_body_int(rq, rs, "advance_seconds", false, -3650 * SLS_DAY, 3650 * SLS_DAY, 0,
                      &advance))
        return;
    if (set == NULL && json_object_get(rq->body, "advance_seconds") == NULL) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, "Give 'advance_seconds' or 'set'", NULL);
        return;
    }
    if (set != NULL) {
        if (json_is_integer(set) && json_integer_value(set) > 0 &&
            json_integer_value(set) < 253402300800LL) {
            t = json_integer_value(set);
        } else if (!json_is_string(set) || sls_time_parse(json_string_value(set), &t) != 0) {
            sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                               "Field 'set' must be an RFC 3339 time or Unix seconds", NULL);
            return;
        }
        rc = sls_clock_set(t);
    }
    if (rc == SLS_OK && advance != 0)
        rc = sls_clock_advance(advance);
    if (rc != SLS_OK) {
        sls_resp_error(rs, rc, NULL);
        return;
    }
    answer_clock(rs);
}

#define OUTBOX_MAX 200

struct outbox_read {
    const char *to;
    struct sls_outbox_rec msgs[OUTBOX_MAX];
    size_t n, nk;
    struct sls_outbox_rec kept[SLS_DEV_OUTBOX_KEPT];
    struct sls_outbox_rec all[OUTBOX_MAX + SLS_DEV_OUTBOX_KEPT];
};

/* The outbox as sent: the store's rows with each settled one replaced by its
 * copy kept for --dev (its body and code are erased in the store, SPEC
 * §10.3), and kept copies whose row no longer matches `to` (its recipient is
 * masked) or is gone; by id, the newest OUTBOX_MAX. Returns where they start
 * in o->all; *n gets how many. */
static const struct sls_outbox_rec *merge_kept(struct outbox_read *o, size_t *n)
{
    size_t nk = o->nk;
    size_t i = 0, j = 0, m = 0;

    /* Both lists are sorted by id: merge, the kept copy winning a tie. */
    while (i < o->n || j < nk) {
        if (j < nk && (i >= o->n || o->kept[j].id <= o->msgs[i].id)) {
            if (i < o->n && o->msgs[i].id == o->kept[j].id)
                i++;
            o->all[m++] = o->kept[j++];
        } else {
            o->all[m++] = o->msgs[i++];
        }
    }
    *n = m < OUTBOX_MAX ? m : OUTBOX_MAX;
    return o->all + (m - *n);
}

void sls_api_dev_outbox(struct sls_req *rq, struct sls_resp *rs)
{
    struct outbox_read *o = sls_req_alloc(rq, sizeof(*o));
    const struct sls_outbox_rec *msgs;
    json_t *arr;
    char ts[32];
    size_t i, n;

    if (o == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    o->to = sls_req_query(rq, "to");
    if (o->to != NULL && o->to[0] == '\0')
        o->to = NULL;
    if (sls_outbox_read_list(rq->app, o->to, o->msgs, OUTBOX_MAX, &o->n, o->kept,
                             SLS_DEV_OUTBOX_KEPT, &o->nk) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    msgs = merge_kept(o, &n);
    arr = json_array();
    for (i = 0; i < n; i++) {
        json_t *m;
        sls_time_text(msgs[i].at, ts);
        m = json_pack("{s:s, s:s, s:s, s:s}", "to", msgs[i].to, "channel", msgs[i].channel, "body",
                      msgs[i].body, "at", ts);
        if (msgs[i].code[0])
            json_object_set_new(m, "code", json_string(msgs[i].code));
        if (msgs[i].kind[0])
            json_object_set_new(m, "kind", json_string(msgs[i].kind));
        json_array_append_new(arr, m);
    }
    sls_resp_json(rs, 200, arr);
}
