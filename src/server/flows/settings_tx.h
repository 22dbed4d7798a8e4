/* What the settings handlers (R3, R4, R30) share: the primary-user rule, an
 * e-mail written to the outbox in the caller's transaction, and a change put
 * in the security review queue (R4, R31). */
#ifndef SLS_SERVER_SETTINGS_TX_H
#define SLS_SERVER_SETTINGS_TX_H

#include <stdbool.h>

#include "server/http/http.h"
#include "store/store.h"

/* R30: true when u is the primary user of its account. Otherwise answers 403
 * not_primary_user naming the primary user (when there is one) and returns
 * false. */
bool sls_settings_require_primary(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_user_rec *u);

/* Queues an e-mail to `to` of that kind (see struct sls_outbox_rec; code:
 * the code it carries, or NULL). */
int sls_settings_mail(struct sls_db *db, sls_time now, const char *to, const char *kind,
                      const char *body, const char *code);

/* Whether `email` is shaped as an address: one '@' with text on both sides,
 * no spaces or control characters, at most 254 bytes. */
bool sls_settings_email_ok(const char *email);

/* R4 outside SLS: answers 202 {status:"pending_review", review_id}. */
void sls_settings_answer_review(struct sls_resp *rs, int64_t review_id);

#endif
