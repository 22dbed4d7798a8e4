/* The batch rules of a bulk user import; see user_import.h. */
#include "user_import.h"

#include <stdlib.h>
#include <string.h>

static int by_name_then_index(const void *a, const void *b)
{
    const struct sls_import_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

void sls_import_find_duplicates(struct sls_import_name *v, size_t n)
{
    size_t i;

    if (n == 0)
        return;
    qsort(v, n, sizeof(*v), by_name_then_index);
    v[0].first = v[0].index;
    for (i = 1; i < n; i++)
        v[i].first = strcmp(v[i].name, v[i - 1].name) == 0 ? v[i - 1].first : v[i].index;
}
