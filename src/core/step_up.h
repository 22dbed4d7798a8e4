/* R34 step-up verification: a sensitive request (a withdrawal, a banking or
 * e-mail change, opting out, a device change) needs a fresh device response
 * inside the session. A correct response marks the session verified for a
 * while (default 5 minutes, half-open: verified at 299 s, not at 300 s).
 * Outside SLS (R30) there is no device to answer with: the caller applies the
 * restrictions of R31 instead (the `none` limits, security review of R4). */
#ifndef SLS_CORE_STEP_UP_H
#define SLS_CORE_STEP_UP_H

#include <stdbool.h>

#include "challenge_answer.h"
#include "device.h"
#include "push.h"
#include "time.h"

enum sls_step_up_gate {
    SLS_STEP_UP_PASS = 0,    /* verified and still fresh: go ahead */
    SLS_STEP_UP_REQUIRED,    /* answer a challenge first (403 step_up_required) */
    SLS_STEP_UP_OUTSIDE_SLS, /* no step-up outside SLS: R31 / R4 apply instead */
};

/* The end of the verification a correct response gives at answered_at. */
sls_time sls_step_up_until(sls_time answered_at, sls_time ttl);

/* What a sensitive request needs now: sls_member is the user's SLS
 * participation, factor the one the session was opened with (NONE: no
 * second factor), verified_until what the session holds (0: never). */
enum sls_step_up_gate sls_step_up_gate(bool sls_member, enum sls_device_type factor,
                                       sls_time verified_until, sls_time now);

/* Whether a device of `type` in `state` may answer a step-up challenge: any
 * active device the user could log in with. */
bool sls_step_up_device_ok(enum sls_device_type type, enum sls_device_state state);

/* A step-up by push (the mobile authenticator, purpose step_up): what the
 * front end polling for it learns, and what is written. */
enum sls_step_up_poll_status {
    SLS_STEP_UP_POLL_NONE = 0,     /* no challenge waiting, not verified */
    SLS_STEP_UP_POLL_VERIFIED,     /* no challenge waiting, still verified */
    SLS_STEP_UP_POLL_CHALLENGE,    /* a challenge to type is waiting */
    SLS_STEP_UP_POLL_PENDING,      /* the push waits for the app */
    SLS_STEP_UP_POLL_EXPIRED,      /* unanswered in time: the challenge dropped */
    SLS_STEP_UP_POLL_WRONG_NUMBER, /* denied for a wrong number (counted with the denial) */
    SLS_STEP_UP_POLL_DENIED,       /* denied in the app: a failed verification */
    SLS_STEP_UP_POLL_APPROVED,     /* approved: the session is verified from now */
};

enum sls_step_up_write {
    SLS_STEP_UP_WRITE_NOTHING = 0,
    SLS_STEP_UP_WRITE_DROP,   /* delete the challenge */
    SLS_STEP_UP_WRITE_FAIL,   /* consume it as a failed answer (verdict `failure`) */
    SLS_STEP_UP_WRITE_VERIFY, /* take it and mark the session verified until `until` */
};

struct sls_step_up_poll_facts {
    sls_time now;
    bool sls_member;                    /* the user's SLS participation */
    enum sls_device_type factor;        /* of the session */
    sls_time verified_until;            /* what the session holds */
    sls_time step_up_ttl;               /* how long a verification lasts */
    bool has_challenge;                 /* one waits under the session's key */
    enum sls_challenge_kind kind;       /* its kind */
    sls_time issued_at;                 /* when it was issued */
    sls_time challenge_ttl;             /* R9 */
    bool has_push;                      /* its push was found */
    enum sls_push_state push_state;     /* the push's state */
    bool wrong_number;                  /* denied for a wrong number typed (§10.3) */
    sls_time push_created_at;           /* when the push was sent */
    const struct sls_push_policy *push; /* how long a push lives */
};

struct sls_step_up_poll {
    enum sls_step_up_poll_status status;
    enum sls_step_up_write write;
    sls_time until;                       /* VERIFIED: the session's; APPROVED: the new end */
    struct sls_challenge_verdict failure; /* DENIED: the failed verification */
};

/* The answer to a poll described by f. */
struct sls_step_up_poll sls_step_up_poll_decide(const struct sls_step_up_poll_facts *f);

#endif
