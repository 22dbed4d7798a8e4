/* Building audit records (R41) for the store to chain and append. */
#ifndef SLS_SERVER_AUDIT_EVENT_H
#define SLS_SERVER_AUDIT_EVENT_H

#include "core/audit.h"
#include "store/store.h"

/* Fills r (zeroing it first); strings are truncated to their fields. */
void sls_audit_event(struct sls_audit_rec *r, sls_time at, const char *actor, const char *username,
                     const char *event, const char *outcome, const char *detail);

/* Fills r and appends it through db; returns the store's result. */
int sls_audit_write(struct sls_db *db, sls_time at, const char *actor, const char *username,
                    const char *event, const char *outcome, const char *detail);

/* sls_audit_write with the actor "user:<username>": what the user did. */
int sls_audit_write_user(struct sls_db *db, sls_time at, const char *username, const char *event,
                         const char *outcome, const char *detail);

#endif
