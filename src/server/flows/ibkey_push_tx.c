/* The store side of the mobile authenticator's pushes; see ibkey_push_tx.h. */
#include "server/flows/ibkey_push_tx.h"

#include <stdio.h>

#include "core/error.h"
#include "server/flows/audit_event.h"

#define EVENT "ibkey.push"

struct pending_read {
    const uint8_t *pk;
    sls_time now;
    struct sls_ibkey_pending *r;
};

static int pending_fn(struct sls_db *db, void *arg)
{
    struct pending_read *p = arg;
    struct sls_ibkey_pending *r = p->r;
    struct sls_user_rec u;
    size_t i;
    int rc = SLS_DB(db, push_list_for_key, p->pk, p->now, r->pushes, SLS_IBKEY_PENDING_MAX, &r->n);

    for (i = 0; rc == SLS_OK && i < r->n; i++) {
        rc = SLS_DB(db, user_get_by_id, r->pushes[i].user_id, &u);
        if (rc == SLS_OK)
            snprintf(r->usernames[i], sizeof(r->usernames[i]), "%s", u.username);
    }
    return rc;
}

int sls_ibkey_push_tx_pending(const struct sls_app *app, const uint8_t public_key[32], sls_time now,
                              struct sls_ibkey_pending *r)
{
    struct pending_read p = {public_key, now, r};

    r->n = 0;
    return sls_store_read(app->store, pending_fn, &p);
}

struct push_read {
    const char *push_id;
    struct sls_ibkey_push_read *r;
};

static int push_read_fn(struct sls_db *db, void *arg)
{
    struct push_read *p = arg;
    struct sls_ibkey_push_read *r = p->r;
    int rc = SLS_DB(db, push_get, p->push_id, &r->push);

    if (rc == SLS_OK)
        rc = SLS_DB(db, ibkey_key_get, r->push.device_id, r->pk, &r->mode);
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, r->push.user_id, &r->u);
    if (rc == SLS_OK && r->push.purpose == SLS_PUSH_LOGIN) {
        rc = SLS_DB(db, login_get, r->push.subject, &r->login);
        r->login_found = rc == SLS_OK;
        if (rc == SLS_ERR_NOT_FOUND)
            rc = SLS_OK;
    }
    return rc;
}

int sls_ibkey_push_tx_read(const struct sls_app *app, const char *push_id,
                           struct sls_ibkey_push_read *r)
{
    struct push_read p = {push_id, r};

    r->login_found = false;
    return sls_store_read(app->store, push_read_fn, &p);
}

struct decide {
    const char *push_id;
    enum sls_push_state state;
    enum sls_auth_mode mode;
    const char *username;
    sls_time now;
    bool conflict;
};

static int decide_fn(struct sls_db *db, void *arg)
{
    struct decide *d = arg;
    int rc = SLS_DB(db, push_decide_cas, d->push_id, d->state, d->mode, false, d->now);

    d->conflict = rc == SLS_ERR_CONFLICT;
    if (d->conflict)
        return SLS_OK;
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, d->now, d->username, EVENT, sls_push_state_name(d->state),
                                d->push_id);
}

int sls_ibkey_push_tx_decide(const struct sls_app *app, const char *push_id,
                             enum sls_push_state state, enum sls_auth_mode mode,
                             const char *username, sls_time now, bool *conflict)
{
    struct decide d = {push_id, state, mode, username, now, false};
    int rc = sls_store_write(app->store, decide_fn, &d);

    *conflict = d.conflict;
    return rc;
}
