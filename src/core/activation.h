/* Who vouches for a new mobile authenticator (SPEC §10.3): a user who holds
 * an active device other than SMS must answer a challenge from it as well as
 * the activation code, so that a password (and a phone on record) alone
 * never adds a second factor. A user whose only device is SMS, or who holds
 * none, keeps the code alone: the code goes to a phone on record, and the
 * new app replaces the SMS device. Pure rules. */
#ifndef SLS_CORE_ACTIVATION_H
#define SLS_CORE_ACTIVATION_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"

/* Whether a device of `type` in `state` vouches for an activation: active,
 * and neither SMS nor "no device". Temporary passcodes and online cards
 * count: the service desk issued them after verifying the caller (R40). */
bool sls_activation_vouches(enum sls_device_type type, enum sls_device_state state);

/* Whether an activation by a user holding the n devices devs (their own and
 * the one shared with them, R32) needs a device response: some device
 * vouches. */
bool sls_activation_needs_device(const struct sls_device_brief *devs, size_t n);

#endif
