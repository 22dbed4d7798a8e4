/* The answers of recent RADIUS requests; see retransmit.h. */
#include "server/radius/retransmit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    bool used;
    bool answered;
    struct sls_radius_request_key k;
    long long at; /* monotonic second it was entered or answered */
    size_t len;
    uint8_t answer[SLS_RADIUS_MAX];
};

struct sls_radius_retransmit {
    pthread_mutex_t mu;
    struct slot slots[SLS_RADIUS_RETRANSMIT_SLOTS];
};

struct sls_radius_retransmit *sls_radius_retransmit_new(void)
{
    struct sls_radius_retransmit *c = calloc(1, sizeof(*c));

    if (c != NULL && pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

void sls_radius_retransmit_free(struct sls_radius_retransmit *c)
{
    if (c == NULL)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static bool same(const struct sls_radius_request_key *a, const struct sls_radius_request_key *b)
{
    return a->port == b->port && a->id == b->id && memcmp(a->addr, b->addr, 16) == 0 &&
           memcmp(a->auth, b->auth, SLS_RADIUS_AUTH_LEN) == 0;
}

static struct slot *find(struct sls_radius_retransmit *c, const struct sls_radius_request_key *k)
{
    for (size_t i = 0; i < SLS_RADIUS_RETRANSMIT_SLOTS; i++)
        if (c->slots[i].used && same(&c->slots[i].k, k))
            return &c->slots[i];
    return NULL;
}

enum sls_radius_seen sls_radius_retransmit_see(struct sls_radius_retransmit *c,
                                               const struct sls_radius_request_key *k,
                                               long long mono, uint8_t out[SLS_RADIUS_MAX],
                                               size_t *len)
{
    struct slot *s, *victim = NULL;
    enum sls_radius_seen r;
    size_t i;

    pthread_mutex_lock(&c->mu);
    s = find(c, k);
    if (s != NULL && s->answered && mono - s->at <= SLS_RADIUS_RETRANSMIT_TTL) {
        memcpy(out, s->answer, s->len);
        *len = s->len;
        r = SLS_RADIUS_ANSWERED;
        goto out;
    }
    if (s != NULL && !s->answered) {
        r = SLS_RADIUS_WORKING;
        goto out;
    }
    /* A free slot, else the oldest answered one (expired ones are older). */
    for (i = 0; i < SLS_RADIUS_RETRANSMIT_SLOTS && victim == NULL; i++)
        if (!c->slots[i].used)
            victim = &c->slots[i];
    if (victim == NULL)
        for (i = 0; i < SLS_RADIUS_RETRANSMIT_SLOTS; i++)
            if (c->slots[i].answered && (victim == NULL || c->slots[i].at < victim->at))
                victim = &c->slots[i];
    if (s != NULL)
        victim = s; /* the same request, its answer expired: taken up again */
    if (victim == NULL) {
        r = SLS_RADIUS_FULL;
        goto out;
    }
    victim->used = true;
    victim->answered = false;
    victim->k = *k;
    victim->at = mono;
    victim->len = 0;
    r = SLS_RADIUS_NEW;
out:
    pthread_mutex_unlock(&c->mu);
    return r;
}

void sls_radius_retransmit_answer(struct sls_radius_retransmit *c,
                                  const struct sls_radius_request_key *k, const uint8_t *answer,
                                  size_t len, long long mono)
{
    struct slot *s;

    if (len > SLS_RADIUS_MAX)
        return;
    pthread_mutex_lock(&c->mu);
    s = find(c, k);
    if (s != NULL) {
        memcpy(s->answer, answer, len);
        s->len = len;
        s->answered = true;
        s->at = mono;
    }
    pthread_mutex_unlock(&c->mu);
}

void sls_radius_retransmit_forget(struct sls_radius_retransmit *c,
                                  const struct sls_radius_request_key *k)
{
    struct slot *s;

    pthread_mutex_lock(&c->mu);
    s = find(c, k);
    if (s != NULL)
        s->used = false;
    pthread_mutex_unlock(&c->mu);
}
