/* R11 and R12: which platform a login may reach, and with what access, given
 * the account's state, the factor used and the time. */
#ifndef SLS_CORE_ACCESS_H
#define SLS_CORE_ACCESS_H

#include <stdbool.h>
#include "device.h"
#include "session_policy.h"
#include "time.h"

enum sls_account_state {
    SLS_ACCOUNT_PENDING = 0,
    SLS_ACCOUNT_APPROVED,
    SLS_ACCOUNT_CLOSED,
    SLS_ACCOUNT__COUNT
};

/* "pending", "approved", "closed". parse returns 0 or -1. */
const char *sls_account_state_name(enum sls_account_state s);
int sls_account_state_parse(const char *s, enum sls_account_state *out);

enum sls_access {
    SLS_ACCESS_REFUSED = 0,
    SLS_ACCESS_FULL,             /* "full" */
    SLS_ACCESS_ONLINE_CARD_ONLY, /* "online_card_only": R11 temporary passcode days 2..12 */
    SLS_ACCESS_READ_ONLY         /* "read_only": closed accounts, statements and tax forms */
};

/* "refused", "full", "online_card_only", "read_only". */
const char *sls_access_name(enum sls_access a);

struct sls_access_policy {
    int cutoff_seconds;            /* approval cut-off, seconds after 00:00 UTC; default 16:00 */
    sls_time temp_full;            /* temporary passcode full access: 2 days from issue */
    sls_time temp_portal;          /* temporary passcode portal-only ends: 12 days from issue */
    sls_time online_card_lifetime; /* 21 days from activation */
};

void sls_access_policy_default(struct sls_access_policy *p);

struct sls_account_view {
    enum sls_account_state state;
    sls_time approved_at; /* when it became approved; 0 if never */
    bool is_paper;        /* a paper-trading user (R12) */
    bool sls;             /* participates in SLS (needs a second factor) */
};

struct sls_platform_verdict {
    int err;                /* SLS_OK or SLS_ERR_PLATFORM_NOT_ALLOWED */
    char message[96];       /* why, when refused, e.g. "Trading access opens 2026-11-23" */
    bool second_factor;     /* a device must answer (false: closed accounts, SLS opt-out) */
    enum sls_access access; /* access granted when no second factor is asked */
};

/* R12 gate after a correct password. Refusals:
 *  - paper credentials without paper, or live ones with it;
 *  - pending account on trading: "Account not approved: Client Portal access only";
 *  - approved at or after the cut-off on the trading platform before 00:00 UTC of
 *    the next day: "Trading access opens YYYY-MM-DD";
 *  - closed account on trading: "Account closed: Client Portal access only".
 * A closed account reaches the portal read-only with no second factor.
 * Returns out->err. */
int sls_access_platform(const struct sls_account_view *acct, enum sls_platform platform,
                        bool paper_requested, const struct sls_access_policy *p, sls_time now,
                        struct sls_platform_verdict *out);

/* The instant trading opens for an account approved at approved_at. */
sls_time sls_access_trading_opens(sls_time approved_at, const struct sls_access_policy *p);

/* R11: access a factor grants on a platform at `now`. `since` is the issue
 * time of a temporary passcode or the activation time of an online card
 * (ignored for other factors). Windows are half-open: a temporary passcode is
 * full while now < since + temp_full, portal-only while now < since +
 * temp_portal; an online card is full while now < since + lifetime. */
enum sls_access sls_access_for_factor(enum sls_device_type factor, enum sls_platform platform,
                                      sls_time since, const struct sls_access_policy *p,
                                      sls_time now);

/* R11 on every request: the access a session opened at `granted` still has at
 * `now`. Sessions of a temporary passcode or an online card follow the
 * factor's window (see sls_access_for_factor; `since` as there): a full
 * session becomes online_card_only when the passcode's full window ends, and
 * any of them is refused when its last window ends. The access of sessions
 * opened with other factors never changes. Never more than `granted`. */
enum sls_access sls_access_session(enum sls_access granted, enum sls_device_type factor,
                                   enum sls_platform platform, sls_time since,
                                   const struct sls_access_policy *p, sls_time now);

/* R6, R11: the hint given with login_failed when a correct answer of `factor`
 * is refused on `platform` at `now` (sls_access_for_factor answered refused):
 * an expired temporary passcode or online card says so and sends the user to
 * the service desk; a temporary passcode past its full window on the trading
 * platform points to the Client Portal. Never NULL. */
const char *sls_access_refusal_hint(enum sls_device_type factor, enum sls_platform platform,
                                    sls_time since, const struct sls_access_policy *p,
                                    sls_time now);

#endif
