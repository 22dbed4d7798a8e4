/* The fuzz targets' random numbers: xorshift64*, seeded from the command
 * line so that a run can be repeated exactly. Not for anything secret. */
#ifndef SLS_FUZZ_RNG_H
#define SLS_FUZZ_RNG_H

#include <stddef.h>
#include <stdint.h>

static uint64_t rng_state;

/* Seeds the generator; 0 (a fixed point of xorshift) becomes 1. */
static inline void rng_seed(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

static inline uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* A number below n (0 when n is 0). */
static inline size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

#endif
