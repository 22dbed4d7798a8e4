/* SPEC §10.2 admission of work that costs a password hash (stage 1,
 * activation, password and e-mail changes, sharing, reset completion): a
 * token bucket per client address ([throttle] per_ip_per_minute, the pure
 * rule in core/rate_limit.h) and at most [throttle] hashing such requests
 * at once, with a short queue ([throttle] hashing_queue requests waiting at
 * most [throttle] queue_wait), shared fairly between addresses ([throttle]
 * hashing_per_ip, core/hashing_share.h). A refused request is answered 429 before any
 * hashing and changes nothing. Safe from any thread. */
#ifndef SLS_SERVER_THROTTLE_H
#define SLS_SERVER_THROTTLE_H

#include <stdbool.h>

#include "server/app/config.h"
#include "core/time.h"

/* Client addresses remembered at once; past this, the buckets that would be
 * full anyway are forgotten first, then the oldest. */
#define SLS_THROTTLE_CLIENTS 16384

struct sls_throttle;

/* A throttle for cfg (hashing 0: twice the processors online; hashing_queue
 * -1: as many as hashing); NULL when out of memory. */
struct sls_throttle *sls_throttle_new(const struct sls_throttle_config *cfg);
/* Frees t; NULL is fine. */
void sls_throttle_free(struct sls_throttle *t);

/* What sls_throttle_admit decided. */
enum sls_throttle_verdict {
    SLS_THROTTLE_ADMITTED = 0,
    SLS_THROTTLE_PER_IP,       /* the address has no token left */
    SLS_THROTTLE_ADDRESS_FULL, /* the address holds [throttle] hashing_per_ip already */
    SLS_THROTTLE_FULL,         /* no place left for it (core/hashing_share.h) */
};

/* Admission before a worker is taken (the public listener's event loop), of
 * a request from the client at addr (16 bytes, see core/cidr.h) at now:
 * takes one of its tokens, then a place under core/hashing_share.h (at most
 * hashing + hashing_queue admitted at once, hashing_per_ip of them from one
 * address, half kept for addresses that are not busy; when every place is
 * taken, a quiet address puts the latest waiter of a busy one out of the
 * queue, whose sls_throttle_acquire then returns false). Decided without
 * waiting. Refused: *retry_after is the seconds until it may ask again. An
 * admitted request then takes its slot with sls_throttle_acquire, and is let
 * go with sls_throttle_leave whatever happened. */
enum sls_throttle_verdict sls_throttle_admit(struct sls_throttle *t, const unsigned char addr[16],
                                             sls_time now, sls_time *retry_after);
void sls_throttle_leave(struct sls_throttle *t, const unsigned char addr[16]);

/* Takes a hashing slot for an admitted request of addr, waiting in the
 * queue when all are busy; the queue is served fairly, not by arrival
 * (core/hashing_share.h). Returns true with the slot held (give it back
 * with sls_throttle_release), false when the queue is full or the wait ran
 * out. */
bool sls_throttle_acquire(struct sls_throttle *t, const unsigned char addr[16]);
void sls_throttle_release(struct sls_throttle *t, const unsigned char addr[16]);

/* Requests waiting in the queue for a slot now. */
unsigned sls_throttle_waiting(struct sls_throttle *t);

/* The limits in force after defaults were resolved (for the start-up log). */
unsigned sls_throttle_slots(const struct sls_throttle *t);
unsigned sls_throttle_queue(const struct sls_throttle *t);

#endif
