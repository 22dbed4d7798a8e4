/* The hashing throttle of SPEC §10.2 (see throttle.h): a table of token
 * buckets keyed by client address, and a counting gate with a bounded queue. */
#include "server/app/throttle.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/rate_limit.h"
#include "crypto/random.h"

#define PROBES 32 /* slots looked at for one address before one is reused */

struct client_slot {
    bool used;
    unsigned char addr[16];
    struct sls_rate_bucket bucket;
};

struct sls_throttle {
    unsigned per_minute;
    unsigned slots;
    unsigned queue;
    sls_time queue_wait;
    uint64_t seed; /* keeps attackers from choosing addresses that collide */

    pthread_mutex_t clients_lock;
    struct client_slot *clients; /* SLS_THROTTLE_CLIENTS, open addressing */

    pthread_mutex_t gate_lock;
    pthread_cond_t gate_free;
    unsigned busy;     /* slots held */
    unsigned waiting;  /* requests in the queue */
    unsigned admitted; /* sls_throttle_admit minus sls_throttle_leave */
};

struct sls_throttle *sls_throttle_new(const struct sls_throttle_config *cfg)
{
    struct sls_throttle *t = calloc(1, sizeof(*t));
    pthread_condattr_t attr;
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
    t->queue_wait = cfg->queue_wait;
    sls_random_bytes(&t->seed, sizeof(t->seed));
    pthread_mutex_init(&t->clients_lock, NULL);
    pthread_mutex_init(&t->gate_lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->gate_free, &attr);
    pthread_condattr_destroy(&attr);
    return t;
}

void sls_throttle_free(struct sls_throttle *t)
{
    if (t == NULL)
        return;
    pthread_mutex_destroy(&t->clients_lock);
    pthread_mutex_destroy(&t->gate_lock);
    pthread_cond_destroy(&t->gate_free);
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

sls_time sls_throttle_client(struct sls_throttle *t, const unsigned char addr[16], sls_time now)
{
    sls_time wait;

    pthread_mutex_lock(&t->clients_lock);
    wait = sls_rate_take(&find_client(t, addr, now)->bucket, t->per_minute, now);
    pthread_mutex_unlock(&t->clients_lock);
    return wait;
}

bool sls_throttle_acquire(struct sls_throttle *t)
{
    struct timespec deadline;
    bool held = false;

    pthread_mutex_lock(&t->gate_lock);
    if (t->busy < t->slots) {
        t->busy++;
        held = true;
    } else if (t->waiting < t->queue) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += (time_t)t->queue_wait;
        t->waiting++;
        while (t->busy >= t->slots) {
            if (pthread_cond_timedwait(&t->gate_free, &t->gate_lock, &deadline) == ETIMEDOUT)
                break;
        }
        t->waiting--;
        if (t->busy < t->slots) {
            t->busy++;
            held = true;
        }
    }
    pthread_mutex_unlock(&t->gate_lock);
    return held;
}

bool sls_throttle_admit(struct sls_throttle *t)
{
    bool in = false;

    pthread_mutex_lock(&t->gate_lock);
    if (t->admitted < t->slots + t->queue) {
        t->admitted++;
        in = true;
    }
    pthread_mutex_unlock(&t->gate_lock);
    return in;
}

void sls_throttle_leave(struct sls_throttle *t)
{
    pthread_mutex_lock(&t->gate_lock);
    t->admitted--;
    pthread_mutex_unlock(&t->gate_lock);
}

void sls_throttle_release(struct sls_throttle *t)
{
    pthread_mutex_lock(&t->gate_lock);
    t->busy--;
    pthread_cond_signal(&t->gate_free);
    pthread_mutex_unlock(&t->gate_lock);
}

unsigned sls_throttle_slots(const struct sls_throttle *t)
{
    return t->slots;
}

unsigned sls_throttle_queue(const struct sls_throttle *t)
{
    return t->queue;
}
