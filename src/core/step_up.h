/* R34 step-up verification: a sensitive request (a withdrawal, a banking or
 * e-mail change, opting out, a device change) needs a fresh device response
 * inside the session. A correct response marks the session verified for a
 * while (default 5 minutes, half-open: verified at 299 s, not at 300 s).
 * Outside SLS (R30) there is no device to answer with: the caller applies the
 * restrictions of R31 instead (the `none` limits, security review of R4). */
#ifndef SLS_CORE_STEP_UP_H
#define SLS_CORE_STEP_UP_H

#include <stdbool.h>

#include "device.h"
#include "time.h"

enum sls_step_up_gate {
    SLS_STEP_UP_PASS = 0,    /* verified and still fresh: go ahead */
    SLS_STEP_UP_REQUIRED,    /* answer a challenge first (403 step_up_required) */
    SLS_STEP_UP_OUTSIDE_SLS, /* no step-up outside SLS: R31 / R4 apply instead */
};

/* The end of the verification a correct response gives at answered_at. */
sls_time sls_step_up_until(sls_time answered_at, sls_time ttl);

/* What a sensitive request needs now: sls_member is the user's SLS
 * participation, factor the one the session was opened with (NONE: no
 * second factor), verified_until what the session holds (0: never). */
enum sls_step_up_gate sls_step_up_gate(bool sls_member, enum sls_device_type factor,
                                       sls_time verified_until, sls_time now);

/* Whether a device of `type` in `state` may answer a step-up challenge: any
 * active device the user could log in with. */
bool sls_step_up_device_ok(enum sls_device_type type, enum sls_device_state state);

#endif
