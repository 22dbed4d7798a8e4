/* Security device kinds (SPEC §4): names, strength order, how each answers a
 * login, and the choice of the default device (R7). */
#ifndef SLS_CORE_DEVICE_H
#define SLS_CORE_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

enum sls_device_type {
    SLS_DEVICE_NONE = 0,
    SLS_DEVICE_SMS,
    SLS_DEVICE_SCC,
    SLS_DEVICE_IBKEY,
    SLS_DEVICE_DSC,
    SLS_DEVICE_DSC_PLUS,
    SLS_DEVICE_PLATINUM,
    SLS_DEVICE_GOLD,
    SLS_DEVICE_TEMP_PASSCODE, /* "temporary_passcode" */
    SLS_DEVICE_ONLINE_CARD,   /* "online_card" */
    SLS_DEVICE_TOTP,          /* "totp": a standard authenticator app (RFC 6238) */
    SLS_DEVICE_PASSKEY,       /* "passkey": a WebAuthn authenticator (SPEC §10.5) */
    SLS_DEVICE__COUNT
};

enum sls_device_state {
    SLS_DEVSTATE_ACTIVE = 0,
    SLS_DEVSTATE_SHIPPED,
    SLS_DEVSTATE_INACTIVE,
    SLS_DEVSTATE_LOST,
    SLS_DEVSTATE_RETURNED,
    SLS_DEVSTATE__COUNT
};

enum sls_challenge_kind {
    SLS_CHALLENGE_RESPONSE = 0, /* "challenge_response": 6-digit challenge, 8-digit answer */
    SLS_CHALLENGE_CARD,         /* "card": two indexes, 6-digit answer */
    SLS_CHALLENGE_CODE,         /* "code": a one-time code sent by SMS or voice */
    SLS_CHALLENGE_PUSH,         /* "push": approval in the mobile app */
    SLS_CHALLENGE_STATIC,       /* "static": temporary passcode */
    /* "code" too, with channel "app": the current code of an authenticator
     * app (RFC 6238), nothing sent */
    SLS_CHALLENGE_APP_CODE,
    /* "webauthn": a passkey signs the server's challenge (SPEC §10.5); the
     * answer is a credential, not a typed response */
    SLS_CHALLENGE_WEBAUTHN,
    SLS_CHALLENGE__COUNT
};

/* API names: "sms", "scc", "ibkey", "dsc", "dsc_plus", "platinum", "gold",
 * "temporary_passcode", "online_card", "totp", "passkey", "none". */
const char *sls_device_type_name(enum sls_device_type t);
/* Parses an API name. Returns 0 or -1. */
int sls_device_type_parse(const char *name, enum sls_device_type *out);

/* "active", "shipped", "inactive", "lost", "returned". */
const char *sls_device_state_name(enum sls_device_state s);
int sls_device_state_parse(const char *name, enum sls_device_state *out);

/* "challenge_response", "card", "code", "push", "static", "webauthn"; the
 * app's code is "code" too (its channel, "app", tells it from an SMS code). */
const char *sls_challenge_kind_name(enum sls_challenge_kind k);

/* Strength order: dsc_plus = platinum = gold = passkey (6) > dsc (5) > ibkey (4) >
 * totp (3) > sms = scc (2) > temporary credentials (1) > none (0). Only the
 * order is meant: the numbers may move when a kind comes in between. */
int sls_device_strength(enum sls_device_type t);

/* Legacy kinds keep working but are no longer issued: dsc, platinum, gold, scc. */
bool sls_device_is_legacy(enum sls_device_type t);

/* Permanent devices are all but temporary_passcode and online_card (and none). */
bool sls_device_is_permanent(enum sls_device_type t);

/* Default login challenge of each kind (ibkey: push; sms: code; totp:
 * app_code; scc and online_card: card; temporary_passcode: static; the
 * cards: challenge_response; passkey: webauthn). */
enum sls_challenge_kind sls_device_challenge_kind(enum sls_device_type t);

/* OCRA suite a challenge/response device computes, or NULL:
 * dsc_plus, dsc: "OCRA-1:HOTP-SHA1-8:QN06-PSHA1"; platinum, gold:
 * "OCRA-1:HOTP-SHA1-8:QN06"; ibkey: "OCRA-1:HOTP-SHA256-8:QN06". */
const char *sls_device_ocra_suite(enum sls_device_type t);

/* Whether the server knows the device PIN (dsc, dsc_plus: hashed into the response). */
bool sls_device_pin_on_server(enum sls_device_type t);

struct sls_device_brief {
    enum sls_device_type type;
    enum sls_device_state state;
};

/* R7: index of the strongest active device among n (first one on ties), or -1
 * when none is active. */
int sls_device_pick_default(const struct sls_device_brief *devs, size_t n);

/* R6: checks the shape of a response typed for a device kind, without fixing
 * it up: challenge_response needs exactly 8 digits, card exactly 6 digits, code
 * (SMS or app) exactly 6 digits, static exactly 8 upper-case letters/digits; a
 * passkey's answer is its credential as JSON text: an object ('{' first) of
 * at most SLS_PASSKEY_RESPONSE_MAX bytes. Returns true when well-formed. */
#define SLS_PASSKEY_RESPONSE_MAX 16384
bool sls_response_well_formed(enum sls_device_type t, const char *resp, size_t len);

/* R6: the hint given with login_failed for a device kind. Never NULL. */
const char *sls_response_hint(enum sls_device_type t);

/* A label a user gives a device (an app, a passkey): letters, digits, spaces
 * and - _ . only, 1-40 of them; it names the device in lists and notices. */
bool sls_device_label_ok(const char *s);

#endif
