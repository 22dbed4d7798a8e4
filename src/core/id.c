/* The shape of sls ids; see id.h. */
#include "id.h"

#include <string.h>

bool sls_id_valid(const char *id)
{
    return strlen(id) == SLS_ID_LEN && strspn(id, "0123456789abcdef") == SLS_ID_LEN;
}
