/* Memory that lives as long as one request: what a handler allocates here is
 * released once, after its answer is set, on every path, so handlers never
 * free by hand. Every block is wiped before it is freed (records with secrets
 * in them need no wipe of their own). An answer must not borrow from it:
 * sls_resp_* copy or take their own memory. */
#ifndef SLS_SERVER_HTTP_ARENA_H
#define SLS_SERVER_HTTP_ARENA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/http/http.h"

/* n zeroed bytes until the request ends, or NULL when memory is short. */
void *sls_req_alloc(struct sls_req *rq, size_t n);

/* A copy of s until the request ends, or NULL when memory is short. */
char *sls_req_strdup(struct sls_req *rq, const char *s);

/* Takes the reference j (which may be NULL) and drops it when the request
 * ends; returns j, so that `x = sls_req_json(rq, json_object())` reads as
 * one step. */
json_t *sls_req_json(struct sls_req *rq, json_t *j);

/* Calls release(p) when the request ends (p may be NULL: nothing then). Last
 * registered, first called. False when memory is short: release(p) has then
 * been called already. */
bool sls_req_defer(struct sls_req *rq, void (*release)(void *), void *p);

/* Releases everything of rq's arena; the HTTP layer calls it after the
 * handler. Safe to call twice. */
void sls_req_release(struct sls_req *rq);

#endif
