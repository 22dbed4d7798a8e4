/* Security notices (SPEC §10.3): the e-mail that tells an account holder a
 * security event happened on their account — what, when (UTC) and to call
 * the service desk if it was not them. The text never carries a secret: no
 * code, passcode, card value or password, only what the event was and a
 * non-secret name (a device label, another user name, a masked address). */
#ifndef SLS_CORE_NOTICE_H
#define SLS_CORE_NOTICE_H

#include <stddef.h>

#include "time.h"

enum sls_notice_event {
    SLS_NOTICE_ACCOUNT_LOCKED = 0,      /* R8: the account locks */
    SLS_NOTICE_TEMPORARY_PASSCODE,      /* R29: the desk issued a temporary passcode */
    SLS_NOTICE_DEVICE_ACTIVATED,        /* any device became active (about: its label) */
    SLS_NOTICE_DEVICE_LOST,             /* R29: a device was marked lost (about: its label) */
    SLS_NOTICE_DEVICE_SHARED,           /* R32, to the owner (about: the other user) */
    SLS_NOTICE_DEVICE_SHARED_WITH_YOU,  /* R32, to the requester (about: the owner) */
    SLS_NOTICE_AUTHENTICATOR_ACTIVATED, /* R20: a new mobile authenticator */
    SLS_NOTICE_PHONE_ADDED,             /* §10.3: a phone number was added (about: masked) */
    SLS_NOTICE_PASSWORD_CHANGED,        /* self-service, reset by code, desk reset */
    SLS_NOTICE_BANK_CHANGED,            /* bank instructions took effect */
    SLS_NOTICE_LEFT_SLS,                /* R30: the user left SLS */
    SLS_NOTICE_EMAIL_CHANGED,           /* to the OLD address (about: the new one, masked) */
    SLS_NOTICE__COUNT
};

/* The kind of the notice's outbox message: "notice.<event>", e.g.
 * "notice.account_locked". NULL for a value outside the enum. */
const char *sls_notice_kind(enum sls_notice_event ev);

/* Writes the text of the notice for ev that happened at `at` into out:
 * what happened (with `about` when the event names something; NULL or ""
 * leaves it out), when (RFC 3339, UTC) and what to do. Returns 0, or -1
 * for an unknown event, a time that cannot be written, or an out too small
 * (out is then ""). */
int sls_notice_text(enum sls_notice_event ev, const char *about, sls_time at, char *out,
                    size_t outlen);

/* Masks an address for a notice or for a message kept after delivery:
 * "alice@example.com" -> "a***@example.com", "+41791234567" ->
 * "+41*******67", anything else keeps its first 3 characters ("abc***").
 * Never more than the first character of an e-mail's local part, never more
 * than 5 digits of a number. Returns 0, or -1 when out is too small (out is
 * then ""). */
int sls_notice_mask(const char *address, char *out, size_t outlen);

#endif
