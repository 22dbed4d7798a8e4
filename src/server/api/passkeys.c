/* Passkeys over HTTP; see passkeys.h. */
#include "server/api/passkeys.h"

#include <stdio.h>
#include <string.h>

#include "core/device.h"
#include "core/error.h"
#include "crypto/encoding.h"
#include "server/app/app.h"
#include "server/flows/device_auth.h"
#include "server/flows/passkey.h"
#include "server/http/arena.h"
#include "server/http/body.h"

#define LABEL_DEFAULT "Passkey"
#define HINT_AGAIN    "Start again with POST /v1/me/passkeys/options"

/* The user handle: the user's id as 8 big-endian bytes, base64url. */
static void user_handle(int64_t id, char *out, size_t len)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)((uint64_t)id >> (56 - 8 * i));
    if (sls_base64_encode(b, sizeof(b), 1, out, len) != 0)
        out[0] = '\0';
}

void sls_api_passkey_options(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_device_rec *devices =
        sls_req_alloc(rq, sizeof(struct sls_device_rec) * SLS_DEVICE_VIEW_MAX);
    const struct sls_webauthn_config *w = &rq->app->cfg.webauthn;
    char challenge[SLS_PASSKEY_CHALLENGE_TEXT], handle[16];
    size_t n = 0;
    json_t *exclude, *pk;

    /* R34 (the route's gate): adding a device is a device change. */
    if (devices == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (sls_passkey_enrol_begin(rq->app, rq->session->token_hash, rq->user, rq->now, challenge,
                                devices, &n) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    exclude = json_array();
    for (size_t i = 0; i < n; i++)
        if (devices[i].type == SLS_DEVICE_PASSKEY && devices[i].passkey_id[0] != '\0')
            json_array_append_new(exclude, json_pack("{s:s, s:s}", "type", "public-key", "id",
                                                     devices[i].passkey_id));
    user_handle(rq->user->id, handle, sizeof(handle));
    pk = json_pack("{s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:[{s:s, s:i}, {s:s, s:i}], "
                   "s:{s:s, s:s}, s:s, s:o, s:I}",
                   "challenge", challenge, "rp", "id", w->rp_id, "name", w->rp_id, "user", "id",
                   handle, "name", rq->user->username, "displayName", rq->user->username,
                   "pubKeyCredParams", "type", "public-key", "alg", SLS_PASSKEY_ALG_ES256, "type",
                   "public-key", "alg", SLS_PASSKEY_ALG_ED25519, "authenticatorSelection",
                   "userVerification", "required", "residentKey", "preferred", "attestation",
                   "none", "excludeCredentials", exclude, "timeout",
                   (json_int_t)SLS_PASSKEY_ENROL_TTL * 1000);
    sls_resp_json(rs, 200,
                  json_pack("{s:o, s:o}", "publicKey", pk, "expires_at",
                            sls_time_json(rq->now + SLS_PASSKEY_ENROL_TTL)));
}

void sls_api_passkey_register(struct sls_req *rq, struct sls_resp *rs)
{
    struct sls_passkey_register *r = sls_req_alloc(rq, sizeof(*r));
    const char *credential, *label;
    char msg[96];

    if (!sls_body_object_text(rq, rs, "credential", true, SLS_PASSKEY_CREDENTIAL_MAX,
                              &credential) ||
        !sls_body_str(rq, rs, "label", false, 256, &label))
        return;
    if (r == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    if (label == NULL)
        label = LABEL_DEFAULT;
    if (!sls_device_label_ok(label)) {
        sls_resp_error_msg(rs, SLS_ERR_BAD_REQUEST,
                           "Field 'label' holds 1-40 letters, digits, spaces, '-', '_' or '.'",
                           NULL);
        return;
    }
    r->user = rq->user;
    r->token_hash = rq->session->token_hash;
    r->credential = credential;
    r->label = label;
    r->now = rq->now;
    if (sls_passkey_register(rq->app, r) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
        return;
    }
    switch (r->outcome) {
    case SLS_PASSKEY_REGISTERED:
        sls_resp_json(rs, 201,
                      json_pack("{s:s, s:o}", "device_id", r->device.id, "device",
                                sls_device_json(&r->device)));
        return;
    case SLS_PASSKEY_NO_CHALLENGE:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "No passkey registration waits for this session",
                           HINT_AGAIN);
        return;
    case SLS_PASSKEY_TAKEN:
        sls_resp_error_msg(rs, SLS_ERR_CONFLICT, "This passkey is registered already",
                           "Use another passkey");
        return;
    case SLS_PASSKEY_REFUSED:
        snprintf(msg, sizeof(msg), "The passkey was refused: %s",
                 sls_passkey_verdict_name(r->verdict));
        sls_resp_error_msg(rs, SLS_ERR_VERIFICATION_FAILED, msg, HINT_AGAIN);
        return;
    }
}
