/* R10: how long a session lives. Valid while now < expires_at. Portal sessions
 * slide: each use moves expires_at to now + portal_idle. Trading sessions last
 * a fixed time from the login; those of the mobile authenticator (12 h with
 * its PIN, 30 h with biometrics) are extended when the user logs in again
 * with the same app within the period. */
#ifndef SLS_CORE_SESSION_POLICY_H
#define SLS_CORE_SESSION_POLICY_H

#include <stdbool.h>
#include "device.h"
#include "time.h"

enum sls_platform { SLS_PLATFORM_PORTAL = 0, SLS_PLATFORM_TRADING = 1 };

/* "portal" / "trading". parse returns 0 or -1. */
const char *sls_platform_name(enum sls_platform p);
int sls_platform_parse(const char *s, enum sls_platform *out);

enum sls_auth_mode { SLS_AUTH_NONE = 0, SLS_AUTH_PIN, SLS_AUTH_BIOMETRIC };

struct sls_session_policy {
    sls_time portal_idle;      /* 30 min */
    sls_time trading_lifetime; /* 24 h */
    sls_time ibkey_pin;        /* 12 h (trading, mobile authenticator approved with PIN) */
    sls_time ibkey_biometric;  /* 30 h (trading, approved with biometrics) */
};

void sls_session_policy_default(struct sls_session_policy *p);

/* expires_at of a session created at `now`. */
sls_time sls_session_expiry_new(const struct sls_session_policy *p, enum sls_platform platform,
                                enum sls_device_type factor, enum sls_auth_mode mode, sls_time now);

/* expires_at after the session is used at `now` (portal: slides; trading:
 * unchanged). Only call for a valid session. */
sls_time sls_session_expiry_touch(const struct sls_session_policy *p, enum sls_platform platform,
                                  sls_time expires_at, sls_time now);

bool sls_session_valid(sls_time expires_at, sls_time now);

/* R10 "extended while the user re-authenticates within the period": whether
 * a login of (platform, factor) extends the user's other sessions opened
 * with the same device. Only trading sessions of the mobile authenticator
 * are: portal sessions slide on use, other trading sessions last a fixed
 * time. */
bool sls_session_reauth_extends(enum sls_platform platform, enum sls_device_type factor);

/* expires_at of a session (platform, factor) after the user logged in again
 * with the same device at `now`, approved with `mode`: a session that
 * extends and is still valid at now lasts a new full period from now (the
 * period of the new approval's mode), never less than it had; any other
 * session keeps expires_at. */
sls_time sls_session_expiry_reauth(const struct sls_session_policy *p, enum sls_platform platform,
                                   enum sls_device_type factor, sls_time expires_at,
                                   enum sls_auth_mode mode, sls_time now);

#endif
