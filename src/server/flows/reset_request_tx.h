/* The store side of a self-service password reset request (R3, POST
 * /v1/password-reset): the one transaction that looks the user up, decides
 * whether a code goes out (core/password_reset.h) and, when it does, keeps
 * the sealed code, queues the e-mail and audits. The same work runs whether
 * or not the user exists or may reset. */
#ifndef SLS_SERVER_RESET_REQUEST_TX_H
#define SLS_SERVER_RESET_REQUEST_TX_H

#include "core/time.h"
#include "server/app/app.h"
#include "store/store.h"

struct sls_reset_request_tx {
    /* in */
    sls_time now;
    const char *username; /* as typed; "" when it cannot name a user */
    const char *code;     /* the code drawn, SLS_RESET_CODE_LEN digits */
    /* in: reset.issued_by, issued_at and expires_at of the code to send */
    struct sls_secret_rec reset;
    /* scratch */
    struct sls_user_rec user;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    struct sls_secret_rec prev;
    struct sls_outbox_rec msg;
};

/* In one transaction: seals t->code for the user named (user id 0 when
 * nobody), and sends it when the user may reset by themselves, no usable
 * desk code stands and none was sent less than reset_interval ago; every
 * outcome is audited. Returns SLS_OK whatever was decided, or the store's
 * error (SLS_ERR_INTERNAL when the code cannot be sealed). */
int sls_reset_request_tx_apply(const struct sls_app *app, struct sls_reset_request_tx *t);

#endif
