/* The store side of the --dev outbox; see outbox_read.h. */
#include "server/flows/outbox_read.h"

struct outbox_read {
    const char *to;
    struct sls_outbox_rec *out;
    size_t max;
    size_t *n;
};

static int outbox_fn(struct sls_db *db, void *arg)
{
    struct outbox_read *o = arg;
    return SLS_DB(db, outbox_list, o->to, o->out, o->max, o->n);
}

int sls_outbox_read_list(const struct sls_app *app, const char *to, struct sls_outbox_rec *out,
                         size_t max, size_t *n)
{
    struct outbox_read o = {to, out, max, n};

    *n = 0;
    return sls_store_read(app->store, outbox_fn, &o);
}
