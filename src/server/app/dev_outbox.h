/* The dev outbox's memory of settled messages (--dev only).
 *
 * Once a message is delivered or given up its body and code are erased in the
 * store (SPEC §10.3), yet in --dev the outbox at GET /v1/dev/outbox must still
 * show what was sent, codes included, to tests and demos. The deliverer hands
 * each message it is about to settle to sls_dev_outbox_keep, which keeps a copy
 * in process memory — never on disk — in a ring of the last
 * SLS_DEV_OUTBOX_KEPT messages. Outside --dev nothing is kept. */
#ifndef SLS_SERVER_DEV_OUTBOX_H
#define SLS_SERVER_DEV_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

#define SLS_DEV_OUTBOX_KEPT 200

/* Turns keeping on; slsd calls it at start with --dev, before the deliverer starts. */
void sls_dev_outbox_enable(void);

/* Keeps a copy of m (the newest SLS_DEV_OUTBOX_KEPT are kept, one per id). A
 * no-op unless enabled. Thread-safe. */
void sls_dev_outbox_keep(const struct sls_outbox_rec *m);

/* Writes into out (at most max) the kept copies whose recipient is `to`
 * (NULL: all), oldest first; returns how many. Thread-safe. */
size_t sls_dev_outbox_kept(const char *to, struct sls_outbox_rec *out, size_t max);

#endif
