/* Reading fields of a JSON request body with types and bounds checked. Each
 * getter answers the request with a 400 naming the field and returns false
 * when the field is missing (if required), of the wrong type or out of bounds.
 * Also the checks of ids in paths and the time shape the answers share. */
#ifndef SLS_SERVER_BODY_H
#define SLS_SERVER_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/http/http.h"
#include "core/id.h"
#include "core/time.h"

/* *out is borrowed from the body (NULL when absent and optional). */
bool sls_body_str(struct sls_req *rq, struct sls_resp *rs, const char *key, bool required,
                  size_t maxlen, const char **out);
bool sls_body_bool(struct sls_req *rq, struct sls_resp *rs, const char *key, bool dflt, bool *out);
bool sls_body_int(struct sls_req *rq, struct sls_resp *rs, const char *key, bool required,
                  int64_t min, int64_t max, int64_t dflt, int64_t *out);

/* An object member key as compact JSON text in the request's arena (at most
 * maxlen bytes), NULL when absent and optional. */
bool sls_body_object_text(struct sls_req *rq, struct sls_resp *rs, const char *key, bool required,
                          size_t maxlen, const char **out);

/* Copies src into a fixed buffer; false when it does not fit. */
bool sls_copy(char *dst, size_t dstlen, const char *src);

/* The string member key of o, or "" when o has none (o may be NULL). */
const char *sls_json_str(const json_t *o, const char *key);

/* sls_time_text (core/time.h) as a JSON string. */
json_t *sls_time_json(sls_time t);

#endif
