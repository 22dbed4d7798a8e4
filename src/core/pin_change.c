/* Whether a device's PIN may be changed through the API; see pin_change.h. */
#include "pin_change.h"

enum sls_pin_change sls_pin_change_check(enum sls_device_type type, enum sls_device_state state)
{
    if (type == SLS_DEVICE_PLATINUM || type == SLS_DEVICE_GOLD)
        return SLS_PIN_CHANGE_ON_CARD;
    if (type == SLS_DEVICE_IBKEY)
        return SLS_PIN_CHANGE_IN_APP;
    if (!sls_device_pin_on_server(type))
        return SLS_PIN_CHANGE_NO_PIN;
    if (state == SLS_DEVSTATE_LOST)
        return SLS_PIN_CHANGE_LOST;
    if (state == SLS_DEVSTATE_RETURNED)
        return SLS_PIN_CHANGE_RETURNED;
    return SLS_PIN_CHANGE_OK;
}
