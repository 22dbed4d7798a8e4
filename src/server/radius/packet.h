/* RADIUS packets (RFC 2865 §3, §5; RFC 3579 §3.2), parsed and built with
 * every length bounded: a packet is 20..4096 octets, its Length field names
 * at most the octets received (what follows is padding, ignored), and every
 * attribute is at least 2 octets and ends inside the packet. User-Password
 * hiding, the Response Authenticator and the Message-Authenticator are here
 * too; their MD5 and HMAC-MD5 come from crypto/md5.h because that is what
 * the RFCs prescribe. Pure apart from the hashing: no I/O, no clock. */
#ifndef SLS_SERVER_RADIUS_PACKET_H
#define SLS_SERVER_RADIUS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLS_RADIUS_MIN          20
#define SLS_RADIUS_MAX          4096
#define SLS_RADIUS_AUTH_LEN     16
#define SLS_RADIUS_ATTRS_MAX    128 /* attributes kept from a packet; more is malformed */
#define SLS_RADIUS_VALUE_MAX    253
#define SLS_RADIUS_PASSWORD_MAX 128 /* RFC 2865 §5.2: the hidden value is at most 128 octets */

enum sls_radius_code {
    SLS_RADIUS_ACCESS_REQUEST = 1,
    SLS_RADIUS_ACCESS_ACCEPT = 2,
    SLS_RADIUS_ACCESS_REJECT = 3,
    SLS_RADIUS_ACCESS_CHALLENGE = 11,
};

enum sls_radius_attr_type {
    SLS_RADIUS_USER_NAME = 1,
    SLS_RADIUS_USER_PASSWORD = 2,
    SLS_RADIUS_NAS_IP_ADDRESS = 4,
    SLS_RADIUS_REPLY_MESSAGE = 18,
    SLS_RADIUS_STATE = 24,
    SLS_RADIUS_SESSION_TIMEOUT = 27,
    SLS_RADIUS_NAS_IDENTIFIER = 32,
    SLS_RADIUS_MESSAGE_AUTHENTICATOR = 80,
};

struct sls_radius_attr {
    uint8_t type;
    uint8_t len; /* of the value */
    const uint8_t *value;
};

/* A parsed packet; it points into the bytes it was parsed from. */
struct sls_radius_packet {
    uint8_t code;
    uint8_t id;
    const uint8_t *auth; /* 16 octets */
    const uint8_t *raw;  /* the packet, len octets (the Length field) */
    size_t len;
    struct sls_radius_attr attrs[SLS_RADIUS_ATTRS_MAX];
    size_t nattrs;
};

/* Parses n octets of buf. Returns 0, or -1 when malformed (too short or
 * long, a Length outside 20..n, an attribute shorter than 2 octets or
 * running past the end, too many attributes). */
int sls_radius_parse(const uint8_t *buf, size_t n, struct sls_radius_packet *p);

/* The first attribute of type t, NULL when there is none. */
const struct sls_radius_attr *sls_radius_find(const struct sls_radius_packet *p, uint8_t t);
/* How many attributes of type t p holds. */
size_t sls_radius_count(const struct sls_radius_packet *p, uint8_t t);

/* RFC 3579 §3.2: whether the request p carries exactly one
 * Message-Authenticator of 16 octets that is the HMAC-MD5 under secret of
 * the packet with that value zeroed. Compared in constant time. */
bool sls_radius_request_authentic(const struct sls_radius_packet *p, const uint8_t *secret,
                                  size_t secretlen);

/* RFC 2865 §5.2: the User-Password of the request p recovered under secret
 * into out (NUL-terminated, trailing NUL padding removed). Returns its
 * length, or -1 when there is no single User-Password of 16..128 octets in
 * steps of 16, or it holds a NUL before its padding. */
int sls_radius_password_unhide(const struct sls_radius_packet *p, const uint8_t *secret,
                               size_t secretlen, char out[SLS_RADIUS_PASSWORD_MAX + 1]);

/* The other way: password (at most 128 octets) hidden under secret and the
 * request authenticator ra into out; returns its length (a multiple of 16)
 * or -1. */
int sls_radius_password_hide(const char *password, size_t len, const uint8_t *secret,
                             size_t secretlen, const uint8_t ra[SLS_RADIUS_AUTH_LEN],
                             uint8_t out[SLS_RADIUS_PASSWORD_MAX]);

/* A packet being built. */
struct sls_radius_builder {
    uint8_t buf[SLS_RADIUS_MAX];
    size_t len;
    bool overflow; /* an attribute did not fit: finishing fails */
};

/* Starts a packet of code with identifier id. */
void sls_radius_build_start(struct sls_radius_builder *b, uint8_t code, uint8_t id);
/* Appends an attribute (value of at most 253 octets; longer or past the
 * packet's room sets b->overflow). */
void sls_radius_build_attr(struct sls_radius_builder *b, uint8_t type, const void *value,
                           size_t len);
/* Appends a 32-bit integer attribute (network order). */
void sls_radius_build_int(struct sls_radius_builder *b, uint8_t type, uint32_t v);

/* Finishes b: appends the Message-Authenticator (RFC 3579 §3.2: HMAC-MD5
 * under secret over the packet with the request authenticator ra in its
 * Authenticator field), sets the Length, and for an answer (response)
 * replaces the Authenticator by the Response Authenticator (RFC 2865 §3:
 * MD5 of the packet with ra, then the secret); a request keeps ra. Returns
 * the packet's length, or -1 (overflow, hashing failed). */
int sls_radius_build_finish(struct sls_radius_builder *b, const uint8_t ra[SLS_RADIUS_AUTH_LEN],
                            bool response, const uint8_t *secret, size_t secretlen);

/* Whether the answer p is authentic for the request authenticator ra
 * under secret: its Response Authenticator, and its Message-Authenticator
 * when it has one (the client's side; tests use it). */
bool sls_radius_response_authentic(const struct sls_radius_packet *p,
                                   const uint8_t ra[SLS_RADIUS_AUTH_LEN], const uint8_t *secret,
                                   size_t secretlen);

#endif
