/* R9: lifetime of challenges and of logins waiting for their second factor.
 * A thing issued at `issued` with lifetime `ttl` is valid while
 * now <= issued + ttl (at 300 s still valid, at 301 s expired). */
#ifndef SLS_CORE_CHALLENGE_H
#define SLS_CORE_CHALLENGE_H

#include <stdbool.h>
#include "time.h"

#define SLS_CHALLENGE_TTL_DEFAULT (5 * SLS_MINUTE)
#define SLS_LOGIN_TTL_DEFAULT     (5 * SLS_MINUTE)

bool sls_challenge_valid(sls_time issued, sls_time ttl, sls_time now);

#endif
