/* Tests of src/core/document_rules.c (R50): subject words at their edges
 * (case, whole words, accents, typographic separators), country lists, the
 * regional address rule, type sniffing and declared-versus-detected types. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/document_rules.h"

static struct sls_doc_subject parse(const char *s)
{
    struct sls_doc_subject out;
    sls_doc_subject_parse(s, &out);
    return out;
}

static bool has_word(const struct sls_doc_subject *s, const char *w)
{
    for (size_t i = 0; i < s->nwords; i++)
        if (strcmp(s->words[i], w) == 0)
            return true;
    return false;
}

static void test_subject_account(void **state)
{
    (void)state;
    struct sls_doc_subject s = parse("PoRes U1234567");
    assert_string_equal(s.account_id, "U1234567");
    assert_false(s.account_ambiguous);
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_PORES);
    assert_int_equal(s.nwords, 0);

    /* Lower-case u is the same account; stored upper case. */
    s = parse("pid u7654321");
    assert_string_equal(s.account_id, "U7654321");
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_PID);

    /* Six or eight digits are not an account number (but may be a user name). */
    s = parse("PID U123456");
    assert_string_equal(s.account_id, "");
    assert_true(has_word(&s, "u123456"));
    s = parse("PID U12345678");
    assert_string_equal(s.account_id, "");
    assert_true(has_word(&s, "u12345678"));

    /* Glued to other letters or digits it is not a whole word. */
    s = parse("PID xU1234567 U1234567x");
    assert_string_equal(s.account_id, "");

    /* Punctuation separates. */
    s = parse("Re: Fwd: [PID]U1234567,");
    assert_string_equal(s.account_id, "U1234567");
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_PID);

    /* The same number twice is one; two numbers are ambiguous. */
    s = parse("PID U1234567 u1234567");
    assert_false(s.account_ambiguous);
    s = parse("PID U1234567 U7654321");
    assert_true(s.account_ambiguous);
    assert_string_equal(s.account_id, "U1234567");
}

static void test_subject_purpose(void **state)
{
    (void)state;
    assert_int_equal(parse("PORES alice").purpose, SLS_DOC_PURPOSE_PORES);
    assert_int_equal(parse("pores alice").purpose, SLS_DOC_PURPOSE_PORES);
    assert_int_equal(parse("Pid alice").purpose, SLS_DOC_PURPOSE_PID);
    /* Inside a word it does not count. */
    assert_int_equal(parse("rapid delivery alice").purpose, SLS_DOC_PURPOSE_NONE);
    assert_int_equal(parse("PIDs alice").purpose, SLS_DOC_PURPOSE_NONE);
    assert_int_equal(parse("PoResidence alice").purpose, SLS_DOC_PURPOSE_NONE);
    assert_int_equal(parse("PID1 alice").purpose, SLS_DOC_PURPOSE_NONE);
    /* Anywhere, with punctuation around it. */
    assert_int_equal(parse("alice (PoRes)").purpose, SLS_DOC_PURPOSE_PORES);
    assert_int_equal(parse("alice-PID.").purpose, SLS_DOC_PURPOSE_PID);
    /* Both: ambiguous, also in either order; repeated: still one. */
    assert_int_equal(parse("PID PoRes alice").purpose, SLS_DOC_PURPOSE_AMBIGUOUS);
    assert_int_equal(parse("PoRes/PID alice").purpose, SLS_DOC_PURPOSE_AMBIGUOUS);
    assert_int_equal(parse("PID pid PID").purpose, SLS_DOC_PURPOSE_PID);
    assert_int_equal(parse("").purpose, SLS_DOC_PURPOSE_NONE);
    assert_int_equal(parse(NULL).purpose, SLS_DOC_PURPOSE_NONE);
    assert_string_equal(sls_doc_purpose_name(SLS_DOC_PURPOSE_PORES), "PoRes");
    assert_string_equal(sls_doc_purpose_name(SLS_DOC_PURPOSE_PID), "PID");
    assert_string_equal(sls_doc_purpose_name(SLS_DOC_PURPOSE_AMBIGUOUS), "");
}

static void test_subject_words(void **state)
{
    (void)state;
    struct sls_doc_subject s = parse("Justificatif de domicile PoRes Alice42");
    assert_true(has_word(&s, "alice42"));
    assert_true(has_word(&s, "justificatif"));
    assert_true(has_word(&s, "domicile"));
    assert_false(has_word(&s, "de")); /* shorter than 3 */
    assert_false(has_word(&s, "pores"));

    /* Accented words are not user names, and do not split into ASCII pieces. */
    s = parse("Pi\xc3\xa8"
              "ce d'identit\xc3\xa9 PID bob");
    assert_true(has_word(&s, "bob"));
    assert_false(has_word(&s, "identit"));
    assert_false(has_word(&s, "ce"));
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_PID);

    /* No-break spaces (U+00A0, U+202F) and typographic dashes separate. */
    s = parse("PoRes\xc2\xa0:\xe2\x80\xaf"
              "U1234567\xe2\x80\x93"
              "carol");
    assert_string_equal(s.account_id, "U1234567");
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_PORES);
    assert_true(has_word(&s, "carol"));

    /* Cyrillic letters join a word: "PIDб" is not the purpose. */
    s = parse("PID\xd0\xb1 dave");
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_NONE);

    /* Malformed UTF-8 separates. */
    s = parse("PID\xff"
              "erin\xc3");
    assert_int_equal(s.purpose, SLS_DOC_PURPOSE_PID);
    assert_true(has_word(&s, "erin"));

    /* Words are kept distinct and bounded; 33 letters is too long. */
    s = parse("Bob bob BOB aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_int_equal(s.nwords, 2);
    assert_true(has_word(&s, "bob"));
    assert_true(has_word(&s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));

    char many[2048] = "";
    for (int i = 0; i < 50; i++) {
        char w[16];
        snprintf(w, sizeof w, "w%03d ", i);
        strcat(many, w);
    }
    s = parse(many);
    assert_int_equal(s.nwords, SLS_DOC_MAX_WORDS);
    assert_true(has_word(&s, "w000"));
    assert_false(has_word(&s, "w049"));
}

static void test_country_list(void **state)
{
    (void)state;
    const char *list = "AT,BE,CH,GB";
    assert_true(sls_doc_country_in_list("AT", list));
    assert_true(sls_doc_country_in_list("gb", list));
    assert_true(sls_doc_country_in_list("Ch", list));
    assert_false(sls_doc_country_in_list("US", list));
    assert_false(sls_doc_country_in_list("A", list));
    assert_false(sls_doc_country_in_list("ATX", list));
    assert_false(sls_doc_country_in_list("", list));
    assert_false(sls_doc_country_in_list(NULL, list));
    assert_false(sls_doc_country_in_list("AT", NULL));
    assert_false(sls_doc_country_in_list("T,", list));

    assert_int_equal(sls_doc_country_list_check("AT"), 0);
    assert_int_equal(sls_doc_country_list_check("AT,be,CH"), 0);
    assert_int_equal(sls_doc_country_list_check(""), -1);
    assert_int_equal(sls_doc_country_list_check(NULL), -1);
    assert_int_equal(sls_doc_country_list_check("AT,"), -1);
    assert_int_equal(sls_doc_country_list_check(",AT"), -1);
    assert_int_equal(sls_doc_country_list_check("AT, BE"), -1);
    assert_int_equal(sls_doc_country_list_check("AUT"), -1);
    assert_int_equal(sls_doc_country_list_check("A1"), -1);
    assert_int_equal(sls_doc_country_list_check("AT,,BE"), -1);
}

static void test_route(void **state)
{
    (void)state;
    const char *eu = "newaccounts.uk@example.co.uk", *world = "newaccounts@example.com";
    const char *to_world[] = {"NewAccounts@Example.com"};
    const char *to_eu[] = {"someone@else.org", "newaccounts.uk@example.co.uk"};
    const char *to_both[] = {"newaccounts.uk@example.co.uk", "newaccounts@example.com"};
    const char *to_other[] = {"support@example.com"};

    assert_int_equal(sls_doc_route_check(false, to_world, 1, eu, world), SLS_DOC_ACCEPTED);
    assert_int_equal(sls_doc_route_check(true, to_world, 1, eu, world), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(sls_doc_route_check(true, to_eu, 2, eu, world), SLS_DOC_ACCEPTED);
    assert_int_equal(sls_doc_route_check(false, to_eu, 2, eu, world), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(sls_doc_route_check(true, to_both, 2, eu, world), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(sls_doc_route_check(false, to_both, 2, eu, world), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(sls_doc_route_check(false, to_other, 1, eu, world), SLS_DOC_WRONG_ADDRESS);
    assert_int_equal(sls_doc_route_check(false, NULL, 0, eu, world), SLS_DOC_WRONG_ADDRESS);
    assert_true(sls_doc_address_equal("A@B.c", "a@b.C"));
    assert_false(sls_doc_address_equal("a@b.c", "a@b.cc"));
    assert_false(sls_doc_address_equal(NULL, "a"));
}

static const uint8_t jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
static const uint8_t pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
static const uint8_t heic[] = {0, 0, 0,   24,  'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0,
                               0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c', 0,   0,   0, 8};
static const uint8_t mif1_heic[] = {0,   0,   0, 20, 'f', 't', 'y', 'p', 'm', 'i',
                                    'f', '1', 0, 0,  0,   0,   'h', 'e', 'i', 'x'};
static const uint8_t mif1_avif[] = {0,   0,   0, 20, 'f', 't', 'y', 'p', 'm', 'i',
                                    'f', '1', 0, 0,  0,   0,   'a', 'v', 'i', 'f'};
static const uint8_t mp4[] = {0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0};
static const uint8_t exe[] = {'M', 'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF};

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(sls_doc_sniff(jpeg, sizeof jpeg), SLS_DOC_TYPE_JPEG);
    assert_int_equal(sls_doc_sniff(png, sizeof png), SLS_DOC_TYPE_PNG);
    assert_int_equal(sls_doc_sniff(pdf, sizeof pdf - 1), SLS_DOC_TYPE_PDF);
    assert_int_equal(sls_doc_sniff(heic, sizeof heic), SLS_DOC_TYPE_HEIC);
    assert_int_equal(sls_doc_sniff(mif1_heic, sizeof mif1_heic), SLS_DOC_TYPE_HEIC);
    assert_int_equal(sls_doc_sniff(mif1_avif, sizeof mif1_avif), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(mp4, sizeof mp4), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(exe, sizeof exe), SLS_DOC_TYPE_NONE);
    /* Truncated signatures are nothing. */
    assert_int_equal(sls_doc_sniff(jpeg, 2), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(png, 7), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(pdf, 4), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(heic, 15), SLS_DOC_TYPE_NONE);
    /* A box size beyond the data or too small is not HEIC. */
    assert_int_equal(sls_doc_sniff(heic, 20), SLS_DOC_TYPE_NONE);
    uint8_t small[sizeof heic];
    memcpy(small, heic, sizeof heic);
    small[3] = 8;
    assert_int_equal(sls_doc_sniff(small, sizeof small), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(NULL, 0), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_sniff(jpeg, 0), SLS_DOC_TYPE_NONE);
}

static void test_declared_types(void **state)
{
    (void)state;
    assert_int_equal(sls_doc_type_of_media("image/jpeg"), SLS_DOC_TYPE_JPEG);
    assert_int_equal(sls_doc_type_of_media("IMAGE/JPG"), SLS_DOC_TYPE_JPEG);
    assert_int_equal(sls_doc_type_of_media("image/pjpeg"), SLS_DOC_TYPE_JPEG);
    assert_int_equal(sls_doc_type_of_media("image/png"), SLS_DOC_TYPE_PNG);
    assert_int_equal(sls_doc_type_of_media("image/heic"), SLS_DOC_TYPE_HEIC);
    assert_int_equal(sls_doc_type_of_media("image/heif"), SLS_DOC_TYPE_HEIC);
    assert_int_equal(sls_doc_type_of_media("application/pdf"), SLS_DOC_TYPE_PDF);
    assert_int_equal(sls_doc_type_of_media("image/gif"), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_media("image/jpegx"), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_media(NULL), SLS_DOC_TYPE_NONE);

    assert_int_equal(sls_doc_type_of_filename("IMG_0042.JPG"), SLS_DOC_TYPE_JPEG);
    assert_int_equal(sls_doc_type_of_filename("scan.jpeg"), SLS_DOC_TYPE_JPEG);
    assert_int_equal(sls_doc_type_of_filename("a.b.png"), SLS_DOC_TYPE_PNG);
    assert_int_equal(sls_doc_type_of_filename("IMG_1.HEIC"), SLS_DOC_TYPE_HEIC);
    assert_int_equal(sls_doc_type_of_filename("x.hif"), SLS_DOC_TYPE_HEIC);
    assert_int_equal(sls_doc_type_of_filename("bill.pdf"), SLS_DOC_TYPE_PDF);
    assert_int_equal(sls_doc_type_of_filename("setup.exe"), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_filename("photo.jpg.exe"), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_filename("noext"), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_filename("trailing."), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_filename(""), SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_type_of_filename(NULL), SLS_DOC_TYPE_NONE);

    assert_true(sls_doc_media_is_generic("application/octet-stream"));
    assert_true(sls_doc_media_is_generic("Application/Octet-Stream"));
    assert_true(sls_doc_media_is_generic(""));
    assert_true(sls_doc_media_is_generic(NULL));
    assert_false(sls_doc_media_is_generic("image/jpeg"));

    for (int t = SLS_DOC_TYPE_JPEG; t < SLS_DOC_TYPE__COUNT; t++) {
        assert_int_equal(sls_doc_type_of_media(sls_doc_type_media(t)), t);
        assert_true(strlen(sls_doc_type_name(t)) > 0);
    }
    assert_string_equal(sls_doc_type_media(SLS_DOC_TYPE_NONE), "");
}

static void test_check_attachment(void **state)
{
    (void)state;
    enum sls_doc_type t;

    assert_int_equal(sls_doc_check_attachment(jpeg, sizeof jpeg, "image/jpeg", "a.jpg", 100, &t),
                     SLS_DOC_ACCEPTED);
    assert_int_equal(t, SLS_DOC_TYPE_JPEG);
    /* Generic declarations and unknown extensions decide nothing. */
    assert_int_equal(
        sls_doc_check_attachment(png, sizeof png, "application/octet-stream", "x", 100, &t),
        SLS_DOC_ACCEPTED);
    assert_int_equal(sls_doc_check_attachment(pdf, sizeof pdf, "", "Scan 12.05.2024", 100, &t),
                     SLS_DOC_ACCEPTED);
    assert_int_equal(sls_doc_check_attachment(heic, sizeof heic, NULL, NULL, 100, &t),
                     SLS_DOC_ACCEPTED);
    assert_int_equal(t, SLS_DOC_TYPE_HEIC);
    /* Size: exactly the limit passes, one byte more does not. */
    assert_int_equal(
        sls_doc_check_attachment(jpeg, sizeof jpeg, "image/jpeg", "a.jpg", sizeof jpeg, &t),
        SLS_DOC_ACCEPTED);
    assert_int_equal(
        sls_doc_check_attachment(jpeg, sizeof jpeg, "image/jpeg", "a.jpg", sizeof jpeg - 1, &t),
        SLS_DOC_TOO_LARGE);
    /* An executable renamed .jpg. */
    assert_int_equal(sls_doc_check_attachment(exe, sizeof exe, "image/jpeg", "id.jpg", 100, &t),
                     SLS_DOC_NOT_A_DOCUMENT);
    assert_int_equal(t, SLS_DOC_TYPE_NONE);
    assert_int_equal(sls_doc_check_attachment(jpeg, 0, "image/jpeg", "a.jpg", 100, &t),
                     SLS_DOC_NOT_A_DOCUMENT);
    /* Declared one type, detected another. */
    assert_int_equal(sls_doc_check_attachment(jpeg, sizeof jpeg, "image/png", "a.jpg", 100, &t),
                     SLS_DOC_TYPE_MISMATCH);
    assert_int_equal(sls_doc_check_attachment(jpeg, sizeof jpeg, "image/jpeg", "a.pdf", 100, &t),
                     SLS_DOC_TYPE_MISMATCH);
    assert_int_equal(sls_doc_check_attachment(jpeg, sizeof jpeg, "image/gif", "a.gif", 100, &t),
                     SLS_DOC_TYPE_MISMATCH);
    assert_int_equal(
        sls_doc_check_attachment(pdf, sizeof pdf, "application/x-msdownload", "a", 100, &t),
        SLS_DOC_TYPE_MISMATCH);
}

static void test_ignored_media(void **state)
{
    (void)state;
    assert_true(sls_doc_media_is_ignored("text/plain"));
    assert_true(sls_doc_media_is_ignored("TEXT/HTML"));
    assert_true(sls_doc_media_is_ignored("message/rfc822"));
    assert_true(sls_doc_media_is_ignored("application/pkcs7-signature"));
    assert_true(sls_doc_media_is_ignored("application/pgp-signature"));
    assert_false(sls_doc_media_is_ignored("image/jpeg"));
    assert_false(sls_doc_media_is_ignored("application/octet-stream"));
    assert_false(sls_doc_media_is_ignored("text"));
    assert_false(sls_doc_media_is_ignored(NULL));
}

static void test_reason_codes(void **state)
{
    (void)state;
    for (int r = 0; r < SLS_DOC_REASON__COUNT; r++) {
        const char *c = sls_doc_reason_code(r);
        assert_non_null(c);
        for (int o = r + 1; o < SLS_DOC_REASON__COUNT; o++)
            assert_string_not_equal(c, sls_doc_reason_code(o));
    }
    assert_string_equal(sls_doc_reason_code(SLS_DOC_WRONG_ADDRESS), "wrong_address");
    assert_string_equal(sls_doc_reason_code(SLS_DOC_REASON__COUNT), "unreadable");
    assert_string_equal(sls_doc_reason_code(-1), "unreadable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject_account), cmocka_unit_test(test_subject_purpose),
        cmocka_unit_test(test_subject_words),   cmocka_unit_test(test_country_list),
        cmocka_unit_test(test_route),           cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_declared_types),  cmocka_unit_test(test_check_attachment),
        cmocka_unit_test(test_ignored_media),   cmocka_unit_test(test_reason_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
