/* SPEC §10.3: choosing the R8 counter of an attempt (the account, unknown
 * clients, or one client token) and applying R8 to it alone. */
#include "client_lockout.h"

#include <string.h>

int sls_lockout_mode_parse(const char *s, enum sls_lockout_mode *out)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "account") == 0) {
        *out = SLS_LOCKOUT_MODE_ACCOUNT;
        return 0;
    }
    if (strcmp(s, "client") == 0) {
        *out = SLS_LOCKOUT_MODE_CLIENT;
        return 0;
    }
    return -1;
}

const char *sls_lockout_mode_name(enum sls_lockout_mode m)
{
    return m == SLS_LOCKOUT_MODE_CLIENT ? "client" : "account";
}

bool sls_client_token_valid(int64_t token_user_id, sls_time expires_at, int64_t user_id,
                            sls_time now)
{
    return token_user_id == user_id && user_id != 0 && now < expires_at;
}

struct sls_lockout_state *sls_counters_pick(struct sls_counters *c)
{
    return c->has_client ? &c->client : &c->user;
}

bool sls_counters_locked(const struct sls_counters *c, sls_time now, sls_time *until)
{
    const struct sls_lockout_state *s = c->has_client ? &c->client : &c->user;
    bool locked = sls_lockout_is_locked(s, now);

    if (until != NULL)
        *until = s->locked_until;
    return locked;
}

bool sls_counters_fail(struct sls_counters *c, const struct sls_lockout_policy *p, sls_time now,
                       bool *newly)
{
    struct sls_lockout_state *s = sls_counters_pick(c);
    bool was_locked = sls_lockout_is_locked(s, now);
    bool locked = sls_lockout_record_failure(s, p, now);

    if (newly != NULL)
        *newly = locked && !was_locked;
    return locked;
}

void sls_counters_succeed(struct sls_counters *c)
{
    sls_lockout_record_success(sls_counters_pick(c));
}
