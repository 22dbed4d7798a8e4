/* Tests of src/core/sharing.c: every R32 condition with its error, their
 * order, the strength comparison over both users' devices, and compliance
 * for requests across accounts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
