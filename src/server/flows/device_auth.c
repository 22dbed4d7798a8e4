/* Challenges and response checks per device kind; see device_auth.h. */
#include "server/flows/device_auth.h"
#include "server/app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "crypto/ocra.h"
#include "crypto/random.h"
#include "crypto/seal.h"
#include "crypto/secmem.h"
#include "server/flows/sealed_digest.h"
#include "server/flows/secret_key.h"
#include "server/flows/passkey.h"
#include "server/flows/totp_check.h"

int sls_device_seal(const struct sls_app *app, struct sls_device_rec *d, bool pin,
                    const uint8_t *plain, size_t len)
{
    uint8_t *out = pin ? d->pin : d->secret;
    size_t cap = pin ? sizeof(d->pin) : sizeof(d->secret);
    size_t *outlen = pin ? &d->pin_len : &d->secret_len;

    if (sls_seal(&app->key, plain, len, out, cap, outlen) != 0)
        return SLS_ERR_BAD_REQUEST;
    return SLS_OK;
}

/* Opens a sealed field into out; returns its length or -1. */
static long unseal(const struct sls_app *app, const uint8_t *sealed, size_t len, uint8_t *out,
                   size_t outlen)
{
    size_t n = 0;

    if (len == 0 || sls_unseal(&app->key, sealed, len, out, outlen, &n) != 0)
        return -1;
    return (long)n;
}

long sls_device_secret_open(const struct sls_app *app, const struct sls_device_rec *d, uint8_t *out,
                            size_t cap)
{
    return unseal(app, d->secret, d->secret_len, out, cap);
}

bool sls_device_pin_matches(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *pin)
{
    uint8_t plain[64];
    long n = unseal(app, d->pin, d->pin_len, plain, sizeof(plain));
    bool ok = n > 0 && sls_ct_streq((const char *)plain, (size_t)n, pin, strlen(pin));

    sls_wipe(plain, sizeof(plain));
    return ok;
}

int sls_device_challenge_new(const struct sls_app *app, const struct sls_device_rec *d,
                             char *challenge, size_t len, enum sls_challenge_kind *kind)
{
    *kind = sls_device_challenge_kind(d->type);
    switch (*kind) {
    case SLS_CHALLENGE_RESPONSE:
        if (len < 7)
            return SLS_ERR_INTERNAL;
        sls_random_digits(challenge, 6);
        return SLS_OK;
    case SLS_CHALLENGE_CARD: {
        uint8_t cells[3 * SLS_CARD_MAX_CELLS];
        long n = unseal(app, d->secret, d->secret_len, cells, sizeof(cells));
        uint32_t ncells, a, b;
        sls_wipe(cells, sizeof(cells));
        if (n < 6 || n % 3 != 0)
            return SLS_ERR_BAD_REQUEST;
        ncells = (uint32_t)(n / 3);
        a = sls_random_uniform(ncells) + 1;
        b = sls_random_uniform(ncells - 1) + 1;
        if (b >= a)
            b++;
        snprintf(challenge, len, "%u,%u", a, b);
        return SLS_OK;
    }
    case SLS_CHALLENGE_STATIC:
        if (len < 1)
            return SLS_ERR_INTERNAL;
        challenge[0] = '\0';
        return SLS_OK;
    case SLS_CHALLENGE_APP_CODE:
        /* Nothing to send or show: the app's current code answers. */
        if (len < 4)
            return SLS_ERR_INTERNAL;
        snprintf(challenge, len, "app");
        return SLS_OK;
    case SLS_CHALLENGE_WEBAUTHN: {
        /* A passkey signs 32 random bytes, used once with the login or
         * step-up that holds them. */
        uint8_t raw[SLS_PASSKEY_CHALLENGE_BYTES];
        char text[SLS_PASSKEY_CHALLENGE_TEXT];

        if (len < SLS_PASSKEY_CHALLENGE_TEXT)
            return SLS_ERR_INTERNAL;
        sls_passkey_challenge_new(raw, text);
        snprintf(challenge, len, "%s", text);
        sls_wipe(raw, sizeof(raw));
        return text[0] != '\0' ? SLS_OK : SLS_ERR_INTERNAL;
    }
    default:
        return SLS_ERR_BAD_REQUEST;
    }
}

int sls_device_manual_challenge_new(const struct sls_app *app, const struct sls_device_rec *d,
                                    char *challenge, size_t len, enum sls_challenge_kind *kind)
{
    if (sls_device_challenge_kind(d->type) == SLS_CHALLENGE_PUSH) {
        if (len < 7)
            return SLS_ERR_INTERNAL;
        *kind = SLS_CHALLENGE_RESPONSE;
        sls_random_digits(challenge, 6);
        return SLS_OK;
    }
    return sls_device_challenge_new(app, d, challenge, len, kind);
}

static bool check_ocra(const struct sls_app *app, const struct sls_device_rec *d,
                       const char *challenge, const char *response)
{
    uint8_t key[128], pin[64];
    char pinstr[65];
    char expected[16];
    struct sls_ocra_input in;
    const char *suite = sls_device_ocra_suite(d->type);
    long keylen, pinlen = 0;
    bool ok = false;

    memset(&in, 0, sizeof(in));
    keylen = unseal(app, d->secret, d->secret_len, key, sizeof(key));
    if (suite == NULL || keylen <= 0)
        goto out;
    if (sls_device_pin_on_server(d->type)) {
        pinlen = unseal(app, d->pin, d->pin_len, pin, sizeof(pin) - 1);
        if (pinlen <= 0)
            goto out;
        memcpy(pinstr, pin, (size_t)pinlen);
        pinstr[pinlen] = '\0';
        in.pin = pinstr;
    }
    in.question = challenge;
    if (sls_ocra_compute(suite, key, (size_t)keylen, &in, expected, sizeof(expected)) != 0)
        goto out;
    ok = sls_ct_streq(response, strlen(response), expected, strlen(expected));
out:
    sls_wipe(key, sizeof(key));
    sls_wipe(pin, sizeof(pin));
    sls_wipe(pinstr, sizeof(pinstr));
    sls_wipe(expected, sizeof(expected));
    return ok;
}

static bool check_card(const struct sls_app *app, const struct sls_device_rec *d,
                       const char *challenge, const char *response)
{
    uint8_t cells[3 * SLS_CARD_MAX_CELLS];
    char expected[7];
    unsigned a = 0, b = 0;
    long n = unseal(app, d->secret, d->secret_len, cells, sizeof(cells));
    bool ok = false;

    if (n < 6 || n % 3 != 0 || sscanf(challenge, "%u,%u", &a, &b) != 2 || a < 1 || b < 1 ||
        a > (unsigned long)n / 3 || b > (unsigned long)n / 3)
        goto out;
    memcpy(expected, cells + 3 * (a - 1), 3);
    memcpy(expected + 3, cells + 3 * (b - 1), 3);
    expected[6] = '\0';
    ok = sls_ct_streq(response, strlen(response), expected, 6);
out:
    sls_wipe(cells, sizeof(cells));
    sls_wipe(expected, sizeof(expected));
    return ok;
}

int sls_device_passcode_set(const struct sls_app *app, struct sls_device_rec *d,
                            const char *passcode)
{
    if (sls_sealed_digest_make(&app->key, d->id, passcode, d->secret, sizeof(d->secret),
                               &d->secret_len) != 0)
        return SLS_ERR_INTERNAL;
    return SLS_OK;
}

static bool check_static(const struct sls_app *app, const struct sls_device_rec *d,
                         const char *response)
{
    return d->type == SLS_DEVICE_TEMP_PASSCODE &&
           sls_sealed_digest_matches(&app->key, d->id, response, d->secret, d->secret_len);
}

bool sls_device_response_ok(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *challenge, const char *response)
{
    if (!sls_response_well_formed(d->type, response, strlen(response)))
        return false;
    switch (sls_device_challenge_kind(d->type)) {
    case SLS_CHALLENGE_RESPONSE:
    case SLS_CHALLENGE_PUSH: /* the ibkey fallback: OCRA over a 6-digit challenge */
        return check_ocra(app, d, challenge, response);
    case SLS_CHALLENGE_CARD:
        return check_card(app, d, challenge, response);
    case SLS_CHALLENGE_STATIC:
        return check_static(app, d, response);
    default:
        return false;
    }
}

int sls_device_answer_check(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *challenge, const char *response, sls_time now, bool *right)
{
    if (sls_device_challenge_kind(d->type) == SLS_CHALLENGE_APP_CODE)
        return sls_totp_check(app, d, response, now, right);
    if (sls_device_challenge_kind(d->type) == SLS_CHALLENGE_WEBAUTHN)
        return sls_passkey_answer_check(app, d, challenge, response, now, right);
    *right = sls_device_response_ok(app, d, challenge, response);
    return SLS_OK;
}

json_t *sls_challenge_json(enum sls_challenge_kind kind, const char *challenge)
{
    json_t *o = json_object();
    unsigned a = 0, b = 0;

    json_object_set_new(o, "kind", json_string(sls_challenge_kind_name(kind)));
    if (kind == SLS_CHALLENGE_RESPONSE) {
        json_object_set_new(o, "challenge", json_string(challenge));
    } else if (kind == SLS_CHALLENGE_PUSH) {
        json_object_set_new(o, "push_id", json_string(challenge));
    } else if (kind == SLS_CHALLENGE_CODE) {
        json_object_set_new(o, "channel", json_string(challenge));
    } else if (kind == SLS_CHALLENGE_APP_CODE) {
        json_object_set_new(o, "channel", json_string("app"));
    } else if (kind == SLS_CHALLENGE_CARD && sscanf(challenge, "%u,%u", &a, &b) == 2) {
        json_object_set_new(o, "indexes", json_pack("[II]", (json_int_t)a, (json_int_t)b));
    }
    return o;
}

json_t *sls_device_challenge_json(const struct sls_app *app, const struct sls_device_rec *d,
                                  enum sls_challenge_kind kind, const char *challenge)
{
    json_t *o = sls_challenge_json(kind, challenge);

    if (kind == SLS_CHALLENGE_WEBAUTHN && d->type == SLS_DEVICE_PASSKEY)
        json_object_set_new(o, "publicKey",
                            json_pack("{s:s, s:s, s:[{s:s, s:s}], s:s, s:I}", "challenge",
                                      challenge, "rpId", app->cfg.webauthn.rp_id,
                                      "allowCredentials", "type", "public-key", "id", d->passkey_id,
                                      "userVerification", "required", "timeout",
                                      (json_int_t)app->cfg.challenge_ttl * 1000));
    return o;
}

void sls_challenge_json_number(json_t *o, int number)
{
    if (number != 0)
        json_object_set_new(o, "number", json_integer(number));
}

json_t *sls_device_json(const struct sls_device_rec *d)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i}", "id", d->id, "type",
                     sls_device_type_name(d->type), "label", d->label, "state",
                     sls_device_state_name(d->state), "strength", sls_device_strength(d->type));
}

void sls_card_activation_key(char *out, size_t len, const char *card_id)
{
    sls_secret_key(out, len, SLS_SECRET_CARD_ACTIVATION, card_id);
}
