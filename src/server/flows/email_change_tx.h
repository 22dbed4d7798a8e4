/* The store side of an e-mail change (R4, POST /v1/me/email): the
 * confirmation number sent to the old address (a one-time code under
 * "email:<user id>", the new address in its data, kept as a sealed digest
 * bound to the user and the new address), checking and counting it, and the
 * transaction that makes the change, or asks for it in the review queue
 * outside SLS. */
#ifndef SLS_SERVER_EMAIL_CHANGE_TX_H
#define SLS_SERVER_EMAIL_CHANGE_TX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/password_reset.h"
#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

struct sls_email_confirm_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    const char *new_email;
    /* scratch */
    struct sls_secret_rec rec; /* the code, the new address in its data */
    char code[SLS_RESET_CODE_LEN + 1];
};

/* Draws a confirmation number for t->user's change to t->new_email, valid
 * until now + ttl, and in one transaction keeps it (replacing an earlier
 * one), mails it to the old address and audits. Returns SLS_OK,
 * SLS_ERR_INTERNAL when it cannot be sealed (nothing written), or the
 * store's error. */
int sls_email_confirm_send(const struct sls_app *app, struct sls_email_confirm_tx *t, sls_time ttl);

/* Reads the confirmation number of user_id into rec: SLS_OK,
 * SLS_ERR_NOT_FOUND or the store's error. */
int sls_email_confirm_read(const struct sls_app *app, int64_t user_id, struct sls_secret_rec *rec);

/* Whether typed is the number in rec, sent to change user_id's address to
 * new_email, still usable at now. */
bool sls_email_confirm_ok(const struct sls_app *app, const struct sls_secret_rec *rec,
                          int64_t user_id, const char *new_email, const char *typed, sls_time now);

/* Counts a wrong guess against rec, as it was read (a number changed
 * meanwhile is left alone). Returns SLS_OK or the store's error. */
int sls_email_confirm_fail(const struct sls_app *app, const struct sls_secret_rec *rec);

struct sls_email_change_tx {
    /* in */
    sls_time now;
    const struct sls_user_rec *user;
    const char *new_email;
    bool outside_sls;                     /* asked for in the review queue, not made */
    const struct sls_secret_rec *confirm; /* the confirmation used, or NULL */
    /* out */
    bool taken;                   /* the confirmation was used or replaced meanwhile */
    struct sls_review_rec review; /* outside SLS: the review asked for (review.id) */
};

/* In one transaction: takes t->confirm (when given), then outside SLS asks
 * for the change in the review queue, else changes the address and sends
 * the notice to the old one; audited. Returns SLS_OK (t->taken: nothing
 * written) or the store's error. */
int sls_email_change_tx_apply(const struct sls_app *app, struct sls_email_change_tx *t);

#endif
