/* Tests of src/core/sharing.c: every R32 condition with its error, their
 * order, the strength comparison over both users' devices, and compliance
 * for requests across accounts; one step of a request judged on fresh data
 * (the device gone, the refusal's error, the state it takes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/sharing.h"

#define ID  "{\"citizenship\":\"US\",\"dob\":\"1980-01-02\",\"id_number\":\"123\"}"
#define ID2 "{\"citizenship\":\"US\",\"dob\":\"1980-01-03\",\"id_number\":\"123\"}"

static struct sls_sharing_party party(const char *identity, const char *account,
                                      const struct sls_device_brief *devs, size_t n)
{
    struct sls_sharing_party p = {identity, account, devs, n};
    return p;
}

static void test_same_account_shares_at_once(void **state)
{
    (void)state;
    struct sls_device_brief rd[] = {{SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID, "U1000001", rd, 1), o = party(ID, "U1000001", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS), SLS_SHARING_IMMEDIATE);
    assert_null(sls_sharing_error_code(SLS_SHARING_IMMEDIATE));
}

static void test_other_account_waits_for_compliance(void **state)
{
    (void)state;
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID, "U1000001", NULL, 0), o = party(ID, "U1000002", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS),
                     SLS_SHARING_PENDING_COMPLIANCE);
    assert_null(sls_sharing_error_code(SLS_SHARING_PENDING_COMPLIANCE));
}

static void test_different_identification(void **state)
{
    (void)state;
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID2, "U1000001", NULL, 0), o = party(ID, "U1000001", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS),
                     SLS_SHARING_DIFFERENT_IDENTIFICATION);
    /* No identification on record never matches, even on both sides. */
    r = party("", "U1000001", NULL, 0);
    o = party("", "U1000001", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS),
                     SLS_SHARING_DIFFERENT_IDENTIFICATION);
    assert_string_equal(sls_sharing_error_code(SLS_SHARING_DIFFERENT_IDENTIFICATION),
                        "different_identification");
}

static void test_temporary_device_on_either_side(void **state)
{
    (void)state;
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief temp[] = {{SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief printed[] = {{SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_SHIPPED}};
    struct sls_device_brief owner_temp[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE},
                                            {SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief revoked[] = {{SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_INACTIVE}};
    struct sls_sharing_party r = party(ID, "U1000001", temp, 1), o = party(ID, "U1000001", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS),
                     SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED);
    r = party(ID, "U1000001", printed, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS),
                     SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED);
    r = party(ID, "U1000001", NULL, 0);
    o = party(ID, "U1000001", owner_temp, 2);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS),
                     SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED);
    /* One no longer in force does not count. */
    r = party(ID, "U1000001", revoked, 1);
    o = party(ID, "U1000001", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC_PLUS), SLS_SHARING_IMMEDIATE);
}

static void test_ibkey_not_shareable(void **state)
{
    (void)state;
    struct sls_device_brief od[] = {{SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID, "U1000001", NULL, 0), o = party(ID, "U1000001", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_IBKEY), SLS_SHARING_IBKEY_NOT_SHAREABLE);
    assert_string_equal(sls_sharing_error_code(SLS_SHARING_IBKEY_NOT_SHAREABLE),
                        "ibkey_not_shareable");
}

static void test_less_secure_device(void **state)
{
    (void)state;
    struct sls_device_brief rd[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID, "U1000001", rd, 1), o = party(ID, "U1000001", od, 1);
    /* The requester's DSC+ beats the owner's DSC. */
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_DSC), SLS_SHARING_LESS_SECURE_DEVICE);
    assert_string_equal(sls_sharing_error_code(SLS_SHARING_LESS_SECURE_DEVICE),
                        "less_secure_device");
    /* The owner's own stronger device beats the one named. */
    struct sls_device_brief od2[] = {{SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE},
                                     {SLS_DEVICE_GOLD, SLS_DEVSTATE_ACTIVE}};
    r = party(ID, "U1000001", NULL, 0);
    o = party(ID, "U1000001", od2, 2);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_SCC), SLS_SHARING_LESS_SECURE_DEVICE);
    /* Equal strength is enough: a Gold is shared over a DSC+. */
    struct sls_device_brief rd3[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_INACTIVE}};
    r = party(ID, "U1000001", rd3, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_GOLD), SLS_SHARING_IMMEDIATE);
    /* Lost and returned devices no longer count. */
    struct sls_device_brief rd4[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_LOST},
                                     {SLS_DEVICE_PLATINUM, SLS_DEVSTATE_RETURNED}};
    struct sls_device_brief od4[] = {{SLS_DEVICE_SCC, SLS_DEVSTATE_ACTIVE}};
    r = party(ID, "U1000001", rd4, 2);
    o = party(ID, "U1000001", od4, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_SCC), SLS_SHARING_IMMEDIATE);
    /* A shipped device not yet activated counts. */
    struct sls_device_brief rd5[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED}};
    r = party(ID, "U1000001", rd5, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_SCC), SLS_SHARING_LESS_SECURE_DEVICE);
}

static void test_order_of_conditions(void **state)
{
    (void)state;
    /* Everything wrong at once: identification first, then temporary, then ibkey. */
    struct sls_device_brief rd[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE},
                                    {SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief od[] = {{SLS_DEVICE_IBKEY, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID2, "U1000001", rd, 2), o = party(ID, "U1000002", od, 1);
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_IBKEY),
                     SLS_SHARING_DIFFERENT_IDENTIFICATION);
    r.identity = ID;
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_IBKEY),
                     SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED);
    r.ndevices = 1;
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_IBKEY), SLS_SHARING_IBKEY_NOT_SHAREABLE);
    /* A refused request never reaches compliance. */
    assert_int_equal(sls_sharing_check(&r, &o, SLS_DEVICE_SMS), SLS_SHARING_LESS_SECURE_DEVICE);
}

static void test_state_names(void **state)
{
    (void)state;
    enum sls_sharing_state s;
    for (int i = 0; i < SLS_SHARING_STATE__COUNT; i++) {
        assert_int_equal(sls_sharing_state_parse(sls_sharing_state_name(i), &s), 0);
        assert_int_equal(s, i);
    }
    assert_string_equal(sls_sharing_state_name(SLS_SHARING_STATE_PENDING), "pending_compliance");
    assert_int_equal(sls_sharing_state_parse("bogus", &s), -1);
    for (int v = SLS_SHARING_DIFFERENT_IDENTIFICATION; v <= SLS_SHARING_LESS_SECURE_DEVICE; v++)
        assert_non_null(sls_sharing_error_message(v));
}

/* The owner's device must still be theirs and active; the conditions come after. */
static void test_step_device_gone(void **state)
{
    (void)state;
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_sharing_party r = party(ID, "U1000001", NULL, 0), o = party(ID, "U1000001", od, 1);
    struct sls_device_brief d = {SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE};
    struct sls_sharing_step s;
    enum sls_device_state gone[] = {SLS_DEVSTATE_SHIPPED, SLS_DEVSTATE_INACTIVE, SLS_DEVSTATE_LOST,
                                    SLS_DEVSTATE_RETURNED};

    s = sls_sharing_decide(&r, &o, NULL);
    assert_true(s.device_gone);
    assert_int_equal(s.err, SLS_ERR_CONFLICT);
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
        d.state = gone[i];
        s = sls_sharing_decide(&r, &o, &d);
        assert_true(s.device_gone);
        assert_int_not_equal(s.err, SLS_OK);
    }
    /* Gone is answered before a condition that fails too. */
    r = party(ID2, "U1000001", NULL, 0);
    d.state = SLS_DEVSTATE_INACTIVE;
    assert_true(sls_sharing_decide(&r, &o, &d).device_gone);
    d.state = SLS_DEVSTATE_ACTIVE;
    s = sls_sharing_decide(&r, &o, &d);
    assert_false(s.device_gone);
    assert_int_equal(s.verdict, SLS_SHARING_DIFFERENT_IDENTIFICATION);
    assert_int_equal(s.err, SLS_ERR_DIFFERENT_IDENTIFICATION);
}

/* Accepted: active within an account, pending compliance across accounts. */
static void test_step_state(void **state)
{
    (void)state;
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief d = {SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE};
    struct sls_sharing_party r = party(ID, "U1000001", NULL, 0), o = party(ID, "U1000001", od, 1);
    struct sls_sharing_step s = sls_sharing_decide(&r, &o, &d);

    assert_false(s.device_gone);
    assert_int_equal(s.err, SLS_OK);
    assert_int_equal(s.verdict, SLS_SHARING_IMMEDIATE);
    assert_int_equal(s.state, SLS_SHARING_STATE_ACTIVE);
    o = party(ID, "U1000002", od, 1);
    s = sls_sharing_decide(&r, &o, &d);
    assert_int_equal(s.err, SLS_OK);
    assert_int_equal(s.verdict, SLS_SHARING_PENDING_COMPLIANCE);
    assert_int_equal(s.state, SLS_SHARING_STATE_PENDING);
}

/* Strength at the boundary: equal to the strongest of both is enough, one
 * less refuses, with the refusal's error. */
static void test_step_strength_boundary(void **state)
{
    (void)state;
    struct sls_device_brief rd[] = {{SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief od[] = {{SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE}};
    struct sls_device_brief d = {SLS_DEVICE_DSC, SLS_DEVSTATE_ACTIVE};
    struct sls_sharing_party r = party(ID, "U1000001", rd, 1), o = party(ID, "U1000001", od, 1);
    struct sls_sharing_step s = sls_sharing_decide(&r, &o, &d);

    assert_int_equal(s.err, SLS_OK);
    rd[0].type = SLS_DEVICE_GOLD; /* strength 5 > dsc's 4 */
    s = sls_sharing_decide(&r, &o, &d);
    assert_int_equal(s.verdict, SLS_SHARING_LESS_SECURE_DEVICE);
    assert_int_equal(s.err, SLS_ERR_LESS_SECURE_DEVICE);
    /* A lost stronger device no longer counts. */
    rd[0].state = SLS_DEVSTATE_LOST;
    assert_int_equal(sls_sharing_decide(&r, &o, &d).err, SLS_OK);
}

static void test_errors_of_verdicts(void **state)
{
    (void)state;
    assert_int_equal(sls_sharing_error(SLS_SHARING_IMMEDIATE), SLS_OK);
    assert_int_equal(sls_sharing_error(SLS_SHARING_PENDING_COMPLIANCE), SLS_OK);
    assert_int_equal(sls_sharing_error(SLS_SHARING_DIFFERENT_IDENTIFICATION),
                     SLS_ERR_DIFFERENT_IDENTIFICATION);
    assert_int_equal(sls_sharing_error(SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED),
                     SLS_ERR_TEMPORARY_DEVICE_ASSIGNED);
    assert_int_equal(sls_sharing_error(SLS_SHARING_IBKEY_NOT_SHAREABLE),
                     SLS_ERR_IBKEY_NOT_SHAREABLE);
    assert_int_equal(sls_sharing_error(SLS_SHARING_LESS_SECURE_DEVICE), SLS_ERR_LESS_SECURE_DEVICE);
}

static void test_shareable_devices(void **state)
{
    (void)state;
    assert_true(sls_sharing_device_shareable(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_ACTIVE));
    assert_true(sls_sharing_device_shareable(SLS_DEVICE_SMS, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_sharing_device_shareable(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_SHIPPED));
    assert_false(sls_sharing_device_shareable(SLS_DEVICE_DSC_PLUS, SLS_DEVSTATE_INACTIVE));
    assert_false(sls_sharing_device_shareable(SLS_DEVICE_TEMP_PASSCODE, SLS_DEVSTATE_ACTIVE));
    assert_false(sls_sharing_device_shareable(SLS_DEVICE_ONLINE_CARD, SLS_DEVSTATE_ACTIVE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_account_shares_at_once),
        cmocka_unit_test(test_other_account_waits_for_compliance),
        cmocka_unit_test(test_different_identification),
        cmocka_unit_test(test_temporary_device_on_either_side),
        cmocka_unit_test(test_ibkey_not_shareable),
        cmocka_unit_test(test_less_secure_device),
        cmocka_unit_test(test_order_of_conditions),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_step_device_gone),
        cmocka_unit_test(test_step_state),
        cmocka_unit_test(test_step_strength_boundary),
        cmocka_unit_test(test_errors_of_verdicts),
        cmocka_unit_test(test_shareable_devices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
