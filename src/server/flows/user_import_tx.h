/* The store side of a bulk user import (POST /v1/admin/users/import): every
 * user of a batch, with their devices, in one transaction, or none of them.
 * One audit record names the batch. */
#ifndef SLS_SERVER_USER_IMPORT_TX_H
#define SLS_SERVER_USER_IMPORT_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "server/app/app.h"
#include "store/store.h"

/* One user of the batch. */
struct sls_import_entry {
    /* in */
    struct sls_user_rec user;       /* all set but id, and account_id when generated */
    bool account_given;             /* user.account_id came with the line */
    struct sls_device_rec *devices; /* sealed, all set but user_id */
    size_t ndevices;
    /* out: why the store refuses this line (SLS_OK: it does not) */
    int error;
    const char *why;
};

struct sls_user_import_tx {
    /* in */
    struct sls_import_entry *entries;
    size_t n;
    const char *actor;
    sls_time now;
    /* out */
    size_t refused;  /* entries with an error */
    size_t ndevices; /* devices inserted */
    /* scratch of the transaction */
    struct sls_user_rec found;
};

/* Checks that no user of the batch is taken in the store (user name, or a
 * given account id of a primary user), then inserts every user and device,
 * drawing free account ids for those without one, and audits the batch
 * ("user.import", the counts). Returns SLS_OK; SLS_ERR_REJECTED when a line
 * is taken (t->refused > 0, each such entry's error and why set, nothing
 * written); or the store's error. */
int sls_user_import_tx(const struct sls_app *app, struct sls_user_import_tx *t);

#endif
