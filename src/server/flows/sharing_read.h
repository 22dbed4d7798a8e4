/* Reading a user's open R32 sharing request as the requester may see it
 * (GET /v1/me/share-device): its state, the owner's user name (which the
 * requester typed) and the shared device's type and label, nothing else of
 * the owner. */
#ifndef SLS_SERVER_SHARING_READ_H
#define SLS_SERVER_SHARING_READ_H

#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

/* The open request of a requester, as shown to them. */
struct sls_sharing_view {
    struct sls_sharing_rec req;
    char owner[sizeof(((struct sls_user_rec *)0)->username)];
    enum sls_device_type device_type;
    char device_label[sizeof(((struct sls_device_rec *)0)->label)];
    enum sls_device_state device_state;
};

/* Reads requester_id's open request (waiting for compliance or active) into
 * out in a read of its own. Returns SLS_OK, SLS_ERR_NOT_FOUND (none open)
 * or the store's error. */
int sls_sharing_read_open(const struct sls_app *app, int64_t requester_id,
                          struct sls_sharing_view *out);

#endif
