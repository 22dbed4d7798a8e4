/* The store side of GET /healthz; see health.h. */
#include "server/flows/health.h"

#include <time.h>

#include "core/error.h"
#include "store/store.h"

static int health_fn(struct sls_db *db, void *arg)
{
    char v[32];
    int rc;

    (void)arg;
    rc = SLS_DB(db, meta_get, "schema_version", v, sizeof(v));
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

int sls_health_read(const struct sls_app *app)
{
    return sls_store_read(app->store, health_fn, NULL);
}

int sls_health_write(const struct sls_app *app, char *reason, size_t len)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return sls_store_health(app->store, (int64_t)ts.tv_sec, reason, len);
}
