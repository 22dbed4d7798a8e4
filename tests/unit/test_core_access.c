/* Tests of src/core/access.c: R12 platform gate (cut-off, next-day opening,
 * pending, closed, paper) and R11 access by factor at the boundary seconds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/access.h"
#include "core/error.h"

#define D    ((sls_time)1795305600) /* 2026-11-22T00:00:00Z */
#define NEXT (D + SLS_DAY)          /* 2026-11-23T00:00:00Z */
#define CUT  (D + 16 * SLS_HOUR)    /* 2026-11-22T16:00:00Z */

static struct sls_access_policy defaults(void)
{
    struct sls_access_policy p;
    sls_access_policy_default(&p);
    return p;
}

static void test_defaults_and_names(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    assert_int_equal(p.cutoff_seconds, 57600);
    assert_int_equal(p.temp_full, 2 * 86400);
    assert_int_equal(p.temp_portal, 12 * 86400);
    assert_int_equal(p.online_card_lifetime, 21 * 86400);

    static const char *const states[] = {"pending", "approved", "closed"};
    for (int i = 0; i < SLS_ACCOUNT__COUNT; i++) {
        enum sls_account_state s = SLS_ACCOUNT__COUNT;
        assert_string_equal(sls_account_state_name((enum sls_account_state)i), states[i]);
        assert_int_equal(sls_account_state_parse(states[i], &s), 0);
        assert_int_equal(s, i);
    }
    enum sls_account_state s = SLS_ACCOUNT_CLOSED;
    assert_int_equal(sls_account_state_parse("Approved", &s), -1);
    assert_int_equal(sls_account_state_parse("", &s), -1);
    assert_int_equal(sls_account_state_parse(NULL, &s), -1);
    assert_int_equal(s, SLS_ACCOUNT_CLOSED);
    assert_non_null(sls_account_state_name(SLS_ACCOUNT__COUNT));

    assert_string_equal(sls_access_name(SLS_ACCESS_REFUSED), "refused");
    assert_string_equal(sls_access_name(SLS_ACCESS_FULL), "full");
    assert_string_equal(sls_access_name(SLS_ACCESS_ONLINE_CARD_ONLY), "online_card_only");
    assert_string_equal(sls_access_name(SLS_ACCESS_READ_ONLY), "read_only");
}

static void test_trading_opens(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    static const struct {
        sls_time approved, opens;
    } cases[] = {
        {D, D},
        {CUT - 1, CUT - 1},
        {CUT, NEXT},
        {NEXT - 1, NEXT},
        {NEXT, NEXT},
        {1798732800 - 1, 1798732800 - 1}, /* 2026-12-31T15:59:59Z */
        {1798732800, 1798761600},         /* 2026-12-31T16:00:00Z -> 2027-01-01 */
        {1709136000, 1709164800},         /* 2024-02-28T16:00:00Z -> 2024-02-29 */
        {0, 0},
        {-1, 0}, /* 1969-12-31T23:59:59Z */
        {-SLS_DAY + 57599, -SLS_DAY + 57599},
        {-SLS_DAY + 57600, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(sls_access_trading_opens(cases[i].approved, &p), cases[i].opens);
    }
    p.cutoff_seconds = 9 * 3600;
    assert_int_equal(sls_access_trading_opens(D + 9 * 3600 - 1, &p), D + 9 * 3600 - 1);
    assert_int_equal(sls_access_trading_opens(D + 9 * 3600, &p), NEXT);
}

struct gate_case {
    const char *what;
    enum sls_account_state st;
    sls_time approved_at;
    bool is_paper, sls;
    enum sls_platform platform;
    bool paper;
    sls_time now;
    int err;
    const char *message;
    bool second_factor;
    enum sls_access access;
};

#define PORTAL  SLS_PLATFORM_PORTAL
#define TRADING SLS_PLATFORM_TRADING
#define OK      SLS_OK, ""
#define NO      SLS_ERR_PLATFORM_NOT_ALLOWED
#define PENDING SLS_ACCOUNT_PENDING
#define APPR    SLS_ACCOUNT_APPROVED
#define CLOSED  SLS_ACCOUNT_CLOSED
#define REF     SLS_ACCESS_REFUSED
#define FULL    SLS_ACCESS_FULL

static const char opens_23[] = "Trading access opens 2026-11-23";
static const char paper_msg[] = "Paper trading credentials: select paper trading to log in";
static const char live_msg[] = "Live credentials cannot log into paper trading";
static const char pending_msg[] = "Account not approved: Client Portal access only";
static const char closed_msg[] = "Account closed: Client Portal access only";

static const struct gate_case gates[] = {
    /* cut-off: 15:59:59 opens trading at once, 16:00:00 the next day */
    {"cutoff-1", APPR, CUT - 1, false, true, TRADING, false, CUT - 1, OK, true, REF},
    {"cutoff", APPR, CUT, false, true, TRADING, false, CUT, NO, opens_23, false, REF},
    {"cutoff portal", APPR, CUT, false, true, PORTAL, false, CUT, OK, true, REF},
    /* next-day opening: 23:59:59 still refused, 00:00:00 open */
    {"23:59:59", APPR, CUT, false, true, TRADING, false, NEXT - 1, NO, opens_23, false, REF},
    {"00:00:00", APPR, CUT, false, true, TRADING, false, NEXT, OK, true, REF},
    {"approved 23:59:59", APPR, NEXT - 1, false, true, TRADING, false, NEXT - 1, NO, opens_23,
     false, REF},
    {"approved 23:59:59 next", APPR, NEXT - 1, false, true, TRADING, false, NEXT, OK, true, REF},
    {"year end", APPR, 1798732800, false, true, TRADING, false, 1798732800, NO,
     "Trading access opens 2027-01-01", false, REF},
    {"leap day", APPR, 1709136000, false, true, TRADING, false, 1709136000 + 3600, NO,
     "Trading access opens 2024-02-29", false, REF},
    {"long approved", APPR, 1000, false, true, TRADING, false, D, OK, true, REF},
    /* pending */
    {"pending trading", PENDING, 0, false, true, TRADING, false, D, NO, pending_msg, false, REF},
    {"pending portal", PENDING, 0, false, true, PORTAL, false, D, OK, true, REF},
    {"pending portal opt-out", PENDING, 0, false, false, PORTAL, false, D, OK, false, FULL},
    /* closed: portal read-only without a device, trading refused */
    {"closed portal", CLOSED, 1000, false, true, PORTAL, false, D, OK, false, SLS_ACCESS_READ_ONLY},
    {"closed portal opt-out", CLOSED, 1000, false, false, PORTAL, false, D, OK, false,
     SLS_ACCESS_READ_ONLY},
    {"closed trading", CLOSED, 1000, false, true, TRADING, false, D, NO, closed_msg, false, REF},
    /* paper mismatch both ways, on both platforms */
    {"paper without", APPR, 1000, true, true, TRADING, false, D, NO, paper_msg, false, REF},
    {"paper without portal", APPR, 1000, true, true, PORTAL, false, D, NO, paper_msg, false, REF},
    {"live with paper", APPR, 1000, false, true, TRADING, true, D, NO, live_msg, false, REF},
    {"live with paper portal", APPR, 1000, false, true, PORTAL, true, D, NO, live_msg, false, REF},
    {"paper with paper", APPR, 1000, true, true, TRADING, true, D, OK, true, REF},
    {"paper closed", CLOSED, 1000, true, true, PORTAL, false, D, NO, paper_msg, false, REF},
    /* SLS opt-out: the password is enough */
    {"opt-out trading", APPR, 1000, false, false, TRADING, false, D, OK, false, FULL},
    {"opt-out after cutoff", APPR, CUT, false, false, TRADING, false, CUT, NO, opens_23, false,
     REF},
};

static void test_platform_gate(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    for (size_t i = 0; i < sizeof gates / sizeof gates[0]; i++) {
        const struct gate_case *c = &gates[i];
        struct sls_account_view acct = {
            .state = c->st, .approved_at = c->approved_at, .is_paper = c->is_paper, .sls = c->sls};
        struct sls_platform_verdict v;
        memset(&v, 0x5a, sizeof v);
        int err = sls_access_platform(&acct, c->platform, c->paper, &p, c->now, &v);
        print_message("case %s\n", c->what);
        assert_int_equal(err, c->err);
        assert_int_equal(v.err, c->err);
        assert_string_equal(v.message, c->message);
        assert_int_equal(v.second_factor, c->second_factor);
        assert_int_equal(v.access, c->access);
    }
}

static void test_platform_gate_bad_input(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    struct sls_account_view acct = {.state = SLS_ACCOUNT__COUNT, .sls = true};
    struct sls_platform_verdict v;
    assert_int_equal(sls_access_platform(&acct, PORTAL, false, &p, D, &v), NO);
    assert_int_equal(v.access, REF);
    acct.state = APPR;
    assert_int_equal(sls_access_platform(&acct, (enum sls_platform)7, false, &p, D, &v), NO);
    assert_int_equal(v.access, REF);
}

struct factor_case {
    enum sls_device_type factor;
    sls_time offset; /* now - since */
    enum sls_access portal, trading;
};

#define DAY SLS_DAY

static const struct factor_case factors[] = {
    {SLS_DEVICE_TEMP_PASSCODE, 0, FULL, FULL},
    {SLS_DEVICE_TEMP_PASSCODE, 2 * DAY - 1, FULL, FULL},
    {SLS_DEVICE_TEMP_PASSCODE, 2 * DAY, SLS_ACCESS_ONLINE_CARD_ONLY, REF},
    {SLS_DEVICE_TEMP_PASSCODE, 12 * DAY - 1, SLS_ACCESS_ONLINE_CARD_ONLY, REF},
    {SLS_DEVICE_TEMP_PASSCODE, 12 * DAY, REF, REF},
    {SLS_DEVICE_TEMP_PASSCODE, 400 * DAY, REF, REF},
    {SLS_DEVICE_ONLINE_CARD, 0, FULL, FULL},
    {SLS_DEVICE_ONLINE_CARD, 21 * DAY - 1, FULL, FULL},
    {SLS_DEVICE_ONLINE_CARD, 21 * DAY, REF, REF},
    {SLS_DEVICE_SMS, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_SCC, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_IBKEY, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_DSC, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_DSC_PLUS, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_PLATINUM, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_GOLD, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE_NONE, 1000 * DAY, FULL, FULL},
    {SLS_DEVICE__COUNT, 0, REF, REF},
};

static void test_access_for_factor(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    static const sls_time sinces[] = {D, -5 * DAY, 0};
    for (size_t s = 0; s < sizeof sinces / sizeof sinces[0]; s++) {
        for (size_t i = 0; i < sizeof factors / sizeof factors[0]; i++) {
            const struct factor_case *c = &factors[i];
            sls_time now = sinces[s] + c->offset;
            assert_int_equal(sls_access_for_factor(c->factor, PORTAL, sinces[s], &p, now),
                             c->portal);
            assert_int_equal(sls_access_for_factor(c->factor, TRADING, sinces[s], &p, now),
                             c->trading);
        }
    }
    assert_int_equal(sls_access_for_factor(SLS_DEVICE_GOLD, (enum sls_platform)9, D, &p, D), REF);
    /* A huge window does not overflow. */
    p.online_card_lifetime = INT64_MAX;
    assert_int_equal(sls_access_for_factor(SLS_DEVICE_ONLINE_CARD, PORTAL, D, &p, INT64_MAX - 1),
                     FULL);
}

#define OCO SLS_ACCESS_ONLINE_CARD_ONLY

struct session_case {
    enum sls_access granted;
    enum sls_device_type factor;
    enum sls_platform platform;
    sls_time offset; /* now - since */
    enum sls_access now_has;
};

static const struct session_case sessions[] = {
    /* A portal session opened in the first 2 days is full, then card-only, then over. */
    {FULL, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 0, FULL},
    {FULL, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 2 * DAY - 1, FULL},
    {FULL, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 2 * DAY, OCO},
    {FULL, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 12 * DAY - 1, OCO},
    {FULL, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 12 * DAY, REF},
    /* One opened card-only stays card-only, never more. */
    {OCO, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 0, OCO},
    {OCO, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 12 * DAY - 1, OCO},
    {OCO, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 12 * DAY, REF},
    /* Trading ends with the full window. */
    {FULL, SLS_DEVICE_TEMP_PASSCODE, TRADING, 2 * DAY - 1, FULL},
    {FULL, SLS_DEVICE_TEMP_PASSCODE, TRADING, 2 * DAY, REF},
    {REF, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 0, REF},
    {SLS_ACCESS_READ_ONLY, SLS_DEVICE_TEMP_PASSCODE, PORTAL, 0, REF},
    /* Online card: 21 days from activation. */
    {FULL, SLS_DEVICE_ONLINE_CARD, TRADING, 21 * DAY - 1, FULL},
    {FULL, SLS_DEVICE_ONLINE_CARD, PORTAL, 21 * DAY, REF},
    /* Other factors keep what they were given. */
    {FULL, SLS_DEVICE_DSC_PLUS, TRADING, 1000 * DAY, FULL},
    {SLS_ACCESS_READ_ONLY, SLS_DEVICE_NONE, PORTAL, 1000 * DAY, SLS_ACCESS_READ_ONLY},
    {FULL, SLS_DEVICE_NONE, TRADING, 1000 * DAY, FULL},
};

static void test_access_session(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++) {
        const struct session_case *c = &sessions[i];
        print_message("case %zu\n", i);
        assert_int_equal(
            sls_access_session(c->granted, c->factor, c->platform, D, &p, D + c->offset),
            c->now_has);
    }
}

static void test_refusal_hints(void **state)
{
    (void)state;
    struct sls_access_policy p = defaults();
    const char *expired = "Temporary passcode expired: please call the service desk";
    const char *trading =
        sls_access_refusal_hint(SLS_DEVICE_TEMP_PASSCODE, TRADING, D, &p, D + 2 * DAY);

    assert_non_null(strstr(trading, "Client Portal"));
    assert_non_null(strstr(trading, "service desk"));
    assert_string_equal(
        sls_access_refusal_hint(SLS_DEVICE_TEMP_PASSCODE, TRADING, D, &p, D + 12 * DAY - 1),
        trading);
    assert_string_equal(
        sls_access_refusal_hint(SLS_DEVICE_TEMP_PASSCODE, TRADING, D, &p, D + 12 * DAY), expired);
    assert_string_equal(
        sls_access_refusal_hint(SLS_DEVICE_TEMP_PASSCODE, PORTAL, D, &p, D + 12 * DAY), expired);
    assert_string_equal(
        sls_access_refusal_hint(SLS_DEVICE_TEMP_PASSCODE, PORTAL, D, &p, D + 400 * DAY), expired);
    assert_string_equal(
        sls_access_refusal_hint(SLS_DEVICE_ONLINE_CARD, PORTAL, D, &p, D + 21 * DAY),
        "Online security card expired: please call the service desk");
    assert_string_equal(sls_access_refusal_hint(SLS_DEVICE_GOLD, TRADING, D, &p, D),
                        "Please call the service desk");
    assert_string_equal(sls_access_refusal_hint(SLS_DEVICE__COUNT, TRADING, D, &p, D),
                        "Please call the service desk");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_names), cmocka_unit_test(test_trading_opens),
        cmocka_unit_test(test_platform_gate),      cmocka_unit_test(test_platform_gate_bad_input),
        cmocka_unit_test(test_access_for_factor),  cmocka_unit_test(test_access_session),
        cmocka_unit_test(test_refusal_hints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
