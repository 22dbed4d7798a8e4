/* R1: what a user name may look like. */
#ifndef SLS_CORE_USERNAME_H
#define SLS_CORE_USERNAME_H

#include <stddef.h>

#define SLS_USERNAME_MIN 3
#define SLS_USERNAME_MAX 32

/* Checks the characters of a user name typed at login.
 * Returns SLS_OK when every byte is an ASCII letter or digit (any case; length
 * is not judged here), SLS_ERR_BAD_CHARACTER otherwise (including len == 0 and
 * any byte >= 0x80 or NUL). */
int sls_username_check_chars(const char *name, size_t len);

/* Checks a user name for creation: letters and digits, lower case only,
 * SLS_USERNAME_MIN..SLS_USERNAME_MAX long. Returns SLS_OK,
 * SLS_ERR_BAD_CHARACTER, or SLS_ERR_INVALID_USERNAME (length or upper case). */
int sls_username_check_new(const char *name, size_t len);

/* True when a name with valid characters could name a user at all (length in
 * range and no upper case). Login uses it to skip the store for names that
 * cannot exist, while still spending the same time (R5). */
int sls_username_could_exist(const char *name, size_t len);

#endif
