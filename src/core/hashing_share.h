/* SPEC §10.2: how the places for work that costs a password hash are shared
 * between client addresses, so that one address (or a handful) sending as
 * fast as answers come cannot take every place from the others.
 *
 * A request is admitted when its address has a token (core/rate_limit.h)
 * and then:
 *   - its address holds fewer than `per_address` admitted requests;
 *   - fewer than `places` (hashing + hashing_queue) are admitted in all;
 *   - and, when its address has spent more than half its minute's budget
 *     (a busy address), busy addresses together hold fewer than the busy
 *     share (places minus half of them): the other half stays free for the
 *     addresses that ask now and then.
 * Busy addresses together hash in at most half the slots (rounded up): a
 * request of an address that asks now and then finds a slot free at once
 * and its hash shares the processors with fewer others. The queue for a slot
 * is served by fairness, not arrival: first the waiters of addresses that are
 * not busy, then those whose address has the fewest requests hashing, then
 * the earliest. */
#ifndef SLS_CORE_HASHING_SHARE_H
#define SLS_CORE_HASHING_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sls_hashing_limits {
    unsigned places;      /* hashing + hashing_queue, >= 1 */
    unsigned per_address; /* [throttle] hashing_per_ip, >= 1 */
};

/* What is admitted now. */
struct sls_hashing_load {
    unsigned admitted;      /* in all */
    unsigned admitted_busy; /* those of busy addresses */
};

enum sls_hashing_verdict {
    SLS_HASHING_ADMIT = 0,
    SLS_HASHING_ADDRESS_FULL, /* the address holds per_address already */
    SLS_HASHING_FULL,         /* no place for it */
};

/* True when a bucket with milli_tokens left (in thousandths) of a
 * per_minute budget has spent more than half of it. */
bool sls_hashing_address_busy(int64_t milli_tokens, unsigned per_minute);

/* The most that busy addresses may hold together under lim. */
unsigned sls_hashing_busy_share(const struct sls_hashing_limits *lim);

/* Whether a request of an address that holds `held` admitted requests and
 * is busy or not may come in under lim and load. */
enum sls_hashing_verdict sls_hashing_admit(const struct sls_hashing_limits *lim,
                                           const struct sls_hashing_load *load, unsigned held,
                                           bool busy);

/* One request waiting for a hashing slot. */
struct sls_hashing_waiter {
    bool busy;        /* its address was busy when admitted */
    unsigned hashing; /* requests of its address hashing now */
    uint64_t arrival; /* increasing: earlier waiters have smaller ones */
};

/* The most slots that requests of busy addresses may hold together, of
 * `slots` (>= 1). */
unsigned sls_hashing_busy_slots(unsigned slots);

/* The index of the waiter served next among w[0..n-1], or n when none may
 * be: busy_may_run false leaves the busy ones waiting. */
size_t sls_hashing_next(const struct sls_hashing_waiter *w, size_t n, bool busy_may_run);

#endif
