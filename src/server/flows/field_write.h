/* Writes of single fields of a user or a device, inside the caller's
 * transaction, for flows whose new value does not depend on the rest of the
 * record (a new password, e-mail, account state, a device's state): they
 * name the fields they write, and nothing else of the record is written. */
#ifndef SLS_SERVER_FIELD_WRITE_H
#define SLS_SERVER_FIELD_WRITE_H

#include <stddef.h>

#include "core/device.h"
#include "core/time.h"
#include "store/store.h"

/* Writes the fields of u in the groups `fields` (SLS_USER_SET_*) to the
 * stored user u->id, whatever its version: reads the version in this
 * transaction and updates on it, reading again when another writer bumped it
 * in between (a backend with row locks). u->version is not read. Returns
 * SLS_OK, SLS_ERR_NOT_FOUND (no such user), SLS_ERR_CONFLICT (still changing
 * after several tries) or the store's error. */
int sls_field_write_user(struct sls_db *db, const struct sls_user_rec *u, unsigned fields);

/* Copies the text src into the field dst of cap bytes: SLS_OK, or
 * SLS_ERR_STORE when it does not fit (never cut). */
int sls_field_write_text(char *dst, size_t cap, const char *src);

/* Makes s the session token_hash with every other field zero, for a
 * session_update of the fields the caller then sets. SLS_OK, or
 * SLS_ERR_NOT_FOUND when token_hash cannot name a session (too long). */
int sls_field_write_session_key(struct sls_session_rec *s, const char *token_hash);

/* Sets the state of device id, changed at `at` (device_update with
 * SLS_DEVICE_SET_STATE: the first activation also sets activated_at). */
int sls_field_write_device_state(struct sls_db *db, const char *id, enum sls_device_state state,
                                 sls_time at);

#endif
