/* The dev outbox's copies of settled messages (--dev only).
 *
 * Once a message is delivered or given up its body and code are erased in the
 * store (SPEC §10.3), yet in --dev the outbox at GET /v1/dev/outbox must still
 * show what was sent, codes included, to tests and demos, on every node that
 * shares the store (SPEC §10.1). So in --dev the deliverer, in the very
 * transaction that settles a message, keeps a copy of it in the store's meta
 * values, sealed with the master key (as device secrets are: every node
 * reads the same key file), one value per slot "dev_outbox/<id mod SLS_DEV_OUTBOX_KEPT>", a ring
 * of the last SLS_DEV_OUTBOX_KEPT messages by id that any node reads. Meta
 * values need nothing of a backend but meta_get and meta_set. Outside --dev
 * nothing is ever written there: a production store keeps no code or body of a
 * settled message (docs/design.md). */
#ifndef SLS_SERVER_DEV_OUTBOX_H
#define SLS_SERVER_DEV_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/seal.h"
#include "store/store.h"

#define SLS_DEV_OUTBOX_KEPT 200

/* Turns keeping on, copies sealed with key (which must outlive their use);
 * slsd calls it at start with --dev, before the deliverer starts. */
void sls_dev_outbox_enable(const struct sls_seal_key *key);

/* Inside a write transaction: keeps a copy of m in its slot, unless the slot
 * holds a newer message. SLS_OK and nothing written unless enabled; else the
 * store's error. */
int sls_dev_outbox_keep(struct sls_db *db, const struct sls_outbox_rec *m);

/* Inside a read: writes into out (at most max) the kept copies whose recipient
 * is `to` (NULL: all), by id; *n gets how many. SLS_OK or the store's error
 * (a slot that cannot be decoded is skipped). */
int sls_dev_outbox_kept(struct sls_db *db, const char *to, struct sls_outbox_rec *out, size_t max,
                        size_t *n);

#endif
