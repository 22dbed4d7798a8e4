/* Reading the banking instructions on record; see bank_read.h. */
#include "server/flows/bank_read.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/secmem.h"
#include "store/store.h"

struct bank_read {
    int64_t user_id;
    struct sls_bank_view *out;
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct bank_read *a = arg;
    struct sls_bank_rec b;
    int rc = SLS_DB(db, bank_get, a->user_id, &b);

    if (rc == SLS_OK) {
        snprintf(a->out->bank_name, sizeof(a->out->bank_name), "%s", b.bank_name);
        snprintf(a->out->routing_number, sizeof(a->out->routing_number), "%s", b.routing_number);
        snprintf(a->out->account_last4, sizeof(a->out->account_last4), "%s", b.account_last4);
        a->out->updated_at = b.updated_at;
    }
    sls_wipe(&b, sizeof(b));
    return rc;
}

int sls_bank_read(const struct sls_app *app, int64_t user_id, struct sls_bank_view *out)
{
    struct bank_read a = {user_id, out};

    memset(out, 0, sizeof(*out));
    return sls_store_read(app->store, read_fn, &a);
}
