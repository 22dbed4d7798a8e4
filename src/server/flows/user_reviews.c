/* Reading one user's own security reviews; see user_reviews.h. */
#include "server/flows/user_reviews.h"

#include "core/error.h"
#include "crypto/secmem.h"

static int read_fn(struct sls_db *db, void *arg)
{
    struct sls_user_reviews *l = arg;

    return SLS_DB(db, review_list, l->user_id, -1, true, l->reviews, SLS_USER_REVIEWS_MAX, &l->n);
}

int sls_user_reviews_read(const struct sls_app *app, struct sls_user_reviews *l)
{
    size_t i;
    int rc;

    l->n = 0;
    rc = sls_store_read(app->store, read_fn, l);
    if (rc != SLS_OK)
        l->n = 0;
    for (i = 0; i < SLS_USER_REVIEWS_MAX; i++) {
        sls_wipe(l->reviews[i].secret, sizeof(l->reviews[i].secret));
        l->reviews[i].secret_len = 0;
    }
    return rc;
}
