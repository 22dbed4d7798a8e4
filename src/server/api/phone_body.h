/* The {country, number} phone of a request body (R20 activation, R30 SMS
 * enrolment), checked by the rules of core/phone.h; the list of phones on
 * record it may be added to is flows/phones_on_record.h. */
#ifndef SLS_SERVER_PHONE_BODY_H
#define SLS_SERVER_PHONE_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "server/flows/phones_on_record.h"
#include "server/http/http.h"
#include "store/store.h"

/* Reads body field `key` as a phone; answers 400 with the rule broken and
 * returns false when it is missing or malformed. */
bool sls_body_phone(struct sls_req *rq, struct sls_resp *rs, const char *key,
                    struct sls_phone *out);

/* The phone's e164 form with all but the last two digits of the national
 * number shown as '*' ("+41*******89"), for answers naming where a code went. */
void sls_phone_mask(const struct sls_phone *p, char *out, size_t len);

/* Sends a 6-digit code by SMS to p for user u (the one-time code of
 * one_time_code.h under `key`, p kept beside it as JSON, valid [policy]
 * activation_code_ttl), audited as `event`, and answers 202 {to,
 * expires_at}; answers 500 and returns false when it could not. */
bool sls_phone_code_send_or_reply(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_user_rec *u, const struct sls_phone *p,
                                  const char *key, const char *purpose, const char *event);

/* The confirming half of sls_phone_code_send_or_reply: reads the body's
 * "code", checks it under key (code_check.h: a wrong one counts toward the
 * code's tries, audited as event, answered 400 with hint) into c, and gives
 * the number it was sent to in p (e164 filled). Returns false when it has
 * answered. */
bool sls_phone_code_take(struct sls_req *rq, struct sls_resp *rs, const char *key,
                         const char *event, const char *hint, struct sls_secret_rec *c,
                         struct sls_phone *p);

/* The phone as JSON text {"country":..,"number":..} into out. */
int sls_phone_json_text(const struct sls_phone *p, char *out, size_t len);

#endif
