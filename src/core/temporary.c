/* R26: the "never two temporary passcodes in a row" rule; see temporary.h. */
#include "temporary.h"

/* A temporary credential that was issued for use: every passcode, and the
 * online cards that were activated. */
static bool is_temporary(const struct sls_temp_device *d)
{
    return d->type == SLS_DEVICE_TEMP_PASSCODE ||
           (d->type == SLS_DEVICE_ONLINE_CARD && d->activated_at != 0);
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
        if (is_temporary(&devs[i]) &&
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
