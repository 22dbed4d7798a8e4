/* Tests of src/core/device.c: the device table of SPEC §4, the default
 * device (R7), and response shapes and hints (R6). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/device.h"

struct type_case {
    enum sls_device_type t;
    const char *name;
    int strength;
    bool legacy, permanent;
    enum sls_challenge_kind kind;
    const char *suite;
    bool pin_on_server;
};

static const struct type_case types[] = {
    {SLS_DEVICE_NONE, "none", 0, false, false, SLS_CHALLENGE_STATIC, NULL, false},
    {SLS_DEVICE_SMS, "sms", 2, false, true, SLS_CHALLENGE_CODE, NULL, false},
    {SLS_DEVICE_SCC, "scc", 2, true, true, SLS_CHALLENGE_CARD, NULL, false},
    {SLS_DEVICE_IBKEY, "ibkey", 4, false, true, SLS_CHALLENGE_PUSH, "OCRA-1:HOTP-SHA256-8:QN06",
     false},
    {SLS_DEVICE_DSC, "dsc", 5, true, true, SLS_CHALLENGE_RESPONSE, "OCRA-1:HOTP-SHA1-8:QN06-PSHA1",
     true},
    {SLS_DEVICE_DSC_PLUS, "dsc_plus", 6, false, true, SLS_CHALLENGE_RESPONSE,
     "OCRA-1:HOTP-SHA1-8:QN06-PSHA1", true},
    {SLS_DEVICE_PLATINUM, "platinum", 6, true, true, SLS_CHALLENGE_RESPONSE,
     "OCRA-1:HOTP-SHA1-8:QN06", false},
    {SLS_DEVICE_GOLD, "gold", 6, true, true, SLS_CHALLENGE_RESPONSE, "OCRA-1:HOTP-SHA1-8:QN06",
     false},
    {SLS_DEVICE_TEMP_PASSCODE, "temporary_passcode", 1, false, false, SLS_CHALLENGE_STATIC, NULL,
     false},
    {SLS_DEVICE_ONLINE_CARD, "online_card", 1, false, false, SLS_CHALLENGE_CARD, NULL, false},
    {SLS_DEVICE_TOTP, "totp", 3, false, true, SLS_CHALLENGE_APP_CODE, NULL, false},
    {SLS_DEVICE_PASSKEY, "passkey", 6, false, true, SLS_CHALLENGE_WEBAUTHN, NULL, false},
};

static void test_type_table(void **state)
{
    (void)state;
    assert_int_equal(sizeof types / sizeof types[0], SLS_DEVICE__COUNT);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const struct type_case *c = &types[i];
        assert_string_equal(sls_device_type_name(c->t), c->name);
        enum sls_device_type parsed = SLS_DEVICE__COUNT;
        assert_int_equal(sls_device_type_parse(c->name, &parsed), 0);
        assert_int_equal(parsed, c->t);
        assert_int_equal(sls_device_strength(c->t), c->strength);
        assert_int_equal(sls_device_is_legacy(c->t), c->legacy);
        assert_int_equal(sls_device_is_permanent(c->t), c->permanent);
        assert_int_equal(sls_device_challenge_kind(c->t), c->kind);
        if (c->suite == NULL) {
            assert_null(sls_device_ocra_suite(c->t));
        } else {
            assert_string_equal(sls_device_ocra_suite(c->t), c->suite);
        }
        assert_int_equal(sls_device_pin_on_server(c->t), c->pin_on_server);
    }
}

static void test_strength_order(void **state)
{
    (void)state;
    /* dsc_plus = platinum = gold > dsc > ibkey > sms = scc > temporary > none */
    assert_int_equal(sls_device_strength(SLS_DEVICE_DSC_PLUS),
                     sls_device_strength(SLS_DEVICE_PLATINUM));
    assert_int_equal(sls_device_strength(SLS_DEVICE_GOLD),
                     sls_device_strength(SLS_DEVICE_PLATINUM));
    assert_true(sls_device_strength(SLS_DEVICE_GOLD) > sls_device_strength(SLS_DEVICE_DSC));
    assert_true(sls_device_strength(SLS_DEVICE_DSC) > sls_device_strength(SLS_DEVICE_IBKEY));
    assert_true(sls_device_strength(SLS_DEVICE_IBKEY) > sls_device_strength(SLS_DEVICE_SMS));
    /* SPEC §10.4: the authenticator app sits between ibkey and sms. */
    assert_true(sls_device_strength(SLS_DEVICE_IBKEY) > sls_device_strength(SLS_DEVICE_TOTP));
    assert_true(sls_device_strength(SLS_DEVICE_TOTP) > sls_device_strength(SLS_DEVICE_SMS));
    /* SPEC §10.5: a passkey is as strong as dsc_plus. */
    assert_int_equal(sls_device_strength(SLS_DEVICE_PASSKEY),
                     sls_device_strength(SLS_DEVICE_DSC_PLUS));
    assert_int_equal(sls_device_strength(SLS_DEVICE_SMS), sls_device_strength(SLS_DEVICE_SCC));
    assert_true(sls_device_strength(SLS_DEVICE_SCC) >
                sls_device_strength(SLS_DEVICE_TEMP_PASSCODE));
    assert_true(sls_device_strength(SLS_DEVICE_ONLINE_CARD) > sls_device_strength(SLS_DEVICE_NONE));
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {"",        "DSC",  "dsc ",        " dsc",   "dsc_plus+",
                                      "dscplus", "temp", "online-card", "unknown"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum sls_device_type t = SLS_DEVICE_GOLD;
        assert_int_equal(sls_device_type_parse(bad[i], &t), -1);
        assert_int_equal(t, SLS_DEVICE_GOLD);
        enum sls_device_state s = SLS_DEVSTATE_LOST;
        assert_int_equal(sls_device_state_parse(bad[i], &s), -1);
        assert_int_equal(s, SLS_DEVSTATE_LOST);
    }
    enum sls_device_type t;
    enum sls_device_state s;
    assert_int_equal(sls_device_type_parse(NULL, &t), -1);
    assert_int_equal(sls_device_state_parse(NULL, &s), -1);
    assert_int_equal(sls_device_state_parse("Active", &s), -1);
}

static void test_out_of_range(void **state)
{
    (void)state;
    enum sls_device_type bad = SLS_DEVICE__COUNT;
    assert_non_null(sls_device_type_name(bad));
    assert_int_equal(sls_device_strength(bad), 0);
    assert_false(sls_device_is_legacy(bad));
    assert_false(sls_device_is_permanent(bad));
    assert_null(sls_device_ocra_suite(bad));
    assert_false(sls_device_pin_on_server(bad));
    assert_false(sls_response_well_formed(bad, "12345678", 8));
    assert_non_null(sls_device_state_name(SLS_DEVSTATE__COUNT));
    assert_non_null(sls_challenge_kind_name(SLS_CHALLENGE__COUNT));
}

static void test_state_and_kind_names(void **state)
{
    (void)state;
    static const char *const states[] = {"active", "shipped", "inactive", "lost", "returned"};
    assert_int_equal(sizeof states / sizeof states[0], SLS_DEVSTATE__COUNT);
    for (int i = 0; i < SLS_DEVSTATE__COUNT; i++) {
        assert_string_equal(sls_device_state_name((enum sls_device_state)i), states[i]);
        enum sls_device_state s = SLS_DEVSTATE__COUNT;
        assert_int_equal(sls_device_state_parse(states[i], &s), 0);
        assert_int_equal(s, i);
    }
    static const char *const kinds[] = {
        "challenge_response", "card", "code", "push", "static", "code", "webauthn"};
    assert_int_equal(sizeof kinds / sizeof kinds[0], SLS_CHALLENGE__COUNT);
    for (int i = 0; i < SLS_CHALLENGE__COUNT; i++) {
        assert_string_equal(sls_challenge_kind_name((enum sls_challenge_kind)i), kinds[i]);
    }
}

#define ACT(t)                                                                                     \
    {                                                                                              \
        SLS_DEVICE_##t, SLS_DEVSTATE_ACTIVE                                                        \
    }
#define SHIP(t)                                                                                    \
    {                                                                                              \
        SLS_DEVICE_##t, SLS_DEVSTATE_SHIPPED                                                       \
    }
#define LOST(t)                                                                                    \
    {                                                                                              \
        SLS_DEVICE_##t, SLS_DEVSTATE_LOST                                                          \
    }
#define INAC(t)                                                                                    \
    {                                                                                              \
        SLS_DEVICE_##t, SLS_DEVSTATE_INACTIVE                                                      \
    }

struct pick_case {
    struct sls_device_brief devs[5];
    size_t n;
    int want;
};

static const struct pick_case picks[] = {
    {{ACT(SMS)}, 1, 0},
    {{ACT(SMS), ACT(IBKEY)}, 2, 1},
    {{ACT(IBKEY), ACT(SMS)}, 2, 0},
    {{ACT(SMS), ACT(SCC)}, 2, 0},                      /* tie: first */
    {{ACT(GOLD), ACT(DSC_PLUS), ACT(PLATINUM)}, 3, 0}, /* tie: first */
    {{ACT(DSC), SHIP(DSC_PLUS)}, 2, 0},                /* shipped is not active */
    {{LOST(DSC_PLUS), INAC(GOLD), ACT(TEMP_PASSCODE)}, 3, 2},
    {{ACT(TEMP_PASSCODE), ACT(ONLINE_CARD), ACT(SMS)}, 3, 2},
    {{ACT(ONLINE_CARD), ACT(TEMP_PASSCODE)}, 2, 0},
    {{LOST(SMS), SHIP(DSC_PLUS)}, 2, -1},
    {{ACT(NONE)}, 1, -1},
    {{ACT(SMS), ACT(DSC_PLUS)}, 1, 0}, /* only n entries are looked at */
    {{ACT(SMS)}, 0, -1},
    {{ACT(SMS), ACT(SCC), ACT(IBKEY), ACT(DSC), ACT(DSC_PLUS)}, 5, 4},
    /* SPEC §10.5: a passkey beats all weaker kinds, ties with dsc_plus: first */
    {{ACT(IBKEY), ACT(TOTP), ACT(PASSKEY), ACT(DSC)}, 4, 2},
    {{ACT(DSC_PLUS), ACT(PASSKEY)}, 2, 0},
    {{ACT(PASSKEY), ACT(DSC_PLUS)}, 2, 0},
    {{SHIP(DSC_PLUS), INAC(PASSKEY), ACT(SMS)}, 3, 2},
};

static void test_pick_default(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        assert_int_equal(sls_device_pick_default(picks[i].devs, picks[i].n), picks[i].want);
    }
    assert_int_equal(sls_device_pick_default(NULL, 0), -1);
}

struct resp_case {
    enum sls_device_type t;
    const char *resp;
    bool ok;
};

static const struct resp_case resps[] = {
    {SLS_DEVICE_DSC_PLUS, "12345678", true},
    {SLS_DEVICE_DSC_PLUS, "1234567", false},
    {SLS_DEVICE_DSC_PLUS, "123456789", false},
    {SLS_DEVICE_DSC_PLUS, "1234 5678", false},
    {SLS_DEVICE_DSC_PLUS, "1234567a", false},
    {SLS_DEVICE_DSC, "00000000", true},
    {SLS_DEVICE_PLATINUM, "99999999", true},
    {SLS_DEVICE_GOLD, " 12345678", false},
    {SLS_DEVICE_IBKEY, "12345678", true},
    {SLS_DEVICE_IBKEY, "123456", false},
    {SLS_DEVICE_SCC, "123456", true},
    {SLS_DEVICE_SCC, "123 456", false},
    {SLS_DEVICE_SCC, "12345", false},
    {SLS_DEVICE_SCC, "1234567", false},
    {SLS_DEVICE_ONLINE_CARD, "987654", true},
    {SLS_DEVICE_ONLINE_CARD, "98765x", false},
    {SLS_DEVICE_SMS, "000000", true},
    {SLS_DEVICE_SMS, "00000", false},
    {SLS_DEVICE_SMS, "0000000", false},
    {SLS_DEVICE_TEMP_PASSCODE, "AB12CD34", true},
    {SLS_DEVICE_TEMP_PASSCODE, "ABCDEFGH", true},
    {SLS_DEVICE_TEMP_PASSCODE, "12345678", true},
    {SLS_DEVICE_TEMP_PASSCODE, "ab12cd34", false},
    {SLS_DEVICE_TEMP_PASSCODE, "Ab12CD34", false},
    {SLS_DEVICE_TEMP_PASSCODE, "AB12 CD34", false},
    {SLS_DEVICE_TEMP_PASSCODE, "AB12CD3", false},
    {SLS_DEVICE_TEMP_PASSCODE, "AB12CD345", false},
    {SLS_DEVICE_TEMP_PASSCODE, "AB12CD3-", false},
    {SLS_DEVICE_NONE, "12345678", false},
    {SLS_DEVICE_DSC_PLUS, "", false},
};

static void test_well_formed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof resps / sizeof resps[0]; i++) {
        assert_int_equal(sls_response_well_formed(resps[i].t, resps[i].resp, strlen(resps[i].resp)),
                         resps[i].ok);
    }
    /* Length is what counts, not the NUL. */
    assert_false(sls_response_well_formed(SLS_DEVICE_SMS, "123456\0", 7));
    assert_true(sls_response_well_formed(SLS_DEVICE_SMS, "1234567", 6));
    assert_false(sls_response_well_formed(SLS_DEVICE_SMS, NULL, 6));
    /* a passkey answers with its credential as a JSON object, never typed digits */
    assert_false(sls_response_well_formed(SLS_DEVICE_PASSKEY, "12345678", 8));
    assert_false(sls_response_well_formed(SLS_DEVICE_PASSKEY, "123456", 6));
    assert_false(sls_response_well_formed(SLS_DEVICE_PASSKEY, "{", 1));
    assert_true(sls_response_well_formed(SLS_DEVICE_PASSKEY, "{}", 2));
    assert_false(sls_response_well_formed(SLS_DEVICE_PASSKEY, "[]", 2));
    assert_false(sls_response_well_formed(SLS_DEVICE_PASSKEY, "{}", SLS_PASSKEY_RESPONSE_MAX + 1));
}

static void test_hints(void **state)
{
    (void)state;
    for (int t = 0; t < SLS_DEVICE__COUNT; t++) {
        const char *want = t == SLS_DEVICE_TEMP_PASSCODE
                               ? "Temporary passcodes are case sensitive and upper case"
                               : "Card and device values have no spaces between characters";
        assert_string_equal(sls_response_hint((enum sls_device_type)t), want);
    }
    assert_non_null(sls_response_hint(SLS_DEVICE__COUNT));
}

/* A device label: 1-40 of letters, digits, space and - _ . */
static void test_label_ok(void **state)
{
    (void)state;
    assert_true(sls_device_label_ok("My phone"));
    assert_true(sls_device_label_ok("key-1_a.b"));
    assert_true(sls_device_label_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));   /* 40 */
    assert_false(sls_device_label_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 41 */
    assert_false(sls_device_label_ok(""));
    assert_false(sls_device_label_ok("<script>"));
    assert_false(sls_device_label_ok("caf\xc3\xa9"));
    assert_false(sls_device_label_ok("a\nb"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_table),
        cmocka_unit_test(test_strength_order),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_state_and_kind_names),
        cmocka_unit_test(test_pick_default),
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_label_ok),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
