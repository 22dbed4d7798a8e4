/* The store side of R34 step-up verification (POST and GET /v1/me/verify):
 * which device a challenge comes from, whether it still answers for the
 * user, reading a push step-up's state, and marking the session verified
 * once a challenge was answered. The decisions are core/step_up.h's. */
#ifndef SLS_SERVER_STEP_UP_TX_H
#define SLS_SERVER_STEP_UP_TX_H

#include <stdbool.h>

#include "server/app/app.h"
#include "store/store.h"

/* The device of user_id to challenge into out: the one named by device_id
 * (held by the user and able to answer, sls_step_up_device_ok), else the
 * strongest such one (R7). SLS_OK; SLS_ERR_NOT_FOUND when the one named is
 * not such a device; SLS_ERR_NO_ACTIVE_DEVICE when none is; or the store's
 * error. */
int sls_step_up_tx_pick(const struct sls_app *app, int64_t user_id, const char *device_id,
                        struct sls_device_rec *out);

/* Reads device device_id into d and sets *ok when it still answers a
 * step-up for user_id: theirs or shared with them (R32), able to answer.
 * Returns SLS_OK (a device gone is not *ok) or the store's error. */
int sls_step_up_tx_answerer(const struct sls_app *app, const char *device_id, int64_t user_id,
                            struct sls_device_rec *d, bool *ok);

/* Takes challenge c, answered, and marks session token_hash verified until
 * `until`, audited as a step-up of username at `now`. *taken: c was used or
 * replaced meanwhile (nothing written). Returns SLS_OK or the store's error. */
int sls_step_up_tx_verify(const struct sls_app *app, const char *token_hash, const char *username,
                          const struct sls_secret_rec *c, sls_time until, sls_time now,
                          bool *taken);

/* What a poll for a push step-up reads. */
struct sls_step_up_tx_poll {
    struct sls_secret_rec c;
    bool has_challenge;
    struct sls_push_rec push;
    bool has_push;
};

/* Reads the challenge under key and, for a push, its push into r. Returns
 * SLS_OK (what is missing is left unset) or the store's error. */
int sls_step_up_tx_poll_read(const struct sls_app *app, const char *key,
                             struct sls_step_up_tx_poll *r);

/* Deletes the challenge under key (gone already: fine). Returns SLS_OK or
 * the store's error. */
int sls_step_up_tx_drop(const struct sls_app *app, const char *key);

#endif
