/* slsctl's commands for the security review queue (R4, R31): e-mail and
 * banking changes of users outside SLS wait there for an agent.
 *   review list [--state pending|approved|denied|all]  GET /v1/admin/reviews?state=
 *   review approve ID                                  POST /v1/admin/reviews/ID/approve
 *   review deny ID                                     POST /v1/admin/reviews/ID/deny
 * Requests are only built here; slsctl.c sends them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/ctl_internal.h"
#include "cli/common/table.h"

#define REVIEW_ID_MAX 999999999999ULL

static const char *str_or(const json_t *obj, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : fallback;
}

/* ---- review list ---- */

static const struct sls_args_opt list_opts[] = {
    {"state", SLS_ARGS_VALUE},
};

static int build_list(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                      size_t errlen)
{
    static const char *const states[] = {"pending", "approved", "denied", "all"};
    const char *state = sls_args_get(a, "state");
    size_t i;

    if (state == NULL)
        state = "pending";
    for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        if (strcmp(state, states[i]) == 0)
            break;
    if (i == sizeof(states) / sizeof(states[0])) {
        snprintf(err, errlen, "--state must be pending, approved, denied or all");
        return -1;
    }
    snprintf(req->path, sizeof(req->path), "/v1/admin/reviews?state=%s", states[i]);
    req->method = "GET";
    req->needs_token = true;
    return 0;
}

/* The change a review asks for, in a few words: "new_email=b@example.org". */
static char *change_text(const json_t *change)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    const char *key;
    json_t *v;
    bool first = true;

    if (f == NULL)
        return NULL;
    json_object_foreach((json_t *)change, key, v)
    {
        char *text = sls_ctl_text_of(v);
        fprintf(f, "%s%s=%s", first ? "" : " ", key, text ? text : "?");
        free(text);
        first = false;
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static void print_list(const struct sls_args *a, const struct sls_ctl_request *req,
                       const json_t *answer, FILE *out)
{
    static const char *const cols[] = {"id",     "kind",       "username",  "state",
                                       "change", "created_at", "decided_by"};
    enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
    const char *head[NCOLS] = {"ID", "KIND", "USER", "STATE", "CHANGE", "CREATED", "DECIDED BY"};
    const json_t *reviews = json_object_get(answer, "reviews");
    const char *state = sls_args_get(a, "state");
    struct sls_table *t;
    size_t i;
    json_t *r;

    (void)req;
    if (json_array_size(reviews) == 0) {
        fprintf(out, "no reviews (%s)\n", state ? state : "pending");
        return;
    }
    t = sls_table_new(NCOLS);
    if (t == NULL)
        return;
    sls_table_add_row(t, head);
    json_array_foreach(reviews, i, r)
    {
        char *cell[NCOLS];
        for (size_t j = 0; j < NCOLS; j++) {
            const json_t *v = json_object_get(r, cols[j]);
            cell[j] = strcmp(cols[j], "change") == 0 ? change_text(v) : sls_ctl_text_of(v);
        }
        sls_table_add_row(t, (const char *const *)cell);
        for (size_t j = 0; j < NCOLS; j++)
            free(cell[j]);
    }
    sls_table_print(t, out);
    sls_table_free(t);
}

/* ---- review approve / deny ---- */

static int build_decision(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                          size_t errlen, const char *verb)
{
    uint64_t id;

    if (sls_args_u64(a->pos[0], 1, REVIEW_ID_MAX, &id) != 0) {
        snprintf(err, errlen, "the review ID must be a number from 1 (see review list)");
        return -1;
    }
    snprintf(req->path, sizeof(req->path), "/v1/admin/reviews/%" PRIu64 "/%s", id, verb);
    req->method = "POST";
    req->needs_token = true;
    req->body = json_object();
    if (req->body == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static int build_approve(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                         size_t errlen)
{
    return build_decision(a, req, err, errlen, "approve");
}

static int build_deny(const struct sls_args *a, struct sls_ctl_request *req, char *err,
                      size_t errlen)
{
    return build_decision(a, req, err, errlen, "deny");
}

/* "review 3 approved by agent:ann: email change of olive (new_email=...)" */
static void print_decision(const struct sls_args *a, const struct sls_ctl_request *req,
                           const json_t *answer, FILE *out)
{
    const json_t *id = json_object_get(answer, "id");
    char *change = change_text(json_object_get(answer, "change"));

    (void)a;
    (void)req;
    fputs("review ", out);
    if (json_is_integer(id))
        fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
    else
        fputc('?', out);
    fputc(' ', out);
    sls_ctl_put_clean(str_or(answer, "state", "?"), out);
    fputs(" by ", out);
    sls_ctl_put_clean(str_or(answer, "decided_by", "?"), out);
    fputs(": ", out);
    sls_ctl_put_clean(str_or(answer, "kind", "?"), out);
    fputs(" change of ", out);
    sls_ctl_put_clean(str_or(answer, "username", "?"), out);
    if (change != NULL && change[0] != '\0') {
        fputs(" (", out);
        sls_ctl_put_clean(change, out);
        fputc(')', out);
    }
    fputc('\n', out);
    free(change);
}

#define OPTS(o) o, sizeof(o) / sizeof(o[0])

const struct sls_ctl_command sls_ctl_review_commands[] = {
    {{"review list", "[--state pending|approved|denied|all]",
      "list the security review queue (R4: changes of users outside SLS); pending by default"},
     OPTS(list_opts),
     0,
     0,
     build_list,
     print_list,
     NULL},
    {{"review approve", "ID", "approve a review: the change applies and the user is told"},
     NULL,
     0,
     1,
     1,
     build_approve,
     print_decision,
     NULL},
    {{"review deny", "ID", "deny a review: nothing changes and the user is told"},
     NULL,
     0,
     1,
     1,
     build_deny,
     print_decision,
     NULL},
};

const size_t sls_ctl_review_ncommands =
    sizeof(sls_ctl_review_commands) / sizeof(sls_ctl_review_commands[0]);
