/* The {country, number} phone of a request body (R20 activation, R30 SMS
 * enrolment), checked by the rules of core/phone.h, and the user's list of
 * phones on record (JSON text) it may be added to. */
#ifndef SLS_SERVER_PHONE_BODY_H
#define SLS_SERVER_PHONE_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "server/http/http.h"
#include "store/store.h"

struct sls_phone {
    char country[8];
    char number[24];
    char e164[40]; /* "+<country><number>" */
};

/* Reads body field `key` as a phone; answers 400 with the rule broken and
 * returns false when it is missing or malformed. */
bool sls_body_phone(struct sls_req *rq, struct sls_resp *rs, const char *key,
                    struct sls_phone *out);

/* Writes phones_json with p appended into out (len bytes) unless it is there
 * already. Returns 1 when added, 0 when already on record, -1 when the
 * result would not fit. */
int sls_phones_add(const char *phones_json, const struct sls_phone *p, char *out, size_t len);

/* The first well-formed phone of phones_json (the user's phones on record)
 * into out. Returns 0, or -1 when there is none. */
int sls_phone_on_record(const char *phones_json, struct sls_phone *out);

/* §10.3: whether p is one of the phones of phones_json (same country and
 * national number). */
bool sls_phone_is_on_record(const char *phones_json, const struct sls_phone *p);

/* How many phones phones_json holds (0 when it is not a JSON array). */
size_t sls_phones_count(const char *phones_json);

/* The phone's e164 form with all but the last two digits of the national
 * number shown as '*' ("+41*******89"), for answers naming where a code went. */
void sls_phone_mask(const struct sls_phone *p, char *out, size_t len);

/* Where the codes of SMS device d go: its own number (kept as its serial,
 * "+<country><number>"), else the first phone of phones_json on record.
 * Returns 0, or -1 when there is none. */
int sls_sms_address(const struct sls_device_rec *d, const char *phones_json, char *out, size_t len);

/* Sends a 6-digit code by SMS to p for user u (the one-time code of
 * one_time_code.h under `key`, p kept beside it as JSON, valid [policy]
 * activation_code_ttl), audited as `event`, and answers 202 {to,
 * expires_at}; answers 500 and returns false when it could not. */
bool sls_phone_code_send_or_reply(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_user_rec *u, const struct sls_phone *p,
                                  const char *key, const char *purpose, const char *event);

/* The phone as JSON text {"country":..,"number":..} into out. */
int sls_phone_json_text(const struct sls_phone *p, char *out, size_t len);

#endif
