/* The devices a user can answer with (R32 sharing); see held_devices.h. */
#include "held_devices.h"

#include <string.h>

#include "core/error.h"

/* The device of user_id's active sharing request into *shared; false when
 * there is none (or it waits for compliance). */
static int shared_device(struct sls_db *db, int64_t user_id, struct sls_sharing_rec *r, bool *found)
{
    int rc = SLS_DB(db, sharing_get_open, user_id, r);

    *found = false;
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc != SLS_OK)
        return rc;
    *found = r->state == SLS_SHARING_STATE_ACTIVE;
    return SLS_OK;
}

int sls_devices_held(struct sls_db *db, int64_t user_id, struct sls_device_rec *out, size_t max,
                     size_t *n)
{
    struct sls_sharing_rec r;
    bool found;
    int rc = SLS_DB(db, device_list, user_id, out, max, n);

    if (rc != SLS_OK)
        return rc;
    rc = shared_device(db, user_id, &r, &found);
    if (rc != SLS_OK || !found || *n >= max)
        return rc;
    rc = SLS_DB(db, device_get, r.device_id, &out[*n]);
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc == SLS_OK)
        (*n)++;
    return rc;
}

int sls_device_held_by(struct sls_db *db, const struct sls_device_rec *d, int64_t user_id,
                       bool *held)
{
    struct sls_sharing_rec r;
    bool found;
    int rc;

    *held = d->user_id == user_id;
    if (*held)
        return SLS_OK;
    rc = shared_device(db, user_id, &r, &found);
    *held = rc == SLS_OK && found && strcmp(r.device_id, d->id) == 0;
    return rc;
}
