/* IP addresses, CIDR ranges and the client address behind trusted proxies
 * (see cidr.h). Pure: text in, bytes out. */
#include "cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int sls_ip_parse(const char *text, unsigned char out[16])
{
    unsigned char v4[4];

    if (text == NULL)
        return -1;
    if (inet_pton(AF_INET, text, v4) == 1) {
        memcpy(out, v4_mapped, 12);
        memcpy(out + 12, v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, out) == 1 ? 0 : -1;
}

int sls_ip_format(const unsigned char addr[16], char *out, size_t outlen)
{
    if (memcmp(addr, v4_mapped, 12) == 0)
        return inet_ntop(AF_INET, addr + 12, out, (socklen_t)outlen) != NULL ? 0 : -1;
    return inet_ntop(AF_INET6, addr, out, (socklen_t)outlen) != NULL ? 0 : -1;
}

int sls_cidr_parse(const char *text, struct sls_cidr *out)
{
    char host[SLS_IP_TEXT_MAX];
    const char *slash = strchr(text, '/');
    size_t hlen = slash != NULL ? (size_t)(slash - text) : strlen(text);
    unsigned long prefix;
    bool v4;
    char *end;

    if (hlen == 0 || hlen >= sizeof(host))
        return -1;
    memcpy(host, text, hlen);
    host[hlen] = '\0';
    if (sls_ip_parse(host, out->addr) != 0)
        return -1;
    v4 = strchr(host, ':') == NULL;
    prefix = v4 ? 32 : 128;
    if (slash != NULL) {
        if (slash[1] < '0' || slash[1] > '9')
            return -1;
        prefix = strtoul(slash + 1, &end, 10);
        if (*end != '\0' || prefix > (v4 ? 32UL : 128UL))
            return -1;
    }
    out->prefix = (unsigned)prefix + (v4 ? 96 : 0);
    for (unsigned bit = out->prefix; bit < 128; bit++)
        out->addr[bit / 8] &= (unsigned char)~(0x80u >> (bit % 8));
    return 0;
}

int sls_cidr_list_parse(const char *text, struct sls_cidr *out, size_t max, size_t *n)
{
    char one[SLS_IP_TEXT_MAX + 4];
    size_t len;

    *n = 0;
    for (;;) {
        text += strspn(text, ", \t");
        if (*text == '\0')
            return 0;
        len = strcspn(text, ", \t");
        if (len >= sizeof(one) || *n >= max)
            return -1;
        memcpy(one, text, len);
        one[len] = '\0';
        if (sls_cidr_parse(one, &out[*n]) != 0)
            return -1;
        (*n)++;
        text += len;
    }
}

bool sls_cidr_match(const struct sls_cidr *c, const unsigned char addr[16])
{
    unsigned whole = c->prefix / 8, rest = c->prefix % 8;

    if (memcmp(c->addr, addr, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char mask = (unsigned char)(0xffu << (8 - rest));
    return (addr[whole] & mask) == c->addr[whole];
}

bool sls_cidr_list_match(const struct sls_cidr *list, size_t n, const unsigned char addr[16])
{
    for (size_t i = 0; i < n; i++)
        if (sls_cidr_match(&list[i], addr))
            return true;
    return false;
}

void sls_client_address(const unsigned char peer[16], const char *forwarded_for,
                        const struct sls_cidr *trusted, size_t ntrusted, unsigned char out[16])
{
    char one[SLS_IP_TEXT_MAX];
    unsigned char hop[16];
    const char *end;

    memcpy(out, peer, 16);
    if (forwarded_for == NULL || !sls_cidr_list_match(trusted, ntrusted, peer))
        return;
    end = forwarded_for + strlen(forwarded_for);
    while (end > forwarded_for) {
        const char *start = end;
        size_t len;
        while (start > forwarded_for && start[-1] != ',')
            start--;
        /* Trim spaces around the entry. */
        const char *a = start, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        len = (size_t)(b - a);
        if (len == 0 || len >= sizeof(one))
            return;
        memcpy(one, a, len);
        one[len] = '\0';
        if (sls_ip_parse(one, hop) != 0)
            return;
        memcpy(out, hop, 16);
        if (!sls_cidr_list_match(trusted, ntrusted, hop))
            return;
        end = start > forwarded_for ? start - 1 : start;
    }
}
