/* The devices a user can answer with: their own, plus the device of another
 * user shared with them by an active sharing request (R32). A login, a
 * step-up and the profile list these; a check that a device answers for a
 * user accepts the shared one too. Both run inside a store callback. */
#ifndef SLS_SERVER_HELD_DEVICES_H
#define SLS_SERVER_HELD_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

/* The user's own devices (oldest first) followed by the device shared with
 * them, if any, at most max; *n is how many. Returns the store's answer. */
int sls_devices_held(struct sls_db *db, int64_t user_id, struct sls_device_rec *out, size_t max,
                     size_t *n);

/* Whether device d answers for user_id: it is theirs, or it is the device of
 * their active sharing request. *held is set; returns the store's answer. */
int sls_device_held_by(struct sls_db *db, const struct sls_device_rec *d, int64_t user_id,
                       bool *held);

/* R7: index of the default device among the n records devs (at most
 * SLS_DEVICE_VIEW_MAX): the strongest one for which usable(type, state)
 * holds, the first on ties; -1 when none does. */
int sls_devices_pick_default(const struct sls_device_rec *devs, size_t n,
                             bool (*usable)(enum sls_device_type, enum sls_device_state));

/* The device asked for among the n records devs: the one whose id is
 * device_id when usable(type, state) holds for it, or, when device_id is
 * NULL, the default (sls_devices_pick_default with usable). Its index, or -1
 * when there is none. */
int sls_devices_pick(const struct sls_device_rec *devs, size_t n, const char *device_id,
                     bool (*usable)(enum sls_device_type, enum sls_device_state));

/* Reads user_id's own device asked for as sls_devices_pick does into out:
 * device_id when it is theirs and usable, or (device_id NULL) the default
 * among the usable ones, in a read of its own. SLS_OK, SLS_ERR_NOT_FOUND
 * when no device qualifies, or the store's error. */
int sls_own_device_read(struct sls_store *store, int64_t user_id, const char *device_id,
                        bool (*usable)(enum sls_device_type, enum sls_device_state),
                        struct sls_device_rec *out);

/* Reads user_id's own devices in a read of its own and copies the default
 * among them (sls_devices_pick_default with usable) into out. SLS_OK,
 * SLS_ERR_NOT_FOUND when no device qualifies, or the store's error. The
 * records read are wiped. */
int sls_own_default_device_read(struct sls_store *store, int64_t user_id,
                                bool (*usable)(enum sls_device_type, enum sls_device_state),
                                struct sls_device_rec *out);

/* Ends the sessions that users sharing device_id (active requests) opened
 * with it, when the device stops working (lost, returned); *n is how many. */
int sls_shared_sessions_revoke(struct sls_db *db, const char *device_id, size_t *n);

#endif
