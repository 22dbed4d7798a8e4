/* The hashing throttle of SPEC §10.2 (see throttle.h): a table of token
 * buckets keyed by client address, the addresses holding admitted requests,
 * and a counting gate whose bounded queue is served by core/hashing_share.h. */
#include "server/app/throttle.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/hashing_share.h"
#include "core/rate_limit.h"
#include "crypto/random.h"

#define PROBES 32 /* slots looked at for one address before one is reused */

struct client_slot {
    bool used;
    unsigned char addr[16];
    struct sls_rate_bucket bucket;
};

/* An address with admitted requests (at most slots + queue of them). */
struct holder {
    unsigned char addr[16];
    unsigned admitted;      /* admitted and not left */
    unsigned admitted_busy; /* of those, admitted while the address was busy */
    unsigned hashing;       /* holding a slot */
    unsigned hashing_busy;  /* of those, busy ones */
    unsigned bumped;        /* admitted, put out of the queue, not left yet */
    bool pressed;           /* asked again while holding hashing_per_ip */
};

/* A request waiting for a slot, on its own thread's stack. */
struct waiter {
    unsigned char addr[16];
    bool busy;
    uint64_t arrival;
    bool granted; /* a slot was taken for it */
    bool bumped;  /* put out of the queue to make room for a quiet address */
    pthread_cond_t granted_cond;
};

struct sls_throttle {
    unsigned per_minute;
    unsigned slots;
    unsigned queue;
    unsigned per_address;
    sls_time queue_wait;
    uint64_t seed; /* keeps attackers from choosing addresses that collide */

    pthread_mutex_t clients_lock;
    struct client_slot *clients; /* SLS_THROTTLE_CLIENTS, open addressing */

    pthread_mutex_t gate_lock;
    unsigned running;       /* slots held */
    unsigned running_busy;  /* of those, by requests of busy addresses */
    unsigned admitted;      /* admitted and not left */
    unsigned admitted_busy; /* of those, admitted while their address was busy */
    unsigned bumped;        /* of those, put out of the queue and not left yet */
    sls_time now;           /* the latest admission's time */
    struct holder *holders; /* slots + 2 * queue, the first nholders in use */
    unsigned nholders;
    struct waiter **waiting;          /* queue of them, the first nwaiting in use */
    struct sls_hashing_waiter *order; /* scratch for sls_hashing_next */
    unsigned nwaiting;
    uint64_t arrivals;
};

struct sls_throttle *sls_throttle_new(const struct sls_throttle_config *cfg)
{
    struct sls_throttle *t = calloc(1, sizeof(*t));
    long cpus;

    if (t == NULL)
        return NULL;
    t->clients = calloc(SLS_THROTTLE_CLIENTS, sizeof(*t->clients));
    if (t->clients == NULL) {
        free(t);
        return NULL;
    }
    cpus = sysconf(_SC_NPROCESSORS_ONLN);
    t->per_minute = cfg->per_ip_per_minute;
    t->slots = cfg->hashing ? cfg->hashing : (unsigned)(cpus > 0 ? 2 * cpus : 2);
    t->queue = cfg->hashing_queue >= 0 ? (unsigned)cfg->hashing_queue : t->slots;
    t->per_address = cfg->hashing_per_ip ? cfg->hashing_per_ip : 1;
    t->queue_wait = cfg->queue_wait;
    t->holders = calloc((size_t)t->slots + 2 * (size_t)t->queue, sizeof(*t->holders));
    t->waiting = calloc((size_t)t->queue + 1, sizeof(*t->waiting));
    t->order = calloc((size_t)t->queue + 1, sizeof(*t->order));
    if (t->holders == NULL || t->waiting == NULL || t->order == NULL) {
        free(t->holders);
        free(t->waiting);
        free(t->order);
        free(t->clients);
        free(t);
        return NULL;
    }
    sls_random_bytes(&t->seed, sizeof(t->seed));
    pthread_mutex_init(&t->clients_lock, NULL);
    pthread_mutex_init(&t->gate_lock, NULL);
    return t;
}

void sls_throttle_free(struct sls_throttle *t)
{
    if (t == NULL)
        return;
    pthread_mutex_destroy(&t->clients_lock);
    pthread_mutex_destroy(&t->gate_lock);
    free(t->holders);
    free(t->waiting);
    free(t->order);
    free(t->clients);
    free(t);
}

/* FNV-1a over the seed and the address. */
static size_t slot_of(const struct sls_throttle *t, const unsigned char addr[16])
{
    uint64_t h = 1469598103934665603ULL ^ t->seed;

    for (size_t i = 0; i < 16; i++) {
        h ^= addr[i];
        h *= 1099511628211ULL;
    }
    return (size_t)(h % SLS_THROTTLE_CLIENTS);
}

/* The slot of addr: its own, else an empty one, else one whose bucket would
 * be full anyway, else the one used longest ago (that client starts over
 * with a full bucket). */
static struct client_slot *find_client(struct sls_throttle *t, const unsigned char addr[16],
                                       sls_time now)
{
    size_t start = slot_of(t, addr);
    struct client_slot *reuse = NULL, *oldest = NULL;

    for (size_t i = 0; i < PROBES; i++) {
        struct client_slot *s = &t->clients[(start + i) % SLS_THROTTLE_CLIENTS];
        if (!s->used) {
            if (reuse == NULL)
                reuse = s;
            break; /* nothing of addr lies past an empty slot */
        }
        if (memcmp(s->addr, addr, 16) == 0)
            return s;
        if (reuse == NULL && sls_rate_is_full(&s->bucket, t->per_minute, now))
            reuse = s;
        if (oldest == NULL || s->bucket.updated < oldest->bucket.updated)
            oldest = s;
    }
    if (reuse == NULL)
        reuse = oldest;
    memset(reuse, 0, sizeof(*reuse));
    reuse->used = true;
    memcpy(reuse->addr, addr, 16);
    return reuse;
}

/* The holder entry of addr, or NULL when it holds nothing. */
static struct holder *holder_of(struct sls_throttle *t, const unsigned char addr[16])
{
    for (unsigned i = 0; i < t->nholders; i++) {
        if (memcmp(t->holders[i].addr, addr, 16) == 0)
            return &t->holders[i];
    }
    return NULL;
}

/* Whether addr has spent more than half its budget at now: a request let
 * in while its address was quiet may be from one that is busy since. */
static bool busy_now(struct sls_throttle *t, const unsigned char addr[16], sls_time now)
{
    size_t start = slot_of(t, addr);
    bool busy = false;

    pthread_mutex_lock(&t->clients_lock);
    for (size_t i = 0; i < PROBES; i++) {
        const struct client_slot *s = &t->clients[(start + i) % SLS_THROTTLE_CLIENTS];
        if (!s->used)
            break;
        if (memcmp(s->addr, addr, 16) == 0) {
            busy = sls_hashing_address_busy(sls_rate_level(&s->bucket, t->per_minute, now),
                                            t->per_minute);
            break;
        }
    }
    pthread_mutex_unlock(&t->clients_lock);
    return busy;
}

/* Whether the address of w is busy now: busy when let in, busy since, or
 * asking again while it holds its share (gate_lock held). */
static bool waiter_busy(struct sls_throttle *t, const struct waiter *w, sls_time now)
{
    const struct holder *h = holder_of(t, w->addr);

    return w->busy || (h != NULL && h->pressed) || busy_now(t, w->addr, now);
}

/* Puts the latest waiter of a busy address out of the queue (its request is
 * answered 429 and leaves), so that a quiet address finds a place when
 * every place is taken (gate_lock held). True when one was. */
static bool bump_busy_waiter(struct sls_throttle *t, sls_time now)
{
    size_t pick = t->nwaiting;
    struct holder *h;

    for (size_t i = 0; i < t->nwaiting; i++) {
        struct waiter *w = t->waiting[i];
        if (!waiter_busy(t, w, now))
            continue;
        if (pick == t->nwaiting || w->arrival > t->waiting[pick]->arrival)
            pick = i;
    }
    if (pick == t->nwaiting)
        return false;
    struct waiter *w = t->waiting[pick];
    t->waiting[pick] = t->waiting[--t->nwaiting];
    w->bumped = true;
    h = holder_of(t, w->addr);
    if (h != NULL)
        h->bumped++;
    t->bumped++;
    pthread_cond_signal(&w->granted_cond);
    return true;
}

enum sls_throttle_verdict sls_throttle_admit(struct sls_throttle *t, const unsigned char addr[16],
                                             sls_time now, sls_time *retry_after)
{
    struct sls_hashing_limits lim = {.places = t->slots + t->queue, .per_address = t->per_address};
    struct sls_hashing_load load;
    enum sls_hashing_verdict v;
    struct holder *h;
    int64_t left;
    sls_time wait;
    bool busy;

    pthread_mutex_lock(&t->clients_lock);
    struct client_slot *c = find_client(t, addr, now);
    wait = sls_rate_take(&c->bucket, t->per_minute, now);
    left = c->bucket.milli_tokens; /* after the take */
    pthread_mutex_unlock(&t->clients_lock);
    if (wait != 0) {
        *retry_after = wait;
        return SLS_THROTTLE_PER_IP;
    }
    *retry_after = 1;
    busy = sls_hashing_address_busy(left, t->per_minute);

    pthread_mutex_lock(&t->gate_lock);
    if (now > t->now)
        t->now = now;
    h = holder_of(t, addr);
    /* A place whose request was put out of the queue is free already. */
    load.admitted = t->admitted - t->bumped;
    load.admitted_busy = t->admitted_busy;
    v = sls_hashing_admit(&lim, &load, h != NULL ? h->admitted : 0, busy);
    if (v == SLS_HASHING_FULL && !busy && load.admitted >= lim.places && bump_busy_waiter(t, now)) {
        load.admitted--;
        v = sls_hashing_admit(&lim, &load, h != NULL ? h->admitted : 0, busy);
    }
    if (v == SLS_HASHING_ADDRESS_FULL && h != NULL)
        h->pressed = true;
    if (v == SLS_HASHING_ADMIT) {
        if (h == NULL) { /* at most places + queue holders (with those put out): room */
            h = &t->holders[t->nholders++];
            memset(h, 0, sizeof(*h));
            memcpy(h->addr, addr, 16);
        }
        h->admitted++;
        /* The address counts as busy while it holds a request admitted busy. */
        if (busy)
            h->admitted_busy++;
        t->admitted++;
        if (busy)
            t->admitted_busy++;
    }
    pthread_mutex_unlock(&t->gate_lock);
    switch (v) {
    case SLS_HASHING_ADMIT:
        return SLS_THROTTLE_ADMITTED;
    case SLS_HASHING_ADDRESS_FULL:
        return SLS_THROTTLE_ADDRESS_FULL;
    default:
        return SLS_THROTTLE_FULL;
    }
}

void sls_throttle_leave(struct sls_throttle *t, const unsigned char addr[16])
{
    struct holder *h;

    pthread_mutex_lock(&t->gate_lock);
    h = holder_of(t, addr);
    if (h != NULL && h->admitted > 0) {
        if (h->bumped > 0) {
            h->bumped--;
            t->bumped--;
        }
        /* Requests of one address leave in any order: the busy ones first. */
        if (h->admitted_busy > 0) {
            h->admitted_busy--;
            t->admitted_busy--;
        }
        h->admitted--;
        t->admitted--;
        if (h->admitted == 0)
            *h = t->holders[--t->nholders];
    }
    pthread_mutex_unlock(&t->gate_lock);
}

/* Counts a slot taken by a request of addr (gate_lock held). */
static void take_slot(struct sls_throttle *t, const unsigned char addr[16], bool busy)
{
    struct holder *h = holder_of(t, addr);

    t->running++;
    if (busy)
        t->running_busy++;
    if (h != NULL) {
        h->hashing++;
        if (busy)
            h->hashing_busy++;
    }
}

/* Whether a request of a busy address may take a free slot now. */
static bool busy_may_run(const struct sls_throttle *t)
{
    return t->running_busy < sls_hashing_busy_slots(t->slots);
}

/* Gives the free slots to the waiters served next (gate_lock held). */
static void hand_on(struct sls_throttle *t)
{
    while (t->nwaiting > 0 && t->running < t->slots) {
        struct waiter *w;
        size_t i;

        for (i = 0; i < t->nwaiting; i++) {
            struct holder *h = holder_of(t, t->waiting[i]->addr);
            /* Let in while quiet, busy since: served as busy. */
            if (!t->waiting[i]->busy && waiter_busy(t, t->waiting[i], t->now))
                t->waiting[i]->busy = true;
            t->order[i].busy = t->waiting[i]->busy;
            t->order[i].hashing = h != NULL ? h->hashing : 0;
            t->order[i].arrival = t->waiting[i]->arrival;
        }
        i = sls_hashing_next(t->order, t->nwaiting, busy_may_run(t));
        if (i == t->nwaiting)
            return; /* only busy ones wait, and their slots are taken */
        w = t->waiting[i];
        t->waiting[i] = t->waiting[--t->nwaiting];
        take_slot(t, w->addr, w->busy);
        w->granted = true;
        pthread_cond_signal(&w->granted_cond);
    }
}

/* Waits in the queue for a slot until granted or queue_wait ran out
 * (gate_lock held); true when granted. */
static bool wait_in_queue(struct sls_throttle *t, const unsigned char addr[16], bool busy)
{
    struct timespec deadline;
    struct waiter me;
    pthread_condattr_t attr;
    bool granted;

    memset(&me, 0, sizeof(me));
    memcpy(me.addr, addr, 16);
    me.busy = busy;
    me.arrival = t->arrivals++;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&me.granted_cond, &attr);
    pthread_condattr_destroy(&attr);
    t->waiting[t->nwaiting++] = &me;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)t->queue_wait;
    while (!me.granted && !me.bumped) {
        if (pthread_cond_timedwait(&me.granted_cond, &t->gate_lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (!me.granted && !me.bumped) { /* ran out of time: leave the queue */
        for (size_t i = 0; i < t->nwaiting; i++) {
            if (t->waiting[i] == &me) {
                t->waiting[i] = t->waiting[--t->nwaiting];
                break;
            }
        }
    }
    granted = me.granted;
    pthread_cond_destroy(&me.granted_cond);
    return granted;
}

bool sls_throttle_acquire(struct sls_throttle *t, const unsigned char addr[16])
{
    struct holder *h;
    bool held = false, busy;

    pthread_mutex_lock(&t->gate_lock);
    h = holder_of(t, addr);
    busy = h != NULL && h->admitted_busy > 0;
    /* hand_on leaves no waiter that may run while a slot is free: a slot
     * free now is free for this request too, unless it is busy and the busy
     * half is taken. */
    if (t->running < t->slots && (!busy || busy_may_run(t))) {
        take_slot(t, addr, busy);
        held = true;
    } else if (t->nwaiting < t->queue) {
        held = wait_in_queue(t, addr, busy);
    }
    pthread_mutex_unlock(&t->gate_lock);
    return held;
}

void sls_throttle_release(struct sls_throttle *t, const unsigned char addr[16])
{
    struct holder *h;

    pthread_mutex_lock(&t->gate_lock);
    h = holder_of(t, addr);
    if (h != NULL && h->hashing > 0) {
        h->hashing--;
        if (h->hashing_busy > 0) {
            h->hashing_busy--;
            t->running_busy--;
        }
    }
    t->running--;
    hand_on(t);
    pthread_mutex_unlock(&t->gate_lock);
}

unsigned sls_throttle_waiting(struct sls_throttle *t)
{
    unsigned n;

    pthread_mutex_lock(&t->gate_lock);
    n = t->nwaiting;
    pthread_mutex_unlock(&t->gate_lock);
    return n;
}

unsigned sls_throttle_slots(const struct sls_throttle *t)
{
    return t->slots;
}

unsigned sls_throttle_queue(const struct sls_throttle *t)
{
    return t->queue;
}
