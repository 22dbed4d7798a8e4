/* R2: what a password must look like. */
#ifndef SLS_CORE_PASSWORD_POLICY_H
#define SLS_CORE_PASSWORD_POLICY_H

#include <stddef.h>

#define SLS_PASSWORD_MIN 6
#define SLS_PASSWORD_MAX 40

/* Returns SLS_OK when the password is 6..40 characters (UTF-8 code points;
 * invalid UTF-8 or NUL is refused), holds at least one ASCII letter and one
 * ASCII digit; SLS_ERR_WEAK_PASSWORD otherwise. */
int sls_password_check(const char *pw, size_t len);

#endif
