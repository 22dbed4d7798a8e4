/* Tests of src/core/cidr.c: ranges of [http] trusted_proxies and the client
 * address read behind them (SPEC §10.2), including a forged X-Forwarded-For. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/cidr.h"

static void ip(const char *text, unsigned char out[16])
{
    assert_int_equal(sls_ip_parse(text, out), 0);
}

static void assert_ip(const unsigned char addr[16], const char *want)
{
    char text[SLS_IP_TEXT_MAX];
    assert_int_equal(sls_ip_format(addr, text, sizeof(text)), 0);
    assert_string_equal(text, want);
}

static void test_parse_and_format(void **state)
{
    unsigned char a[16];
    (void)state;
    ip("192.0.2.7", a);
    assert_ip(a, "192.0.2.7");
    ip("2001:db8::1", a);
    assert_ip(a, "2001:db8::1");
    assert_int_equal(sls_ip_parse("192.0.2", a), -1);
    assert_int_equal(sls_ip_parse("192.0.2.256", a), -1);
    assert_int_equal(sls_ip_parse("", a), -1);
    assert_int_equal(sls_ip_parse("host.example", a), -1);
}

static void test_ranges(void **state)
{
    struct sls_cidr c;
    unsigned char a[16];
    (void)state;
    assert_int_equal(sls_cidr_parse("10.0.0.0/8", &c), 0);
    ip("10.255.1.2", a);
    assert_true(sls_cidr_match(&c, a));
    ip("11.0.0.1", a);
    assert_false(sls_cidr_match(&c, a));
    /* Host bits are cleared; a lone address is a /32. */
    assert_int_equal(sls_cidr_parse("192.168.7.9/23", &c), 0);
    ip("192.168.6.1", a);
    assert_true(sls_cidr_match(&c, a));
    ip("192.168.8.1", a);
    assert_false(sls_cidr_match(&c, a));
    assert_int_equal(sls_cidr_parse("127.0.0.1", &c), 0);
    ip("127.0.0.1", a);
    assert_true(sls_cidr_match(&c, a));
    ip("127.0.0.2", a);
    assert_false(sls_cidr_match(&c, a));
    /* IPv6, and an IPv4 range never matches a native IPv6 address. */
    assert_int_equal(sls_cidr_parse("2001:db8::/32", &c), 0);
    ip("2001:db8:ffff::5", a);
    assert_true(sls_cidr_match(&c, a));
    ip("2001:db9::5", a);
    assert_false(sls_cidr_match(&c, a));
    assert_int_equal(sls_cidr_parse("0.0.0.0/0", &c), 0);
    ip("::1", a);
    assert_false(sls_cidr_match(&c, a));
    ip("203.0.113.5", a);
    assert_true(sls_cidr_match(&c, a));
    /* Malformed. */
    assert_int_equal(sls_cidr_parse("10.0.0.0/33", &c), -1);
    assert_int_equal(sls_cidr_parse("::/129", &c), -1);
    assert_int_equal(sls_cidr_parse("10.0.0.0/", &c), -1);
    assert_int_equal(sls_cidr_parse("10.0.0.0/x", &c), -1);
    assert_int_equal(sls_cidr_parse("/8", &c), -1);
    assert_int_equal(sls_cidr_parse("10.0.0.0/8/8", &c), -1);
}

static void test_lists(void **state)
{
    struct sls_cidr list[3];
    size_t n = 99;
    (void)state;
    assert_int_equal(sls_cidr_list_parse("", list, 3, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(sls_cidr_list_parse("10.0.0.0/8, ::1 ,192.0.2.1", list, 3, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(sls_cidr_list_parse("10.0.0.0/8 ::1 192.0.2.1 192.0.2.2", list, 3, &n), -1);
    assert_int_equal(sls_cidr_list_parse("10.0.0.0/8, nonsense", list, 3, &n), -1);
}

static void client(const char *peer, const char *xff, const char *trusted, const char *want)
{
    struct sls_cidr list[8];
    size_t n;
    unsigned char p[16], out[16];
    ip(peer, p);
    assert_int_equal(sls_cidr_list_parse(trusted, list, 8, &n), 0);
    sls_client_address(p, xff, list, n, out);
    assert_ip(out, want);
}

static void test_client_address(void **state)
{
    (void)state;
    /* No trusted proxies: the header is ignored. */
    client("203.0.113.5", "198.51.100.1", "", "203.0.113.5");
    /* From a proxy that is not trusted: ignored too. */
    client("203.0.113.5", "198.51.100.1", "10.0.0.0/8", "203.0.113.5");
    /* A trusted proxy names the client. */
    client("10.0.0.2", "198.51.100.1", "10.0.0.0/8", "198.51.100.1");
    client("10.0.0.2", NULL, "10.0.0.0/8", "10.0.0.2");
    /* Two trusted hops. */
    client("10.0.0.2", "198.51.100.1, 10.0.0.9", "10.0.0.0/8", "198.51.100.1");
    /* A client that forges the header gets the address its proxy saw, not the forgery. */
    client("10.0.0.2", "1.2.3.4, 198.51.100.1", "10.0.0.0/8", "198.51.100.1");
    client("10.0.0.2", "10.0.0.7, 198.51.100.1", "10.0.0.0/8", "198.51.100.1");
    /* Garbage stops the walk at the last trusted hop. */
    client("10.0.0.2", "junk", "10.0.0.0/8", "10.0.0.2");
    client("10.0.0.2", "198.51.100.1, junk, 10.0.0.9", "10.0.0.0/8", "10.0.0.9");
    client("10.0.0.2", ",", "10.0.0.0/8", "10.0.0.2");
    client("10.0.0.2", "", "10.0.0.0/8", "10.0.0.2");
    /* Every hop trusted: the leftmost. */
    client("10.0.0.2", "10.0.0.3, 10.0.0.4", "10.0.0.0/8", "10.0.0.3");
    /* IPv6 peers and clients. */
    client("::1", "2001:db8::7", "::1", "2001:db8::7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_client_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
