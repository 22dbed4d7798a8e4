/* Tests of src/cli/common/token.c: device responses (OCRA values computed
 * independently from RFC 6287 with an HMAC library), generic OCRA suites
 * (RFC 6287 appendix vectors), card lookups, random cards and secrets, and
 * refusal of malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/common/token.h"
#include "crypto/crypto.h"

#define KEY_A   "3132333435363738393031323334353637383930" /* "12345678901234567890" */
#define KEY_B   "00112233445566778899aabbccddeeff01234567"
#define KEY_B_U "00112233445566778899AABBCCDDEEFF01234567"
#define KEY_32  "3132333435363738393031323334353637383930313233343536373839303132"
#define KEY_64                                                                                     \
    "3132333435363738393031323334353637383930313233343536373839303132"                             \
    "3334353637383930313233343536373839303132333435363738393031323334"

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

/* ---- respond ---- */

struct respond_case {
    const char *type, *secret, *pin, *challenge, *want;
};

static const struct respond_case respond_cases[] = {
    /* dsc_plus and dsc: OCRA-1:HOTP-SHA1-8:QN06-PSHA1 */
    {"dsc_plus", KEY_A, "1234", "000000", "43656911"},
    {"dsc_plus", KEY_A, "1234", "123456", "98276595"},
    {"dsc_plus", KEY_A, "1234", "999999", "08173024"},
    {"dsc_plus", KEY_A, "1234", "000001", "82666722"},
    {"dsc_plus", KEY_A, "1234", "480213", "56289456"},
    {"dsc_plus", KEY_A, "9876", "000000", "77515089"},
    {"dsc_plus", KEY_A, "9876", "123456", "55570385"},
    {"dsc_plus", KEY_A, "1235", "000000", "39912090"},
    {"dsc_plus", KEY_B, "4321", "654321", "01750994"},
    {"dsc_plus", KEY_B_U, "4321", "654321", "01750994"},
    {"dsc", KEY_B, "0000", "000000", "28050074"},
    {"dsc", KEY_B, "0000", "123456", "05603391"},
    {"dsc", KEY_B, "0000", "999999", "68421786"},
    {"dsc", KEY_B, "0000", "480213", "93345869"},
    /* platinum and gold: OCRA-1:HOTP-SHA1-8:QN06; the PIN stays on the device */
    {"platinum", KEY_A, NULL, "000000", "51043688"},
    {"platinum", KEY_A, NULL, "123456", "94600444"},
    {"platinum", KEY_A, "1234", "123456", "94600444"},
    {"platinum", KEY_A, NULL, "480213", "11874308"},
    {"gold", KEY_B, NULL, "000000", "75958165"},
    {"gold", KEY_B, NULL, "999999", "76231678"},
    {"gold", KEY_B, "9999", "000001", "61122205"},
    /* ibkey: OCRA-1:HOTP-SHA256-8:QN06; the PIN stays in the app */
    {"ibkey", KEY_32, NULL, "000000", "18407946"},
    {"ibkey", KEY_32, NULL, "123456", "61697411"},
    {"ibkey", KEY_32, NULL, "999999", "58372118"},
    {"ibkey", KEY_B, NULL, "000001", "76322780"},
    {"ibkey", KEY_B, "1234", "480213", "01105072"},
};

static void test_respond_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(respond_cases) / sizeof(respond_cases[0]); i++) {
        const struct respond_case *c = &respond_cases[i];
        char out[16];
        memset(out, 'x', sizeof(out));
        int rc = sls_token_respond(c->type, c->secret, c->pin, c->challenge, out, sizeof(out));
        if (rc != SLS_TOKEN_OK || strcmp(out, c->want) != 0)
            print_error("case %zu: %s %s -> rc %d '%s', want '%s'\n", i, c->type, c->challenge, rc,
                        rc == 0 ? out : "", c->want);
        assert_int_equal(rc, SLS_TOKEN_OK);
        assert_string_equal(out, c->want);
    }
}

struct refuse_case {
    const char *type, *secret, *pin, *challenge;
    size_t outlen;
    int want;
};

static const struct refuse_case refuse_cases[] = {
    {"sms", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_TYPE},
    {"scc", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_TYPE},
    {"temporary_passcode", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_TYPE},
    {"none", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_TYPE},
    {"DSC_PLUS", KEY_A, "1234", "123456", 16, SLS_TOKEN_ERR_TYPE},
    {"", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_TYPE},
    {NULL, KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_TYPE},
    {"dsc_plus", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_PIN},
    {"dsc", KEY_A, NULL, "123456", 16, SLS_TOKEN_ERR_PIN},
    {"dsc_plus", KEY_A, "123", "123456", 16, SLS_TOKEN_ERR_PIN_FORM},
    {"dsc_plus", KEY_A, "12345", "123456", 16, SLS_TOKEN_ERR_PIN_FORM},
    {"dsc", KEY_A, "12a4", "123456", 16, SLS_TOKEN_ERR_PIN_FORM},
    {"dsc", KEY_A, "", "123456", 16, SLS_TOKEN_ERR_PIN_FORM},
    {"platinum", KEY_A, NULL, "12345", 16, SLS_TOKEN_ERR_CHALLENGE},
    {"platinum", KEY_A, NULL, "1234567", 16, SLS_TOKEN_ERR_CHALLENGE},
    {"gold", KEY_A, NULL, "12345a", 16, SLS_TOKEN_ERR_CHALLENGE},
    {"gold", KEY_A, NULL, " 12345", 16, SLS_TOKEN_ERR_CHALLENGE},
    {"gold", KEY_A, NULL, "123 456", 16, SLS_TOKEN_ERR_CHALLENGE},
    {"ibkey", KEY_A, NULL, "", 16, SLS_TOKEN_ERR_CHALLENGE},
    {"ibkey", KEY_A, NULL, NULL, 16, SLS_TOKEN_ERR_CHALLENGE},
    {"ibkey", "", NULL, "123456", 16, SLS_TOKEN_ERR_SECRET},
    {"ibkey", "abc", NULL, "123456", 16, SLS_TOKEN_ERR_SECRET},
    {"ibkey", "zz11", NULL, "123456", 16, SLS_TOKEN_ERR_SECRET},
    {"ibkey", "00 11", NULL, "123456", 16, SLS_TOKEN_ERR_SECRET},
    {"ibkey", NULL, NULL, "123456", 16, SLS_TOKEN_ERR_SECRET},
    {"platinum", KEY_A, NULL, "123456", 8, SLS_TOKEN_ERR_BUFFER},
};

static void test_respond_refuses_bad_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(refuse_cases) / sizeof(refuse_cases[0]); i++) {
        const struct refuse_case *c = &refuse_cases[i];
        char out[16];
        int rc = sls_token_respond(c->type, c->secret, c->pin, c->challenge, out, c->outlen);
        if (rc != c->want)
            print_error("case %zu: rc %d, want %d\n", i, rc, c->want);
        assert_int_equal(rc, c->want);
    }
}

static void test_respond_secret_too_long(void **state)
{
    (void)state;
    char secret[2 * SLS_TOKEN_MAX_SECRET + 3];
    char out[16];
    memset(secret, 'a', sizeof(secret) - 1);
    secret[sizeof(secret) - 1] = '\0';
    assert_int_equal(sls_token_respond("ibkey", secret, NULL, "123456", out, sizeof(out)),
                     SLS_TOKEN_ERR_SECRET);
    secret[2 * SLS_TOKEN_MAX_SECRET] = '\0'; /* exactly the largest key */
    assert_int_equal(sls_token_respond("ibkey", secret, NULL, "123456", out, sizeof(out)),
                     SLS_TOKEN_OK);
    assert_int_equal(strlen(out), 8);
}

/* ---- any OCRA suite ---- */

struct ocra_case {
    const char *suite, *secret, *question, *pin;
    uint64_t counter, timesteps;
    const char *want;
};

/* RFC 6287 appendix C. */
static const struct ocra_case ocra_cases[] = {
    {"OCRA-1:HOTP-SHA1-6:QN08", KEY_A, "00000000", NULL, 0, 0, "237653"},
    {"OCRA-1:HOTP-SHA1-6:QN08", KEY_A, "11111111", NULL, 0, 0, "243178"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", KEY_32, "12345678", "1234", 0, 0, "65347737"},
    {"OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", KEY_32, "12345678", "1234", 9, 0, "08522129"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY_32, "00000000", "1234", 0, 0, "83238735"},
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY_32, "44444444", "1234", 0, 0, "86807031"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", KEY_64, "00000000", NULL, 0, 0, "07016083"},
    {"OCRA-1:HOTP-SHA512-8:C-QN08", KEY_64, "99999999", NULL, 9, 0, "31409299"},
    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", KEY_64, "00000000", NULL, 0, 0x132d0b6, "95209754"},
    /* The device suites through the generic path. */
    {"OCRA-1:HOTP-SHA1-8:QN06-PSHA1", KEY_A, "123456", "1234", 0, 0, "98276595"},
    {"OCRA-1:HOTP-SHA256-8:QN06", KEY_32, "123456", NULL, 0, 0, "61697411"},
};

static void test_ocra_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ocra_cases) / sizeof(ocra_cases[0]); i++) {
        const struct ocra_case *c = &ocra_cases[i];
        struct sls_token_ocra_req req = {
            .suite = c->suite,
            .secret_hex = c->secret,
            .question = c->question,
            .pin = c->pin,
            .counter = c->counter,
            .timesteps = c->timesteps,
        };
        char out[16] = "";
        int rc = sls_token_ocra(&req, out, sizeof(out));
        if (rc != SLS_TOKEN_OK || strcmp(out, c->want) != 0)
            print_error("case %zu: %s -> rc %d '%s', want '%s'\n", i, c->suite, rc, out, c->want);
        assert_int_equal(rc, SLS_TOKEN_OK);
        assert_string_equal(out, c->want);
    }
}

struct ocra_refuse_case {
    const char *suite, *secret, *question, *pin, *session;
    int want;
};

static const struct ocra_refuse_case ocra_refuse_cases[] = {
    {"OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY_32, "00000000", NULL, NULL, SLS_TOKEN_ERR_PIN},
    {"OCRA-1:HOTP-SHA1-6:QN08-S064", KEY_A, "00000000", NULL, NULL, SLS_TOKEN_ERR_SESSION},
    {"OCRA-1:HOTP-SHA1-6", KEY_A, "00000000", NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {"OCRA-1:HOTP-SHA1-6:", KEY_A, "00000000", NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {"", KEY_A, "00000000", NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {NULL, KEY_A, "00000000", NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {"OCRA-1:HOTP-MD5-6:QN08", KEY_A, "00000000", NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {"OCRA-1:HOTP-SHA1-6:QN08", KEY_A, NULL, NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {"OCRA-1:HOTP-SHA1-6:QN08", KEY_A, "0000000a", NULL, NULL, SLS_TOKEN_ERR_OCRA},
    {"OCRA-1:HOTP-SHA1-6:QN08", "xyz", "00000000", NULL, NULL, SLS_TOKEN_ERR_SECRET},
};

static void test_ocra_refuses_bad_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ocra_refuse_cases) / sizeof(ocra_refuse_cases[0]); i++) {
        const struct ocra_refuse_case *c = &ocra_refuse_cases[i];
        struct sls_token_ocra_req req = {
            .suite = c->suite,
            .secret_hex = c->secret,
            .question = c->question,
            .pin = c->pin,
            .session = c->session,
        };
        char out[16];
        int rc = sls_token_ocra(&req, out, sizeof(out));
        if (rc != c->want)
            print_error("case %zu: rc %d, want %d\n", i, rc, c->want);
        assert_int_equal(rc, c->want);
    }
    struct sls_token_ocra_req ok = {
        .suite = "OCRA-1:HOTP-SHA1-6:QN08", .secret_hex = KEY_A, .question = "00000000"};
    char small[10];
    assert_int_equal(sls_token_ocra(&ok, small, sizeof(small)), SLS_TOKEN_ERR_BUFFER);
}

struct step_case {
    const char *suite;
    int want;
    uint64_t seconds;
};

static const struct step_case step_cases[] = {
    {"OCRA-1:HOTP-SHA512-8:QN08-T1M", SLS_TOKEN_OK, 60},
    {"OCRA-1:HOTP-SHA1-6:QN08-T30S", SLS_TOKEN_OK, 30},
    {"OCRA-1:HOTP-SHA1-6:QN08-T59S", SLS_TOKEN_OK, 59},
    {"OCRA-1:HOTP-SHA1-6:QN08-T48H", SLS_TOKEN_OK, 48 * 3600},
    {"OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-T2M", SLS_TOKEN_OK, 120},
    {"OCRA-1:HOTP-SHA1-6:QN08", 1, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-PSHA1", 1, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-T0S", SLS_TOKEN_ERR_OCRA, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-T60S", SLS_TOKEN_ERR_OCRA, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-T49H", SLS_TOKEN_ERR_OCRA, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-T1", SLS_TOKEN_ERR_OCRA, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-TM", SLS_TOKEN_ERR_OCRA, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-T1D", SLS_TOKEN_ERR_OCRA, 0},
    {"OCRA-1:HOTP-SHA1-6:QN08-T1MX", SLS_TOKEN_ERR_OCRA, 0},
    {"nonsense", SLS_TOKEN_ERR_OCRA, 0},
};

static void test_time_step(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(step_cases) / sizeof(step_cases[0]); i++) {
        uint64_t seconds = 12345;
        int rc = sls_token_time_step(step_cases[i].suite, &seconds);
        if (rc != step_cases[i].want)
            print_error("case %zu: %s rc %d\n", i, step_cases[i].suite, rc);
        assert_int_equal(rc, step_cases[i].want);
        assert_int_equal(seconds, rc == SLS_TOKEN_OK ? step_cases[i].seconds : 12345);
    }
}

/* ---- cards ---- */

static const char card[] = "{\"1\":\"123\",\"2\":\"456\",\"3\":\"007\",\"47\":\"900\","
                           "\"100\":\"381\"}";

struct lookup_case {
    const char *cells, *a, *b;
    int want;
    const char *out;
};

static const struct lookup_case lookup_cases[] = {
    {card, "1", "2", SLS_TOKEN_OK, "123456"},
    {card, "2", "1", SLS_TOKEN_OK, "456123"},
    {card, "3", "47", SLS_TOKEN_OK, "007900"},
    {card, "100", "100", SLS_TOKEN_OK, "381381"},
    {card, "4", "1", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "1", "101", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "0", "1", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "01", "2", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "-1", "2", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "1a", "2", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "", "2", SLS_TOKEN_ERR_INDEX, NULL},
    {card, "1", NULL, SLS_TOKEN_ERR_INDEX, NULL},
    {card, "10000", "1", SLS_TOKEN_ERR_INDEX, NULL},
    {"{\"1\":\"12\",\"2\":\"456\"}", "1", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"1\":\"1234\",\"2\":\"456\"}", "1", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"1\":123,\"2\":\"456\"}", "1", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"1\":\"12a\",\"2\":\"456\"}", "1", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"x\":\"123\",\"2\":\"456\"}", "2", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"01\":\"123\",\"2\":\"456\"}", "2", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"1\":\"123\",\"1\":\"456\"}", "1", "1", SLS_TOKEN_ERR_CELLS, NULL},
    {"[\"123\",\"456\"]", "1", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{}", "1", "2", SLS_TOKEN_ERR_CELLS, NULL},
    {"{\"1\":\"123\"", "1", "1", SLS_TOKEN_ERR_CELLS, NULL},
    {"", "1", "1", SLS_TOKEN_ERR_CELLS, NULL},
    {NULL, "1", "1", SLS_TOKEN_ERR_CELLS, NULL},
};

static void test_card_lookup(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(lookup_cases) / sizeof(lookup_cases[0]); i++) {
        const struct lookup_case *c = &lookup_cases[i];
        char out[8] = "";
        int rc = sls_token_card_lookup(c->cells, c->a, c->b, out, sizeof(out));
        if (rc != c->want)
            print_error("case %zu: rc %d, want %d\n", i, rc, c->want);
        assert_int_equal(rc, c->want);
        if (c->out)
            assert_string_equal(out, c->out);
    }
    char small[6];
    assert_int_equal(sls_token_card_lookup(card, "1", "2", small, sizeof(small)),
                     SLS_TOKEN_ERR_BUFFER);
}

static void check_card(const json_t *cells, size_t count)
{
    assert_true(json_is_object(cells));
    assert_int_equal(json_object_size(cells), count);
    for (size_t i = 1; i <= count; i++) {
        char key[16];
        snprintf(key, sizeof(key), "%zu", i);
        const char *v = json_string_value(json_object_get(cells, key));
        assert_non_null(v);
        assert_int_equal(strlen(v), 3);
        for (int j = 0; j < 3; j++)
            assert_true(v[j] >= '0' && v[j] <= '9');
    }
}

static void test_card_generate(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 2, 100, 1000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        json_t *cells = NULL;
        assert_int_equal(sls_token_card_generate(sizes[i], &cells), SLS_TOKEN_OK);
        check_card(cells, sizes[i]);
        json_decref(cells);
    }

    /* A generated card answers lookups, and two cards differ. */
    json_t *a = NULL, *b = NULL;
    assert_int_equal(sls_token_card_generate(100, &a), SLS_TOKEN_OK);
    assert_int_equal(sls_token_card_generate(100, &b), SLS_TOKEN_OK);
    assert_false(json_equal(a, b));
    char *text = json_dumps(a, JSON_COMPACT);
    char out[8], want[8];
    assert_int_equal(sls_token_card_lookup(text, "12", "47", out, sizeof(out)), SLS_TOKEN_OK);
    snprintf(want, sizeof(want), "%s%s", json_string_value(json_object_get(a, "12")),
             json_string_value(json_object_get(a, "47")));
    assert_string_equal(out, want);
    free(text);
    json_decref(a);
    json_decref(b);

    static const size_t bad[] = {0, 1001, 100000};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *cells = (json_t *)1;
        assert_int_equal(sls_token_card_generate(bad[i], &cells), SLS_TOKEN_ERR_COUNT);
        assert_null(cells);
    }
}

static void test_secret_generate(void **state)
{
    (void)state;
    static const size_t good[] = {20, 32, 64};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char a[2 * 64 + 1], b[2 * 64 + 1];
        assert_int_equal(sls_token_secret_generate(good[i], a, sizeof(a)), SLS_TOKEN_OK);
        assert_int_equal(sls_token_secret_generate(good[i], b, sizeof(b)), SLS_TOKEN_OK);
        assert_int_equal(strlen(a), 2 * good[i]);
        assert_int_equal(strspn(a, "0123456789abcdef"), 2 * good[i]);
        assert_string_not_equal(a, b);
        /* The secret works as a key. */
        char out[16];
        assert_int_equal(sls_token_respond("ibkey", a, NULL, "123456", out, sizeof(out)),
                         SLS_TOKEN_OK);
    }
    static const size_t bad[] = {0, 1, 16, 19, 21, 31, 33, 63, 65, 128};
    char out[2 * 128 + 1];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(sls_token_secret_generate(bad[i], out, sizeof(out)), SLS_TOKEN_ERR_BYTES);
    assert_int_equal(sls_token_secret_generate(20, out, 40), SLS_TOKEN_ERR_BUFFER);
    assert_int_equal(sls_token_secret_generate(20, out, 41), SLS_TOKEN_OK);
}

static void test_every_error_has_a_message(void **state)
{
    (void)state;
    const char *unknown = sls_token_err_message(-1);
    assert_string_equal(unknown, "unknown error");
    assert_string_equal(sls_token_err_message(SLS_TOKEN_ERR__COUNT), "unknown error");
    for (int e = 0; e < SLS_TOKEN_ERR__COUNT; e++) {
        const char *m = sls_token_err_message(e);
        assert_non_null(m);
        assert_true(strlen(m) > 1);
        assert_string_not_equal(m, unknown);
        assert_null(strchr(m, '\n'));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_respond_known_answers),
        cmocka_unit_test(test_respond_refuses_bad_input),
        cmocka_unit_test(test_respond_secret_too_long),
        cmocka_unit_test(test_ocra_known_answers),
        cmocka_unit_test(test_ocra_refuses_bad_input),
        cmocka_unit_test(test_time_step),
        cmocka_unit_test(test_card_lookup),
        cmocka_unit_test(test_card_generate),
        cmocka_unit_test(test_secret_generate),
        cmocka_unit_test(test_every_error_has_a_message),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
