/* Whether the PIN of a security device may be changed through the API: only
 * a PIN the server keeps (the card checks the PIN of the Platinum and Gold
 * itself, the mobile authenticator keeps its own), and not on a device that
 * stopped working. */
#ifndef SLS_CORE_PIN_CHANGE_H
#define SLS_CORE_PIN_CHANGE_H

#include "device.h"

enum sls_pin_change {
    SLS_PIN_CHANGE_OK = 0,
    SLS_PIN_CHANGE_ON_CARD,  /* checked on the card only (platinum, gold) */
    SLS_PIN_CHANGE_IN_APP,   /* kept in the mobile authenticator's app */
    SLS_PIN_CHANGE_NO_PIN,   /* the device has no PIN */
    SLS_PIN_CHANGE_LOST,     /* the device is marked lost */
    SLS_PIN_CHANGE_RETURNED, /* the device was returned */
};

/* Decides whether the PIN of a device of this type in this state may be
 * changed here; what the device is comes before what became of it. */
enum sls_pin_change sls_pin_change_check(enum sls_device_type type, enum sls_device_state state);

#endif
