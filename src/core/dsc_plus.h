/* R21 Digital Security Card+ lifecycle rules: who may order one, when an
 * order is expected to ship, when a shipped card activates by itself and
 * which notices precede that, and what becomes of the USD 20 deposit hold.
 *
 * All instants are half-open: a shipped card auto-activates at
 * shipped_at + auto_activation (not one second before); a notice is due from
 * its instant until the auto-activation instant (a notice whose moment passed
 * while the card already activated is never sent late). */
#ifndef SLS_CORE_DSC_PLUS_H
#define SLS_CORE_DSC_PLUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "access.h"
#include "device.h"
#include "time.h"

struct sls_dsc_plus_policy {
    int64_t equity_min_cents; /* an order without a replacement needs this much equity */
    int64_t hold_cents;       /* the deposit held on the chosen account */
    sls_time auto_activation; /* after shipment; 21 days */
    sls_time first_notice;    /* before auto-activation; 3 days */
    sls_time last_notice;     /* before auto-activation; 1 day */
};

#define SLS_DSC_PLUS_EQUITY_MIN_DEFAULT ((int64_t)100000000) /* USD 1,000,000 */
#define SLS_DSC_PLUS_HOLD_DEFAULT       ((int64_t)2000)      /* USD 20 */

void sls_dsc_plus_policy_default(struct sls_dsc_plus_policy *p);

enum sls_dsc_plus_eligibility {
    SLS_DSC_PLUS_ELIGIBLE_EQUITY = 0,  /* equity at or above the minimum */
    SLS_DSC_PLUS_ELIGIBLE_REPLACEMENT, /* replaces a lost or returned dsc_plus/platinum/gold */
    SLS_DSC_PLUS_NOT_ELIGIBLE,
    SLS_DSC_PLUS_ORDER_OPEN, /* an earlier order has not been delivered and activated yet */
};

/* Whether a user with equity_cents and devices devs[n] may order a DSC+ now;
 * open_order: the user has an order not yet shipped or a card still shipped.
 * Equity wins over replacement when both hold. */
enum sls_dsc_plus_eligibility sls_dsc_plus_eligibility(int64_t equity_cents,
                                                       const struct sls_device_brief *devs,
                                                       size_t n, bool open_order,
                                                       const struct sls_dsc_plus_policy *p);

/* Whether an order keeps a new one from being placed (R21): an order is open
 * while not shipped, or while shipped and not settled its card is still
 * shipped (neither activated, lost nor returned). card_found: the shipped
 * order's card was found, in card_state. */
bool sls_dsc_plus_order_open(bool shipped, bool settled, bool card_found,
                             enum sls_device_state card_state);

/* The facts of a DSC+ order being placed. */
struct sls_dsc_plus_order_facts {
    int64_t equity_cents;
    const struct sls_device_brief *devices; /* the user's own devices, n of them */
    size_t ndevices;
    bool open_order;            /* an order of the user is open (sls_dsc_plus_order_open) */
    bool has_address;           /* an address was given, or one is on the latest order */
    bool deposit_own;           /* the deposit account is the user's own */
    bool deposit_same_identity; /* else: its primary user has the user's identification data */
};

struct sls_dsc_plus_order_verdict {
    enum sls_dsc_plus_eligibility why; /* the eligibility (R21) */
    int err;                           /* SLS_OK: place the order; else a core/error.h code */
    const char *message;               /* the message of err; NULL: its default */
    const char *hint;                  /* NULL: none */
    const char *reason;                /* a placed order: "equity" or "replacement" */
};

/* Decides an order: an open order first (409 conflict), then the
 * eligibility (403 not_eligible), then a shipping address (400), then the
 * deposit account, which must be the user's or an account whose primary
 * user has the same identification data (400). Returns out->err. */
int sls_dsc_plus_order_decide(const struct sls_dsc_plus_order_facts *f,
                              const struct sls_dsc_plus_policy *p,
                              struct sls_dsc_plus_order_verdict *out);

/* Whether a device may be recorded returned at the desk (R21). */
enum sls_device_return {
    SLS_DEVICE_RETURN_OK = 0,
    SLS_DEVICE_RETURN_NOT_PHYSICAL, /* not a card or token that comes back */
    SLS_DEVICE_RETURN_LOST,         /* marked lost: keeps its deposit even when found later */
    SLS_DEVICE_RETURN_ALREADY,      /* returned already */
};

/* Decides whether a device of this type in this state is recorded returned:
 * only physical permanent devices (not the SMS number, not the mobile
 * authenticator), neither lost nor returned before. */
enum sls_device_return sls_device_return_check(enum sls_device_type type,
                                               enum sls_device_state state);

/* The estimated ship date of an order placed at now: 00:00 UTC of the next
 * business day (Monday to Friday) after the day of now. */
sls_time sls_dsc_plus_estimated_ship(sls_time now);

/* The instant a card shipped at shipped_at activates by itself. */
sls_time sls_dsc_plus_auto_activation_at(sls_time shipped_at, const struct sls_dsc_plus_policy *p);
/* True from sls_dsc_plus_auto_activation_at on (half-open). */
bool sls_dsc_plus_auto_activation_due(sls_time shipped_at, const struct sls_dsc_plus_policy *p,
                                      sls_time now);

/* Notices of the coming auto-activation, as bits of a mask kept per order. */
enum sls_dsc_plus_notice {
    SLS_DSC_PLUS_NOTICE_FIRST = 1, /* first_notice before (3 days) */
    SLS_DSC_PLUS_NOTICE_LAST = 2,  /* last_notice before (1 day) */
};

/* The instant notice is due for a card shipped at shipped_at. */
sls_time sls_dsc_plus_notice_at(sls_time shipped_at, enum sls_dsc_plus_notice notice,
                                const struct sls_dsc_plus_policy *p);

/* The notices due at now and not in sent (a mask): each from its instant on,
 * and none once the auto-activation is due. When both are due (the server was
 * stopped over the first one) only the last is returned: the first is then
 * stale and is marked sent without being sent, see
 * sls_dsc_plus_notices_settled. */
unsigned sls_dsc_plus_notices_due(sls_time shipped_at, unsigned sent,
                                  const struct sls_dsc_plus_policy *p, sls_time now);
/* The mask to record after sending the notices of sls_dsc_plus_notices_due:
 * sent plus every notice whose instant has passed. */
unsigned sls_dsc_plus_notices_settled(sls_time shipped_at, unsigned sent,
                                      const struct sls_dsc_plus_policy *p, sls_time now);

enum sls_dsc_plus_hold {
    SLS_DSC_PLUS_HOLD_HELD = 0, /* the card is out (or still to ship): the deposit stays held */
    SLS_DSC_PLUS_HOLD_RELEASED, /* the card came back */
    SLS_DSC_PLUS_HOLD_KEPT,     /* lost or stolen, or the account closed without it */
};

/* "held", "released", "kept". */
const char *sls_dsc_plus_hold_name(enum sls_dsc_plus_hold h);

/* What becomes of the deposit: released once the card is returned; kept when
 * it is marked lost or the account is closed without it; held otherwise. An
 * order not shipped yet is released when the account closes.
 * shipped: the order has a card; device_state is that card's state. */
enum sls_dsc_plus_hold sls_dsc_plus_hold_state(bool shipped, enum sls_device_state device_state,
                                               enum sls_account_state account_state);

#endif
