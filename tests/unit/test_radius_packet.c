/* Tests of src/server/radius/packet.c: the RFC 2865 §7.1 example (User-Password
 * hiding under "xyzzy5461", its Access-Accept's Response Authenticator), an
 * Access-Request as a stock RADIUS client sends it (Message-Authenticator,
 * a two-block password), the bounds of every length, and what the builder
 * makes checked by the other side. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "server/radius/packet.h"

#define S(x) ((const uint8_t *)(x)), (sizeof(x) - 1)

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

/* RFC 2865 §7.1: nemo / arctangent, NAS 192.168.1.16 port 3. */
static const char rfc_request[] = "010000380f403f9473978057bd83d5cb98f4227a01066e656d6f02120dbe708d"
                                  "93d413ce3196e43f782a0aee0406c0a801100506"
                                  "00000003";
/* Its Access-Accept (Service-Type, Login-Service, Login-IP-Host). */
static const char rfc_accept[] = "0200002686fe220e7624ba2a1005f6bf9b55e0b206060000000"
                                 "10f06000000000e06c0a80103";

/* An Access-Request as radclient sent it under the secret "testing123":
 * User-Name "alice", User-Password "Passw0rd-with-a-long-tail-2026" (two
 * blocks), Message-Authenticator computed by the client. */
static const char client_request[] =
    "01d6004ffc053d24b3410f65f4c88a689650f9990107616c69636502223fd546c140bbcc4264c6bb54c32bce"
    "76bdbb698a9217954cc34f694e40045caf5012f0d946c9f813e33ad3c3aa6c63937141";

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void rfc_example_password(void **state)
{
    uint8_t buf[SLS_RADIUS_MAX], hidden[SLS_RADIUS_PASSWORD_MAX];
    char pw[SLS_RADIUS_PASSWORD_MAX + 1];
    struct sls_radius_packet p;
    const struct sls_radius_attr *a;
    size_t n = unhex(rfc_request, buf);
    (void)state;

    assert_int_equal(sls_radius_parse(buf, n, &p), 0);
    assert_int_equal(p.code, SLS_RADIUS_ACCESS_REQUEST);
    assert_int_equal(p.nattrs, 4);
    a = sls_radius_find(&p, SLS_RADIUS_USER_NAME);
    assert_non_null(a);
    assert_int_equal(a->len, 4);
    assert_memory_equal(a->value, "nemo", 4);
    assert_int_equal(sls_radius_password_unhide(&p, S("xyzzy5461"), pw), 10);
    assert_string_equal(pw, "arctangent");
    assert_int_equal(sls_radius_password_hide("arctangent", 10, S("xyzzy5461"), p.auth, hidden),
                     16);
    assert_memory_equal(hidden, sls_radius_find(&p, SLS_RADIUS_USER_PASSWORD)->value, 16);
    /* Another secret recovers something else. */
    assert_true(sls_radius_password_unhide(&p, S("xyzzy5462"), pw) < 0 ||
                strcmp(pw, "arctangent") != 0);
    /* No Message-Authenticator: not authentic (RFC 3579, BlastRADIUS). */
    assert_false(sls_radius_request_authentic(&p, S("xyzzy5461")));
}

static void rfc_example_response(void **state)
{
    uint8_t req[SLS_RADIUS_MAX], buf[SLS_RADIUS_MAX];
    struct sls_radius_packet rq, p;
    size_t n = unhex(rfc_accept, buf);
    (void)state;

    assert_int_equal(sls_radius_parse(req, unhex(rfc_request, req), &rq), 0);
    assert_int_equal(sls_radius_parse(buf, n, &p), 0);
    assert_true(sls_radius_response_authentic(&p, rq.auth, S("xyzzy5461")));
    assert_false(sls_radius_response_authentic(&p, rq.auth, S("xyzzy5460")));
    buf[n - 1] ^= 1;
    assert_int_equal(sls_radius_parse(buf, n, &p), 0);
    assert_false(sls_radius_response_authentic(&p, rq.auth, S("xyzzy5461")));
}

static void client_request_checked(void **state)
{
    uint8_t buf[SLS_RADIUS_MAX];
    char pw[SLS_RADIUS_PASSWORD_MAX + 1];
    struct sls_radius_packet p;
    size_t n = unhex(client_request, buf), i;
    (void)state;

    assert_int_equal(sls_radius_parse(buf, n, &p), 0);
    assert_true(sls_radius_request_authentic(&p, S("testing123")));
    assert_false(sls_radius_request_authentic(&p, S("testing124")));
    assert_int_equal(sls_radius_password_unhide(&p, S("testing123"), pw), 30);
    assert_string_equal(pw, "Passw0rd-with-a-long-tail-2026");
    /* Any octet changed anywhere breaks the Message-Authenticator. */
    for (i = 0; i < n; i++) {
        if (i == 2 || i == 3)
            continue; /* the Length: parsed differently, checked below */
        buf[i] ^= 0x40;
        if (sls_radius_parse(buf, n, &p) == 0)
            assert_false(sls_radius_request_authentic(&p, S("testing123")));
        buf[i] ^= 0x40;
    }
}

static void bounds(void **state)
{
    uint8_t buf[SLS_RADIUS_MAX + 8];
    struct sls_radius_packet p;
    size_t n = unhex(client_request, buf);
    (void)state;

    assert_int_equal(sls_radius_parse(buf, 19, &p), -1);
    assert_int_equal(sls_radius_parse(NULL, 40, &p), -1);
    /* Length larger than what came. */
    assert_int_equal(sls_radius_parse(buf, n - 1, &p), -1);
    /* Padding past Length is ignored, and the packet is still authentic. */
    memset(buf + n, 0xee, 8);
    assert_int_equal(sls_radius_parse(buf, n + 8, &p), 0);
    assert_int_equal(p.len, n);
    assert_true(sls_radius_request_authentic(&p, S("testing123")));
    /* Length below 20 or above 4096. */
    buf[2] = 0, buf[3] = 19;
    assert_int_equal(sls_radius_parse(buf, n, &p), -1);
    buf[2] = 0x10, buf[3] = 0x01;
    memset(buf + n, 0, sizeof(buf) - n);
    assert_int_equal(sls_radius_parse(buf, sizeof(buf), &p), -1);
    /* An attribute of length 0, 1, or running past the end. */
    n = unhex(rfc_request, buf);
    buf[21] = 0;
    assert_int_equal(sls_radius_parse(buf, n, &p), -1);
    buf[21] = 1;
    assert_int_equal(sls_radius_parse(buf, n, &p), -1);
    n = unhex(rfc_request, buf);
    buf[n - 5] = 7; /* the last attribute (NAS-Port, 6 octets) claims 7 */
    assert_int_equal(sls_radius_parse(buf, n, &p), -1);
    /* A lone octet after the last attribute. */
    n = unhex(rfc_request, buf);
    buf[n] = 5;
    buf[3] = (uint8_t)(n + 1);
    assert_int_equal(sls_radius_parse(buf, n + 1, &p), -1);
}

static void too_many_attributes(void **state)
{
    uint8_t buf[SLS_RADIUS_MAX];
    struct sls_radius_packet p;
    size_t n = 20, i;
    (void)state;

    memset(buf, 0, sizeof(buf));
    buf[0] = 1;
    for (i = 0; i < SLS_RADIUS_ATTRS_MAX + 1; i++) {
        buf[n] = 33;
        buf[n + 1] = 2;
        n += 2;
    }
    buf[2] = (uint8_t)(n >> 8), buf[3] = (uint8_t)n;
    assert_int_equal(sls_radius_parse(buf, n, &p), -1);
    n -= 2;
    buf[2] = (uint8_t)(n >> 8), buf[3] = (uint8_t)n;
    assert_int_equal(sls_radius_parse(buf, n, &p), 0);
}

static void password_shapes(void **state)
{
    struct sls_radius_builder b;
    struct sls_radius_packet p;
    uint8_t ra[16], hidden[SLS_RADIUS_PASSWORD_MAX];
    char pw[SLS_RADIUS_PASSWORD_MAX + 1], long_pw[SLS_RADIUS_PASSWORD_MAX + 2];
    int n;
    (void)state;

    memset(ra, 7, sizeof(ra));
    memset(long_pw, 'x', sizeof(long_pw));
    long_pw[SLS_RADIUS_PASSWORD_MAX] = '\0';
    n = sls_radius_password_hide(long_pw, SLS_RADIUS_PASSWORD_MAX, S("s3cret"), ra, hidden);
    assert_int_equal(n, 128);
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_REQUEST, 9);
    sls_radius_build_attr(&b, SLS_RADIUS_USER_PASSWORD, hidden, (size_t)n);
    assert_true(sls_radius_build_finish(&b, ra, false, S("s3cret")) > 0);
    assert_int_equal(sls_radius_parse(b.buf, b.len, &p), 0);
    assert_int_equal(sls_radius_password_unhide(&p, S("s3cret"), pw), 128);
    assert_string_equal(pw, long_pw);
    assert_int_equal(sls_radius_password_hide(long_pw, 129, S("s3cret"), ra, hidden), -1);
    /* A hidden value that is not a whole number of 16-octet blocks. */
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_REQUEST, 9);
    sls_radius_build_attr(&b, SLS_RADIUS_USER_PASSWORD, hidden, 17);
    assert_true(sls_radius_build_finish(&b, ra, false, S("s3cret")) > 0);
    assert_int_equal(sls_radius_parse(b.buf, b.len, &p), 0);
    assert_int_equal(sls_radius_password_unhide(&p, S("s3cret"), pw), -1);
    /* An empty password hides as one block of NULs and comes back empty. */
    n = sls_radius_password_hide("", 0, S("s3cret"), ra, hidden);
    assert_int_equal(n, 16);
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_REQUEST, 9);
    sls_radius_build_attr(&b, SLS_RADIUS_USER_PASSWORD, hidden, 16);
    assert_true(sls_radius_build_finish(&b, ra, false, S("s3cret")) > 0);
    assert_int_equal(sls_radius_parse(b.buf, b.len, &p), 0);
    assert_int_equal(sls_radius_password_unhide(&p, S("s3cret"), pw), 0);
    /* A NUL inside the password is refused, not cut. */
    n = sls_radius_password_hide("ab\0cd", 5, S("s3cret"), ra, hidden);
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_REQUEST, 9);
    sls_radius_build_attr(&b, SLS_RADIUS_USER_PASSWORD, hidden, (size_t)n);
    assert_true(sls_radius_build_finish(&b, ra, false, S("s3cret")) > 0);
    assert_int_equal(sls_radius_parse(b.buf, b.len, &p), 0);
    assert_int_equal(sls_radius_password_unhide(&p, S("s3cret"), pw), -1);
}

static void answer_built_and_checked(void **state)
{
    uint8_t req[SLS_RADIUS_MAX];
    struct sls_radius_builder b;
    struct sls_radius_packet rq, p;
    const struct sls_radius_attr *a;
    (void)state;

    assert_int_equal(sls_radius_parse(req, unhex(client_request, req), &rq), 0);
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_CHALLENGE, rq.id);
    sls_radius_build_attr(&b, SLS_RADIUS_STATE, "abc", 3);
    sls_radius_build_attr(&b, SLS_RADIUS_REPLY_MESSAGE, "Challenge 12345678", 18);
    sls_radius_build_int(&b, SLS_RADIUS_SESSION_TIMEOUT, 1800);
    assert_int_equal(sls_radius_build_finish(&b, rq.auth, true, S("testing123")),
                     20 + 5 + 20 + 6 + 18);
    assert_int_equal(sls_radius_parse(b.buf, b.len, &p), 0);
    assert_int_equal(p.id, rq.id);
    assert_int_equal(sls_radius_count(&p, SLS_RADIUS_MESSAGE_AUTHENTICATOR), 1);
    a = sls_radius_find(&p, SLS_RADIUS_SESSION_TIMEOUT);
    assert_memory_equal(a->value, "\x00\x00\x07\x08", 4);
    assert_true(sls_radius_response_authentic(&p, rq.auth, S("testing123")));
    assert_false(sls_radius_response_authentic(&p, rq.auth, S("testing12")));
    /* A Message-Authenticator made with another request's authenticator fails. */
    req[4] ^= 1;
    assert_false(sls_radius_response_authentic(&p, req + 4, S("testing123")));
    /* Room: an attribute past 253 octets or past 4096 overflows. */
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_ACCEPT, 1);
    sls_radius_build_attr(&b, SLS_RADIUS_REPLY_MESSAGE, req, 254);
    assert_int_equal(sls_radius_build_finish(&b, rq.auth, true, S("k")), -1);
    sls_radius_build_start(&b, SLS_RADIUS_ACCESS_ACCEPT, 1);
    for (int i = 0; i < 15; i++)
        sls_radius_build_attr(&b, SLS_RADIUS_REPLY_MESSAGE, req, 253);
    sls_radius_build_attr(&b, SLS_RADIUS_REPLY_MESSAGE, req, 233); /* 4080 octets: no room */
    assert_false(b.overflow);
    assert_int_equal(sls_radius_build_finish(&b, rq.auth, true, S("k")), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc_example_password),     cmocka_unit_test(rfc_example_response),
        cmocka_unit_test(client_request_checked),   cmocka_unit_test(bounds),
        cmocka_unit_test(too_many_attributes),      cmocka_unit_test(password_shapes),
        cmocka_unit_test(answer_built_and_checked),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
