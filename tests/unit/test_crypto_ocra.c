/* Tests of src/crypto/ocra.c: RFC 6287 Appendix C (one-way and signature
 * vectors), the three sls suites, the question encodings, and refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "crypto/ocra.h"

#define SEED20 "12345678901234567890"
#define SEED32 "12345678901234567890123456789012"
#define SEED64 "1234567890123456789012345678901234567890123456789012345678901234"
#define PIN    "1234"
#define T_RFC  0x132d0b6 /* the RFC's time step count (minutes) */

/* SHA-1 of "1234", as given in RFC 6287 Appendix C. */
static const uint8_t pin_sha1[20] = {0x71, 0x10, 0xed, 0xa4, 0xd0, 0x9e, 0x06, 0x2a, 0xa5, 0xe4,
                                     0xa3, 0x90, 0xb0, 0xa5, 0x72, 0xac, 0x0d, 0x2c, 0x02, 0x20};

struct vector {
    const char *suite;
    const char *key;
    const char *question;
    uint64_t counter;
    const char *pin;
    const char *session;
    uint64_t timesteps;
    const char *response;
};

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void run_vectors(const struct vector *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct sls_ocra_input in = {
            .question = v[i].question,
            .pin = v[i].pin,
            .counter = v[i].counter,
            .session = v[i].session,
            .timesteps = v[i].timesteps,
        };
        char out[11];

        memset(out, 'x', sizeof(out));
        if (sls_ocra_compute(v[i].suite, (const uint8_t *)v[i].key, strlen(v[i].key), &in, out,
                             sizeof(out)) != 0)
            fail_msg("vector %zu (%s, %s) refused", i, v[i].suite, v[i].question);
        if (strcmp(out, v[i].response) != 0)
            fail_msg("vector %zu (%s, %s): got %s, want %s", i, v[i].suite, v[i].question, out,
                     v[i].response);
    }
}

/* RFC 6287 Appendix C.1: one-way challenge-response. */
static const struct vector one_way[] = {
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "00000000", 0, NULL, NULL, 0, "237653"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "11111111", 0, NULL, NULL, 0, "243178"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "22222222", 0, NULL, NULL, 0, "653583"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "33333333", 0, NULL, NULL, 0, "740991"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "44444444", 0, NULL, NULL, 0, "608993"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "55555555", 0, NULL, NULL, 0, "388898"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "66666666", 0, NULL, NULL, 0, "816933"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "77777777", 0, NULL, NULL, 0, "224598"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "88888888", 0, NULL, NULL, 0, "750600"},
    {"OCRA-1:HOTP-SHA1-6:QN08", SEED20, "99999999", 0, NULL, NULL, 0, "294470"},

    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 0, PIN, NULL, 0, "65347737"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 1, PIN, NULL, 0, "86775851"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 2, PIN, NULL, 0, "78192410"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 3, PIN, NULL, 0, "71565254"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 4, PIN, NULL, 0, "10104329"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 5, PIN, NULL, 0, "65983500"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 6, PIN, NULL, 0, "70069104"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 7, PIN, NULL, 0, "91771096"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 8, PIN, NULL, 0, "75011558"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", SEED32, "12345678", 9, PIN, NULL, 0, "08522129"},
    /* RFC 6287 C.1: the SHA-256 suite without a counter (as the ibkey's QN06, with a PIN). */
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "00000000", 0, PIN, NULL, 0, "83238735"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "11111111", 0, PIN, NULL, 0, "01501458"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "22222222", 0, PIN, NULL, 0, "17957585"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "33333333", 0, PIN, NULL, 0, "86776967"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "44444444", 0, PIN, NULL, 0, "86807031"},

    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "00000000", 0, PIN, NULL, 0, "83238735"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "11111111", 0, PIN, NULL, 0, "01501458"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "22222222", 0, PIN, NULL, 0, "17957585"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "33333333", 0, PIN, NULL, 0, "86776967"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", SEED32, "44444444", 0, PIN, NULL, 0, "86807031"},

    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "00000000", 0, NULL, NULL, 0, "07016083"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "11111111", 1, NULL, NULL, 0, "63947962"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "22222222", 2, NULL, NULL, 0, "70123924"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "33333333", 3, NULL, NULL, 0, "25341727"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "44444444", 4, NULL, NULL, 0, "33203315"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "55555555", 5, NULL, NULL, 0, "34205738"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "66666666", 6, NULL, NULL, 0, "44343969"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "77777777", 7, NULL, NULL, 0, "51946085"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "88888888", 8, NULL, NULL, 0, "20403879"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", SEED64, "99999999", 9, NULL, NULL, 0, "31409299"},

    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED64, "00000000", 0, NULL, NULL, T_RFC, "95209754"},
    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED64, "11111111", 0, NULL, NULL, T_RFC, "55907591"},
    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED64, "22222222", 0, NULL, NULL, T_RFC, "22048402"},
    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED64, "33333333", 0, NULL, NULL, T_RFC, "24218844"},
    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", SEED64, "44444444", 0, NULL, NULL, T_RFC, "36209546"},
};

/* RFC 6287 Appendix C.3: plain signature (QA08 and QA10 with T1M). */
static const struct vector signature[] = {
    {"OCRA-1:HOTP-SHA256-8:QA08", SEED32, "SIG10000", 0, NULL, NULL, 0, "53095496"},
    {"OCRA-1:HOTP-SHA256-8:QA08", SEED32, "SIG11000", 0, NULL, NULL, 0, "04110475"},
    {"OCRA-1:HOTP-SHA256-8:QA08", SEED32, "SIG12000", 0, NULL, NULL, 0, "31331128"},
    {"OCRA-1:HOTP-SHA256-8:QA08", SEED32, "SIG13000", 0, NULL, NULL, 0, "76028668"},
    {"OCRA-1:HOTP-SHA256-8:QA08", SEED32, "SIG14000", 0, NULL, NULL, 0, "46554205"},
    {"OCRA-1:HOTP-SHA512-8:QA10-T1M", SEED64, "SIG1000000", 0, NULL, NULL, T_RFC, "77537423"},
    {"OCRA-1:HOTP-SHA512-8:QA10-T1M", SEED64, "SIG1100000", 0, NULL, NULL, T_RFC, "31970405"},
    {"OCRA-1:HOTP-SHA512-8:QA10-T1M", SEED64, "SIG1200000", 0, NULL, NULL, T_RFC, "10235557"},
    {"OCRA-1:HOTP-SHA512-8:QA10-T1M", SEED64, "SIG1300000", 0, NULL, NULL, T_RFC, "95213541"},
    {"OCRA-1:HOTP-SHA512-8:QA10-T1M", SEED64, "SIG1400000", 0, NULL, NULL, T_RFC, "65360607"},
};

/* The suites sls uses, and encodings the RFC has no vector for. Expected
 * values were computed independently with Python's hmac and hashlib,
 * following the RFC's reference construction of DataInput. */
static const struct vector other[] = {
    {"OCRA-1:HOTP-SHA1-8:QN06-PSHA1", SEED20, "123456", 0, PIN, NULL, 0, "98276595"},
    {"OCRA-1:HOTP-SHA1-8:QN06-PSHA1", SEED20, "000000", 0, PIN, NULL, 0, "43656911"},
    {"OCRA-1:HOTP-SHA1-8:QN06-PSHA1", SEED20, "999999", 0, "4321", NULL, 0, "78645789"},
    {"OCRA-1:HOTP-SHA1-8:QN06", SEED20, "123456", 0, NULL, NULL, 0, "94600444"},
    {"OCRA-1:HOTP-SHA1-8:QN06", SEED20, "000001", 0, NULL, NULL, 0, "91484813"},
    /* leading zeros do not change a numeric question's value */
    {"OCRA-1:HOTP-SHA1-8:QN06", SEED20, "0001", 0, NULL, NULL, 0, "91484813"},
    {"OCRA-1:HOTP-SHA256-8:QN06", SEED32, "123456", 0, NULL, NULL, 0, "61697411"},
    {"OCRA-1:HOTP-SHA256-8:QN06", SEED32, "654321", 0, NULL, NULL, 0, "92260070"},
    /* 64-digit numeric questions need more than 64 bits */
    {"OCRA-1:HOTP-SHA256-8:QN64", SEED32,
     "1234567890123456789012345678901234567890123456789012345678901234", 0, NULL, NULL, 0,
     "38917040"},
    {"OCRA-1:HOTP-SHA256-8:QN64", SEED32,
     "9999999999999999999999999999999999999999999999999999999999999999", 0, NULL, NULL, 0,
     "43297705"},
    {"OCRA-1:HOTP-SHA256-8:QH08", SEED32, "0A1b2C3d", 0, NULL, NULL, 0, "84360804"},
    /* an odd number of hex digits is padded with a '0' digit */
    {"OCRA-1:HOTP-SHA256-8:QH05", SEED32, "abcde", 0, NULL, NULL, 0, "68870975"},
    {"OCRA-1:HOTP-SHA512-10:QA64", SEED64,
     "Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09Az09", 0, NULL, NULL, 0,
     "1159374531"},
    {"OCRA-1:HOTP-SHA1-6:QA06-S008", SEED20, "ab12CD", 0, NULL, "session", 0, "540588"},
    {"OCRA-1:HOTP-SHA1-6:QA06-S008", SEED20, "ab12CD", 0, NULL, NULL, 0, "319348"},
    {"OCRA-1:HOTP-SHA1-6:QA06-S008", SEED20, "ab12CD", 0, NULL, "", 0, "319348"},
    {"OCRA-1:HOTP-SHA256-8:QN06-PSHA256", SEED32, "987654", 0, PIN, NULL, 0, "89188946"},
    {"OCRA-1:HOTP-SHA512-8:QN06-PSHA512", SEED64, "987654", 0, PIN, NULL, 0, "77678606"},
    {"OCRA-1:HOTP-SHA1-4:QN04", SEED20, "4321", 0, NULL, NULL, 0, "2955"},
    {"OCRA-1:HOTP-SHA1-5:QN04", SEED20, "4321", 0, NULL, NULL, 0, "08404"},
    {"OCRA-1:HOTP-SHA1-10:QN10", SEED20, "9999999999", 0, NULL, NULL, 0, "1658612201"},
    {"OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-S016-T30S", SEED20, "12345678", UINT64_MAX, PIN,
     "0123456789abcdef", 12345, "844889"},
    {"OCRA-1:HOTP-SHA1-6:QN08-T48H", SEED20, "12345678", 0, NULL, NULL, 1, "574431"},
};

static void test_rfc6287_one_way(void **state)
{
    (void)state;
    run_vectors(one_way, sizeof(one_way) / sizeof(one_way[0]));
}

static void test_rfc6287_signature(void **state)
{
    (void)state;
    run_vectors(signature, sizeof(signature) / sizeof(signature[0]));
}

static void test_other_suites(void **state)
{
    (void)state;
    run_vectors(other, sizeof(other) / sizeof(other[0]));
}

/* The PIN may be given as its hash; both forms give the RFC's value. */
static void test_pin_hash(void **state)
{
    struct sls_ocra_input in = {
        .question = "12345678", .counter = 9, .pin_hash = pin_sha1, .pin_hash_len = 20};
    char out[9];

    (void)state;
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", (const uint8_t *)SEED32,
                                      32, &in, out, sizeof(out)),
                     0);
    assert_string_equal(out, "08522129");
    /* a hash of the wrong length for PSHA1 */
    in.pin_hash_len = 19;
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", (const uint8_t *)SEED32,
                                      32, &in, out, sizeof(out)),
                     -1);
    in.pin_hash_len = 32;
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", (const uint8_t *)SEED32,
                                      32, &in, out, sizeof(out)),
                     -1);
}

static void test_missing_pin(void **state)
{
    struct sls_ocra_input in = {.question = "123456"};
    char out[9];

    (void)state;
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06-PSHA1", (const uint8_t *)SEED20, 20,
                                      &in, out, sizeof(out)),
                     -1);
    /* a PIN given to a suite without P is simply not used */
    in.pin = PIN;
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", (const uint8_t *)SEED20, 20, &in,
                                      out, sizeof(out)),
                     0);
    assert_string_equal(out, "94600444");
}

static const char *const bad_suites[] = {
    "",
    "OCRA-1",
    "OCRA-2:HOTP-SHA1-6:QN08",
    "ocra-1:hotp-sha1-6:qn08",
    "OCRA-1:HOTP-SHA1-6:QN08 ",
    "OCRA-1:HOTP-MD5-6:QN08",
    "OCRA-1:HOTP-SHA224-6:QN08",
    "OCRA-1:HOTP-SHA1:QN08",
    "OCRA-1:HOTP-SHA1-0:QN08",
    "OCRA-1:HOTP-SHA1-3:QN08",
    "OCRA-1:HOTP-SHA1-11:QN08",
    "OCRA-1:HOTP-SHA1-06:QN08",
    "OCRA-1:HOTP-SHA1-6:",
    "OCRA-1:HOTP-SHA1-6:QX08",
    "OCRA-1:HOTP-SHA1-6:QN8",
    "OCRA-1:HOTP-SHA1-6:QN03",
    "OCRA-1:HOTP-SHA1-6:QN65",
    "OCRA-1:HOTP-SHA1-6:QN008",
    "OCRA-1:HOTP-SHA1-6:C-C-QN08",
    "OCRA-1:HOTP-SHA1-6:QN08-C",
    "OCRA-1:HOTP-SHA1-6:QN08-P",
    "OCRA-1:HOTP-SHA1-6:QN08-PMD5",
    "OCRA-1:HOTP-SHA1-6:QN08-S64",
    "OCRA-1:HOTP-SHA1-6:QN08-S000",
    "OCRA-1:HOTP-SHA1-6:QN08-S513",
    "OCRA-1:HOTP-SHA1-6:QN08-T1",
    "OCRA-1:HOTP-SHA1-6:QN08-T0M",
    "OCRA-1:HOTP-SHA1-6:QN08-T60S",
    "OCRA-1:HOTP-SHA1-6:QN08-T49H",
    "OCRA-1:HOTP-SHA1-6:QN08-T1D",
    "OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1",
    "OCRA-1:HOTP-SHA1-6:QN08-S064-PSHA1",
    "OCRA-1:HOTP-SHA1-6:QN08-PSHA1-PSHA1",
    "OCRA-1:HOTP-SHA1-6:QN08-T1M-",
    "OCRA-1:HOTP-SHA1-6:QN08:",
};

static void test_bad_suites(void **state)
{
    struct sls_ocra_input in = {.question = "12345678", .pin = PIN, .session = "s"};
    char out[11];

    (void)state;
    for (size_t i = 0; i < sizeof(bad_suites) / sizeof(bad_suites[0]); i++) {
        if (sls_ocra_compute(bad_suites[i], (const uint8_t *)SEED20, 20, &in, out, sizeof(out)) !=
            -1)
            fail_msg("suite \"%s\" accepted", bad_suites[i]);
    }
}

static const struct {
    const char *suite;
    const char *question;
} bad_questions[] = {
    {"OCRA-1:HOTP-SHA1-8:QN06", ""},
    {"OCRA-1:HOTP-SHA1-8:QN06", "123"},     /* below the minimum of 4 */
    {"OCRA-1:HOTP-SHA1-8:QN06", "1234567"}, /* above QN06 */
    {"OCRA-1:HOTP-SHA1-8:QN06", "12345a"},
    {"OCRA-1:HOTP-SHA1-8:QN06", "12 456"},
    {"OCRA-1:HOTP-SHA1-8:QN06", "-12345"},
    {"OCRA-1:HOTP-SHA1-8:QN06", "+12345"},
    {"OCRA-1:HOTP-SHA1-8:QH08", "0A1b2C3g"},
    {"OCRA-1:HOTP-SHA1-8:QH08", "0x1b2C3d"},
    {"OCRA-1:HOTP-SHA1-8:QH08", "0A1b2C3d0"},
    {"OCRA-1:HOTP-SHA1-8:QA08", "SIG-1000"},
    {"OCRA-1:HOTP-SHA1-8:QA08", "SIG 1000"},
    {"OCRA-1:HOTP-SHA1-8:QA08", "SIG1\xc3\xa9"},
    {"OCRA-1:HOTP-SHA1-8:QA08", "SIG100000"},
    /* mutual mode concatenates two challenges: longer than QA08 */
    {"OCRA-1:HOTP-SHA256-8:QA08", "CLI22220SRV11110"},
};

static void test_bad_questions(void **state)
{
    char out[11];

    (void)state;
    for (size_t i = 0; i < sizeof(bad_questions) / sizeof(bad_questions[0]); i++) {
        struct sls_ocra_input in = {.question = bad_questions[i].question};

        memset(out, 'x', sizeof(out));
        if (sls_ocra_compute(bad_questions[i].suite, (const uint8_t *)SEED20, 20, &in, out,
                             sizeof(out)) != -1)
            fail_msg("question \"%s\" accepted for %s", bad_questions[i].question,
                     bad_questions[i].suite);
        /* a refusal leaves an empty string, never a stale response */
        assert_string_equal(out, "");
    }
}

static void test_bad_arguments(void **state)
{
    struct sls_ocra_input in = {.question = "123456"};
    char out[9];

    (void)state;
    /* out must hold the digits and a NUL */
    assert_int_equal(
        sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", (const uint8_t *)SEED20, 20, &in, out, 8), -1);
    assert_int_equal(
        sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", (const uint8_t *)SEED20, 20, &in, out, 9), 0);
    assert_string_equal(out, "94600444");
    assert_int_equal(sls_ocra_compute(NULL, (const uint8_t *)SEED20, 20, &in, out, 9), -1);
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", NULL, 20, &in, out, 9), -1);
    assert_int_equal(
        sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", (const uint8_t *)SEED20, 20, NULL, out, 9), -1);
    assert_int_equal(
        sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", (const uint8_t *)SEED20, 20, &in, NULL, 9), -1);
    in.question = NULL;
    assert_int_equal(
        sls_ocra_compute("OCRA-1:HOTP-SHA1-8:QN06", (const uint8_t *)SEED20, 20, &in, out, 9), -1);
    /* session information longer than the suite's S */
    in.question = "ab12CD";
    in.session = "123456789";
    assert_int_equal(
        sls_ocra_compute("OCRA-1:HOTP-SHA1-6:QA06-S008", (const uint8_t *)SEED20, 20, &in, out, 9),
        -1);
}

/* Every input changes the response: key, counter, time, question. */
static void test_inputs_matter(void **state)
{
    struct sls_ocra_input in = {.question = "12345678", .pin = PIN, .counter = 1};
    char a[9], b[9];

    (void)state;
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", (const uint8_t *)SEED32,
                                      32, &in, a, sizeof(a)),
                     0);
    assert_string_equal(a, "86775851");
    in.pin = "1235";
    assert_int_equal(sls_ocra_compute("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", (const uint8_t *)SEED32,
                                      32, &in, b, sizeof(b)),
                     0);
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6287_one_way), cmocka_unit_test(test_rfc6287_signature),
        cmocka_unit_test(test_other_suites),    cmocka_unit_test(test_pin_hash),
        cmocka_unit_test(test_missing_pin),     cmocka_unit_test(test_bad_suites),
        cmocka_unit_test(test_bad_questions),   cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_inputs_matter),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
