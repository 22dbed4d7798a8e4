/* A change that waits in the security review queue (R4, R31): outside SLS a
 * user's e-mail or banking change is not made but asked for, as a review
 * holding what was asked. */
#ifndef SLS_SERVER_REVIEW_REQUEST_H
#define SLS_SERVER_REVIEW_REQUEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"
#include "store/store.h"

/* Inside the caller's transaction: inserts into r a review of `kind` for u at
 * now holding payload (compact JSON; not taken) and secret (secret_len bytes,
 * may be 0), and audits `event` "pending_review" with detail. r->id is the
 * review's id. Returns SLS_OK, SLS_ERR_NOMEM when payload or secret do not
 * fit, or the store's error. */
int sls_review_request(struct sls_db *db, sls_time now, const struct sls_user_rec *u,
                       const char *kind, const json_t *payload, const uint8_t *secret,
                       size_t secret_len, const char *event, const char *detail,
                       struct sls_review_rec *r);

#endif
