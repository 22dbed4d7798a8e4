/* R34 step-up verification: when a session counts as freshly verified. */
#include "step_up.h"

sls_time sls_step_up_until(sls_time answered_at, sls_time ttl)
{
    return answered_at + ttl;
}

enum sls_step_up_gate sls_step_up_gate(bool sls_member, enum sls_device_type factor,
                                       sls_time verified_until, sls_time now)
{
    if (!sls_member || factor == SLS_DEVICE_NONE)
        return SLS_STEP_UP_OUTSIDE_SLS;
    return now < verified_until ? SLS_STEP_UP_PASS : SLS_STEP_UP_REQUIRED;
}

bool sls_step_up_device_ok(enum sls_device_type type, enum sls_device_state state)
{
    return state == SLS_DEVSTATE_ACTIVE && type != SLS_DEVICE_NONE;
}
