/* JSON body field getters with bounds; see body.h. */
#include "server/http/body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "server/http/arena.h"

static bool fail(struct sls_resp *rs, const char *key, const char *what)
{
    char msg[160];

    snprintf(msg, sizeof(msg), "Field '%s' %s", key, what);
    sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, msg, NULL);
    return false;
}

bool sls_body_str(struct sls_req *rq, struct sls_resp *rs, const char *key, bool required,
                  size_t maxlen, const char **out)
{
    json_t *v = json_object_get(rq->body, key);

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return required ? fail(rs, key, "is required") : true;
    if (!json_is_string(v))
        return fail(rs, key, "must be a string");
    if (json_string_length(v) > maxlen)
        return fail(rs, key, "is too long");
    *out = json_string_value(v);
    return true;
}

bool sls_body_object_text(struct sls_req *rq, struct sls_resp *rs, const char *key, bool required,
                          size_t maxlen, const char **out)
{
    json_t *v = json_object_get(rq->body, key);
    char *text;

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return required ? fail(rs, key, "is required") : true;
    if (!json_is_object(v))
        return fail(rs, key, "must be an object");
    text = json_dumps(v, JSON_COMPACT);
    if (text == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    if (strlen(text) > maxlen) {
        free(text);
        return fail(rs, key, "is too long");
    }
    *out = sls_req_strdup(rq, text);
    free(text);
    if (*out == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return false;
    }
    return true;
}

bool sls_body_bool(struct sls_req *rq, struct sls_resp *rs, const char *key, bool dflt, bool *out)
{
    json_t *v = json_object_get(rq->body, key);

    *out = dflt;
    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_boolean(v))
        return fail(rs, key, "must be true or false");
    *out = json_is_true(v);
    return true;
}

bool sls_body_int(struct sls_req *rq, struct sls_resp *rs, const char *key, bool required,
                  int64_t min, int64_t max, int64_t dflt, int64_t *out)
{
    json_t *v = json_object_get(rq->body, key);

    *out = dflt;
    if (v == NULL || json_is_null(v))
        return required ? fail(rs, key, "is required") : true;
    if (!json_is_integer(v))
        return fail(rs, key, "must be an integer");
    if (json_integer_value(v) < min || json_integer_value(v) > max)
        return fail(rs, key, "is out of range");
    *out = json_integer_value(v);
    return true;
}

const char *sls_json_str(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));

    return v != NULL ? v : "";
}

bool sls_copy(char *dst, size_t dstlen, const char *src)
{
    size_t n = strlen(src);

    if (n >= dstlen)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

json_t *sls_time_json(sls_time t)
{
    char ts[SLS_TIME_TEXT];

    sls_time_text(t, ts);
    return json_string(ts);
}
