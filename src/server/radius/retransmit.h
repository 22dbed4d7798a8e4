/* The answers of recent RADIUS requests, so that a retransmission (RFC 5080
 * §2.2.2: the same client address and port, Identifier and Request
 * Authenticator) gets the same bytes again and is never run twice: a
 * request is entered when it is taken up and its answer stored when it is
 * made. Bounded: SLS_RADIUS_RETRANSMIT_SLOTS entries kept at most
 * SLS_RADIUS_RETRANSMIT_TTL seconds of the monotonic clock (not the
 * server's clock, which --dev may stop). Safe from any thread. */
#ifndef SLS_SERVER_RADIUS_RETRANSMIT_H
#define SLS_SERVER_RADIUS_RETRANSMIT_H

#include <stddef.h>
#include <stdint.h>

#include "server/radius/packet.h"

#define SLS_RADIUS_RETRANSMIT_SLOTS 256
#define SLS_RADIUS_RETRANSMIT_TTL   30

/* Who sent a request, and which one it is. */
struct sls_radius_request_key {
    unsigned char addr[16];
    uint16_t port;
    uint8_t id;
    uint8_t auth[SLS_RADIUS_AUTH_LEN];
};

struct sls_radius_retransmit;

/* A new, empty cache; NULL when out of memory. */
struct sls_radius_retransmit *sls_radius_retransmit_new(void);
/* Frees c; NULL is fine. */
void sls_radius_retransmit_free(struct sls_radius_retransmit *c);

enum sls_radius_seen {
    SLS_RADIUS_NEW = 0,  /* entered: take it up, then sls_radius_retransmit_answer or _forget */
    SLS_RADIUS_WORKING,  /* taken up already, no answer yet: ignore the copy */
    SLS_RADIUS_ANSWERED, /* answered: the answer was copied out */
    SLS_RADIUS_FULL,     /* no room: every slot holds a request being worked on */
};

/* Looks up k at monotonic second `mono`: an answer is copied into out
 * (*len octets); an unknown request is entered as being worked on. */
enum sls_radius_seen sls_radius_retransmit_see(struct sls_radius_retransmit *c,
                                               const struct sls_radius_request_key *k,
                                               long long mono, uint8_t out[SLS_RADIUS_MAX],
                                               size_t *len);
/* Stores the answer of k (entered by _see). */
void sls_radius_retransmit_answer(struct sls_radius_retransmit *c,
                                  const struct sls_radius_request_key *k, const uint8_t *answer,
                                  size_t len, long long mono);
/* Forgets k: it was dropped, and a copy is to be taken up afresh. */
void sls_radius_retransmit_forget(struct sls_radius_retransmit *c,
                                  const struct sls_radius_request_key *k);

#endif
