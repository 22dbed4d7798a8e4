/* R10: platform names and session lifetimes (portal sliding idle timeout,
 * fixed trading lifetime, mobile authenticator PIN / biometric lifetimes). */
#include "session_policy.h"

#include <stdint.h>
#include <string.h>

const char *sls_platform_name(enum sls_platform p)
{
    switch (p) {
    case SLS_PLATFORM_PORTAL:
        return "portal";
    case SLS_PLATFORM_TRADING:
        return "trading";
    }
    return "unknown";
}

int sls_platform_parse(const char *s, enum sls_platform *out)
{
    if (s == NULL) {
        return -1;
    }
    if (strcmp(s, "portal") == 0) {
        *out = SLS_PLATFORM_PORTAL;
        return 0;
    }
    if (strcmp(s, "trading") == 0) {
        *out = SLS_PLATFORM_TRADING;
        return 0;
    }
    return -1;
}

void sls_session_policy_default(struct sls_session_policy *p)
{
    p->portal_idle = 30 * SLS_MINUTE;
    p->trading_lifetime = 24 * SLS_HOUR;
    p->ibkey_pin = 12 * SLS_HOUR;
    p->ibkey_biometric = 30 * SLS_HOUR;
}

sls_time sls_session_expiry_new(const struct sls_session_policy *p, enum sls_platform platform,
                                enum sls_device_type factor, enum sls_auth_mode mode, sls_time now)
{
    if (platform != SLS_PLATFORM_TRADING) {
        return sls_time_add(now, p->portal_idle);
    }
    if (factor == SLS_DEVICE_IBKEY && mode == SLS_AUTH_PIN) {
        return sls_time_add(now, p->ibkey_pin);
    }
    if (factor == SLS_DEVICE_IBKEY && mode == SLS_AUTH_BIOMETRIC) {
        return sls_time_add(now, p->ibkey_biometric);
    }
    return sls_time_add(now, p->trading_lifetime);
}

sls_time sls_session_expiry_touch(const struct sls_session_policy *p, enum sls_platform platform,
                                  sls_time expires_at, sls_time now)
{
    if (platform == SLS_PLATFORM_TRADING) {
        return expires_at;
    }
    return sls_time_add(now, p->portal_idle);
}

bool sls_session_valid(sls_time expires_at, sls_time now)
{
    return now < expires_at;
}

bool sls_session_reauth_extends(enum sls_platform platform, enum sls_device_type factor)
{
    return platform == SLS_PLATFORM_TRADING && factor == SLS_DEVICE_IBKEY;
}

sls_time sls_session_expiry_reauth(const struct sls_session_policy *p, enum sls_platform platform,
                                   enum sls_device_type factor, sls_time expires_at,
                                   enum sls_auth_mode mode, sls_time now)
{
    sls_time renewed;

    if (!sls_session_reauth_extends(platform, factor) || !sls_session_valid(expires_at, now)) {
        return expires_at;
    }
    renewed = sls_session_expiry_new(p, platform, factor, mode, now);
    return renewed > expires_at ? renewed : expires_at;
}
