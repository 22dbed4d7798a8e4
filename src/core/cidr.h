/* IP addresses and CIDR ranges as configured in [http] trusted_proxies
 * (SPEC §10.2), and the choice of the client address behind them. IPv4 is
 * kept as an IPv4-mapped IPv6 address (::ffff:a.b.c.d), so one range type
 * serves both families: "10.0.0.0/8" is ::ffff:10.0.0.0/104. */
#ifndef SLS_CORE_CIDR_H
#define SLS_CORE_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#define SLS_IP_TEXT_MAX 46 /* INET6_ADDRSTRLEN */

struct sls_cidr {
    unsigned char addr[16]; /* bits past prefix are zero */
    unsigned prefix;        /* 0..128 */
};

/* Parses "192.0.2.7" or "2001:db8::1" into 16 bytes. Returns 0 or -1. */
int sls_ip_parse(const char *text, unsigned char out[16]);

/* Writes the address as text (IPv4 in dotted form). Returns 0 or -1. */
int sls_ip_format(const unsigned char addr[16], char *out, size_t outlen);

/* Parses "10.0.0.0/8", "2001:db8::/32" or a single address (a /32 or /128).
 * Host bits past the prefix are cleared. Returns 0 or -1. */
int sls_cidr_parse(const char *text, struct sls_cidr *out);

/* Parses a list of ranges separated by commas and/or spaces into out (at
 * most max). An empty list is valid. Returns 0, or -1 on a bad range or
 * more than max. */
int sls_cidr_list_parse(const char *text, struct sls_cidr *out, size_t max, size_t *n);

/* True when addr lies in the range. */
bool sls_cidr_match(const struct sls_cidr *c, const unsigned char addr[16]);

/* True when addr lies in any of the n ranges. */
bool sls_cidr_list_match(const struct sls_cidr *list, size_t n, const unsigned char addr[16]);

/* The client a request comes from: the peer itself, unless the peer is a
 * trusted proxy, in which case X-Forwarded-For ("client, proxy1, proxy2") is
 * read from the right and the first address that is not a trusted proxy is
 * the client. A malformed entry stops the walk at the last trusted address
 * read (the peer, or a proxy the list named), since nothing to its left can be
 * believed. out receives 16 bytes. */
void sls_client_address(const unsigned char peer[16], const char *forwarded_for,
                        const struct sls_cidr *trusted, size_t ntrusted, unsigned char out[16]);

#endif
