/* The mobile numbers on record (SPEC §10.3): the only numbers the mobile
 * authenticator's activation code goes to. A logged-in user with a full
 * session adds one: POST /v1/me/phones {phone} (a device change: step-up,
 * R34, when the user holds a device, as for SMS enrolment) sends a 6-digit
 * code by SMS to that number (valid [policy] activation_code_ttl, [policy]
 * code_tries wrong codes, single use; a new request replaces the code);
 * POST /v1/me/phones/confirm {code} adds the number. GET /v1/me/phones lists
 * them masked. A number already on record is refused before any SMS (409),
 * and a user holds at most SLS_PHONES_MAX numbers (409), checked again when
 * the code is confirmed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/phones.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/notice.h"
#include "core/phone.h"
#include "crypto/secmem.h"
#include "server/flows/phone_confirm_tx.h"
#include "server/flows/one_time_code.h"
#include "server/api/phone_body.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"
#include "server/flows/secret_key.h"

#define EVENT      "phone.add"
#define HINT_AGAIN "Ask for a new code"

static void add_key(char *out, size_t len, int64_t user_id)
{
    sls_secret_key_user(out, len, SLS_SECRET_PHONE_ADD, user_id);
}

/* Answers 409 when p cannot be added to phones_json; true when it can. */
static bool may_add(struct sls_resp *rs, const char *phones_json, const struct sls_phone *p)
{
    switch (sls_phone_add_check(sls_phones_count(phones_json),
                                sls_phone_is_on_record(phones_json, p))) {
    case SLS_PHONE_ADD_ON_RECORD:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This mobile number is on record already", NULL);
        return false;
    case SLS_PHONE_ADD_FULL:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "At most 5 mobile numbers are kept on record",
                           "Call the service desk to remove one");
        return false;
    case SLS_PHONE_ADD_OK:
        break;
    }
    return true;
}

/* The phones of phones_json, masked: [{country, number}] with all but the
 * last two digits of the national number hidden. */
static json_t *phones_json_masked(const char *phones_json)
{
    json_error_t jerr;
    json_t *arr = phones_json[0] ? json_loads(phones_json, 0, &jerr) : NULL;
    json_t *out = json_array(), *e;
    struct sls_phone p;
    char mask[64];
    size_t i;

    json_array_foreach(arr, i, e)
    {
        memset(&p, 0, sizeof(p));
        if (!sls_copy(p.country, sizeof(p.country), sls_json_str(e, "country")) ||
            !sls_copy(p.number, sizeof(p.number), sls_json_str(e, "number")))
            continue;
        sls_phone_mask(&p, mask, sizeof(mask));
        json_array_append_new(out, json_pack("{s:s, s:s}", "country", p.country, "masked", mask));
    }
    json_decref(arr);
    return out;
}

void sls_api_me_phones(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;

    sls_resp_json(rs, 200,
                  json_pack("{s:o, s:i}", "phones", phones_json_masked(u->phones_json), "max",
                            SLS_PHONES_MAX));
}

void sls_api_me_phone_add(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_phone phone;
    char key[64];

    /* R34 (the route's gate): a number the activation code may go to is a
     * device change. */
    if (!sls_body_phone(rq, rs, "phone", &phone))
        return;
    if (!may_add(rs, u->phones_json, &phone))
        return;
    add_key(key, sizeof(key), u->id);
    sls_phone_code_send_or_reply(rq, rs, u, &phone, key,
                                 "confirmation code for a new mobile number", EVENT);
}

void sls_api_me_phone_confirm(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_phone_confirm_tx *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_secret_rec *code = sls_req_alloc(rq, sizeof(*code)); /* wiped with the arena */
    char key[64];

    if (t == NULL || code == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    add_key(key, sizeof(key), u->id);
    if (!sls_phone_code_take(rq, rs, key, EVENT, HINT_AGAIN, code, &t->phone))
        return;
    t->key = key;
    t->user_id = u->id;
    t->device = NULL; /* the number alone */
    t->event = EVENT;
    t->now = rq->now;
    if (sls_phone_confirm_tx_apply(rq->app, t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (t->taken) {
        sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code", HINT_AGAIN);
        return;
    }
    if (!may_add(rs, t->u.phones_json, &t->phone))
        return;
    sls_resp_json(
        rs, 201,
        json_pack("{s:o, s:o}", "phone",
                  json_pack("{s:s, s:s}", "country", t->phone.country, "number", t->phone.number),
                  "phones", phones_json_masked(t->phones)));
}
