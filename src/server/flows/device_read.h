/* Reading one security device by its id, in a read of its own, for a
 * handler that then checks whose it is and what it may do. */
#ifndef SLS_SERVER_DEVICE_READ_H
#define SLS_SERVER_DEVICE_READ_H

#include "server/app/app.h"
#include "store/store.h"

/* Reads device id into d. Returns SLS_OK, SLS_ERR_NOT_FOUND or the store's
 * error. */
int sls_device_read(const struct sls_app *app, const char *id, struct sls_device_rec *d);

#endif
