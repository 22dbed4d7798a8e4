/* R30 SMS enrolment for new applicants: POST /v1/me/sms/enroll {phone}
 * sends a 6-digit code by SMS to that phone (valid [policy]
 * activation_code_ttl, [policy] code_tries wrong codes); POST
 * /v1/me/sms/confirm {code} creates the active SMS device, which sends its
 * login codes to that number (kept as its serial, "+<country><number>"), and
 * adds the phone to those on record. One enrolment per user at a time: a new
 * enroll replaces the code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/sms.h"
#include "server/app/app.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/phone.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/phone_confirm_tx.h"
#include "server/flows/one_time_code.h"
#include "server/api/phone_body.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"
#include "server/flows/secret_key.h"

#define EVENT      "sms.enrol"
#define HINT_AGAIN "Ask for a new code"

static void enrol_key(char *out, size_t len, int64_t user_id)
{
    sls_secret_key_user(out, len, SLS_SECRET_SMS_ENROLL, user_id);
}

void sls_api_sms_enroll(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_phone phone;
    char key[64];

    /* R34 (the route's gate): adding a device is a device change. A new
     * applicant without any device (outside SLS) has nothing to step up
     * with and goes ahead. */
    if (!sls_body_phone(rq, rs, "phone", &phone))
        return;
    enrol_key(key, sizeof(key), u->id);
    sls_phone_code_send_or_reply(rq, rs, u, &phone, key, "enrolment code", EVENT);
}

void sls_api_sms_confirm(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct sls_phone_confirm_tx *t = sls_req_alloc(rq, sizeof(*t));
    struct sls_secret_rec *c = sls_req_alloc(rq, sizeof(*c)); /* wiped with the arena */
    struct sls_device_rec *d = sls_req_alloc(rq, sizeof(*d));
    char key[64];

    if (t == NULL || c == NULL || d == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    enrol_key(key, sizeof(key), u->id);
    if (!sls_phone_code_take(rq, rs, key, EVENT, HINT_AGAIN, c, &t->phone))
        return;
    sls_random_hex(d->id, SLS_ID_LEN / 2);
    d->user_id = u->id;
    d->type = SLS_DEVICE_SMS;
    d->state = SLS_DEVSTATE_ACTIVE;
    snprintf(d->label, sizeof(d->label), "SMS %s", t->phone.e164);
    snprintf(d->serial, sizeof(d->serial), "%s", t->phone.e164);
    d->created_at = rq->now;
    d->state_changed_at = rq->now;
    t->key = key;
    t->user_id = c->user_id;
    t->device = d;
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
    d->activated_at = rq->now;
    sls_resp_json(rs, 201, json_pack("{s:o}", "device", sls_device_json(d)));
}
