/* The store side of the service desk's user and device admin; see
 * admin_tx.h. */
#include "server/flows/admin_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/username.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"

#define CREATE_TRIES 5

static int user_view_fn(struct sls_db *db, void *arg)
{
    struct sls_admin_user_view *v = arg;
    int rc = SLS_DB(db, user_get_by_name, v->username, &v->user);

    if (rc != SLS_OK)
        return rc;
    if (v->user.paper_of != 0 && SLS_DB(db, user_get_by_id, v->user.paper_of, &v->paper) == SLS_OK)
        snprintf(v->paper_of, sizeof(v->paper_of), "%s", v->paper.username);
    rc = SLS_DB(db, device_list, v->user.id, v->devices, SLS_DEVICE_VIEW_MAX, &v->ndevices);
    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, client_token_list_counted, v->user.id, v->now, v->tokens,
                  SLS_ADMIN_CLIENT_TOKEN_VIEW_MAX, &v->ntokens);
}

int sls_admin_tx_user_view(const struct sls_app *app, struct sls_admin_user_view *v)
{
    if (strlen(v->username) > SLS_USERNAME_MAX)
        return SLS_ERR_NOT_FOUND;
    return sls_store_read(app->store, user_view_fn, v);
}

/* ---- creating a user ---- */

struct create {
    struct sls_admin_create_tx *t;
    struct sls_user_rec user; /* the live user named by paper_of; or one of that name */
};

static int create_fn(struct sls_db *db, void *arg)
{
    struct create *c = arg;
    struct sls_admin_create_tx *t = c->t;
    int rc;

    t->paper_missing = false;
    if (t->paper_of != NULL) {
        rc = SLS_DB(db, user_get_by_name, t->paper_of, &c->user);
        t->u->paper_of = c->user.id;
        if (rc == SLS_ERR_NOT_FOUND)
            t->paper_missing = true;
        if (rc != SLS_OK)
            return rc;
    }
    rc = SLS_DB(db, user_insert, t->u);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write(db, t->now, t->actor, t->u->username, "user.create", "ok",
                           t->u->account_id);
}

static int name_fn(struct sls_db *db, void *arg)
{
    struct create *c = arg;
    return SLS_DB(db, user_get_by_name, c->t->u->username, &c->user);
}

int sls_admin_tx_create(const struct sls_app *app, struct sls_admin_create_tx *t)
{
    struct create c;
    int rc = SLS_OK, tries;

    memset(&c, 0, sizeof(c));
    c.t = t;
    for (tries = 0; tries < CREATE_TRIES; tries++) {
        if (t->account_id != NULL) {
            snprintf(t->u->account_id, sizeof(t->u->account_id), "%s", t->account_id);
        } else {
            t->u->account_id[0] = 'U';
            sls_random_digits(t->u->account_id + 1, 7);
        }
        rc = sls_store_write(app->store, create_fn, &c);
        if (rc != SLS_ERR_CONFLICT || t->account_id != NULL)
            break;
        /* A generated account id may collide; a taken user name does not change. */
        if (sls_store_read(app->store, name_fn, &c) == SLS_OK)
            break;
    }
    sls_wipe(&c, sizeof(c));
    return rc;
}

/* ---- devices ---- */

struct device_add {
    const struct sls_device_rec *d;
    const char *actor;
    const char *username;
    sls_time now;
};

static int device_add_fn(struct sls_db *db, void *arg)
{
    struct device_add *t = arg;
    char detail[128];
    int rc = SLS_DB(db, device_insert, t->d);

    if (rc == SLS_OK && t->d->state == SLS_DEVSTATE_ACTIVE)
        rc = sls_notice_queue_id(db, t->d->user_id, SLS_NOTICE_DEVICE_ACTIVATED,
                                 sls_notice_device_name(t->d), t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s %s", t->d->id, sls_device_type_name(t->d->type),
             sls_device_state_name(t->d->state));
    return sls_audit_write(db, t->now, t->actor, t->username, "device.add", "ok", detail);
}

int sls_admin_tx_device_add(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *actor, const char *username, sls_time now)
{
    struct device_add t = {d, actor, username, now};
    return sls_store_write(app->store, device_add_fn, &t);
}

/* ---- R40 identity verification ---- */

struct identity {
    const char *agent;
    const char *actor;
    const struct sls_user_rec *user;
    const char *channel;
    sls_time now;
};

static int identity_fn(struct sls_db *db, void *arg)
{
    struct identity *t = arg;
    int rc = SLS_DB(db, identity_insert, t->agent, t->user->id, t->channel, t->now);

    if (rc != SLS_OK)
        return rc;
    return sls_audit_write(db, t->now, t->actor, t->user->username, "identity.verify", "ok",
                           t->channel);
}

int sls_admin_tx_identity_verify(const struct sls_app *app, const char *agent, const char *actor,
                                 const struct sls_user_rec *user, const char *channel, sls_time now)
{
    struct identity t = {agent, actor, user, channel, now};
    return sls_store_write(app->store, identity_fn, &t);
}

/* ---- R12 account state ---- */

struct account {
    const struct sls_user_rec *user;
    enum sls_account_state state;
    sls_time approved_at;
    const char *actor;
    sls_time now;
};

static int account_fn(struct sls_db *db, void *arg)
{
    struct account *t = arg;
    struct sls_user_rec w = *t->user;
    int rc;

    w.account_state = t->state;
    w.approved_at = t->approved_at;
    rc = sls_field_write_user(db, &w, SLS_USER_SET_STATE);

    if (rc != SLS_OK)
        return rc;
    return sls_audit_write(db, t->now, t->actor, t->user->username, "account.state", "ok",
                           sls_account_state_name(t->state));
}

int sls_admin_tx_account(const struct sls_app *app, const struct sls_user_rec *user,
                         enum sls_account_state state, sls_time approved_at, const char *actor,
                         sls_time now)
{
    struct account t = {user, state, approved_at, actor, now};
    return sls_store_write(app->store, account_fn, &t);
}
