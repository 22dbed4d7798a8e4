/* Reading a user's open sharing request; see sharing_read.h. */
#include "server/flows/sharing_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "crypto/secmem.h"

struct sharing_read {
    int64_t requester_id;
    struct sls_sharing_view *out;
    struct sls_user_rec owner;
    struct sls_device_rec device;
};

static int read_fn(struct sls_db *db, void *arg)
{
    struct sharing_read *a = arg;
    struct sls_sharing_view *v = a->out;
    int rc = SLS_DB(db, sharing_get_open, a->requester_id, &v->req);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, v->req.owner_id, &a->owner);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_get, v->req.device_id, &a->device);
    if (rc != SLS_OK)
        return rc;
    snprintf(v->owner, sizeof(v->owner), "%s", a->owner.username);
    snprintf(v->device_label, sizeof(v->device_label), "%s", a->device.label);
    v->device_type = a->device.type;
    v->device_state = a->device.state;
    return SLS_OK;
}

int sls_sharing_read_open(const struct sls_app *app, int64_t requester_id,
                          struct sls_sharing_view *out)
{
    /* The owner's record holds a password hash and the device its sealed
     * secret: read off the stack and wiped. */
    struct sharing_read *a = calloc(1, sizeof(*a));
    int rc;

    if (a == NULL)
        return SLS_ERR_NOMEM;
    memset(out, 0, sizeof(*out));
    a->requester_id = requester_id;
    a->out = out;
    rc = sls_store_read(app->store, read_fn, a);
    sls_wipe(a, sizeof(*a));
    free(a);
    return rc;
}
