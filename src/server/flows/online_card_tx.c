/* The store side of R27 online security cards; see online_card_tx.h. */
#include "server/flows/online_card_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/online_card.h"
#include "core/time.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/device_auth.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"

/* The user's device records, read inside a transaction. */
struct devices {
    struct sls_device_rec d[SLS_DEVICE_VIEW_MAX];
    size_t n;
};

struct issue_tx {
    struct sls_online_card_issue *t;
    struct devices all;
};

static bool issue_allowed(const struct sls_device_rec *pass, const struct devices *all)
{
    struct sls_online_card_held held[SLS_DEVICE_VIEW_MAX];

    for (size_t i = 0; i < all->n; i++) {
        held[i].type = all->d[i].type;
        held[i].created_at = all->d[i].created_at;
    }
    return sls_online_card_issue_allowed(pass->created_at, held, all->n, SLS_DEVICE_VIEW_MAX);
}

static int issue_fn(struct sls_db *db, void *arg)
{
    struct issue_tx *x = arg;
    struct sls_online_card_issue *t = x->t;
    struct sls_device_rec pass;
    char detail[160], key[sizeof(t->act->key)];
    int rc;

    t->refused = false;
    t->replaced[0] = '\0';
    rc = SLS_DB(db, device_get, t->passcode_id, &pass);
    if (rc != SLS_OK)
        return rc;
    rc = SLS_DB(db, device_list, t->user_id, x->all.d, SLS_DEVICE_VIEW_MAX, &x->all.n);
    if (rc != SLS_OK)
        return rc;
    if (!issue_allowed(&pass, &x->all)) {
        t->refused = true;
        return SLS_OK;
    }
    for (size_t i = 0; i < x->all.n; i++) {
        const struct sls_device_rec *d = &x->all.d[i];
        if (d->type != SLS_DEVICE_ONLINE_CARD || d->state != SLS_DEVSTATE_SHIPPED)
            continue;
        rc = sls_field_write_device_state(db, d->id, SLS_DEVSTATE_INACTIVE, t->now);
        sls_card_activation_key(key, sizeof(key), d->id);
        if (rc == SLS_OK)
            rc = SLS_DB(db, secret_take, key);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            return rc;
        snprintf(t->replaced, sizeof(t->replaced), "%s", d->id);
    }
    rc = SLS_DB(db, device_insert, t->card);
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_put, t->act);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s%s%s", t->card->id, t->replaced[0] ? " replaced=" : "",
             t->replaced);
    return sls_audit_write_user(db, t->now, t->username, "online_card.issue", "ok", detail);
}

int sls_online_card_tx_issue(const struct sls_app *app, struct sls_online_card_issue *t)
{
    struct issue_tx *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return SLS_ERR_NOMEM;
    x->t = t;
    rc = sls_store_write(app->store, issue_fn, x);
    sls_wipe(x, sizeof(*x));
    free(x);
    return rc;
}

struct card_read {
    const char *card_id;
    struct sls_device_rec *card;
    struct sls_secret_rec *act;
    bool act_kept;
};

static int card_read_fn(struct sls_db *db, void *arg)
{
    struct card_read *r = arg;
    char key[sizeof(r->act->key)];
    int rc = SLS_DB(db, device_get, r->card_id, r->card);

    r->act_kept = false;
    if (rc != SLS_OK)
        return rc;
    sls_card_activation_key(key, sizeof(key), r->card_id);
    rc = SLS_DB(db, secret_get, key, r->act);
    r->act_kept = rc == SLS_OK;
    return rc == SLS_ERR_NOT_FOUND ? SLS_OK : rc;
}

int sls_online_card_tx_read(const struct sls_app *app, const char *card_id,
                            struct sls_device_rec *card, struct sls_secret_rec *act, bool *act_kept)
{
    struct card_read r = {card_id, card, act, false};
    int rc = sls_store_read(app->store, card_read_fn, &r);

    *act_kept = r.act_kept;
    return rc;
}

struct activate_tx {
    struct sls_online_card_activation *t;
    struct sls_secret_rec act;
    struct devices all;
};

/* Retires the user's card active until now, with the sessions it opened. */
static int retire_active(struct sls_db *db, struct activate_tx *x)
{
    struct sls_online_card_activation *t = x->t;
    size_t n;
    int rc;

    for (size_t i = 0; i < x->all.n; i++) {
        const struct sls_device_rec *d = &x->all.d[i];
        if (d->type != SLS_DEVICE_ONLINE_CARD || d->state != SLS_DEVSTATE_ACTIVE)
            continue;
        rc = sls_field_write_device_state(db, d->id, SLS_DEVSTATE_INACTIVE, t->now);
        if (rc == SLS_OK)
            rc = SLS_DB(db, session_revoke_by_device, t->card.user_id, d->id, &n);
        if (rc != SLS_OK)
            return rc;
        t->nsessions += n;
        snprintf(t->retired, sizeof(t->retired), "%s", d->id);
    }
    return SLS_OK;
}

static int activate_fn(struct sls_db *db, void *arg)
{
    struct activate_tx *x = arg;
    struct sls_online_card_activation *t = x->t;
    char key[sizeof(x->act.key)], detail[200], until[SLS_TIME_TEXT];
    int rc;

    t->changed = false;
    t->retired[0] = '\0';
    t->nsessions = 0;
    rc = SLS_DB(db, device_get, t->card_id, &t->card);
    sls_card_activation_key(key, sizeof(key), t->card_id);
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_get, key, &x->act);
    if (rc == SLS_ERR_NOT_FOUND ||
        (rc == SLS_OK &&
         (t->card.state != SLS_DEVSTATE_SHIPPED || strcmp(x->act.challenge, t->challenge) != 0))) {
        t->changed = true;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->card.user_id, x->all.d, SLS_DEVICE_VIEW_MAX, &x->all.n);
    if (rc == SLS_OK)
        rc = retire_active(db, x);
    if (rc == SLS_OK)
        rc = sls_field_write_device_state(db, t->card_id, SLS_DEVSTATE_ACTIVE, t->now);
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_take, key);
    if (rc == SLS_OK)
        rc = sls_notice_queue_id(db, t->card.user_id, SLS_NOTICE_DEVICE_ACTIVATED,
                                 sls_notice_device_name(&t->card), t->now);
    if (rc != SLS_OK)
        return rc;
    t->card.state = SLS_DEVSTATE_ACTIVE;
    sls_time_text(t->now, until);
    snprintf(detail, sizeof(detail), "%s activated_at=%s%s%s sessions_revoked=%zu", t->card_id,
             until, t->retired[0] ? " replaced=" : "", t->retired, t->nsessions);
    return sls_audit_write_user(db, t->now, t->username, "online_card.activate", "ok", detail);
}

int sls_online_card_tx_activate(const struct sls_app *app, struct sls_online_card_activation *t)
{
    struct activate_tx *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL)
        return SLS_ERR_NOMEM;
    x->t = t;
    rc = sls_store_write(app->store, activate_fn, x);
    sls_wipe(x, sizeof(*x));
    free(x);
    return rc;
}
