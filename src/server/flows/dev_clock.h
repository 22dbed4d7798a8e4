/* The --dev clock shared by every node of a store (SPEC §10.1): its instant
 * is the meta value "dev_clock" (Unix seconds; absent while the clock runs),
 * read by each node at each reading of the clock (a request reads it once)
 * and written by POST /v1/dev/clock on any node. Installed only with --dev:
 * a production node never reads or writes it. */
#ifndef SLS_SERVER_DEV_CLOCK_H
#define SLS_SERVER_DEV_CLOCK_H

#include "store/store.h"

/* Makes the app clock (server/app/clock.h) keep its --dev instant in store,
 * which must stay open while the clock is used. */
void sls_dev_clock_share(struct sls_store *store);

#endif
