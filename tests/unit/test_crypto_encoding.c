/* Tests of src/crypto/encoding.c: hex and base64 (standard with padding,
 * URL-safe without) with the RFC 4648 section 10 vectors, invalid input, and
 * the exact output sizes; base32 (no padding) with the same RFC's vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "crypto/encoding.h"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static const struct {
    const char *bin;
    size_t len;
    const char *hex;
} hexes[] = {
    {"", 0, ""},
    {"f", 1, "66"},
    {"foobar", 6, "666f6f626172"},
    {"\x00\xff\x10\xab", 4, "00ff10ab"},
};

static void test_hex_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
        char hex[32];
        uint8_t bin[16];
        size_t n = 99;

        assert_int_equal(
            sls_hex_encode((const uint8_t *)hexes[i].bin, hexes[i].len, hex, sizeof(hex)), 0);
        assert_string_equal(hex, hexes[i].hex);
        assert_int_equal(sls_hex_decode(hex, strlen(hex), bin, sizeof(bin), &n), 0);
        assert_int_equal(n, hexes[i].len);
        assert_memory_equal(bin, hexes[i].bin, n);
    }
}

static void test_hex_decode_upper_case(void **state)
{
    uint8_t bin[4];
    size_t n = 0;

    (void)state;
    assert_int_equal(sls_hex_decode("00FFaB10", 8, bin, sizeof(bin), &n), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(bin, "\x00\xff\xab\x10", 4);
}

static const char *const bad_hexes[] = {
    "0", "abc", "0g", "g0", "0x12", "12 34", " 1234", "1234 ", "12-4", "\xc3\xa9",
};

static void test_hex_decode_refuses(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_hexes) / sizeof(bad_hexes[0]); i++) {
        uint8_t bin[16];
        size_t n = 99;

        if (sls_hex_decode(bad_hexes[i], strlen(bad_hexes[i]), bin, sizeof(bin), &n) != -1)
            fail_msg("hex \"%s\" accepted", bad_hexes[i]);
        assert_int_equal(n, 0);
    }
}

static void test_hex_sizes(void **state)
{
    char hex[9];
    uint8_t bin[4];
    size_t n = 0;

    (void)state;
    /* encode: 2*len digits and a NUL */
    memset(hex, 'x', sizeof(hex));
    assert_int_equal(sls_hex_encode((const uint8_t *)"\x01\x02\x03\x04", 4, hex, 9), 0);
    assert_string_equal(hex, "01020304");
    assert_int_equal(sls_hex_encode((const uint8_t *)"\x01\x02\x03\x04", 4, hex, 8), -1);
    assert_int_equal(sls_hex_encode((const uint8_t *)"", 0, hex, 1), 0);
    assert_string_equal(hex, "");
    assert_int_equal(sls_hex_encode((const uint8_t *)"", 0, hex, 0), -1);
    /* decode: exactly len/2 bytes of room */
    assert_int_equal(sls_hex_decode("01020304", 8, bin, 4, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(sls_hex_decode("01020304", 8, bin, 3, &n), -1);
    assert_int_equal(n, 0);
    /* hexlen bounds what is read, even without a NUL */
    assert_int_equal(sls_hex_decode("0102zz", 4, bin, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(bin, "\x01\x02", 2);
    assert_int_equal(sls_hex_decode("", 0, bin, 0, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(sls_hex_decode("01", 2, bin, 4, NULL), -1);
}

/* RFC 4648 section 10, plus the two characters where the alphabets differ. */
static const struct {
    const char *bin;
    size_t len;
    const char *std;
    const char *url;
} b64s[] = {
    {"", 0, "", ""},
    {"f", 1, "Zg==", "Zg"},
    {"fo", 2, "Zm8=", "Zm8"},
    {"foo", 3, "Zm9v", "Zm9v"},
    {"foob", 4, "Zm9vYg==", "Zm9vYg"},
    {"fooba", 5, "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", 6, "Zm9vYmFy", "Zm9vYmFy"},
    {"\xfb\xff\xbf", 3, "+/+/", "-_-_"},
    {"\xfb\xef", 2, "++8=", "--8"},
};

static void test_base64_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(b64s) / sizeof(b64s[0]); i++) {
        for (int urlsafe = 0; urlsafe <= 1; urlsafe++) {
            const char *want = urlsafe ? b64s[i].url : b64s[i].std;
            char text[16];
            uint8_t bin[16];
            size_t n = 99;

            assert_int_equal(sls_base64_encode((const uint8_t *)b64s[i].bin, b64s[i].len, urlsafe,
                                               text, sizeof(text)),
                             0);
            assert_string_equal(text, want);
            assert_int_equal(sls_base64_decode(text, strlen(text), urlsafe, bin, sizeof(bin), &n),
                             0);
            assert_int_equal(n, b64s[i].len);
            assert_memory_equal(bin, b64s[i].bin, n);
        }
    }
}

static const struct {
    int urlsafe;
    const char *text;
} bad_b64s[] = {
    {0, "Zg"},           /* padding missing */
    {0, "Zg="},          /* padding short */
    {0, "Zg==="},        /* padding too long */
    {0, "Zh=="},         /* non-zero unused bits */
    {0, "Zm9v\n"},       /* whitespace */
    {0, "Zm 9v"},        /* whitespace */
    {0, "-_-_"},         /* URL alphabet */
    {0, "Z"},            /* impossible length */
    {0, "Zm9v="},        /* padding after a full group */
    {0, "=Zm9"},         /* padding first */
    {1, "Zg=="},         /* padding in the URL variant */
    {1, "+/+/"},         /* standard alphabet */
    {1, "Zh"},           /* non-zero unused bits */
    {1, "Z"},            /* impossible length */
    {1, "Zm9v\xc3\xa9"}, /* not ASCII */
};

static void test_base64_refuses(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_b64s) / sizeof(bad_b64s[0]); i++) {
        uint8_t bin[16];
        size_t n = 99;

        if (sls_base64_decode(bad_b64s[i].text, strlen(bad_b64s[i].text), bad_b64s[i].urlsafe, bin,
                              sizeof(bin), &n) != -1)
            fail_msg("base64 \"%s\" (urlsafe %d) accepted", bad_b64s[i].text, bad_b64s[i].urlsafe);
        assert_int_equal(n, 0);
    }
}

static void test_base64_sizes(void **state)
{
    char text[10];
    uint8_t bin[6];
    size_t n = 0;

    (void)state;
    /* standard: "Zm9vYg==" is 8 characters and a NUL */
    assert_int_equal(sls_base64_encode((const uint8_t *)"foob", 4, 0, text, 9), 0);
    assert_string_equal(text, "Zm9vYg==");
    assert_int_equal(sls_base64_encode((const uint8_t *)"foob", 4, 0, text, 8), -1);
    /* URL-safe: "Zm9vYg" is 6 characters and a NUL */
    assert_int_equal(sls_base64_encode((const uint8_t *)"foob", 4, 1, text, 7), 0);
    assert_string_equal(text, "Zm9vYg");
    assert_int_equal(sls_base64_encode((const uint8_t *)"foob", 4, 1, text, 6), -1);
    assert_int_equal(sls_base64_encode((const uint8_t *)"", 0, 0, text, 1), 0);
    assert_string_equal(text, "");
    assert_int_equal(sls_base64_encode((const uint8_t *)"", 0, 0, text, 0), -1);
    /* decode: exactly the decoded length of room */
    assert_int_equal(sls_base64_decode("Zm9vYg==", 8, 0, bin, 4, &n), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(bin, "foob", 4);
    assert_int_equal(sls_base64_decode("Zm9vYg==", 8, 0, bin, 3, &n), -1);
    assert_int_equal(n, 0);
    assert_int_equal(sls_base64_decode("Zm9vYmFy", 8, 1, bin, 6, &n), 0);
    assert_int_equal(n, 6);
    assert_int_equal(sls_base64_decode("Zm9vYmFy", 8, 1, bin, 5, &n), -1);
    /* b64len bounds what is read */
    assert_int_equal(sls_base64_decode("Zm9v!!!!", 4, 0, bin, 6, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(sls_base64_decode("Zm9v", 4, 0, bin, 6, NULL), -1);
}

/* Every byte value survives both encodings. */
static void test_all_bytes(void **state)
{
    uint8_t bin[256], back[256];
    char text[513];
    size_t n;

    (void)state;
    for (int i = 0; i < 256; i++)
        bin[i] = (uint8_t)i;
    assert_int_equal(sls_hex_encode(bin, 256, text, sizeof(text)), 0);
    assert_int_equal(strlen(text), 512);
    assert_int_equal(sls_hex_decode(text, 512, back, sizeof(back), &n), 0);
    assert_int_equal(n, 256);
    assert_memory_equal(back, bin, 256);
    for (int urlsafe = 0; urlsafe <= 1; urlsafe++) {
        assert_int_equal(sls_base64_encode(bin, 256, urlsafe, text, sizeof(text)), 0);
        assert_int_equal(strlen(text), urlsafe ? 342 : 344);
        assert_int_equal(sls_base64_decode(text, strlen(text), urlsafe, back, sizeof(back), &n), 0);
        assert_int_equal(n, 256);
        assert_memory_equal(back, bin, 256);
    }
}

/* RFC 4648 section 10, without the padding otpauth:// URIs leave out. */
static void test_base32_vectors(void **state)
{
    static const struct {
        const char *bin, *b32;
    } v[] = {
        {"", ""},
        {"f", "MY"},
        {"fo", "MZXQ"},
        {"foo", "MZXW6"},
        {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI"},
    };
    char out[32];

    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        size_t n = strlen(v[i].bin);

        assert_int_equal(sls_base32_encode((const uint8_t *)v[i].bin, n, out, sizeof(out)), 0);
        assert_string_equal(out, v[i].b32);
        /* exactly ceil(8n/5) characters and the NUL */
        assert_int_equal(sls_base32_encode((const uint8_t *)v[i].bin, n, out, strlen(v[i].b32)),
                         -1);
        assert_int_equal(sls_base32_encode((const uint8_t *)v[i].bin, n, out, strlen(v[i].b32) + 1),
                         0);
    }
}

/* Every 5-bit value maps to its letter or digit: all ones and all zeros,
 * and the RFC 6238 test secret as authenticator apps are given it. */
static void test_base32_alphabet(void **state)
{
    const uint8_t ones[5] = {0xff, 0xff, 0xff, 0xff, 0xff};
    const uint8_t zeros[5] = {0};
    const uint8_t seq[5] = {0x00, 0x44, 0x32, 0x14, 0xc7};  /* 0,1,2,...,7 in 5 bits */
    const uint8_t high[5] = {0xc6, 0x75, 0xbe, 0x77, 0xdf}; /* 24,25,...,31 */
    char out[64];

    (void)state;
    assert_int_equal(sls_base32_encode(ones, 5, out, sizeof(out)), 0);
    assert_string_equal(out, "77777777");
    assert_int_equal(sls_base32_encode(zeros, 5, out, sizeof(out)), 0);
    assert_string_equal(out, "AAAAAAAA");
    assert_int_equal(sls_base32_encode(seq, 5, out, sizeof(out)), 0);
    assert_string_equal(out, "ABCDEFGH");
    assert_int_equal(sls_base32_encode(high, 5, out, sizeof(out)), 0);
    assert_string_equal(out, "YZ234567");
    assert_int_equal(
        sls_base32_encode((const uint8_t *)"12345678901234567890", 20, out, sizeof(out)), 0);
    assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_int_equal(sls_base32_encode(NULL, 1, out, sizeof(out)), -1);
    assert_int_equal(sls_base32_encode(ones, 5, NULL, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_round_trip),     cmocka_unit_test(test_hex_decode_upper_case),
        cmocka_unit_test(test_hex_decode_refuses), cmocka_unit_test(test_hex_sizes),
        cmocka_unit_test(test_base64_round_trip),  cmocka_unit_test(test_base64_refuses),
        cmocka_unit_test(test_base64_sizes),       cmocka_unit_test(test_all_bytes),
        cmocka_unit_test(test_base32_vectors),     cmocka_unit_test(test_base32_alphabet),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
