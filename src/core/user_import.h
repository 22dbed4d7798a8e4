/* The bounds and batch rules of a bulk user import (POST
 * /v1/admin/users/import): how much one request may carry, and finding the
 * lines of a batch that repeat a name an earlier line already took. */
#ifndef SLS_CORE_USER_IMPORT_H
#define SLS_CORE_USER_IMPORT_H

#include <stddef.h>

#define SLS_IMPORT_MAX_LINES     10000 /* users in one request */
#define SLS_IMPORT_MAX_LINE      16384 /* bytes of one line */
#define SLS_IMPORT_MAX_DEVICES   4     /* devices of one user */
#define SLS_IMPORT_MAX_PASSWORDS 16    /* lines with a plain password, hashed by the server */

/* One name of a batch: the line's index in the batch and, once
 * sls_import_find_duplicates ran, the index of the first line carrying the
 * same name (its own index when it is the first). */
struct sls_import_name {
    const char *name;
    size_t index;
    size_t first;
};

/* Sorts v by name, then index, and sets each entry's first. Names compare
 * byte for byte. Pure: works in place on the caller's array. */
void sls_import_find_duplicates(struct sls_import_name *v, size_t n);

#endif
