/* Security device kinds (SPEC §4): names, strength, how each answers a login,
 * the default device (R7), and response shapes and hints (R6). */
#include "device.h"

#include <limits.h>
#include <string.h>

struct device_entry {
    const char *name;
    int strength;
    bool legacy;
    bool permanent;
    enum sls_challenge_kind kind;
    const char *ocra_suite;
    bool pin_on_server;
};

#define SUITE_PIN    "OCRA-1:HOTP-SHA1-8:QN06-PSHA1"
#define SUITE_NO_PIN "OCRA-1:HOTP-SHA1-8:QN06"
#define SUITE_IBKEY  "OCRA-1:HOTP-SHA256-8:QN06"

static const struct device_entry devices[SLS_DEVICE__COUNT] = {
    [SLS_DEVICE_NONE] = {"none", 0, false, false, SLS_CHALLENGE_STATIC, NULL, false},
    [SLS_DEVICE_SMS] = {"sms", 2, false, true, SLS_CHALLENGE_CODE, NULL, false},
    [SLS_DEVICE_SCC] = {"scc", 2, true, true, SLS_CHALLENGE_CARD, NULL, false},
    [SLS_DEVICE_IBKEY] = {"ibkey", 4, false, true, SLS_CHALLENGE_PUSH, SUITE_IBKEY, false},
    [SLS_DEVICE_DSC] = {"dsc", 5, true, true, SLS_CHALLENGE_RESPONSE, SUITE_PIN, true},
    [SLS_DEVICE_DSC_PLUS] = {"dsc_plus", 6, false, true, SLS_CHALLENGE_RESPONSE, SUITE_PIN, true},
    [SLS_DEVICE_PLATINUM] = {"platinum", 6, true, true, SLS_CHALLENGE_RESPONSE, SUITE_NO_PIN,
                             false},
    [SLS_DEVICE_GOLD] = {"gold", 6, true, true, SLS_CHALLENGE_RESPONSE, SUITE_NO_PIN, false},
    [SLS_DEVICE_TEMP_PASSCODE] = {"temporary_passcode", 1, false, false, SLS_CHALLENGE_STATIC, NULL,
                                  false},
    [SLS_DEVICE_ONLINE_CARD] = {"online_card", 1, false, false, SLS_CHALLENGE_CARD, NULL, false},
    [SLS_DEVICE_TOTP] = {"totp", 3, false, true, SLS_CHALLENGE_APP_CODE, NULL, false},
    [SLS_DEVICE_PASSKEY] = {"passkey", 6, false, true, SLS_CHALLENGE_WEBAUTHN, NULL, false},
};

static const char *const state_names[SLS_DEVSTATE__COUNT] = {
    [SLS_DEVSTATE_ACTIVE] = "active",     [SLS_DEVSTATE_SHIPPED] = "shipped",
    [SLS_DEVSTATE_INACTIVE] = "inactive", [SLS_DEVSTATE_LOST] = "lost",
    [SLS_DEVSTATE_RETURNED] = "returned",
};

static const char *const kind_names[SLS_CHALLENGE__COUNT] = {
    [SLS_CHALLENGE_RESPONSE] = "challenge_response",
    [SLS_CHALLENGE_CARD] = "card",
    [SLS_CHALLENGE_CODE] = "code",
    [SLS_CHALLENGE_PUSH] = "push",
    [SLS_CHALLENGE_STATIC] = "static",
    [SLS_CHALLENGE_APP_CODE] = "code",
    [SLS_CHALLENGE_WEBAUTHN] = "webauthn",
};

/* Returned for values outside an enum, so that names are never NULL. */
static const char unknown[] = "unknown";

static bool valid_type(enum sls_device_type t)
{
    return (int)t >= 0 && t < SLS_DEVICE__COUNT;
}

const char *sls_device_type_name(enum sls_device_type t)
{
    return valid_type(t) ? devices[t].name : unknown;
}

int sls_device_type_parse(const char *name, enum sls_device_type *out)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < SLS_DEVICE__COUNT; i++) {
        if (strcmp(name, devices[i].name) == 0) {
            *out = (enum sls_device_type)i;
            return 0;
        }
    }
    return -1;
}

const char *sls_device_state_name(enum sls_device_state s)
{
    return (int)s >= 0 && s < SLS_DEVSTATE__COUNT ? state_names[s] : unknown;
}

int sls_device_state_parse(const char *name, enum sls_device_state *out)
{
    if (name == NULL) {
        return -1;
    }
    for (int i = 0; i < SLS_DEVSTATE__COUNT; i++) {
        if (strcmp(name, state_names[i]) == 0) {
            *out = (enum sls_device_state)i;
            return 0;
        }
    }
    return -1;
}

const char *sls_challenge_kind_name(enum sls_challenge_kind k)
{
    return (int)k >= 0 && k < SLS_CHALLENGE__COUNT ? kind_names[k] : unknown;
}

int sls_device_strength(enum sls_device_type t)
{
    return valid_type(t) ? devices[t].strength : 0;
}

bool sls_device_is_legacy(enum sls_device_type t)
{
    return valid_type(t) && devices[t].legacy;
}

bool sls_device_is_permanent(enum sls_device_type t)
{
    return valid_type(t) && devices[t].permanent;
}

enum sls_challenge_kind sls_device_challenge_kind(enum sls_device_type t)
{
    return valid_type(t) ? devices[t].kind : SLS_CHALLENGE_STATIC;
}

const char *sls_device_ocra_suite(enum sls_device_type t)
{
    return valid_type(t) ? devices[t].ocra_suite : NULL;
}

bool sls_device_pin_on_server(enum sls_device_type t)
{
    return valid_type(t) && devices[t].pin_on_server;
}

int sls_device_pick_default(const struct sls_device_brief *devs, size_t n)
{
    int best = -1;
    int best_strength = 0;
    if (devs == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n && i <= (size_t)INT_MAX; i++) {
        if (devs[i].state != SLS_DEVSTATE_ACTIVE) {
            continue;
        }
        int strength = sls_device_strength(devs[i].type);
        /* Strength 0 is no device at all (none, or an unknown type). */
        if (strength > best_strength) {
            best = (int)i;
            best_strength = strength;
        }
    }
    return best;
}

/* True when resp is exactly n characters, each accepted by ok(). */
static bool all_of(const char *resp, size_t len, size_t n, bool (*ok)(char))
{
    if (resp == NULL || len != n) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!ok(resp[i])) {
            return false;
        }
    }
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper_or_digit(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z');
}

bool sls_response_well_formed(enum sls_device_type t, const char *resp, size_t len)
{
    if (!valid_type(t) || t == SLS_DEVICE_NONE) {
        return false;
    }
    switch (devices[t].kind) {
    case SLS_CHALLENGE_RESPONSE:
    case SLS_CHALLENGE_PUSH: /* the ibkey fallback answers like the cards: 8 digits */
        return all_of(resp, len, 8, is_digit);
    case SLS_CHALLENGE_CARD:
    case SLS_CHALLENGE_CODE:
    case SLS_CHALLENGE_APP_CODE:
        return all_of(resp, len, 6, is_digit);
    case SLS_CHALLENGE_STATIC:
        return all_of(resp, len, 8, is_upper_or_digit);
    case SLS_CHALLENGE_WEBAUTHN:
        /* a passkey's credential as JSON text, read in full later */
        return resp != NULL && len >= 2 && len <= SLS_PASSKEY_RESPONSE_MAX && resp[0] == '{';
    case SLS_CHALLENGE__COUNT:
        break;
    }
    return false;
}

const char *sls_response_hint(enum sls_device_type t)
{
    if (t == SLS_DEVICE_TEMP_PASSCODE) {
        return "Temporary passcodes are case sensitive and upper case";
    }
    return "Card and device values have no spaces between characters";
}

bool sls_device_label_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 40)
        return false;
    for (; *s != '\0'; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == ' ' || *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}
