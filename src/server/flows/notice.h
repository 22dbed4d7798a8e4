/* Queuing security notices (SPEC §10.3): inside the write transaction of the
 * event itself, an e-mail to the address on record through the outbox, with
 * the text of core/notice.h. A user with no e-mail on record gets none. Each
 * event that sends one calls exactly one of these where it takes effect;
 * docs/design.md lists them. */
#ifndef SLS_SERVER_NOTICE_H
#define SLS_SERVER_NOTICE_H

#include "core/notice.h"
#include "store/store.h"

/* Queues notice ev for u (about: see sls_notice_text; NULL for none) at now.
 * Returns SLS_OK (also when u has no e-mail) or the store's error, which
 * should fail the event's transaction: no event without its notice. */
int sls_notice_queue(struct sls_db *db, const struct sls_user_rec *u, enum sls_notice_event ev,
                     const char *about, sls_time now);

/* As sls_notice_queue, to the address `email` (the old address of an e-mail
 * change); "" (or anything without '@') sends nothing. */
int sls_notice_queue_to(struct sls_db *db, const char *email, enum sls_notice_event ev,
                        const char *about, sls_time now);

/* As sls_notice_queue for the user with that id or name, read in db. */
int sls_notice_queue_id(struct sls_db *db, int64_t user_id, enum sls_notice_event ev,
                        const char *about, sls_time now);
int sls_notice_queue_name(struct sls_db *db, const char *username, enum sls_notice_event ev,
                          const char *about, sls_time now);

/* The words naming a device in a notice: its label, else its serial, else
 * its type (never its secret or PIN). */
const char *sls_notice_device_name(const struct sls_device_rec *d);

#endif
