/* The store side of the R4/R31 security review queue
 * (GET /v1/admin/reviews, POST /v1/admin/reviews/{id}/approve|deny):
 * listing reviews with their users' names, and the transaction that decides
 * one, applying an approved change. */
#ifndef SLS_SERVER_REVIEW_TX_H
#define SLS_SERVER_REVIEW_TX_H

#include <stddef.h>
#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_REVIEW_LIST_MAX 200

struct sls_review_tx_list {
    /* in */
    enum sls_review_state state; /* SLS_REVIEW__COUNT: every state */
    /* out */
    struct sls_review_rec reviews[SLS_REVIEW_LIST_MAX]; /* oldest first */
    char usernames[SLS_REVIEW_LIST_MAX][33];            /* the user of each */
    size_t n;
};

/* Reads the reviews in l->state with their users' names, in one read.
 * Returns SLS_OK or the store's error. */
int sls_review_tx_list(const struct sls_app *app, struct sls_review_tx_list *l);

struct sls_review_tx {
    /* in */
    sls_time now;
    int64_t id;
    enum sls_review_state state; /* SLS_REVIEW_APPROVED or SLS_REVIEW_DENIED */
    const char *actor;           /* "agent:<name>" */
    /* out */
    struct sls_review_rec review; /* as decided */
    struct sls_user_rec user;     /* its user, read before the change */
    int outcome;                  /* SLS_OK; SLS_ERR_NOT_FOUND (no such review) or
                                     SLS_ERR_CONFLICT (already decided): nothing written */
};

/* In one transaction: decides review t->id (pending -> t->state), applies an
 * approved change (the new e-mail, told to the old address; or the banking
 * instructions, told to the user) and audits. Returns SLS_OK (see
 * t->outcome) or the store's error. */
int sls_review_tx_apply(const struct sls_app *app, struct sls_review_tx *t);

#endif
