/* The store side of the --dev outbox (GET /v1/dev/outbox): the messages
 * queued to be sent, as the store holds them, and the copies kept of the
 * settled ones (dev_outbox.h), read in one snapshot. */
#ifndef SLS_SERVER_OUTBOX_READ_H
#define SLS_SERVER_OUTBOX_READ_H

#include <stddef.h>

#include "server/app/app.h"
#include "store/store.h"

/* Reads up to max outbox rows (to a recipient `to`, or all when NULL) into
 * out, sorted by id, *n gets how many; and up to kmax kept copies of settled
 * messages to `to` into kept, sorted by id, *nk gets how many. Returns SLS_OK
 * or the store's error. */
int sls_outbox_read_list(const struct sls_app *app, const char *to, struct sls_outbox_rec *out,
                         size_t max, size_t *n, struct sls_outbox_rec *kept, size_t kmax,
                         size_t *nk);

#endif
