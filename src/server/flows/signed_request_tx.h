/* The store side of requests the mobile authenticator signs (R20, SPEC §8;
 * the checks are api/signed_request.h's): reading the device a request
 * names with its user and key, recording a signed request once (a replay
 * is refused), and the audit record of a refused app request. */
#ifndef SLS_SERVER_SIGNED_REQUEST_TX_H
#define SLS_SERVER_SIGNED_REQUEST_TX_H

#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

/* Reads device device_id into d, its user into u and the app's key into
 * public_key and *mode. Returns SLS_OK, SLS_ERR_NOT_FOUND (what was read
 * before the missing record is filled in) or the store's error. */
int sls_signed_request_tx_read(const struct sls_app *app, const char *device_id,
                               struct sls_device_rec *d, struct sls_user_rec *u,
                               uint8_t public_key[32], int *mode);

/* Records the signed request (device_id, ts, signature), pruning those
 * older than prune_before. Returns SLS_OK, SLS_ERR_CONFLICT when it was
 * recorded already (a replay), or the store's error. */
int sls_signed_request_tx_mark(const struct sls_app *app, const char *device_id, sls_time ts,
                               const char *signature, sls_time prune_before);

/* Audits an app request refused for `outcome`, as user:username (or the
 * actor "app" when username is "", the user unknown), in a transaction of
 * its own. Returns SLS_OK or the store's error. */
int sls_signed_request_tx_audit(const struct sls_app *app, sls_time now, const char *username,
                                const char *event, const char *outcome, const char *detail);

#endif
