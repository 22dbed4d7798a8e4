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
#include "server/api/code_check.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/phone.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/device_auth.h"
#include "server/flows/notice.h"
#include "server/flows/one_time_code.h"
#include "server/api/phone_body.h"
#include "server/flows/session.h"
#include "server/api/step_up.h"

#define EVENT      "sms.enrol"
#define HINT_AGAIN "Ask for a new code"

static void enrol_key(char *out, size_t len, int64_t user_id)
{
    snprintf(out, len, "sms-enroll:%lld", (long long)user_id);
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

struct confirm_tx {
    const char *key;
    struct sls_code_rec code;
    struct sls_phone phone;
    struct sls_device_rec device;
    sls_time now;
    struct sls_user_rec u;
    bool taken;
};

static int confirm_fn(struct sls_db *db, void *arg)
{
    struct confirm_tx *t = arg;
    char phones[SLS_JSON_FIELD_MAX];
    int rc = SLS_DB(db, code_delete, t->key);

    t->taken = rc == SLS_ERR_NOT_FOUND;
    if (t->taken)
        return SLS_OK;
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, t->code.user_id, &t->u);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_insert, &t->device);
    if (rc == SLS_OK && sls_phones_add(t->u.phones_json, &t->phone, phones, sizeof(phones)) == 1)
        rc = SLS_DB(db, user_set_phones, t->u.id, phones);
    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &t->u, SLS_NOTICE_DEVICE_ACTIVATED,
                              sls_notice_device_name(&t->device), t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->u.username, EVENT, "ok", t->device.id);
}

void sls_api_sms_confirm(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_user_rec *u = rq->user;
    struct confirm_tx *t = sls_req_alloc(rq, sizeof(*t));
    const char *code;
    char key[64];
    json_t *pj;
    json_error_t jerr;

    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_body_str(rq, rs, "code", true, 32, &code))
        return;
    enrol_key(key, sizeof(key), u->id);
    if (sls_code_check_answer(rq, rs, key, code, EVENT, HINT_AGAIN, &t->code, NULL) != 0)
        return;
    pj = sls_req_json(rq, json_loads(t->code.data, 0, &jerr));
    snprintf(t->phone.country, sizeof(t->phone.country), "%s", sls_json_str(pj, "country"));
    snprintf(t->phone.number, sizeof(t->phone.number), "%s", sls_json_str(pj, "number"));
    if (sls_phone_e164(t->phone.country, t->phone.number, t->phone.e164, sizeof(t->phone.e164)) !=
        0)
        t->phone.e164[0] = '\0';
    t->key = key;
    t->now = rq->now;
    sls_random_hex(t->device.id, SLS_ID_LEN / 2);
    t->device.user_id = u->id;
    t->device.type = SLS_DEVICE_SMS;
    t->device.state = SLS_DEVSTATE_ACTIVE;
    snprintf(t->device.label, sizeof(t->device.label), "SMS %s", t->phone.e164);
    snprintf(t->device.serial, sizeof(t->device.serial), "%s", t->phone.e164);
    t->device.created_at = rq->now;
    t->device.state_changed_at = rq->now;
    if (sls_store_write(rq->app->store, confirm_fn, t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    if (t->taken) {
        sls_resp_error_msg(rs, SLS_ERR_INVALID_CODE, "Invalid or expired code", HINT_AGAIN);
        return;
    }
    t->device.activated_at = rq->now;
    sls_resp_json(rs, 201, json_pack("{s:o}", "device", sls_device_json(&t->device)));
}
