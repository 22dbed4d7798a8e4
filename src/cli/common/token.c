/* What the devices of slstoken compute: OCRA responses (through src/crypto),
 * security code card lookups, and random cards and secrets. Keys are decoded
 * into local buffers that are wiped on every path. */
#include "cli/common/token.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/device.h"
#include "crypto/encoding.h"
#include "crypto/ocra.h"
#include "crypto/random.h"
#include "crypto/secmem.h"

#define MAX_OCRA_DIGITS  10
#define MAX_INDEX_DIGITS 4

static const char *const messages[SLS_TOKEN_ERR__COUNT] = {
    [SLS_TOKEN_OK] = "ok",
    [SLS_TOKEN_ERR_TYPE] = "device type has no challenge/response "
                           "(use dsc_plus, dsc, platinum, gold or ibkey)",
    [SLS_TOKEN_ERR_SECRET] = "secret must be hex (an even number of 0-9a-f, at most 128 bytes)",
    [SLS_TOKEN_ERR_PIN] = "a PIN is required (--pin)",
    [SLS_TOKEN_ERR_PIN_FORM] = "PIN must be exactly 4 digits",
    [SLS_TOKEN_ERR_CHALLENGE] = "challenge must be exactly 6 digits",
    [SLS_TOKEN_ERR_SESSION] = "session information is required by this suite (--session)",
    [SLS_TOKEN_ERR_OCRA] = "OCRA suite malformed, or question does not fit it",
    [SLS_TOKEN_ERR_CELLS] = "cells must be a JSON object of 3-digit strings, "
                            "keyed \"1\", \"2\", ...",
    [SLS_TOKEN_ERR_INDEX] = "card index must be a number present on the card",
    [SLS_TOKEN_ERR_COUNT] = "card size must be 1 to 1000 cells",
    [SLS_TOKEN_ERR_BYTES] = "secret size must be 20, 32 or 64 bytes",
    [SLS_TOKEN_ERR_BUFFER] = "output buffer too small",
    [SLS_TOKEN_ERR_NOMEM] = "out of memory",
};

const char *sls_token_err_message(int err)
{
    if (err < 0 || err >= SLS_TOKEN_ERR__COUNT || messages[err] == NULL)
        return "unknown error";
    return messages[err];
}

static bool all_digits(const char *s, size_t len)
{
    if (s == NULL || strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Decodes the key; the caller wipes key. */
static int decode_secret(const char *hex, uint8_t *key, size_t keycap, size_t *keylen)
{
    if (hex == NULL)
        return SLS_TOKEN_ERR_SECRET;
    size_t len = strlen(hex);
    if (len == 0 || len % 2 != 0 || len / 2 > keycap)
        return SLS_TOKEN_ERR_SECRET;
    if (sls_hex_decode(hex, len, key, keycap, keylen) != 0 || *keylen != len / 2)
        return SLS_TOKEN_ERR_SECRET;
    return SLS_TOKEN_OK;
}

/* The DataInput part of a suite (after the second ':'), or NULL. */
static const char *data_input(const char *suite)
{
    const char *a = strchr(suite, ':');
    if (a == NULL)
        return NULL;
    const char *b = strchr(a + 1, ':');
    if (b == NULL || b[1] == '\0')
        return NULL;
    return b + 1;
}

/* The DataInput component of the suite that starts with letter, or NULL. */
static const char *component(const char *suite, char letter)
{
    const char *p = data_input(suite);
    while (p != NULL) {
        if (*p == letter)
            return p;
        p = strchr(p, '-');
        if (p)
            p++;
    }
    return NULL;
}

static int compute(const char *suite, const char *secret_hex, const struct sls_ocra_input *in,
                   char *out, size_t outlen)
{
    uint8_t key[SLS_TOKEN_MAX_SECRET];
    size_t keylen = 0;
    int rc = decode_secret(secret_hex, key, sizeof(key), &keylen);
    if (rc != SLS_TOKEN_OK)
        goto out;
    if (sls_ocra_compute(suite, key, keylen, in, out, outlen) != 0) {
        rc = SLS_TOKEN_ERR_OCRA;
        goto out;
    }
out:
    sls_wipe(key, sizeof(key));
    return rc;
}

int sls_token_respond(const char *type, const char *secret_hex, const char *pin,
                      const char *challenge, char *out, size_t outlen)
{
    enum sls_device_type t;
    if (type == NULL || sls_device_type_parse(type, &t) != 0)
        return SLS_TOKEN_ERR_TYPE;
    const char *suite = sls_device_ocra_suite(t);
    if (suite == NULL)
        return SLS_TOKEN_ERR_TYPE;
    if (outlen <= SLS_TOKEN_RESPONSE_LEN)
        return SLS_TOKEN_ERR_BUFFER;
    if (!all_digits(challenge, SLS_TOKEN_CHALLENGE_LEN))
        return SLS_TOKEN_ERR_CHALLENGE;

    struct sls_ocra_input in = {.question = challenge};
    if (sls_device_pin_on_server(t)) {
        if (pin == NULL)
            return SLS_TOKEN_ERR_PIN;
        if (!all_digits(pin, SLS_TOKEN_PIN_LEN))
            return SLS_TOKEN_ERR_PIN_FORM;
        in.pin = pin;
    }
    return compute(suite, secret_hex, &in, out, outlen);
}

int sls_token_ocra(const struct sls_token_ocra_req *req, char *out, size_t outlen)
{
    if (req->suite == NULL || data_input(req->suite) == NULL || req->question == NULL)
        return SLS_TOKEN_ERR_OCRA;
    if (outlen <= MAX_OCRA_DIGITS)
        return SLS_TOKEN_ERR_BUFFER;
    if (component(req->suite, 'P') != NULL && req->pin == NULL)
        return SLS_TOKEN_ERR_PIN;
    if (component(req->suite, 'S') != NULL && req->session == NULL)
        return SLS_TOKEN_ERR_SESSION;

    struct sls_ocra_input in = {
        .question = req->question,
        .pin = req->pin,
        .counter = req->counter,
        .session = req->session,
        .timesteps = req->timesteps,
    };
    return compute(req->suite, req->secret_hex, &in, out, outlen);
}

int sls_token_time_step(const char *suite, uint64_t *seconds)
{
    if (suite == NULL || data_input(suite) == NULL)
        return SLS_TOKEN_ERR_OCRA;
    const char *t = component(suite, 'T');
    if (t == NULL)
        return 1;
    t++;
    uint64_t n = 0;
    size_t digits = 0;
    for (; *t >= '0' && *t <= '9' && digits < 3; t++, digits++)
        n = n * 10 + (uint64_t)(*t - '0');
    char unit = *t;
    if (digits == 0 || n == 0 || unit == '\0' || (t[1] != '\0' && t[1] != '-'))
        return SLS_TOKEN_ERR_OCRA;
    switch (unit) {
    case 'S':
        if (n > 59)
            return SLS_TOKEN_ERR_OCRA;
        *seconds = n;
        return SLS_TOKEN_OK;
    case 'M':
        if (n > 59)
            return SLS_TOKEN_ERR_OCRA;
        *seconds = n * 60;
        return SLS_TOKEN_OK;
    case 'H':
        if (n > 48)
            return SLS_TOKEN_ERR_OCRA;
        *seconds = n * 3600;
        return SLS_TOKEN_OK;
    default:
        return SLS_TOKEN_ERR_OCRA;
    }
}

/* A card index: 1 to 4 digits, not zero, no leading zero. */
static bool parse_index(const char *s, unsigned *out)
{
    if (s == NULL || s[0] == '\0' || s[0] == '0' || strlen(s) > MAX_INDEX_DIGITS)
        return false;
    unsigned v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (unsigned)(*p - '0');
    }
    *out = v;
    return true;
}

/* Every key a canonical index, every value a 3-digit string. */
static bool cells_well_formed(const json_t *cells)
{
    const char *key;
    json_t *value;
    unsigned idx;
    if (!json_is_object(cells) || json_object_size(cells) == 0)
        return false;
    json_object_foreach((json_t *)cells, key, value)
    {
        if (!parse_index(key, &idx) || !json_is_string(value) ||
            !all_digits(json_string_value(value), SLS_TOKEN_CELL_LEN))
            return false;
    }
    return true;
}

int sls_token_card_lookup(const char *cells_json, const char *index1, const char *index2, char *out,
                          size_t outlen)
{
    int rc = SLS_TOKEN_ERR_CELLS;
    json_t *cells = NULL;
    const char *idx[2] = {index1, index2};
    const char *val[2];

    if (outlen <= 2 * SLS_TOKEN_CELL_LEN)
        return SLS_TOKEN_ERR_BUFFER;
    if (cells_json == NULL)
        goto out;
    cells = json_loads(cells_json, JSON_REJECT_DUPLICATES, NULL);
    if (!cells_well_formed(cells))
        goto out;
    for (int i = 0; i < 2; i++) {
        unsigned n;
        char key[16];
        if (!parse_index(idx[i], &n)) {
            rc = SLS_TOKEN_ERR_INDEX;
            goto out;
        }
        snprintf(key, sizeof(key), "%u", n);
        val[i] = json_string_value(json_object_get(cells, key));
        if (val[i] == NULL) {
            rc = SLS_TOKEN_ERR_INDEX;
            goto out;
        }
    }
    memcpy(out, val[0], SLS_TOKEN_CELL_LEN);
    memcpy(out + SLS_TOKEN_CELL_LEN, val[1], SLS_TOKEN_CELL_LEN);
    out[2 * SLS_TOKEN_CELL_LEN] = '\0';
    rc = SLS_TOKEN_OK;
out:
    json_decref(cells);
    return rc;
}

int sls_token_card_generate(size_t count, json_t **out)
{
    int rc = SLS_TOKEN_ERR_NOMEM;
    json_t *cells = NULL;
    char digits[SLS_TOKEN_CELL_LEN + 1];
    char key[16];

    *out = NULL;
    if (count < 1 || count > SLS_TOKEN_MAX_CELLS)
        return SLS_TOKEN_ERR_COUNT;
    cells = json_object();
    if (cells == NULL)
        goto out;
    for (size_t i = 1; i <= count; i++) {
        sls_random_digits(digits, SLS_TOKEN_CELL_LEN);
        snprintf(key, sizeof(key), "%zu", i);
        if (json_object_set_new(cells, key, json_string(digits)) != 0)
            goto out;
    }
    *out = cells;
    cells = NULL;
    rc = SLS_TOKEN_OK;
out:
    sls_wipe(digits, sizeof(digits));
    json_decref(cells);
    return rc;
}

int sls_token_secret_generate(size_t nbytes, char *out, size_t outlen)
{
    if (nbytes != 20 && nbytes != 32 && nbytes != 64)
        return SLS_TOKEN_ERR_BYTES;
    if (outlen <= 2 * nbytes)
        return SLS_TOKEN_ERR_BUFFER;
    sls_random_hex(out, nbytes);
    return SLS_TOKEN_OK;
}
