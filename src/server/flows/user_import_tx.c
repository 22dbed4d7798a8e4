/* The store side of a bulk user import; see user_import_tx.h. */
#include "server/flows/user_import_tx.h"

#include <stdio.h>

#include "core/error.h"
#include "crypto/random.h"
#include "server/flows/audit_event.h"

/* Draws of a generated account id before giving up: with the store a tenth
 * full, twenty collisions in a row happen once in 10^20 draws. */
#define ACCOUNT_DRAWS 20

/* Sets e's error when the store already holds its user name or given
 * account id. Returns SLS_OK or the store's error. */
static int check_free(struct sls_db *db, struct sls_user_import_tx *t, struct sls_import_entry *e)
{
    int rc = SLS_DB(db, user_get_by_name, e->user.username, &t->found);

    if (rc == SLS_OK) {
        e->error = SLS_ERR_CONFLICT;
        e->why = "User name already exists";
        return SLS_OK;
    }
    if (rc != SLS_ERR_NOT_FOUND)
        return rc;
    if (!e->account_given || !e->user.primary)
        return SLS_OK;
    rc = SLS_DB(db, user_get_by_account, e->user.account_id, &t->found);
    if (rc == SLS_OK) {
        e->error = SLS_ERR_CONFLICT;
        e->why = "Account id already has a primary user";
        return SLS_OK;
    }
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

/* A random account id no primary user holds yet (the batch's own inserts
 * included: the transaction reads its own writes). */
static int draw_account(struct sls_db *db, struct sls_user_import_tx *t, struct sls_user_rec *u)
{
    int tries, rc;

    for (tries = 0; tries < ACCOUNT_DRAWS; tries++) {
        u->account_id[0] = 'U';
        sls_random_digits(u->account_id + 1, 7);
        if (!u->primary)
            return SLS_OK;
        rc = SLS_DB(db, user_get_by_account, u->account_id, &t->found);
        if (rc != SLS_OK)
            return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
    }
    return SLS_ERR_CONFLICT;
}

static int import_fn(struct sls_db *db, void *arg)
{
    struct sls_user_import_tx *t = arg;
    char detail[96];
    size_t i, j;
    int rc;

    t->refused = 0;
    t->ndevices = 0;
    for (i = 0; i < t->n; i++) {
        struct sls_import_entry *e = &t->entries[i];
        e->error = SLS_OK;
        e->why = NULL;
        rc = check_free(db, t, e);
        if (rc != SLS_OK)
            return rc;
        t->refused += e->error != SLS_OK;
    }
    if (t->refused > 0)
        return SLS_ERR_REJECTED;
    for (i = 0; i < t->n; i++) {
        struct sls_import_entry *e = &t->entries[i];
        if (!e->account_given && (rc = draw_account(db, t, &e->user)) != SLS_OK)
            return rc;
        rc = SLS_DB(db, user_insert, &e->user);
        if (rc != SLS_OK)
            return rc;
        for (j = 0; j < e->ndevices; j++) {
            e->devices[j].user_id = e->user.id;
            rc = SLS_DB(db, device_insert, &e->devices[j]);
            if (rc != SLS_OK)
                return rc;
            t->ndevices++;
        }
    }
    snprintf(detail, sizeof(detail), "%zu users, %zu devices", t->n, t->ndevices);
    return sls_audit_write(db, t->now, t->actor, "", "user.import", "ok", detail);
}

int sls_user_import_tx(const struct sls_app *app, struct sls_user_import_tx *t)
{
    return sls_store_write(app->store, import_fn, t);
}
