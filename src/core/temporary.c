/* R26: the "never two temporary passcodes in a row" rule; see temporary.h. */
#include "temporary.h"

static bool is_temporary(enum sls_device_type t)
{
    return t == SLS_DEVICE_TEMP_PASSCODE || t == SLS_DEVICE_ONLINE_CARD;
}

enum sls_temp_verdict sls_temp_passcode_may_issue(const struct sls_temp_device *devs, size_t n,
                                                  long *last)
{
    long latest = -1;
    sls_time issued;

    if (last != NULL) {
        *last = -1;
    }
    if (devs == NULL) {
        return SLS_TEMP_ALLOWED;
    }
    for (size_t i = 0; i < n; i++) {
        if (is_temporary(devs[i].type) &&
            (latest < 0 || devs[i].created_at >= devs[(size_t)latest].created_at)) {
            latest = (long)i;
        }
    }
    if (last != NULL) {
        *last = latest;
    }
    if (latest < 0 || devs[(size_t)latest].type != SLS_DEVICE_TEMP_PASSCODE) {
        return SLS_TEMP_ALLOWED;
    }
    issued = devs[(size_t)latest].created_at;
    for (size_t i = 0; i < n; i++) {
        if (sls_device_is_permanent(devs[i].type) && devs[i].state == SLS_DEVSTATE_ACTIVE &&
            devs[i].state_changed_at > issued) {
            return SLS_TEMP_ALLOWED;
        }
    }
    return SLS_TEMP_CONSECUTIVE;
}
