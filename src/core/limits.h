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

/* The rows of the R33 table that the configuration can set. */
enum sls_limit_class {
    SLS_LIMIT_NONE = 0, /* no device, outside SLS, temporary credentials */
    SLS_LIMIT_SMS,
    SLS_LIMIT_IBKEY,
    SLS_LIMIT_SCC,
    SLS_LIMIT_DSC,
    SLS_LIMIT_DSC_PLUS, /* dsc_plus, platinum, gold */
    SLS_LIMIT_TOTP,     /* an authenticator app (SPEC §10.4) */
    SLS_LIMIT_PASSKEY,  /* a passkey (SPEC §10.5) */
    SLS_LIMIT__COUNT
};

/* The amounts of R33 and R31, as configured. */
struct sls_limit_policy {
    struct sls_limit per_day[SLS_LIMIT__COUNT];
    struct sls_limit per_5_days[SLS_LIMIT__COUNT];
    int64_t deposit_cap_cents; /* R31: ACH and EFT deposits in total outside SLS */
};

/* The R31 cap by default: USD 20,000. */
#define SLS_DEPOSIT_CAP_DEFAULT_CENTS ((int64_t)20000 * 100)

/* Fills the SPEC's table (none 50,000/100,000; sms and scc 200,000/600,000;
 * ibkey 1,000,000/1,000,000; dsc 1,000,000/1,500,000; dsc_plus unlimited;
 * totp 200,000/600,000; passkey unlimited)
 * and the USD 20,000 deposit cap. */
void sls_limit_policy_default(struct sls_limit_policy *p);

/* The configuration name of a class ("none", "sms", "ibkey", "scc", "dsc",
 * "dsc_plus", "totp", "passkey"), or NULL. */
const char *sls_limit_class_name(enum sls_limit_class c);

/* The row of device type t under policy p. Temporary credentials and none
 * use the `none` row; platinum and gold share the dsc_plus limits under
 * their own name. */
struct sls_limit_row sls_limit_row_of(const struct sls_limit_policy *p, enum sls_device_type t);

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

/* Whether a deposit of amount fits under cap_cents after `deposited` (ACH and
 * EFT so far), for a user inside SLS (no cap) or outside. Wires are never
 * capped: callers pass capped_method = false for them. */
bool sls_deposit_allows(int64_t cap_cents, bool sls_member, bool capped_method, int64_t deposited,
                        int64_t amount);

#endif
