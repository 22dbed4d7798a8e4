/* A fuzz target of the passkey parsers and checks (SPEC §10.5): attestation
 * objects, authenticator data, COSE keys and client data JSON, mutated from
 * the fixed vectors of tests/unit/passkey/vectors.inc.
 *
 *   fuzz_passkey [--seed N] [--iterations N]
 *
 * Each iteration takes a good registration or assertion, mutates one of its
 * parts (byte flips, CBOR and JSON bytes inserted, deletions, duplications,
 * cuts) and checks it. The same seed gives the same run. It aborts when an
 * invariant breaks: an assertion whose bytes changed is accepted, or an
 * accepted registration holds a key that fails its check or an id out of
 * bounds. Crashes, leaks and undefined behaviour are the sanitizers' to
 * report. Exit status 0 when every iteration passed. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/encoding.h"
#include "crypto/passkey_sig.h"
#include "intake/passkey.h"

#include "../unit/passkey/vectors.h"

#include "../unit/passkey/vectors.inc"

#define MAX_BYTES 8192

struct buf {
    uint8_t b[MAX_BYTES];
    size_t n;
};

#include "fuzz_rng.h"

static void unhex(const char *hex, struct buf *out)
{
    if (sls_hex_decode(hex, strlen(hex), out->b, sizeof out->b, &out->n) != 0) {
        fprintf(stderr, "fuzz_passkey: bad vector\n");
        abort();
    }
}

/* CBOR heads and JSON fragments worth inserting. */
static const uint8_t *const tokens[] = {
    (const uint8_t *)"\xa0",     (const uint8_t *)"\xbf",
    (const uint8_t *)"\xff",     (const uint8_t *)"\x9f",
    (const uint8_t *)"\x5b\xff", (const uint8_t *)"\x7f",
    (const uint8_t *)"\x1b\xff", (const uint8_t *)"\x3b\xff",
    (const uint8_t *)"\xd8\x18", (const uint8_t *)"\"",
    (const uint8_t *)"\\u0000",  (const uint8_t *)"{",
    (const uint8_t *)"}",        (const uint8_t *)",\"crossOrigin\":false",
};

static void mutate(struct buf *d)
{
    int rounds = 1 + (int)below(4);
    for (int r = 0; r < rounds; r++) {
        switch (below(6)) {
        case 0: /* flip a bit */
            if (d->n) {
                d->b[below(d->n)] ^= (uint8_t)(1u << below(8));
            }
            break;
        case 1: { /* insert a token */
            const uint8_t *t = tokens[below(sizeof tokens / sizeof tokens[0])];
            size_t tl = strlen((const char *)t);
            size_t at = below(d->n + 1);
            if (d->n + tl <= MAX_BYTES) {
                memmove(d->b + at + tl, d->b + at, d->n - at);
                memcpy(d->b + at, t, tl);
                d->n += tl;
            }
            break;
        }
        case 2: { /* delete a run */
            if (d->n) {
                size_t at = below(d->n);
                size_t len = 1 + below(d->n - at);
                memmove(d->b + at, d->b + at + len, d->n - at - len);
                d->n -= len;
            }
            break;
        }
        case 3: { /* duplicate a run */
            if (d->n) {
                size_t at = below(d->n);
                size_t len = 1 + below(d->n - at);
                if (d->n + len <= MAX_BYTES) {
                    memmove(d->b + at + len, d->b + at, d->n - at);
                    d->n += len;
                }
            }
            break;
        }
        case 4: /* cut */
            d->n = below(d->n + 1);
            break;
        default: /* a random byte */
            if (d->n) {
                d->b[below(d->n)] = (uint8_t)rnd();
            }
            break;
        }
    }
}

static const char *const origins[] = {VEC_ORIGIN};

static void fuzz_registration(const struct reg_vector *v, const struct buf *challenge)
{
    static struct buf cd, att, id;
    unhex(v->client_data, &cd);
    unhex(v->attestation, &att);
    unhex(v->credential_id, &id);
    if (below(3) == 0) {
        mutate(&cd);
    } else {
        mutate(&att);
    }
    struct sls_passkey_expect e = {VEC_RP_ID, origins, 1, challenge->b, challenge->n};
    struct sls_passkey_auth_data out;
    if (sls_passkey_registration_check(&e, cd.b, cd.n, att.b, att.n, id.b, id.n, &out) ==
        SLS_PASSKEY_OK) {
        if (!out.has_credential || out.credential_id_len == 0 ||
            out.credential_id_len > SLS_PASSKEY_MAX_CREDENTIAL_ID ||
            sls_passkey_key_check(out.public_key.alg, out.public_key.key, out.public_key.key_len) !=
                0 ||
            !(out.flags & SLS_PASSKEY_FLAG_UV)) {
            fprintf(stderr, "fuzz_passkey: %s accepted with a bad credential\n", v->name);
            abort();
        }
    }
    /* The parsers on their own, on the mutated bytes. */
    struct sls_passkey_public_key k;
    size_t used = 0;
    if (sls_passkey_cose_key_parse(att.b, att.n, &k, &used) == SLS_PASSKEY_OK && used > att.n) {
        abort();
    }
    (void)sls_passkey_auth_data_parse(att.b, att.n, &out);
}

static void fuzz_assertion(const struct get_vector *v, const struct buf *challenge)
{
    static struct buf cd, ad, sig, cd0, ad0, sig0;
    unhex(v->client_data, &cd0);
    unhex(v->auth_data, &ad0);
    unhex(v->signature, &sig0);
    cd = cd0;
    ad = ad0;
    sig = sig0;
    switch (below(3)) {
    case 0:
        mutate(&cd);
        break;
    case 1:
        mutate(&ad);
        break;
    default:
        mutate(&sig);
        break;
    }
    struct sls_passkey_public_key k;
    memset(&k, 0, sizeof k);
    struct buf raw;
    if (strncmp(v->name, "es256/", 6) == 0) {
        unhex(VEC_ES256_KEY, &raw);
        k.alg = SLS_PASSKEY_ALG_ES256;
    } else {
        unhex(VEC_ED25519_KEY, &raw);
        k.alg = SLS_PASSKEY_ALG_ED25519;
    }
    memcpy(k.key, raw.b, raw.n);
    k.key_len = raw.n;
    struct sls_passkey_expect e = {VEC_RP_ID, origins, 1, challenge->b, challenge->n};
    uint32_t count = 0;
    enum sls_passkey_verdict got = sls_passkey_assertion_check(&e, cd.b, cd.n, ad.b, ad.n, sig.b,
                                                               sig.n, &k, v->stored_count, &count);
    bool same =
        cd.n == cd0.n && ad.n == ad0.n && !memcmp(cd.b, cd0.b, cd.n) && !memcmp(ad.b, ad0.b, ad.n);
    /* ECDSA signatures are malleable in their DER form only as far as
     * OpenSSL allows, so only the signed bytes are held fixed here. */
    if (got == SLS_PASSKEY_OK && !same) {
        fprintf(stderr, "fuzz_passkey: %s accepted with changed signed bytes\n", v->name);
        abort();
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    long iterations = 10000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seed") == 0) {
            seed = strtoull(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--iterations") == 0) {
            iterations = strtol(argv[i + 1], NULL, 10);
        } else {
            fprintf(stderr, "usage: fuzz_passkey [--seed N] [--iterations N]\n");
            return 2;
        }
    }
    if (sls_crypto_init() != 0) {
        return 1;
    }
    rng_seed(seed);
    struct buf challenge;
    unhex(VEC_CHALLENGE, &challenge);
    size_t nreg = sizeof reg_vectors / sizeof reg_vectors[0];
    size_t nget = sizeof get_vectors / sizeof get_vectors[0];
    /* Only the good vectors are mutated. */
    long runs = 0;
    while (runs < iterations) {
        if (rnd() & 1) {
            const struct reg_vector *v = &reg_vectors[below(nreg)];
            if (v->verdict == SLS_PASSKEY_OK) {
                fuzz_registration(v, &challenge);
                runs++;
            }
        } else {
            const struct get_vector *v = &get_vectors[below(nget)];
            if (v->verdict == SLS_PASSKEY_OK) {
                fuzz_assertion(v, &challenge);
                runs++;
            }
        }
    }
    printf("fuzz_passkey: %ld iterations, seed %llu\n", iterations, (unsigned long long)seed);
    return 0;
}
