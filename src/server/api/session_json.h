/* A session as the API shows it (GET /v1/session, GET /v1/me, a login's
 * answer). */
#ifndef SLS_SERVER_API_SESSION_JSON_H
#define SLS_SERVER_API_SESSION_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "store/store.h"

/* The API shape {token?, platform, factor, access, expires_at,
 * restricted_products, paper, verified_until}. */
json_t *sls_session_json(const struct sls_session_rec *s, const char *token, bool sls_member);

#endif
