/* R40: a service-desk identity verification is good for one agent and one
 * user for `ttl` seconds (15 minutes): valid while now < verified_at + ttl. */
#ifndef SLS_CORE_IDENTITY_H
#define SLS_CORE_IDENTITY_H

#include <stdbool.h>
#include "time.h"

#define SLS_IDENTITY_TTL_DEFAULT (15 * SLS_MINUTE)

bool sls_identity_verification_valid(sls_time verified_at, sls_time ttl, sls_time now);

#endif
