/* The ids sls hands out for logins, devices, cards and orders: 32 lower-case
 * hex characters (128 random bits), as path segments must carry them. */
#ifndef SLS_CORE_ID_H
#define SLS_CORE_ID_H

#include <stdbool.h>

#define SLS_ID_LEN 32 /* random ids: 32 hex chars */

/* Whether id has the shape of an sls id (SLS_ID_LEN lower-case hex). */
bool sls_id_valid(const char *id);

#endif
