/* The device that vouches for a new mobile authenticator; see activation.h. */
#include "activation.h"

bool sls_activation_vouches(enum sls_device_type type, enum sls_device_state state)
{
    return state == SLS_DEVSTATE_ACTIVE && type != SLS_DEVICE_NONE && type != SLS_DEVICE_SMS;
}

bool sls_activation_needs_device(const struct sls_device_brief *devs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sls_activation_vouches(devs[i].type, devs[i].state))
            return true;
    return false;
}
