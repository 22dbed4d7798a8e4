/* The store side of checking a typed 6-digit code (one_time_code.h): the
 * code read with its user, and a wrong try counted. The handler side, which
 * answers, is api/code_check.h. */
#ifndef SLS_SERVER_CODE_CHECK_TX_H
#define SLS_SERVER_CODE_CHECK_TX_H

#include "server/app/app.h"
#include "store/store.h"

/* Reads the code under key into c and its user into u. Returns SLS_OK,
 * SLS_ERR_NOT_FOUND or the store's error. */
int sls_code_check_tx_read(const struct sls_app *app, const char *key, struct sls_secret_rec *c,
                           struct sls_user_rec *u);

/* A wrong code typed for the code under key, read with `attempts` failures:
 * counts it (a racing request that counted first is fine), deletes the code
 * when that was the last of `tries`, and audits `event` "wrong_code" for
 * username. Returns SLS_OK or the store's error. */
int sls_code_check_tx_fail(const struct sls_app *app, const char *key, int attempts, int tries,
                           const char *username, const char *event, sls_time now);

#endif
