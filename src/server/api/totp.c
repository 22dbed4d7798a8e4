/* Authenticator apps over HTTP; see totp.h. */
#include "server/api/totp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "core/error.h"
#include "core/otpauth.h"
#include "core/totp.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/api/qr_svg.h"
#include "server/app/app.h"
#include "server/flows/device_auth.h"
#include "server/flows/totp_enrol_tx.h"
#include "server/http/arena.h"
#include "server/http/body.h"

#define LABEL_DEFAULT "Authenticator app"
#define HINT_AGAIN    "Add the app again with POST /v1/me/totp"

/* The answer of an enrolment: the secret three ways. Wipes what it made. */
static void answer_enrolment(struct sls_req *rq, struct sls_resp *rs, const char *device_id,
                             const uint8_t *seed)
{
    char b32[SLS_TOTP_SECRET_LEN * 8 / 5 + 2];
    char uri[512];
    char *svg = NULL;

    if (sls_base32_encode(seed, SLS_TOTP_SECRET_LEN, b32, sizeof(b32)) != 0 ||
        sls_otpauth_uri(rq->app->cfg.totp_issuer, rq->user->username, b32, uri, sizeof(uri)) != 0 ||
        (svg = sls_qr_svg_new(uri)) == NULL) {
        sls_resp_error(rs, SLS_ERR_INTERNAL, NULL);
    } else {
        sls_resp_json(rs, 201,
                      json_pack("{s:s, s:s, s:s, s:s, s:o}", "device_id", device_id, "otpauth_uri",
                                uri, "qr_svg", svg, "secret", b32, "expires_at",
                                sls_time_json(rq->now + rq->app->cfg.totp_enrol_ttl)));
    }
    if (svg != NULL) {
        sls_wipe(svg, strlen(svg));
        free(svg);
    }
    sls_wipe(b32, sizeof(b32));
    sls_wipe(uri, sizeof(uri));
}

void sls_api_totp_enrol(struct sls_req *rq, struct sls_resp *rs)
{
    uint8_t seed[SLS_TOTP_SECRET_LEN];
    char device_id[SLS_ID_LEN + 1];
    const char *label;
    int rc;

    /* R34 (the route's gate): adding a device is a device change. */
    if (!sls_body_str(rq, rs, "label", false, 256, &label))
        return;
    if (label == NULL)
        label = LABEL_DEFAULT;
    if (!sls_device_label_ok(label)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'label' holds 1-40 letters, digits, spaces, '-', '_' or '.'",
                           NULL);
        return;
    }
    sls_random_bytes(seed, sizeof(seed));
    sls_random_hex(device_id, SLS_ID_LEN / 2);
    rc = sls_totp_enrol_begin(rq->app, rq->user, device_id, label, seed, sizeof(seed), rq->now);
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        answer_enrolment(rq, rs, device_id, seed);
    sls_wipe(seed, sizeof(seed));
}

void sls_api_totp_confirm(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_totp_confirm *t = sls_req_alloc(rq, sizeof(*t)); /* wiped with the arena */
    const char *code;

    if (!sls_body_str(rq, rs, "code", true, 64, &code))
        return;
    if (t == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (!sls_id_valid(rq->params[0])) {
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No authenticator app waits for this id",
                           HINT_AGAIN);
        return;
    }
    t->user = rq->user;
    t->device_id = rq->params[0];
    t->code = code;
    t->now = rq->now;
    if (sls_totp_enrol_confirm(rq->app, t) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    switch (t->outcome) {
    case SLS_TOTP_CONFIRMED:
        sls_resp_json(rs, 201, json_pack("{s:o}", "device", sls_device_json(&t->device)));
        return;
    case SLS_TOTP_NO_ENROLMENT:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No authenticator app waits for this id",
                           HINT_AGAIN);
        return;
    case SLS_TOTP_WRONG_LAST:
        sls_resp_error(rs, SLS_ERR_INVALID_CODE, HINT_AGAIN);
        return;
    case SLS_TOTP_WRONG_CODE:
        sls_resp_error(rs, SLS_ERR_INVALID_CODE,
                       "Type the 6 digits the app shows now, without spaces");
        return;
    }
}
