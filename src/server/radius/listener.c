/* The RADIUS listener; see listener.h. */
#include "server/radius/listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/cidr.h"
#include "crypto/secmem.h"
#include "server/app/clock.h"
#include "server/app/metrics.h"
#include "server/radius/exchange.h"
#include "server/radius/packet.h"
#include "server/radius/retransmit.h"
#include "server/radius/state.h"

/* A request waiting for a worker. */
struct job {
    uint8_t buf[SLS_RADIUS_MAX];
    size_t n;
    struct sockaddr_storage peer;
    socklen_t peerlen;
    struct sls_radius_request_key key;
    const struct sls_radius_client *client;
};

struct sls_radius {
    struct sls_app *app;
    struct sls_throttle *throttle;
    int fd;
    atomic_bool stop;
    uint8_t state_key[SLS_RADIUS_STATE_KEY];
    struct sls_radius_retransmit *sent;
    pthread_t receiver;
    bool receiver_up;
    pthread_t workers[SLS_RADIUS_WORKERS];
    size_t nworkers;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *queue[SLS_RADIUS_QUEUE];
    size_t head, count;
};

static long long mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

/* The peer as 16 bytes (IPv4 mapped) and its port. */
static void peer_key(const struct sockaddr_storage *ss, unsigned char addr[16], uint16_t *port)
{
    memset(addr, 0, 16);
    *port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        addr[10] = 0xff;
        addr[11] = 0xff;
        memcpy(addr + 12, &in->sin_addr, 4);
        *port = ntohs(in->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        memcpy(addr, &in6->sin6_addr, 16);
        *port = ntohs(in6->sin6_port);
    }
}

static const struct sls_radius_client *client_of(const struct sls_config *cfg,
                                                 const unsigned char addr[16])
{
    for (size_t i = 0; i < cfg->radius.nclients; i++)
        if (sls_cidr_match(&cfg->radius.clients[i].address, addr))
            return &cfg->radius.clients[i];
    return NULL;
}

static void send_answer(struct sls_radius *r, const struct job *j, const uint8_t *a, size_t n)
{
    (void)sendto(r->fd, a, n, 0, (const struct sockaddr *)&j->peer, j->peerlen);
}

/* Answers j when the throttle lets its hashing in (SPEC §10.2); a refusal
 * is an Access-Reject, as HTTP answers 429, counted the same way. */
static bool answer_hashing(struct sls_radius *r, const struct job *j,
                           const struct sls_radius_packet *p, sls_time now,
                           struct sls_radius_builder *b)
{
    bool ok;

    sls_time wait;

    switch (sls_throttle_admit(r->throttle, j->key.addr, now, &wait)) {
    case SLS_THROTTLE_ADMITTED:
        break;
    case SLS_THROTTLE_PER_IP:
        sls_metrics_throttled(SLS_THROTTLED_PER_IP);
        return sls_radius_exchange_reject(j->client, p, "Too many requests",
                                          "Please try again in a minute", b);
    case SLS_THROTTLE_ADDRESS_FULL:
        sls_metrics_throttled(SLS_THROTTLED_HASHING_PER_IP);
        return sls_radius_exchange_reject(j->client, p, "Too many requests", "Please try again", b);
    case SLS_THROTTLE_FULL:
    default:
        sls_metrics_throttled(SLS_THROTTLED_HASHING);
        return sls_radius_exchange_reject(j->client, p, "Too many requests", "Please try again", b);
    }
    if (!sls_throttle_acquire(r->throttle, j->key.addr)) {
        sls_throttle_leave(r->throttle, j->key.addr);
        sls_metrics_throttled(SLS_THROTTLED_HASHING);
        return sls_radius_exchange_reject(j->client, p, "Too many requests", "Please try again", b);
    }
    ok = sls_radius_exchange(r->app, r->state_key, j->client, p, now, b);
    sls_throttle_release(r->throttle, j->key.addr);
    sls_throttle_leave(r->throttle, j->key.addr);
    return ok;
}

static void run_job(struct sls_radius *r, struct job *j, struct sls_radius_builder *b)
{
    struct sls_radius_packet p;
    sls_time now = sls_clock_now();
    bool ok;

    if (sls_radius_parse(j->buf, j->n, &p) != 0) {
        sls_radius_retransmit_forget(r->sent, &j->key);
        return;
    }
    if (sls_radius_exchange_hashes(&p))
        ok = answer_hashing(r, j, &p, now, b);
    else
        ok = sls_radius_exchange(r->app, r->state_key, j->client, &p, now, b);
    if (!ok) {
        sls_metrics_radius_dropped(SLS_RADIUS_DROP_STORE);
        sls_radius_retransmit_forget(r->sent, &j->key);
        return;
    }
    sls_radius_retransmit_answer(r->sent, &j->key, b->buf, b->len, mono_now());
    send_answer(r, j, b->buf, b->len);
}

static void *worker(void *arg)
{
    struct sls_radius *r = arg;
    struct sls_radius_builder *b = malloc(sizeof(*b));
    struct job *j;

    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->count == 0 && !atomic_load(&r->stop))
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->count == 0) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        j = r->queue[r->head];
        r->head = (r->head + 1) % SLS_RADIUS_QUEUE;
        r->count--;
        pthread_mutex_unlock(&r->mu);
        if (b != NULL)
            run_job(r, j, b);
        else
            sls_radius_retransmit_forget(r->sent, &j->key);
        sls_wipe(j->buf, sizeof(j->buf)); /* holds a hidden password */
        free(j);
    }
    free(b);
    return NULL;
}

static bool enqueue(struct sls_radius *r, struct job *j)
{
    bool ok;

    pthread_mutex_lock(&r->mu);
    ok = r->count < SLS_RADIUS_QUEUE;
    if (ok) {
        r->queue[(r->head + r->count) % SLS_RADIUS_QUEUE] = j;
        r->count++;
        pthread_cond_signal(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return ok;
}

/* One datagram received into j: checked, answered from the cache, or
 * queued for a worker. Returns true when j was queued (the worker frees it). */
static bool received(struct sls_radius *r, struct job *j, uint8_t *cached)
{
    struct sls_radius_packet p;
    size_t len = 0;

    peer_key(&j->peer, j->key.addr, &j->key.port);
    j->client = client_of(&r->app->cfg, j->key.addr);
    if (j->client == NULL) {
        sls_metrics_radius_dropped(SLS_RADIUS_DROP_UNKNOWN_CLIENT);
        return false;
    }
    if (sls_radius_parse(j->buf, j->n, &p) != 0 || p.code != SLS_RADIUS_ACCESS_REQUEST) {
        sls_metrics_radius_dropped(SLS_RADIUS_DROP_MALFORMED);
        return false;
    }
    if (!sls_radius_request_authentic(&p, (const uint8_t *)j->client->secret,
                                      strlen(j->client->secret))) {
        sls_metrics_radius_dropped(SLS_RADIUS_DROP_AUTHENTICATOR);
        return false;
    }
    j->key.id = p.id;
    memcpy(j->key.auth, p.auth, SLS_RADIUS_AUTH_LEN);
    switch (sls_radius_retransmit_see(r->sent, &j->key, mono_now(), cached, &len)) {
    case SLS_RADIUS_ANSWERED:
        send_answer(r, j, cached, len);
        return false;
    case SLS_RADIUS_WORKING:
        return false; /* the answer goes out when it is made */
    case SLS_RADIUS_FULL:
        sls_metrics_radius_dropped(SLS_RADIUS_DROP_BUSY);
        return false;
    case SLS_RADIUS_NEW:
        break;
    }
    if (enqueue(r, j))
        return true;
    sls_radius_retransmit_forget(r->sent, &j->key);
    sls_metrics_radius_dropped(SLS_RADIUS_DROP_BUSY);
    return false;
}

static void *receiver(void *arg)
{
    struct sls_radius *r = arg;
    uint8_t *cached = malloc(SLS_RADIUS_MAX);
    struct job *j = NULL;
    struct pollfd pfd = {.fd = r->fd, .events = POLLIN};
    ssize_t n;

    while (cached != NULL && !atomic_load(&r->stop)) {
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        if (j == NULL && (j = malloc(sizeof(*j))) == NULL)
            continue;
        j->peerlen = sizeof(j->peer);
        /* MSG_TRUNC: a datagram longer than a packet may be is seen as such, and dropped. */
        n = recvfrom(r->fd, j->buf, sizeof(j->buf), MSG_TRUNC, (struct sockaddr *)&j->peer,
                     &j->peerlen);
        if (n < 0)
            continue;
        if ((size_t)n > sizeof(j->buf)) {
            sls_metrics_radius_dropped(SLS_RADIUS_DROP_MALFORMED);
            continue;
        }
        j->n = (size_t)n;
        memset(&j->key, 0, sizeof(j->key));
        if (received(r, j, cached))
            j = NULL;
    }
    if (j != NULL)
        sls_wipe(j->buf, sizeof(j->buf));
    free(j);
    free(cached);
    return NULL;
}

static int open_socket(const char *hostport, char *err, size_t errlen)
{
    const char *colon = strrchr(hostport, ':');
    struct addrinfo hints, *res = NULL;
    char host[256];
    size_t hlen;
    int fd, rc;

    if (colon == NULL || (hlen = (size_t)(colon - hostport)) == 0 || hlen >= sizeof(host)) {
        snprintf(err, errlen, "[radius] listen must be HOST:PORT, not %s", hostport);
        return -1;
    }
    memcpy(host, hostport, hlen);
    host[hlen] = '\0';
    if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
        memmove(host, host + 1, hlen - 2);
        host[hlen - 2] = '\0';
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", hostport, gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0) {
        snprintf(err, errlen, "cannot listen on %s (RADIUS): %s", hostport, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

int sls_radius_start(struct sls_app *app, struct sls_throttle *t, struct sls_radius **out,
                     char *err, size_t errlen)
{
    struct sls_radius *r;

    *out = NULL;
    if (app->cfg.radius.listen[0] == '\0')
        return 0;
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        snprintf(err, errlen, "out of memory starting the RADIUS listener");
        return -1;
    }
    r->app = app;
    r->throttle = t;
    r->fd = -1;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->sent = sls_radius_retransmit_new();
    if (r->sent == NULL ||
        sls_radius_state_key(app->key.key, sizeof(app->key.key), r->state_key) != 0) {
        snprintf(err, errlen, "cannot set up the RADIUS listener");
        goto fail;
    }
    r->fd = open_socket(app->cfg.radius.listen, err, errlen);
    if (r->fd < 0)
        goto fail;
    for (r->nworkers = 0; r->nworkers < SLS_RADIUS_WORKERS; r->nworkers++)
        if (pthread_create(&r->workers[r->nworkers], NULL, worker, r) != 0)
            break;
    if (r->nworkers == 0 || pthread_create(&r->receiver, NULL, receiver, r) != 0) {
        snprintf(err, errlen, "cannot start the RADIUS threads");
        goto fail;
    }
    r->receiver_up = true;
    *out = r;
    return 0;
fail:
    sls_radius_stop(r);
    return -1;
}

void sls_radius_stop(struct sls_radius *r)
{
    if (r == NULL)
        return;
    atomic_store(&r->stop, true);
    if (r->receiver_up)
        pthread_join(r->receiver, NULL);
    pthread_mutex_lock(&r->mu);
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    for (size_t i = 0; i < r->nworkers; i++)
        pthread_join(r->workers[i], NULL);
    if (r->fd >= 0)
        close(r->fd);
    sls_radius_retransmit_free(r->sent);
    sls_wipe(r->state_key, sizeof(r->state_key));
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}
