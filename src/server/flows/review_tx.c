/* The store side of the security review queue; see review_tx.h. */
#include "server/flows/review_tx.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"

static int list_fn(struct sls_db *db, void *arg)
{
    struct sls_review_tx_list *l = arg;
    struct sls_user_rec u;
    size_t i;
    int state = l->state == SLS_REVIEW__COUNT ? -1 : (int)l->state;
    int rc = SLS_DB(db, review_list, 0, state, false, l->reviews, SLS_REVIEW_LIST_MAX, &l->n);

    for (i = 0; rc == SLS_OK && i < l->n; i++) {
        rc = SLS_DB(db, user_get_by_id, l->reviews[i].user_id, &u);
        if (rc == SLS_OK)
            snprintf(l->usernames[i], sizeof(l->usernames[i]), "%s", u.username);
    }
    sls_wipe(&u, sizeof(u));
    return rc;
}

int sls_review_tx_list(const struct sls_app *app, struct sls_review_tx_list *l)
{
    l->n = 0;
    return sls_store_read(app->store, list_fn, l);
}

/* Writes the new e-mail of u, read in this transaction; u itself keeps the old one. */
static int set_email(struct sls_db *db, const struct sls_user_rec *u, const char *email)
{
    struct sls_user_rec w = *u;
    int rc = sls_field_write_text(w.email, sizeof(w.email), email);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_update, &w, SLS_USER_SET_EMAIL, u->version);
    return rc;
}

/* Applies an approved review: the new e-mail, or the banking instructions. */
static int apply_change(struct sls_db *db, struct sls_review_tx *t)
{
    struct sls_bank_rec b;
    json_t *p = json_loads(t->review.payload, 0, NULL);
    const char *s;
    int rc = SLS_ERR_STORE;

    if (p == NULL)
        return SLS_ERR_STORE;
    if (strcmp(t->review.kind, "email") == 0) {
        s = json_string_value(json_object_get(p, "new_email"));
        if (s != NULL)
            rc = set_email(db, &t->user, s);
        /* t->user was read before the change: its address is the old one. */
        if (rc == SLS_OK)
            rc = sls_notice_queue_to(db, t->user.email, SLS_NOTICE_EMAIL_CHANGED, s, t->now);
    } else if (strcmp(t->review.kind, "bank") == 0) {
        memset(&b, 0, sizeof(b));
        b.user_id = t->user.id;
        s = json_string_value(json_object_get(p, "bank_name"));
        snprintf(b.bank_name, sizeof(b.bank_name), "%s", s ? s : "");
        s = json_string_value(json_object_get(p, "routing_number"));
        snprintf(b.routing_number, sizeof(b.routing_number), "%s", s ? s : "");
        s = json_string_value(json_object_get(p, "account_number_last4"));
        snprintf(b.account_last4, sizeof(b.account_last4), "%s", s ? s : "");
        if (t->review.secret_len <= sizeof(b.account_sealed)) {
            memcpy(b.account_sealed, t->review.secret, t->review.secret_len);
            b.account_sealed_len = t->review.secret_len;
            b.updated_at = t->now;
            rc = SLS_DB(db, bank_put, &b);
        }
        if (rc == SLS_OK)
            rc = sls_notice_queue(db, &t->user, SLS_NOTICE_BANK_CHANGED, NULL, t->now);
        sls_wipe(&b, sizeof(b));
    }
    json_decref(p);
    return rc;
}

static int decide_fn(struct sls_db *db, void *arg)
{
    struct sls_review_tx *t = arg;
    char detail[64];
    int rc = SLS_DB(db, review_decide, t->id, t->state, t->actor, t->now);

    t->outcome = SLS_OK;
    if (rc == SLS_ERR_NOT_FOUND || rc == SLS_ERR_CONFLICT) {
        t->outcome = rc;
        return SLS_OK;
    }
    if (rc == SLS_OK)
        rc = SLS_DB(db, review_get, t->id, &t->review);
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, t->review.user_id, &t->user);
    if (rc == SLS_OK && t->state == SLS_REVIEW_APPROVED)
        rc = apply_change(db, t);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "review=%lld kind=%s", (long long)t->id, t->review.kind);
    return sls_audit_write(db, t->now, t->actor, t->user.username,
                           t->state == SLS_REVIEW_APPROVED ? "review.approve" : "review.deny", "ok",
                           detail);
}

int sls_review_tx_apply(const struct sls_app *app, struct sls_review_tx *t)
{
    return sls_store_write(app->store, decide_fn, t);
}
