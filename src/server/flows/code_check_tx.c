/* The store side of checking a typed code; see code_check_tx.h. */
#include "server/flows/code_check_tx.h"

#include "core/error.h"
#include "server/flows/audit_event.h"

struct code_read {
    const char *key;
    struct sls_secret_rec *c;
    struct sls_user_rec *u;
};

static int code_read_fn(struct sls_db *db, void *arg)
{
    struct code_read *r = arg;
    int rc = SLS_DB(db, secret_get, r->key, r->c);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, r->c->user_id, r->u);
    return rc;
}

int sls_code_check_tx_read(const struct sls_app *app, const char *key, struct sls_secret_rec *c,
                           struct sls_user_rec *u)
{
    struct code_read r = {key, c, u};

    return sls_store_read(app->store, code_read_fn, &r);
}

struct code_fail {
    const char *key;
    int attempts;
    int tries;
    const char *username;
    const char *event;
    sls_time now;
};

static int code_fail_fn(struct sls_db *db, void *arg)
{
    struct code_fail *f = arg;
    int rc = SLS_DB(db, secret_fail_cas, f->key, f->attempts);

    /* The last allowed try used: the code is gone. */
    if (rc == SLS_OK && f->attempts + 1 >= f->tries)
        rc = SLS_DB(db, secret_take, f->key);
    if (rc == SLS_ERR_CONFLICT)
        rc = SLS_OK; /* a racing request counted first: still refused */
    if (rc == SLS_OK)
        rc = sls_audit_write_user(db, f->now, f->username, f->event, "wrong_code", NULL);
    return rc;
}

int sls_code_check_tx_fail(const struct sls_app *app, const char *key, int attempts, int tries,
                           const char *username, const char *event, sls_time now)
{
    struct code_fail f = {key, attempts, tries, username, event, now};

    return sls_store_write(app->store, code_fail_fn, &f);
}
