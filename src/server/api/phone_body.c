/* Phones in request bodies and on record; see phone_body.h. */
#include "server/api/phone_body.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/phone.h"
#include "server/api/code_check.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "server/flows/one_time_code.h"

bool sls_body_phone(struct sls_req *rq, struct sls_resp *rs, const char *key, struct sls_phone *out)
{
    json_t *o = json_object_get(rq->body, key);
    json_t *jc = json_object_get(o, "country"), *jn = json_object_get(o, "number");
    enum sls_phone_verdict v;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(o) || !json_is_string(jc) || !json_is_string(jn)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'phone' must be {country, number} with two strings",
                           "For example {\"country\": \"1\", \"number\": \"2125551234\"}");
        return false;
    }
    if (json_string_length(jc) >= sizeof(out->country) ||
        json_string_length(jn) >= sizeof(out->number) ||
        strlen(json_string_value(jc)) != json_string_length(jc) ||
        strlen(json_string_value(jn)) != json_string_length(jn)) {
        v = json_string_length(jc) >= sizeof(out->country) ? SLS_PHONE_COUNTRY_BAD
                                                           : SLS_PHONE_LENGTH;
    } else {
        v = sls_phone_check(json_string_value(jc), json_string_value(jn));
    }
    if (v != SLS_PHONE_OK) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST, sls_phone_message(v),
                           "Digits only, without the trunk prefix 0 and without spaces");
        return false;
    }
    snprintf(out->country, sizeof(out->country), "%s", json_string_value(jc));
    snprintf(out->number, sizeof(out->number), "%s", json_string_value(jn));
    return sls_phone_e164(out->country, out->number, out->e164, sizeof(out->e164)) == 0;
}

int sls_phone_json_text(const struct sls_phone *p, char *out, size_t len)
{
    int n = snprintf(out, len, "{\"country\":\"%s\",\"number\":\"%s\"}", p->country, p->number);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

void sls_phone_mask(const struct sls_phone *p, char *out, size_t len)
{
    size_t n = strlen(p->number), i, pos;

    pos = (size_t)snprintf(out, len, "+%s", p->country);
    for (i = 0; i < n && pos + 1 < len; i++, pos++)
        out[pos] = i + 2 < n ? '*' : p->number[i];
    if (pos < len)
        out[pos] = '\0';
}

bool sls_phone_code_send_or_reply(struct sls_req *rq, struct sls_resp *rs,
                                  const struct sls_user_rec *u, const struct sls_phone *p,
                                  const char *key, const char *purpose, const char *event)
{
    struct sls_code_send cs;
    sls_time expires_at = 0;
    char data[128];

    if (sls_phone_json_text(p, data, sizeof(data)) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return false;
    }
    memset(&cs, 0, sizeof(cs));
    cs.key = key;
    cs.user_id = u->id;
    cs.data = data;
    cs.to = p->e164;
    cs.channel = "sms";
    cs.purpose = purpose;
    cs.ttl = rq->app->cfg.activation_code_ttl;
    if (sls_code_send_tx(rq->app, &cs, NULL, u->username, event, rq->now, &expires_at) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return false;
    }
    sls_resp_json(rs, 202,
                  json_pack("{s:s, s:o}", "to", p->e164, "expires_at", sls_time_json(expires_at)));
    return true;
}

bool sls_phone_code_take(struct sls_req *rq, struct sls_resp *rs, const char *key,
                         const char *event, const char *hint, struct sls_secret_rec *c,
                         struct sls_phone *p)
{
    const char *typed;
    json_t *pj;
    json_error_t jerr;

    if (!sls_body_str(rq, rs, "code", true, 32, &typed))
        return false;
    if (sls_code_check_answer(rq, rs, key, typed, event, hint, c, NULL) != 0)
        return false;
    /* The number was kept beside the code when it was sent: ours, not the
     * client's, so a failure here is an error of ours. */
    pj = sls_req_json(rq, json_loads(c->data, 0, &jerr));
    if (!sls_copy(p->country, sizeof(p->country), sls_json_str(pj, "country")) ||
        !sls_copy(p->number, sizeof(p->number), sls_json_str(pj, "number")) ||
        sls_phone_e164(p->country, p->number, p->e164, sizeof(p->e164)) != 0) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
        return false;
    }
    return true;
}
