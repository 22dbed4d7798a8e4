/* What the settings handlers (R3, R4, R30) share: the primary-user rule, an
 * e-mail written to the outbox in the caller's transaction, and the shape of
 * an e-mail address. */
#ifndef SLS_SERVER_SETTINGS_TX_H
#define SLS_SERVER_SETTINGS_TX_H

#include <stdbool.h>

#include "core/time.h"
#include "store/store.h"

struct sls_app;

/* R30: whether u is the primary user of its account (a paper user never is). */
bool sls_settings_is_primary(const struct sls_user_rec *u);

/* Reads the primary user of account_id into p: SLS_OK, SLS_ERR_NOT_FOUND
 * (no account, or no primary user) or the store's error. */
int sls_settings_primary_read(const struct sls_app *app, const char *account_id,
                              struct sls_user_rec *p);

/* Queues an e-mail to `to` of that kind (see struct sls_outbox_rec; code:
 * the code it carries, or NULL). */
int sls_settings_mail(struct sls_db *db, sls_time now, const char *to, const char *kind,
                      const char *body, const char *code);

/* Whether `email` is shaped as an address: one '@' with text on both sides,
 * no spaces or control characters, at most 254 bytes. */
bool sls_settings_email_ok(const char *email);

#endif
