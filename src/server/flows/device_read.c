/* Reading one security device by its id; see device_read.h. */
#include "server/flows/device_read.h"

#include <stdio.h>

struct device_read {
    const char *id;
    struct sls_device_rec *d;
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct device_read *r = arg;
    return SLS_DB(db, device_get, r->id, r->d);
}

int sls_device_read(const struct sls_app *app, const char *id, struct sls_device_rec *d)
{
    struct device_read r = {id, d};
    return sls_store_read(app->store, read_fn, &r);
}
