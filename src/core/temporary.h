/* R26 temporary passcodes: when the service desk may issue one. A temporary
 * passcode is never issued twice in a row: it is refused while the user's
 * most recent temporary credential is a temporary passcode and no permanent
 * device has been (re)activated since that passcode was issued. */
#ifndef SLS_CORE_TEMPORARY_H
#define SLS_CORE_TEMPORARY_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"
#include "time.h"

/* Characters of a temporary passcode (R26): 8 of upper-case letters and digits. */
#define SLS_TEMP_PASSCODE_LEN      8
#define SLS_TEMP_PASSCODE_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* A device record as R26 sees it. */
struct sls_temp_device {
    enum sls_device_type type;
    enum sls_device_state state;
    sls_time created_at;       /* registration; the issue time of a temporary credential */
    sls_time state_changed_at; /* last state change: activation, loss, revocation ... */
    sls_time activated_at;     /* first activation; 0 if never active */
};

enum sls_temp_verdict {
    SLS_TEMP_ALLOWED = 0,
    SLS_TEMP_CONSECUTIVE, /* the last temporary credential was a passcode, no device since */
};

/* Decides from every device record of a user (any order; revoked and lost
 * ones included) whether a new temporary passcode may be issued.
 *
 * The most recent temporary credential is the temporary_passcode or
 * activated online_card (activated_at != 0: a card printed but never
 * activated was never used as a credential) with the greatest created_at (on equal times, the later
 * one in devs). If there is none, or it is an online card, the answer is SLS_TEMP_ALLOWED. If it is
 * a passcode issued at T, the answer is SLS_TEMP_ALLOWED only when some permanent device is active
 * now with state_changed_at > T (activated or reactivated after the issue, strictly later), else
 * SLS_TEMP_CONSECUTIVE. *last, when not NULL, is set to the index of that most recent temporary
 * credential, or -1. */
enum sls_temp_verdict sls_temp_passcode_may_issue(const struct sls_temp_device *devs, size_t n,
                                                  long *last);

#endif
