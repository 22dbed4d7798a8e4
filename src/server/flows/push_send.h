/* Sending a push request to the mobile authenticator (R20): the push
 * record, with its purpose and (with [push] number_matching, SPEC §10.3) the
 * two-digit number the user types into the app, and its notification
 * through the outbox (channel "push"; it never carries the number), unless
 * the account already had its cap of pushes in the window, so that nobody
 * can flood a user's phone. */
#ifndef SLS_SERVER_PUSH_SEND_H
#define SLS_SERVER_PUSH_SEND_H

#include <stdbool.h>

#include "server/app/app.h"
#include "store/store.h"

struct sls_push_request {
    const struct sls_user_rec *user;
    const struct sls_device_rec *device; /* an active ibkey device of user */
    enum sls_push_purpose purpose;
    const char *subject; /* the login id (purpose login) */
    enum sls_platform platform;
};

/* Inside a write transaction: counts the user's recent pushes and, below the
 * cap, writes a new pending push into *out and queues its notification.
 * *capped tells that nothing was sent because of the cap. Returns SLS_OK or
 * a store error. */
int sls_push_send(const struct sls_app *app, struct sls_db *db, const struct sls_push_request *r,
                  sls_time now, struct sls_push_rec *out, bool *capped);

#endif
