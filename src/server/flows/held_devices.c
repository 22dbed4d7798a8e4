/* The devices a user can answer with (R32 sharing); see held_devices.h. */
#include "server/flows/held_devices.h"

#include <stdlib.h>
#include <string.h>

#include "core/device.h"
#include "core/error.h"
#include "crypto/secmem.h"

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

int sls_devices_pick_default(const struct sls_device_rec *devs, size_t n,
                             bool (*usable)(enum sls_device_type, enum sls_device_state))
{
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    size_t i;

    if (n > SLS_DEVICE_VIEW_MAX)
        n = SLS_DEVICE_VIEW_MAX;
    for (i = 0; i < n; i++) {
        briefs[i].type = devs[i].type;
        briefs[i].state =
            usable(devs[i].type, devs[i].state) ? SLS_DEVSTATE_ACTIVE : SLS_DEVSTATE_INACTIVE;
    }
    return sls_device_pick_default(briefs, n);
}

int sls_devices_pick(const struct sls_device_rec *devs, size_t n, const char *device_id,
                     bool (*usable)(enum sls_device_type, enum sls_device_state))
{
    if (device_id == NULL)
        return sls_devices_pick_default(devs, n, usable);
    for (size_t i = 0; i < n && i < SLS_DEVICE_VIEW_MAX; i++)
        if (strcmp(devs[i].id, device_id) == 0)
            return usable(devs[i].type, devs[i].state) ? (int)i : -1;
    return -1;
}

struct own_device {
    const char *id;
    struct sls_device_rec *d;
};

static int own_device_fn(struct sls_db *db, void *arg)
{
    struct own_device *r = arg;
    return SLS_DB(db, device_get, r->id, r->d);
}

int sls_own_device_read(struct sls_store *store, int64_t user_id, const char *device_id,
                        bool (*usable)(enum sls_device_type, enum sls_device_state),
                        struct sls_device_rec *out)
{
    struct own_device r = {device_id, out};
    int rc;

    if (device_id == NULL)
        return sls_own_default_device_read(store, user_id, usable, out);
    /* One record read by its id: a device is found however many the user has. */
    rc = sls_store_read(store, own_device_fn, &r);
    if (rc == SLS_OK && (out->user_id != user_id || !usable(out->type, out->state))) {
        sls_wipe(out, sizeof(*out));
        rc = SLS_ERR_NOT_FOUND;
    }
    return rc;
}

struct own_devices {
    int64_t user_id;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    size_t n;
};

static int own_devices_fn(struct sls_db *db, void *arg)
{
    struct own_devices *r = arg;
    return SLS_DB(db, device_list, r->user_id, r->devices, SLS_DEVICE_VIEW_MAX, &r->n);
}

int sls_own_default_device_read(struct sls_store *store, int64_t user_id,
                                bool (*usable)(enum sls_device_type, enum sls_device_state),
                                struct sls_device_rec *out)
{
    struct own_devices *r = calloc(1, sizeof(*r));
    int rc, pick;

    if (r == NULL)
        return SLS_ERR_NOMEM;
    r->user_id = user_id;
    rc = sls_store_read(store, own_devices_fn, r);
    if (rc == SLS_OK) {
        pick = sls_devices_pick_default(r->devices, r->n, usable);
        if (pick < 0)
            rc = SLS_ERR_NOT_FOUND;
        else
            *out = r->devices[pick];
    }
    sls_wipe(r, sizeof(*r));
    free(r);
    return rc;
}

int sls_shared_sessions_revoke(struct sls_db *db, const char *device_id, size_t *n)
{
    struct sls_sharing_rec *reqs = calloc(SLS_DEVICE_VIEW_MAX, sizeof(*reqs));
    size_t count = 0, revoked;
    int rc = reqs ? SLS_OK : SLS_ERR_NOMEM;

    *n = 0;
    if (rc == SLS_OK)
        rc = SLS_DB(db, sharing_list, SLS_SHARING_STATE_ACTIVE, device_id, reqs,
                    SLS_DEVICE_VIEW_MAX, &count);
    for (size_t i = 0; rc == SLS_OK && i < count; i++) {
        rc = SLS_DB(db, session_revoke_by_device, reqs[i].requester_id, device_id, &revoked);
        *n += revoked;
    }
    free(reqs);
    return rc;
}
