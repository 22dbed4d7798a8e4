/* R32 device sharing: whether a user (the requester) may share a device of
 * another of their user names (the owner), and whether the request takes
 * effect at once or waits for compliance.
 *
 * The conditions are checked in this order, the first failing one answers:
 *   1. identification data of both users identical  -> different_identification
 *   2. neither holds a temporary passcode or online card -> temporary_device_assigned
 *   3. the device is not an ibkey (its app adds users)  -> ibkey_not_shareable
 *   4. the device is the strongest of both users' devices -> less_secure_device
 * Then: users of different accounts wait for compliance; others share at once. */
#ifndef SLS_CORE_SHARING_H
#define SLS_CORE_SHARING_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"

enum sls_sharing_verdict {
    SLS_SHARING_IMMEDIATE = 0,      /* "active" */
    SLS_SHARING_PENDING_COMPLIANCE, /* "pending_compliance" */
    SLS_SHARING_DIFFERENT_IDENTIFICATION,
    SLS_SHARING_TEMPORARY_DEVICE_ASSIGNED,
    SLS_SHARING_IBKEY_NOT_SHAREABLE,
    SLS_SHARING_LESS_SECURE_DEVICE,
};

/* One side of a sharing request. */
struct sls_sharing_party {
    const char *identity;   /* the identification data, canonical ("" when none on record) */
    const char *account_id; /* "U1234567" */
    const struct sls_device_brief *devices;
    size_t ndevices;
};

/* The verdict on sharing a device of type `shared` owned by owner with
 * requester. Identification data must be on record and equal (an empty
 * identity never matches). Temporary credentials count while active or
 * printed (shipped). The strength comparison takes every permanent device
 * either user holds (active, shipped or inactive; lost and returned ones no
 * longer count); equal strength is enough. */
enum sls_sharing_verdict sls_sharing_check(const struct sls_sharing_party *requester,
                                           const struct sls_sharing_party *owner,
                                           enum sls_device_type shared);

/* The API error code of a refusal ("different_identification", ...), or NULL
 * for the two verdicts that accept. */
const char *sls_sharing_error_code(enum sls_sharing_verdict v);
/* A sentence for the refusal; NULL for the accepting verdicts. */
const char *sls_sharing_error_message(enum sls_sharing_verdict v);

/* States of a sharing request. */
enum sls_sharing_state {
    SLS_SHARING_STATE_PENDING = 0, /* "pending_compliance" */
    SLS_SHARING_STATE_ACTIVE,      /* "active" */
    SLS_SHARING_STATE_DENIED,      /* "denied" */
    SLS_SHARING_STATE_CANCELLED,   /* "cancelled" */
    SLS_SHARING_STATE__COUNT
};

/* Whether a device counts in a sharing as an active permanent one: the
 * owner may share it, and a sharing in effect makes the requester's ones
 * inactive (cancelling brings them back). */
bool sls_sharing_device_shareable(enum sls_device_type type, enum sls_device_state state);

/* The API error of a refusing verdict (SLS_ERR_DIFFERENT_IDENTIFICATION,
 * ...); SLS_OK for the two verdicts that accept. */
int sls_sharing_error(enum sls_sharing_verdict v);

/* What one step of a request comes to, judged on fresh data: choosing the
 * owner's device, the owner's answer that records the request, the desk's
 * approval of one waiting for compliance. */
struct sls_sharing_step {
    bool device_gone;                 /* the owner's device is no longer theirs and active */
    enum sls_sharing_verdict verdict; /* otherwise: sls_sharing_check's */
    int err;                          /* SLS_OK, or the error of the refusal */
    enum sls_sharing_state state;     /* accepted: active at once, or pending compliance */
};

/* The step for sharing the owner's device `shared` (NULL when the owner no
 * longer has it) between requester and owner: the device must be active,
 * then the conditions of sls_sharing_check apply in their order. */
struct sls_sharing_step sls_sharing_decide(const struct sls_sharing_party *requester,
                                           const struct sls_sharing_party *owner,
                                           const struct sls_device_brief *shared);

const char *sls_sharing_state_name(enum sls_sharing_state s);
int sls_sharing_state_parse(const char *name, enum sls_sharing_state *out);

#endif
