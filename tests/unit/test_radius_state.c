/* Tests of src/server/radius/state.c: a State names its login for its
 * client only; any change to it, another client or another key is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/crypto.h"
#include "server/radius/state.h"

static const char login_id[] = "0123456789abcdef0123456789abcdef";

static int setup(void **state)
{
    (void)state;
    return sls_crypto_init();
}

static void made_and_checked(void **state)
{
    uint8_t server_key[32], key[SLS_RADIUS_STATE_KEY], other[SLS_RADIUS_STATE_KEY];
    uint8_t s[SLS_RADIUS_STATE_LEN];
    char id[SLS_ID_LEN + 1];
    (void)state;

    memset(server_key, 0x5a, sizeof(server_key));
    assert_int_equal(sls_radius_state_key(server_key, sizeof(server_key), key), 0);
    server_key[0] ^= 1;
    assert_int_equal(sls_radius_state_key(server_key, sizeof(server_key), other), 0);
    assert_memory_not_equal(key, other, sizeof(key));
    assert_int_equal(sls_radius_state_make(key, "vpn1", login_id, s), 0);
    assert_memory_equal(s, "S1", 2);
    assert_true(sls_radius_state_check(key, "vpn1", s, sizeof(s), id));
    assert_string_equal(id, login_id);
    /* Another client, another key, a shorter or longer State. */
    assert_false(sls_radius_state_check(key, "vpn2", s, sizeof(s), id));
    assert_string_equal(id, "");
    assert_false(sls_radius_state_check(key, "vpn", s, sizeof(s), id));
    assert_false(sls_radius_state_check(other, "vpn1", s, sizeof(s), id));
    assert_false(sls_radius_state_check(key, "vpn1", s, sizeof(s) - 1, id));
    /* Any octet changed. */
    for (size_t i = 0; i < sizeof(s); i++) {
        s[i] ^= 0x01;
        assert_false(sls_radius_state_check(key, "vpn1", s, sizeof(s), id));
        s[i] ^= 0x01;
    }
    /* Not a login id. */
    assert_int_equal(sls_radius_state_make(key, "vpn1", "0123", s), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(made_and_checked)};
    return cmocka_run_group_tests(tests, setup, NULL);
}
