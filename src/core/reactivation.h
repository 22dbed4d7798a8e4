/* R28 reactivation: which device records a user may (re)activate by answering
 * a challenge from them, and what a reactivation ends. Reactivating proves the
 * device is in hand again (or a replacement has arrived): from then on the
 * user's temporary passcode and online cards stop working. */
#ifndef SLS_CORE_REACTIVATION_H
#define SLS_CORE_REACTIVATION_H

#include <stdbool.h>

#include "device.h"

enum sls_reactivation_verdict {
    SLS_REACTIVATION_ALLOWED = 0,
    SLS_REACTIVATION_NOT_PERMANENT, /* temporary credentials are not reactivated */
    SLS_REACTIVATION_LOST,          /* marked lost: it never works again */
    SLS_REACTIVATION_RETURNED,      /* returned: no longer the user's */
    SLS_REACTIVATION_NO_CHALLENGE,  /* the server cannot challenge this kind here */
    SLS_REACTIVATION_SHARED_AWAY,   /* inactive while the user shares another's (R32) */
};

/* Decides whether a device of `type` in `state` may be reactivated: a
 * permanent device that is active (back in hand), inactive, or shipped (a
 * replacement arriving), and that answers a challenge/response or card
 * challenge. */
enum sls_reactivation_verdict sls_reactivation_check(enum sls_device_type type,
                                                     enum sls_device_state state);

/* Decides a request to reactivate a device of `type` in `state` (which the
 * user owns): sls_reactivation_check, and then an inactive device the user's
 * active sharing request made inactive (shared_away) comes back only when
 * the sharing ends. */
enum sls_reactivation_verdict
sls_reactivation_request(enum sls_device_type type, enum sls_device_state state, bool shared_away);

/* Whether a reactivation revokes a device of `type` in `state`: every
 * temporary passcode and online card that is active or awaiting activation. */
bool sls_reactivation_revokes(enum sls_device_type type, enum sls_device_state state);

#endif
