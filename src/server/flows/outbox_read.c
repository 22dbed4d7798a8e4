/* The store side of the --dev outbox; see outbox_read.h. */
#include "server/flows/outbox_read.h"

#include "core/error.h"
#include "server/flows/dev_outbox.h"

struct outbox_read {
    const char *to;
    struct sls_outbox_rec *out, *kept;
    size_t max, kmax;
    size_t *n, *nk;
};

static int outbox_fn(struct sls_db *db, void *arg)
{
    struct outbox_read *o = arg;
    int rc = SLS_DB(db, outbox_list, o->to, o->out, o->max, o->n);

    if (rc == SLS_OK)
        rc = sls_dev_outbox_kept(db, o->to, o->kept, o->kmax, o->nk);
    return rc;
}

int sls_outbox_read_list(const struct sls_app *app, const char *to, struct sls_outbox_rec *out,
                         size_t max, size_t *n, struct sls_outbox_rec *kept, size_t kmax,
                         size_t *nk)
{
    struct outbox_read o = {to, out, kept, max, kmax, n, nk};

    *n = 0;
    *nk = 0;
    return sls_store_read(app->store, outbox_fn, &o);
}
