/* The R33 withdrawal table and the checks against it; the R31 deposit cap. */
#include "limits.h"

#define USD(x) ((int64_t)(x)*100)

static struct sls_limit cents(int64_t c)
{
    struct sls_limit l = {false, c};
    return l;
}

static const struct sls_limit UNLIMITED = {true, 0};

void sls_limit_policy_default(struct sls_limit_policy *p)
{
    /* 0: unlimited (dsc_plus, passkey) */
    static const int64_t day[SLS_LIMIT__COUNT] = {50000,   200000, 1000000, 200000,
                                                  1000000, 0,      200000,  0};
    static const int64_t five[SLS_LIMIT__COUNT] = {100000,  600000, 1000000, 600000,
                                                   1500000, 0,      600000,  0};
    int c;

    for (c = 0; c < SLS_LIMIT__COUNT; c++) {
        p->per_day[c] = day[c] == 0 ? UNLIMITED : cents(USD(day[c]));
        p->per_5_days[c] = five[c] == 0 ? UNLIMITED : cents(USD(five[c]));
    }
    p->deposit_cap_cents = SLS_DEPOSIT_CAP_DEFAULT_CENTS;
}

const char *sls_limit_class_name(enum sls_limit_class c)
{
    static const char *const names[SLS_LIMIT__COUNT] = {"none", "sms",      "ibkey", "scc",
                                                        "dsc",  "dsc_plus", "totp",  "passkey"};

    return (int)c >= 0 && c < SLS_LIMIT__COUNT ? names[c] : NULL;
}

static enum sls_limit_class class_of(enum sls_device_type t)
{
    switch (t) {
    case SLS_DEVICE_SMS:
        return SLS_LIMIT_SMS;
    case SLS_DEVICE_SCC:
        return SLS_LIMIT_SCC;
    case SLS_DEVICE_IBKEY:
        return SLS_LIMIT_IBKEY;
    case SLS_DEVICE_TOTP:
        return SLS_LIMIT_TOTP;
    case SLS_DEVICE_PASSKEY:
        return SLS_LIMIT_PASSKEY;
    case SLS_DEVICE_DSC:
        return SLS_LIMIT_DSC;
    case SLS_DEVICE_DSC_PLUS:
    case SLS_DEVICE_PLATINUM:
    case SLS_DEVICE_GOLD:
        return SLS_LIMIT_DSC_PLUS;
    default: /* none, temporary passcode, online card */
        return SLS_LIMIT_NONE;
    }
}

struct sls_limit_row sls_limit_row_of(const struct sls_limit_policy *p, enum sls_device_type t)
{
    enum sls_limit_class c = class_of(t);
    struct sls_limit_row r;

    r.device = c == SLS_LIMIT_NONE ? SLS_DEVICE_NONE : t;
    r.per_day = p->per_day[c];
    r.per_5_days = p->per_5_days[c];
    return r;
}

enum sls_device_type sls_limit_device(bool sls_member, enum sls_device_type session_factor,
                                      const struct sls_device_brief *devs, size_t n)
{
    enum sls_device_type best = SLS_DEVICE_NONE;
    size_t i;

    if (!sls_member || session_factor == SLS_DEVICE_NONE ||
        !sls_device_is_permanent(session_factor))
        return SLS_DEVICE_NONE;
    for (i = 0; i < n; i++) {
        if (devs[i].state != SLS_DEVSTATE_ACTIVE || !sls_device_is_permanent(devs[i].type))
            continue;
        if (sls_device_strength(devs[i].type) > sls_device_strength(best))
            best = devs[i].type;
    }
    return best;
}

struct sls_limit sls_limit_remaining(struct sls_limit limit, int64_t used)
{
    if (limit.unlimited)
        return limit;
    return cents(used >= limit.cents ? 0 : limit.cents - used);
}

static bool fits(struct sls_limit limit, int64_t used, int64_t amount)
{
    if (limit.unlimited)
        return true;
    /* amount + used <= limit, without overflow. */
    return used <= limit.cents && amount <= limit.cents - used;
}

bool sls_limit_allows(const struct sls_limit_row *row, int64_t used_today, int64_t used_5_days,
                      int64_t amount)
{
    return amount > 0 && fits(row->per_day, used_today, amount) &&
           fits(row->per_5_days, used_5_days, amount);
}

bool sls_deposit_allows(int64_t cap_cents, bool sls_member, bool capped_method, int64_t deposited,
                        int64_t amount)
{
    if (amount <= 0)
        return false;
    if (sls_member || !capped_method)
        return true;
    return fits(cents(cap_cents), deposited, amount);
}
