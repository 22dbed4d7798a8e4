/* The R33 withdrawal table and the checks against it; the R31 deposit cap. */
#include "limits.h"

#define USD(x) ((int64_t)(x)*100)

static struct sls_limit cents(int64_t c)
{
    struct sls_limit l = {false, c};
    return l;
}

static const struct sls_limit UNLIMITED = {true, 0};

struct sls_limit_row sls_limit_row_of(enum sls_device_type t)
{
    struct sls_limit_row r;

    r.device = t;
    switch (t) {
    case SLS_DEVICE_SMS:
    case SLS_DEVICE_SCC:
        r.per_day = cents(USD(200000));
        r.per_5_days = cents(USD(600000));
        break;
    case SLS_DEVICE_IBKEY:
        r.per_day = cents(USD(1000000));
        r.per_5_days = cents(USD(1000000));
        break;
    case SLS_DEVICE_DSC:
        r.per_day = cents(USD(1000000));
        r.per_5_days = cents(USD(1500000));
        break;
    case SLS_DEVICE_DSC_PLUS:
    case SLS_DEVICE_PLATINUM:
    case SLS_DEVICE_GOLD:
        r.per_day = UNLIMITED;
        r.per_5_days = UNLIMITED;
        break;
    default: /* none, temporary passcode, online card */
        r.device = SLS_DEVICE_NONE;
        r.per_day = cents(USD(50000));
        r.per_5_days = cents(USD(100000));
        break;
    }
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

bool sls_deposit_allows(bool sls_member, bool capped_method, int64_t deposited, int64_t amount)
{
    if (amount <= 0)
        return false;
    if (sls_member || !capped_method)
        return true;
    return fits(cents(SLS_DEPOSIT_CAP_CENTS), deposited, amount);
}
