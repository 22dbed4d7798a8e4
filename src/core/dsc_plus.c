/* R21 Digital Security Card+ lifecycle rules; see dsc_plus.h. */
#include "dsc_plus.h"

#include <string.h>

#include "error.h"

void sls_dsc_plus_policy_default(struct sls_dsc_plus_policy *p)
{
    p->equity_min_cents = SLS_DSC_PLUS_EQUITY_MIN_DEFAULT;
    p->hold_cents = SLS_DSC_PLUS_HOLD_DEFAULT;
    p->auto_activation = 21 * SLS_DAY;
    p->first_notice = 3 * SLS_DAY;
    p->last_notice = 1 * SLS_DAY;
}

/* The cards a DSC+ replaces: the DSC+ itself and the legacy Platinum and Gold. */
static bool replaceable(enum sls_device_type t)
{
    return t == SLS_DEVICE_DSC_PLUS || t == SLS_DEVICE_PLATINUM || t == SLS_DEVICE_GOLD;
}

enum sls_dsc_plus_eligibility sls_dsc_plus_eligibility(int64_t equity_cents,
                                                       const struct sls_device_brief *devs,
                                                       size_t n, bool open_order,
                                                       const struct sls_dsc_plus_policy *p)
{
    if (open_order)
        return SLS_DSC_PLUS_ORDER_OPEN;
    if (equity_cents >= p->equity_min_cents)
        return SLS_DSC_PLUS_ELIGIBLE_EQUITY;
    for (size_t i = 0; devs != NULL && i < n; i++) {
        /* Broken cards come back to the desk and are recorded returned. */
        if (replaceable(devs[i].type) &&
            (devs[i].state == SLS_DEVSTATE_LOST || devs[i].state == SLS_DEVSTATE_RETURNED))
            return SLS_DSC_PLUS_ELIGIBLE_REPLACEMENT;
    }
    return SLS_DSC_PLUS_NOT_ELIGIBLE;
}

bool sls_dsc_plus_order_open(bool shipped, bool settled, bool card_found,
                             enum sls_device_state card_state)
{
    if (!shipped)
        return true;
    return !settled && card_found && card_state == SLS_DEVSTATE_SHIPPED;
}

int sls_dsc_plus_order_decide(const struct sls_dsc_plus_order_facts *f,
                              const struct sls_dsc_plus_policy *p,
                              struct sls_dsc_plus_order_verdict *out)
{
    memset(out, 0, sizeof(*out));
    out->why = sls_dsc_plus_eligibility(f->equity_cents, f->devices, f->ndevices, f->open_order, p);
    out->reason = out->why == SLS_DSC_PLUS_ELIGIBLE_EQUITY ? "equity" : "replacement";
    if (out->why == SLS_DSC_PLUS_ORDER_OPEN) {
        out->err = SLS_ERR_CONFLICT;
        out->message = "A Digital Security Card+ is already on order or waiting for activation";
    } else if (out->why == SLS_DSC_PLUS_NOT_ELIGIBLE) {
        out->err = SLS_ERR_NOT_ELIGIBLE;
        out->hint = "Call the service desk if your card was lost or broken";
    } else if (!f->has_address) {
        out->err = SLS_ERR_BAD_REQUEST;
        out->message = "Field 'address' is required: there is no shipping address on record";
    } else if (!f->deposit_own && !f->deposit_same_identity) {
        out->err = SLS_ERR_BAD_REQUEST;
        out->message = "Field 'deposit_account' must be your account or another account of yours";
    }
    if (out->err != SLS_OK)
        out->reason = NULL;
    return out->err;
}

enum sls_device_return sls_device_return_check(enum sls_device_type type,
                                               enum sls_device_state state)
{
    if (!sls_device_is_permanent(type) || type == SLS_DEVICE_SMS || type == SLS_DEVICE_IBKEY)
        return SLS_DEVICE_RETURN_NOT_PHYSICAL;
    if (state == SLS_DEVSTATE_LOST)
        return SLS_DEVICE_RETURN_LOST;
    if (state == SLS_DEVSTATE_RETURNED)
        return SLS_DEVICE_RETURN_ALREADY;
    return SLS_DEVICE_RETURN_OK;
}

sls_time sls_dsc_plus_estimated_ship(sls_time now)
{
    sls_time day = sls_time_day_start(now) + SLS_DAY;
    /* 1970-01-01 was a Thursday: (days + 3) % 7 is 0 on Mondays. */
    for (;;) {
        int64_t weekday = ((day / SLS_DAY) % 7 + 7 + 3) % 7; /* 0 Monday .. 6 Sunday */
        if (weekday < 5)
            return day;
        day += SLS_DAY;
    }
}

sls_time sls_dsc_plus_auto_activation_at(sls_time shipped_at, const struct sls_dsc_plus_policy *p)
{
    return shipped_at + p->auto_activation;
}

bool sls_dsc_plus_auto_activation_due(sls_time shipped_at, const struct sls_dsc_plus_policy *p,
                                      sls_time now)
{
    return now >= sls_dsc_plus_auto_activation_at(shipped_at, p);
}

sls_time sls_dsc_plus_notice_at(sls_time shipped_at, enum sls_dsc_plus_notice notice,
                                const struct sls_dsc_plus_policy *p)
{
    sls_time before = notice == SLS_DSC_PLUS_NOTICE_FIRST ? p->first_notice : p->last_notice;
    return sls_dsc_plus_auto_activation_at(shipped_at, p) - before;
}

/* The notices whose instant has come by now. */
static unsigned passed(sls_time shipped_at, const struct sls_dsc_plus_policy *p, sls_time now)
{
    unsigned mask = 0;

    if (now >= sls_dsc_plus_notice_at(shipped_at, SLS_DSC_PLUS_NOTICE_FIRST, p))
        mask |= SLS_DSC_PLUS_NOTICE_FIRST;
    if (now >= sls_dsc_plus_notice_at(shipped_at, SLS_DSC_PLUS_NOTICE_LAST, p))
        mask |= SLS_DSC_PLUS_NOTICE_LAST;
    return mask;
}

unsigned sls_dsc_plus_notices_due(sls_time shipped_at, unsigned sent,
                                  const struct sls_dsc_plus_policy *p, sls_time now)
{
    unsigned due;

    if (sls_dsc_plus_auto_activation_due(shipped_at, p, now))
        return 0;
    due = passed(shipped_at, p, now) & ~sent;
    if (due & SLS_DSC_PLUS_NOTICE_LAST)
        due &= ~(unsigned)SLS_DSC_PLUS_NOTICE_FIRST;
    return due;
}

unsigned sls_dsc_plus_notices_settled(sls_time shipped_at, unsigned sent,
                                      const struct sls_dsc_plus_policy *p, sls_time now)
{
    return sent | passed(shipped_at, p, now);
}

const char *sls_dsc_plus_hold_name(enum sls_dsc_plus_hold h)
{
    switch (h) {
    case SLS_DSC_PLUS_HOLD_HELD:
        return "held";
    case SLS_DSC_PLUS_HOLD_RELEASED:
        return "released";
    case SLS_DSC_PLUS_HOLD_KEPT:
        return "kept";
    }
    return "unknown";
}

enum sls_dsc_plus_hold sls_dsc_plus_hold_state(bool shipped, enum sls_device_state device_state,
                                               enum sls_account_state account_state)
{
    if (!shipped) /* nothing went out: closing the account frees the deposit */
        return account_state == SLS_ACCOUNT_CLOSED ? SLS_DSC_PLUS_HOLD_RELEASED
                                                   : SLS_DSC_PLUS_HOLD_HELD;
    if (device_state == SLS_DEVSTATE_RETURNED)
        return SLS_DSC_PLUS_HOLD_RELEASED;
    if (device_state == SLS_DEVSTATE_LOST)
        return SLS_DSC_PLUS_HOLD_KEPT;
    if (account_state == SLS_ACCOUNT_CLOSED)
        return SLS_DSC_PLUS_HOLD_KEPT;
    return SLS_DSC_PLUS_HOLD_HELD;
}
