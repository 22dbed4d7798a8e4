/* Tests of src/server/radius/retransmit.c: a request is taken up once, its
 * copies wait or get the stored answer, answers expire, and the cache stays
 * bounded: full of requests being worked on, it refuses more. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "server/radius/retransmit.h"

static struct sls_radius_request_key key_of(int n)
{
    struct sls_radius_request_key k;

    memset(&k, 0, sizeof(k));
    k.addr[15] = 1;
    k.port = (uint16_t)(1000 + n / 256);
    k.id = (uint8_t)n;
    memset(k.auth, n & 0xff, sizeof(k.auth));
    return k;
}

static void seen_working_answered(void **state)
{
    struct sls_radius_retransmit *c = sls_radius_retransmit_new();
    struct sls_radius_request_key k = key_of(1), k2;
    uint8_t out[SLS_RADIUS_MAX];
    size_t len = 0;
    (void)state;

    assert_non_null(c);
    assert_int_equal(sls_radius_retransmit_see(c, &k, 100, out, &len), SLS_RADIUS_NEW);
    assert_int_equal(sls_radius_retransmit_see(c, &k, 100, out, &len), SLS_RADIUS_WORKING);
    sls_radius_retransmit_answer(c, &k, (const uint8_t *)"answer", 6, 101);
    assert_int_equal(sls_radius_retransmit_see(c, &k, 110, out, &len), SLS_RADIUS_ANSWERED);
    assert_int_equal(len, 6);
    assert_memory_equal(out, "answer", 6);
    /* Another port, Identifier or authenticator is another request. */
    k2 = k;
    k2.port++;
    assert_int_equal(sls_radius_retransmit_see(c, &k2, 110, out, &len), SLS_RADIUS_NEW);
    k2 = k;
    k2.auth[3] ^= 1;
    assert_int_equal(sls_radius_retransmit_see(c, &k2, 110, out, &len), SLS_RADIUS_NEW);
    /* Past the lifetime the answer is forgotten and the request new again. */
    assert_int_equal(
        sls_radius_retransmit_see(c, &k, 101 + SLS_RADIUS_RETRANSMIT_TTL + 1, out, &len),
        SLS_RADIUS_NEW);
    /* A request forgotten (dropped) is taken up afresh. */
    sls_radius_retransmit_forget(c, &k);
    assert_int_equal(sls_radius_retransmit_see(c, &k, 200, out, &len), SLS_RADIUS_NEW);
    sls_radius_retransmit_free(c);
    sls_radius_retransmit_free(NULL);
}

static void bounded(void **state)
{
    struct sls_radius_retransmit *c = sls_radius_retransmit_new();
    struct sls_radius_request_key k;
    uint8_t out[SLS_RADIUS_MAX];
    size_t len = 0;
    int i;
    (void)state;

    for (i = 0; i < SLS_RADIUS_RETRANSMIT_SLOTS; i++) {
        k = key_of(i);
        assert_int_equal(sls_radius_retransmit_see(c, &k, 10, out, &len), SLS_RADIUS_NEW);
    }
    k = key_of(i);
    assert_int_equal(sls_radius_retransmit_see(c, &k, 10, out, &len), SLS_RADIUS_FULL);
    /* Once answers are there, the oldest answer makes room. */
    for (i = 0; i < SLS_RADIUS_RETRANSMIT_SLOTS; i++) {
        struct sls_radius_request_key a = key_of(i);
        sls_radius_retransmit_answer(c, &a, (const uint8_t *)"x", 1, 20 + i);
    }
    assert_int_equal(sls_radius_retransmit_see(c, &k, 30, out, &len), SLS_RADIUS_NEW);
    k = key_of(0); /* the oldest, gone */
    assert_int_equal(sls_radius_retransmit_see(c, &k, 30, out, &len), SLS_RADIUS_NEW);
    k = key_of(5);
    assert_int_equal(sls_radius_retransmit_see(c, &k, 30, out, &len), SLS_RADIUS_ANSWERED);
    sls_radius_retransmit_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(seen_working_answered),
                                       cmocka_unit_test(bounded)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
