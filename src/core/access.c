/* R11 and R12: the platform gate after a correct password (account state,
 * approval cut-off, paper trading) and the access each factor grants. */
#include "access.h"

#include <stdint.h>
#include <string.h>

#include "error.h"

static const char *const state_names[SLS_ACCOUNT__COUNT] = {
    [SLS_ACCOUNT_PENDING] = "pending",
    [SLS_ACCOUNT_APPROVED] = "approved",
    [SLS_ACCOUNT_CLOSED] = "closed",
};

const char *sls_account_state_name(enum sls_account_state s)
{
    return (int)s >= 0 && s < SLS_ACCOUNT__COUNT ? state_names[s] : "unknown";
}

int sls_account_state_parse(const char *s, enum sls_account_state *out)
{
    if (s == NULL) {
        return -1;
    }
    for (int i = 0; i < SLS_ACCOUNT__COUNT; i++) {
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum sls_account_state)i;
            return 0;
        }
    }
    return -1;
}

const char *sls_access_name(enum sls_access a)
{
    switch (a) {
    case SLS_ACCESS_REFUSED:
        return "refused";
    case SLS_ACCESS_FULL:
        return "full";
    case SLS_ACCESS_ONLINE_CARD_ONLY:
        return "online_card_only";
    case SLS_ACCESS_READ_ONLY:
        return "read_only";
    }
    return "unknown";
}

void sls_access_policy_default(struct sls_access_policy *p)
{
    p->cutoff_seconds = 16 * 3600;
    p->temp_full = 2 * SLS_DAY;
    p->temp_portal = 12 * SLS_DAY;
    p->online_card_lifetime = 21 * SLS_DAY;
}

sls_time sls_access_trading_opens(sls_time approved_at, const struct sls_access_policy *p)
{
    sls_time day = sls_time_day_start(approved_at);
    /* approved_at >= day, and they are less than a day apart. */
    if (approved_at - day < (sls_time)p->cutoff_seconds) {
        return approved_at;
    }
    return sls_time_add(day, SLS_DAY);
}

/* Fills a refusal with message msg into out; returns its error. */
static int refuse(struct sls_platform_verdict *out, const char *msg)
{
    out->err = SLS_ERR_PLATFORM_NOT_ALLOWED;
    out->second_factor = false;
    out->access = SLS_ACCESS_REFUSED;
    size_t n = strlen(msg);
    if (n >= sizeof out->message) {
        n = sizeof out->message - 1;
    }
    memcpy(out->message, msg, n);
    out->message[n] = '\0';
    return out->err;
}

/* A refusal saying on which UTC day trading opens. */
static int refuse_until(struct sls_platform_verdict *out, sls_time opens)
{
    static const char prefix[] = "Trading access opens ";
    char msg[sizeof prefix + 10];
    memcpy(msg, prefix, sizeof prefix - 1);
    if (sls_time_format_date(opens, msg + sizeof prefix - 1, 11) != 0) {
        return refuse(out, "Account not approved: Client Portal access only");
    }
    return refuse(out, msg);
}

int sls_access_platform(const struct sls_account_view *acct, enum sls_platform platform,
                        bool paper_requested, const struct sls_access_policy *p, sls_time now,
                        struct sls_platform_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->err = SLS_OK;

    if (platform != SLS_PLATFORM_PORTAL && platform != SLS_PLATFORM_TRADING) {
        return refuse(out, "Platform not allowed");
    }
    if (acct->is_paper && !paper_requested) {
        return refuse(out, "Paper trading credentials: select paper trading to log in");
    }
    if (!acct->is_paper && paper_requested) {
        return refuse(out, "Live credentials cannot log into paper trading");
    }

    switch (acct->state) {
    case SLS_ACCOUNT_CLOSED:
        if (platform == SLS_PLATFORM_TRADING) {
            return refuse(out, "Account closed: Client Portal access only");
        }
        /* Statements and tax forms with username and password alone. */
        out->second_factor = false;
        out->access = SLS_ACCESS_READ_ONLY;
        return out->err;
    case SLS_ACCOUNT_PENDING:
        if (platform == SLS_PLATFORM_TRADING) {
            return refuse(out, "Account not approved: Client Portal access only");
        }
        break;
    case SLS_ACCOUNT_APPROVED:
        if (platform == SLS_PLATFORM_TRADING) {
            sls_time opens = sls_access_trading_opens(acct->approved_at, p);
            if (now < opens) {
                return refuse_until(out, opens);
            }
        }
        break;
    default:
        return refuse(out, "Platform not allowed");
    }

    /* A participant's access is decided by the factor (sls_access_for_factor);
     * outside SLS the password alone grants full access (R31 aside). */
    out->second_factor = acct->sls;
    out->access = acct->sls ? SLS_ACCESS_REFUSED : SLS_ACCESS_FULL;
    return out->err;
}

enum sls_access sls_access_for_factor(enum sls_device_type factor, enum sls_platform platform,
                                      sls_time since, const struct sls_access_policy *p,
                                      sls_time now)
{
    if (platform != SLS_PLATFORM_PORTAL && platform != SLS_PLATFORM_TRADING) {
        return SLS_ACCESS_REFUSED;
    }
    switch (factor) {
    case SLS_DEVICE_TEMP_PASSCODE:
        if (now < sls_time_add(since, p->temp_full)) {
            return SLS_ACCESS_FULL;
        }
        if (platform == SLS_PLATFORM_PORTAL && now < sls_time_add(since, p->temp_portal)) {
            return SLS_ACCESS_ONLINE_CARD_ONLY;
        }
        return SLS_ACCESS_REFUSED;
    case SLS_DEVICE_ONLINE_CARD:
        return now < sls_time_add(since, p->online_card_lifetime) ? SLS_ACCESS_FULL
                                                                  : SLS_ACCESS_REFUSED;
    case SLS_DEVICE_NONE: /* SLS opt-out (R30); the R31 restrictions apply elsewhere */
        return SLS_ACCESS_FULL;
    default:
        return sls_device_is_permanent(factor) ? SLS_ACCESS_FULL : SLS_ACCESS_REFUSED;
    }
}

enum sls_access sls_access_session(enum sls_access granted, enum sls_device_type factor,
                                   enum sls_platform platform, sls_time since,
                                   const struct sls_access_policy *p, sls_time now)
{
    if (factor != SLS_DEVICE_TEMP_PASSCODE && factor != SLS_DEVICE_ONLINE_CARD) {
        return granted;
    }
    enum sls_access window = sls_access_for_factor(factor, platform, since, p, now);
    if (window == SLS_ACCESS_REFUSED || granted == SLS_ACCESS_REFUSED) {
        return SLS_ACCESS_REFUSED;
    }
    if (window == SLS_ACCESS_ONLINE_CARD_ONLY || granted == SLS_ACCESS_ONLINE_CARD_ONLY) {
        return SLS_ACCESS_ONLINE_CARD_ONLY;
    }
    return granted == SLS_ACCESS_FULL ? SLS_ACCESS_FULL : SLS_ACCESS_REFUSED;
}

const char *sls_access_refusal_hint(enum sls_device_type factor, enum sls_platform platform,
                                    sls_time since, const struct sls_access_policy *p, sls_time now)
{
    switch (factor) {
    case SLS_DEVICE_TEMP_PASSCODE:
        if (platform == SLS_PLATFORM_TRADING && now < sls_time_add(since, p->temp_portal)) {
            return "Temporary passcode: trading access has ended; log in to the Client Portal "
                   "to get an online security card, or call the service desk";
        }
        return "Temporary passcode expired: please call the service desk";
    case SLS_DEVICE_ONLINE_CARD:
        return "Online security card expired: please call the service desk";
    default:
        return "Please call the service desk";
    }
}
