/* The DSC+ scheduler (R21): a thread of slsd that activates shipped cards
 * 21 days after shipment and sends the notices 3 days and 1 day before, by
 * the app clock (sls_clock_now, so the --dev clock moves it too).
 *
 * Every second it reads the shipped orders and handles each in its own
 * transaction: a card no longer shipped (activated by the user, lost,
 * returned) settles its order; a card due activates, its order settles and
 * an e-mail says so; otherwise the notices due go to the outbox together with
 * the compare-and-swap that records them as sent, so a notice is never sent
 * twice, across restarts and with several slsd on one store. All state is in
 * the store: a restart picks up where it stopped. */
#ifndef SLS_SERVER_DSC_PLUS_SCHEDULER_H
#define SLS_SERVER_DSC_PLUS_SCHEDULER_H

#include <stddef.h>

#include "core/dsc_plus.h"
#include "store/store.h"

#define SLS_DSC_PLUS_POLL_SECONDS 1

struct sls_dsc_plus_scheduler;

/* Starts the thread over store with policy (which must outlive it). Returns
 * 0, or -1 with a message in err. */
int sls_dsc_plus_scheduler_start(struct sls_store *store, const struct sls_dsc_plus_policy *policy,
                                 struct sls_dsc_plus_scheduler **out, char *err, size_t errlen);

/* Runs one pass at now: what the thread does each second. Returns SLS_OK or
 * the first store error. */
int sls_dsc_plus_scheduler_pass(struct sls_store *store, const struct sls_dsc_plus_policy *policy,
                                sls_time now);

/* Stops the thread and frees s. NULL is a no-op. */
void sls_dsc_plus_scheduler_stop(struct sls_dsc_plus_scheduler *s);

#endif
