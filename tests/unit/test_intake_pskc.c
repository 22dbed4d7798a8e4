/* Tests of src/intake/pskc.c: the example files of RFC 6030 (plaintext
 * §4, pre-shared key §6.1, PBKDF2 §6.2, written out in tests/unit/pskc/),
 * and what is skipped and why: a bad MAC, a wrong key or password, an
 * unknown algorithm, a serial twice, no serial; and the files refused
 * whole (a document type declaration, not PSKC, too large). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/encoding.h"
#include "intake/pskc.h"

#define RFC_SECRET "12345678901234567890"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static char *load(const char *name, size_t *len)
{
    char p[512];
    FILE *f;
    char *buf = malloc(SLS_PSKC_MAX_BYTES + 1);

    snprintf(p, sizeof(p), "%s/tests/unit/pskc/%s", SLS_SOURCE_DIR, name);
    f = fopen(p, "rb");
    assert_non_null(f);
    assert_non_null(buf);
    *len = fread(buf, 1, SLS_PSKC_MAX_BYTES, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static const uint8_t PSK[16] = {0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56,
                                0x78, 0x90, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12};

static void parse(const char *xml, size_t len, const uint8_t *psk, const char *password,
                  struct sls_pskc_result *r)
{
    struct sls_pskc_protection p = {psk, psk != NULL ? 16 : 0, password};
    assert_int_equal(sls_pskc_parse(xml, len, &p, r), 0);
}

static void assert_rfc_key(const struct sls_pskc_result *r)
{
    assert_int_equal(r->nkeys, 1);
    assert_int_equal(r->nskipped, 0);
    assert_string_equal(r->keys[0].serial, "987654321");
    assert_int_equal(r->keys[0].algorithm, SLS_PSKC_HOTP);
    assert_int_equal(r->keys[0].digits, 8);
    assert_int_equal(r->keys[0].counter, 0);
    assert_int_equal(r->keys[0].secret_len, 20);
    assert_memory_equal(r->keys[0].secret, RFC_SECRET, 20);
}

static void assert_skipped(const struct sls_pskc_result *r, const char *serial, const char *why)
{
    assert_int_equal(r->nkeys, 0);
    assert_int_equal(r->nskipped, 1);
    assert_string_equal(r->skipped[0].serial, serial);
    assert_string_equal(r->skipped[0].reason, why);
}

static void test_rfc_plain(void **state)
{
    struct sls_pskc_result r;
    size_t len;
    char *xml = load("rfc6030-figure2-plain.xml", &len);

    (void)state;
    parse(xml, len, NULL, NULL, &r);
    assert_rfc_key(&r);
    sls_pskc_result_free(&r);
    free(xml);
}

static void test_rfc_psk(void **state)
{
    struct sls_pskc_result r;
    uint8_t wrong[16];
    size_t len;
    char *xml = load("rfc6030-figure5-psk.xml", &len);
    char *mac;

    (void)state;
    parse(xml, len, PSK, NULL, &r);
    assert_rfc_key(&r);
    sls_pskc_result_free(&r);
    /* no key, or another key: nothing imported, said why */
    parse(xml, len, NULL, NULL, &r);
    assert_skipped(&r, "987654321", "wrong_key");
    sls_pskc_result_free(&r);
    memcpy(wrong, PSK, 16);
    wrong[15] ^= 0x80;
    parse(xml, len, wrong, NULL, &r);
    assert_skipped(&r, "987654321", "wrong_key");
    sls_pskc_result_free(&r);
    /* a MAC changed by one bit */
    mac = strstr(xml, "Su+NvtQfmvfJzF6bmQiJqoLRExc=");
    assert_non_null(mac);
    mac[0] = 'T';
    parse(xml, len, PSK, NULL, &r);
    assert_skipped(&r, "987654321", "bad_mac");
    sls_pskc_result_free(&r);
    /* a MAC missing altogether */
    memcpy(strstr(xml, "<ValueMAC>"), "<ValueXYZ>", 10);
    memcpy(strstr(xml, "</ValueMAC>"), "</ValueXYZ>", 11);
    parse(xml, len, PSK, NULL, &r);
    assert_skipped(&r, "987654321", "bad_mac");
    sls_pskc_result_free(&r);
    free(xml);
}

static void test_rfc_pbkdf2(void **state)
{
    struct sls_pskc_result r;
    size_t len;
    char *xml = load("rfc6030-figure7-pbkdf2.xml", &len);

    (void)state;
    parse(xml, len, NULL, "qwerty", &r);
    assert_rfc_key(&r);
    sls_pskc_result_free(&r);
    parse(xml, len, NULL, "qwertz", &r);
    assert_int_equal(r.nkeys, 0);
    assert_int_equal(r.nskipped, 1);
    /* a wrong password opens neither the MAC key nor the secret (or, by a
     * 1 in 256 chance of the padding, opens them wrong: then the MAC
     * fails) */
    assert_true(strcmp(r.skipped[0].reason, "wrong_key") == 0 ||
                strcmp(r.skipped[0].reason, "bad_mac") == 0);
    sls_pskc_result_free(&r);
    parse(xml, len, NULL, NULL, &r);
    assert_skipped(&r, "987654321", "wrong_key");
    sls_pskc_result_free(&r);
    free(xml);
}

static const char *reason_of(const struct sls_pskc_result *r, const char *serial, int nth)
{
    for (size_t i = 0; i < r->nskipped; i++)
        if (strcmp(r->skipped[i].serial, serial) == 0 && nth-- == 0)
            return r->skipped[i].reason;
    return NULL;
}

static void test_mixed(void **state)
{
    struct sls_pskc_result r;
    size_t len;
    char *xml = load("mixed-plain.xml", &len);

    (void)state;
    parse(xml, len, NULL, NULL, &r);
    assert_int_equal(r.nkeys, 2);
    assert_string_equal(r.keys[0].serial, "TOTP-0001");
    assert_int_equal(r.keys[0].algorithm, SLS_PSKC_TOTP);
    assert_int_equal(r.keys[0].digits, 6);
    assert_int_equal(r.keys[0].period, 30);
    assert_memory_equal(r.keys[0].secret, RFC_SECRET, 20);
    assert_string_equal(r.keys[1].serial, "OCRA-0001");
    assert_int_equal(r.keys[1].algorithm, SLS_PSKC_OCRA);
    assert_string_equal(r.keys[1].suite, "OCRA-1:HOTP-SHA1-8:QN06");
    assert_int_equal(r.nskipped, 4);
    assert_string_equal(reason_of(&r, "AES-0001", 0), "unknown_algorithm");
    /* both entries of the serial seen twice, neither trusted */
    assert_string_equal(reason_of(&r, "DUP-0001", 0), "duplicate_serial");
    assert_string_equal(reason_of(&r, "DUP-0001", 1), "duplicate_serial");
    assert_string_equal(reason_of(&r, "", 0), "no_serial");
    sls_pskc_result_free(&r);
    free(xml);
}

static void test_refused_whole(void **state)
{
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE KeyContainer [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        "<KeyContainer xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\" Version=\"1.0\">"
        "<KeyPackage><DeviceInfo><SerialNo>&b;</SerialNo></DeviceInfo></KeyPackage>"
        "</KeyContainer>";
    static const char external[] =
        "<?xml version=\"1.0\"?><!DOCTYPE KeyContainer SYSTEM \"http://example.com/x.dtd\">"
        "<KeyContainer xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\" Version=\"1.0\"/>";
    static const char other[] = "<?xml version=\"1.0\"?><KeyContainer/>";
    static const char broken[] =
        "<KeyContainer xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"><KeyPackage>";
    struct sls_pskc_protection p = {NULL, 0, NULL};
    struct sls_pskc_result r;
    char *big;

    (void)state;
    assert_int_equal(sls_pskc_parse(laughs, strlen(laughs), &p, &r), -1);
    assert_int_equal(r.nkeys + r.nskipped, 0);
    assert_int_equal(sls_pskc_parse(external, strlen(external), &p, &r), -1);
    assert_int_equal(sls_pskc_parse(other, strlen(other), &p, &r), -1);
    assert_int_equal(sls_pskc_parse(broken, strlen(broken), &p, &r), -1);
    assert_int_equal(sls_pskc_parse("", 0, &p, &r), -1);
    big = calloc(1, SLS_PSKC_MAX_BYTES + 2);
    assert_non_null(big);
    memset(big, ' ', SLS_PSKC_MAX_BYTES + 1);
    assert_int_equal(sls_pskc_parse(big, SLS_PSKC_MAX_BYTES + 1, &p, &r), -1);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_plain),     cmocka_unit_test(test_rfc_psk),
        cmocka_unit_test(test_rfc_pbkdf2),    cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_refused_whole),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
