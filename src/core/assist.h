/* The service desk's assistance rules (SPEC §6): whether a temporary
 * passcode may be issued (R26), a device marked lost (R29) or a forgotten PIN
 * reset (R21, R22), as verdicts with the outcome audited and the message
 * answered for each refusal. */
#ifndef SLS_CORE_ASSIST_H
#define SLS_CORE_ASSIST_H

#include <stdbool.h>
#include <stddef.h>

#include "access.h"
#include "device.h"
#include "temporary.h"

enum sls_assist_verdict {
    SLS_ASSIST_ALLOWED = 0,
    SLS_ASSIST_NOT_SLS,            /* passcode: the user is outside SLS */
    SLS_ASSIST_ACCOUNT_CLOSED,     /* passcode: the account is closed */
    SLS_ASSIST_TOO_MANY_DEVICES,   /* passcode: more records than can be judged */
    SLS_ASSIST_CONSECUTIVE,        /* passcode: never twice in a row */
    SLS_ASSIST_ALREADY_LOST,       /* lost: marked lost already */
    SLS_ASSIST_RETURNED,           /* lost: returned */
    SLS_ASSIST_PIN_ON_DEVICE,      /* PIN: kept on a Platinum or Gold device */
    SLS_ASSIST_PIN_IN_APP,         /* PIN: kept in the IB Key app */
    SLS_ASSIST_NO_PIN,             /* PIN: the device has none */
    SLS_ASSIST_PIN_DEVICE_LOST,    /* PIN: the device is marked lost */
    SLS_ASSIST_PIN_DEVICE_RETURNED /* PIN: the device has been returned */
};

/* R26: may a temporary passcode be issued to a user (inside SLS or not; in
 * account state `account`) with these n device records? `complete` is false
 * when the user has more records than were read (the answer is then
 * SLS_ASSIST_TOO_MANY_DEVICES: fail closed). Checked in that order: SLS,
 * account, completeness, then sls_temp_passcode_may_issue. */
enum sls_assist_verdict sls_assist_passcode_check(bool sls, enum sls_account_state account,
                                                  const struct sls_temp_device *devs, size_t n,
                                                  bool complete);

/* R29: may a device in `state` be marked lost? Not twice, nor once returned. */
enum sls_assist_verdict sls_assist_lost_check(enum sls_device_state state);

/* R21, R22: may the desk reset the PIN of a device of `type` in `state`? Only
 * a PIN the server keeps, on a device still held. */
enum sls_assist_verdict sls_assist_pin_check(enum sls_device_type type,
                                             enum sls_device_state state);

/* The outcome a refusal is audited with ("not_sls" ...), "ok" for ALLOWED. */
const char *sls_assist_outcome(enum sls_assist_verdict v);

/* The message a refusal is answered with; "" for ALLOWED. */
const char *sls_assist_message(enum sls_assist_verdict v);

#endif
