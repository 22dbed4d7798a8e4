/* The store side of GET /healthz: a read that shows whether the store can
 * be read at all. */
#ifndef SLS_SERVER_HEALTH_H
#define SLS_SERVER_HEALTH_H

#include <stddef.h>

#include "server/app/app.h"

/* Reads the schema version in one read transaction. Returns SLS_OK when the
 * store answered (a store without the key answered too), else the store's
 * error. */
int sls_health_read(const struct sls_app *app);

/* Whether the store can write (it probes with a write at most every few
 * seconds after a write failed because it could not). Returns SLS_OK, or
 * an error with the cause (SQLite's message and the operation) in reason. */
int sls_health_write(const struct sls_app *app, char *reason, size_t len);

#endif
