/* What the completion of a mobile authenticator activation (R20, SPEC
 * §10.3) comes to, once its SMS code was right: whether a device response
 * was needed and, when it was, whether it vouches. From plain facts; the
 * response itself is checked against the device by the caller, and only
 * when sls_activation_answer_checkable says it matters. */
#ifndef SLS_CORE_ACTIVATION_ANSWER_H
#define SLS_CORE_ACTIVATION_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"
#include "lockout.h"
#include "time.h"

enum sls_activation_outcome {
    SLS_ACTIVATION_CODE_ALONE = 0, /* no challenge and none needed: the code alone */
    SLS_ACTIVATION_VOUCHED,        /* the device response is right: its challenge is taken too */
    SLS_ACTIVATION_START_AGAIN,    /* no challenge, but a device vouches now: 409 */
    SLS_ACTIVATION_FAILED,         /* 403: the activation ends, counted toward R8 */
};

struct sls_activation_facts {
    sls_time now;
    const struct sls_lockout_state *lockout; /* the user's (R8) */
    const struct sls_device_brief *held;     /* the devices the user holds (own and shared) */
    size_t nheld;
    bool has_challenge; /* a device challenge waits with the code */
    sls_time issued_at; /* of that challenge */
    sls_time ttl;       /* its lifetime: the activation code's */
    bool device_active; /* the challenge's device is still held and active */
    bool has_response;  /* a device response was sent */
    bool right;         /* the response is right: read only when checkable */
};

struct sls_activation_verdict {
    enum sls_activation_outcome outcome;
    const char *audit_outcome; /* SLS_ACTIVATION_FAILED: why, as audited */
};

/* Whether the verdict on f depends on f->right. */
bool sls_activation_answer_checkable(const struct sls_activation_facts *f);

/* The verdict on f. A failure's reasons, first first: the account locked,
 * no response sent, the device no longer held or active, the challenge
 * expired (valid while now <= issued_at + ttl), the response wrong. */
struct sls_activation_verdict sls_activation_answer_decide(const struct sls_activation_facts *f);

#endif
