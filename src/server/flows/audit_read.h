/* Reading the audit log (R41): the records asked for, and the walk that
 * checks its hash chain from the first record to the last. */
#ifndef SLS_SERVER_AUDIT_READ_H
#define SLS_SERVER_AUDIT_READ_H

#include <stddef.h>
#include <stdint.h>

#include "core/audit_chain.h"
#include "server/app/app.h"
#include "store/store.h"

/* Calls each(r, arg) in one read for every record with seq > after, of
 * username (NULL: all), at >= since (0: all), at most limit, in seq order.
 * Returns SLS_OK, the store's error, or what each returned to stop. */
int sls_audit_read_scan(const struct sls_app *app, int64_t after, const char *username,
                        sls_time since, size_t limit,
                        int (*each)(const struct sls_audit_rec *r, void *arg), void *arg);

/* Adds every record, from the one after chain->last_seq, to the chain (set
 * up with sls_audit_chain_init), until the end of the log or the first break.
 * A long log is walked in several short reads rather than one long one:
 * records are only appended, so the pages join up. Returns SLS_OK (the
 * verdict is in the chain) or the store's error. */
int sls_audit_read_verify(const struct sls_app *app, struct sls_audit_chain *chain);

#endif
