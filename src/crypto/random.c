/* Randomness from libsodium's CSPRNG. Tests may replace the source of bytes;
 * every function here then draws from it, and uniform choices stay unbiased
 * by rejection sampling over the injected bytes. */
#include "random.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "secmem.h"

static void (*source)(void *buf, size_t len);

void sls_random_set_source(void (*fill)(void *buf, size_t len))
{
    source = fill;
}

void sls_random_bytes(void *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return;
    if (source != NULL)
        source(buf, len);
    else
        randombytes_buf(buf, len);
}

uint32_t sls_random_uniform(uint32_t upper)
{
    uint8_t b[4];
    uint32_t r, min;

    if (upper < 2)
        return 0;
    if (source == NULL)
        return randombytes_uniform(upper);
    /* 2^32 mod upper: values below it would make the low results likelier. */
    min = (uint32_t)(-upper) % upper;
    for (;;) {
        source(b, sizeof(b));
        r = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
        if (r >= min)
            return r % upper;
    }
}

void sls_random_string(char *out, size_t n, const char *alphabet)
{
    size_t alen;

    /* A misuse, not a condition to report: an empty alphabet would give a
     * guessable value to a caller that cannot see an error. */
    if (out == NULL || alphabet == NULL || (alen = strlen(alphabet)) == 0 || alen > UINT32_MAX)
        abort();
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[sls_random_uniform((uint32_t)alen)];
    out[n] = '\0';
}

void sls_random_digits(char *out, size_t n)
{
    sls_random_string(out, n, "0123456789");
}

void sls_random_id_time_ordered(char out[33])
{
    struct timespec ts;
    uint64_t us;

    clock_gettime(CLOCK_REALTIME, &ts);
    us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    snprintf(out, 13, "%012" PRIx64, us & 0xffffffffffffu);
    sls_random_hex(out + 12, 10);
}

void sls_random_hex(char *out, size_t nbytes)
{
    uint8_t chunk[32];
    size_t off = 0;

    if (out == NULL)
        abort();
    out[0] = '\0';
    while (off < nbytes) {
        size_t k = nbytes - off < sizeof(chunk) ? nbytes - off : sizeof(chunk);

        sls_random_bytes(chunk, k);
        /* Writes 2k digits and a NUL, inside the caller's 2*nbytes+1. */
        sodium_bin2hex(out + 2 * off, 2 * k + 1, chunk, k);
        off += k;
    }
    sls_wipe(chunk, sizeof(chunk));
}
