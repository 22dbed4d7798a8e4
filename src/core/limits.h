/* R33 withdrawal limits by security device, and R31 outside SLS: which row
 * of the table applies to a session, and whether an amount fits in what is
 * left of it per business day and per 5 business days. Amounts are US cents. */
#ifndef SLS_CORE_LIMITS_H
#define SLS_CORE_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

/* One limit: a number of cents, or no limit at all. */
struct sls_limit {
    bool unlimited;
    int64_t cents; /* when !unlimited */
};

/* A row of the R33 table. */
struct sls_limit_row {
    enum sls_device_type device; /* the row's name: none, sms, ibkey, scc, dsc, dsc_plus ... */
    struct sls_limit per_day;
    struct sls_limit per_5_days;
};

/* The row of device type t. Temporary credentials and none use the `none`
 * row; platinum and gold share the dsc_plus limits under their own name. */
struct sls_limit_row sls_limit_row_of(enum sls_device_type t);

/* The device whose row applies (R33, R31): SLS_DEVICE_NONE when the user is
 * outside SLS, when the session was opened without a second factor or with a
 * temporary credential, or when no permanent device is active; otherwise the
 * strongest active permanent device among devs. */
enum sls_device_type sls_limit_device(bool sls_member, enum sls_device_type session_factor,
                                      const struct sls_device_brief *devs, size_t n);

/* What is left of limit after used (never negative). */
struct sls_limit sls_limit_remaining(struct sls_limit limit, int64_t used);

/* Whether amount (> 0) fits: amount + used <= limit, for both the day and the
 * 5-day window. */
bool sls_limit_allows(const struct sls_limit_row *row, int64_t used_today, int64_t used_5_days,
                      int64_t amount);

/* R31: ACH and EFT deposits outside SLS are capped at this total. */
#define SLS_DEPOSIT_CAP_CENTS ((int64_t)20000 * 100)

/* Whether a deposit of amount fits under the cap after `deposited` (ACH and
 * EFT so far), for a user inside SLS (no cap) or outside. Wires are never
 * capped: callers pass capped_method = false for them. */
bool sls_deposit_allows(bool sls_member, bool capped_method, int64_t deposited, int64_t amount);

#endif
