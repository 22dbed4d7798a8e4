/* Reading one user's own security reviews (R4, R31: changes made outside SLS
 * wait for review; GET /v1/me/reviews), never another user's, with what must
 * not be shown (the sealed account number of a bank change) wiped. */
#ifndef SLS_SERVER_USER_REVIEWS_H
#define SLS_SERVER_USER_REVIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_USER_REVIEWS_MAX 100

struct sls_user_reviews {
    /* in */
    int64_t user_id;
    /* out */
    struct sls_review_rec reviews[SLS_USER_REVIEWS_MAX]; /* newest first; secret wiped */
    size_t n;
};

/* Reads the newest SLS_USER_REVIEWS_MAX reviews of l->user_id, in every
 * state, in one read. Returns SLS_OK or the store's error. */
int sls_user_reviews_read(const struct sls_app *app, struct sls_user_reviews *l);

#endif
