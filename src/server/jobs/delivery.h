/* The deliverer: a thread of slsd that sends the messages of the outbox
 * (SMS, voice, e-mail, push notices) to the configured command or webhook
 * (SPEC §9), one at a time, and records each attempt in the store.
 *
 * Every second, and at once after a batch that filled up, it reads the
 * pending messages that are due by the app clock (sls_clock_now, so the
 * --dev clock moves retries too), tries each, and records the outcome in its
 * own transaction: delivered; failed and due again after the backoff of
 * core/delivery.h; or, at max_attempts, given up (audited as
 * message.delivery / gave_up). Delivery is at least once: a message whose
 * attempt succeeded but whose record did not reach the disk (a crash in
 * between) is sent again, with the same id, after the restart.
 *
 * Many nodes (SPEC §10.1): every node runs a deliverer over the one store.
 * Before it sends, a deliverer claims the message (outbox_claim: a lease of
 * [delivery] timeout + SLS_DELIVERY_LEASE_MARGIN seconds during which no
 * other deliverer sees it due); only the claimer sends, and its record is the
 * CAS of outbox_settle. So a message is never sent twice without a crash; a
 * node killed mid-send leaves it due again when the lease ends (at least
 * once), and a node stopped mid-send gives its claim back at once.
 *
 * No secrets at rest (SPEC §10.3): the record of a delivered or given-up
 * message erases its body and code (and masks its recipient) in the same
 * statement; after each pass the deliverer deletes messages settled
 * [delivery] retention ago (app clock) and scrubs the store's files
 * (sls_store_scrub) once anything was erased or deleted. In --dev a copy
 * of each settled message is kept in the store for the dev outbox of every
 * node (flows/dev_outbox.h). */
#ifndef SLS_SERVER_DELIVERY_H
#define SLS_SERVER_DELIVERY_H

#include <stddef.h>

#include "server/app/config.h"
#include "store/store.h"

#define SLS_DELIVERY_POLL_SECONDS 1 /* how often the outbox is read */
/* Seconds a claim outlasts the send's own timeout: room for the record. */
#define SLS_DELIVERY_LEASE_MARGIN 60

struct sls_delivery;

/* Starts the deliverer over store with cfg (which must outlive it). Nothing
 * is started when cfg has neither command nor webhook: *out is then NULL and
 * the answer 0. Returns 0, or -1 with a message in err (a command that is not
 * an executable file, a thread that cannot start). */
int sls_delivery_start(struct sls_store *store, const struct sls_delivery_config *cfg,
                       struct sls_delivery **out, char *err, size_t errlen);

/* Stops the thread, abandoning an attempt in progress (its command is killed,
 * its POST cut; the message stays due and is not counted as tried), and
 * frees d. NULL is a no-op. */
void sls_delivery_stop(struct sls_delivery *d);

/* The JSON a receiver gets for m: {"id", "to", "channel", "body", "code"
 * (only when the message carries one), "at" (RFC 3339)}. Returns a malloc'd
 * string (*len its length) that the caller wipes and frees, or NULL. */
char *sls_delivery_message_json(const struct sls_outbox_rec *m, size_t *len);

#endif
