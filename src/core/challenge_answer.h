/* A response typed inside a session to a challenge from one of the user's
 * devices (R28 reactivation, R30 opt-in, R32 sharing, R34 step-up, R3 a
 * password reset): what it comes to, from plain facts. A locked account is
 * refused first (nothing counted); a push is approved in the app, not typed;
 * a response not shaped as the device's answers is refused (nothing
 * counted). Otherwise the challenge is used up either way: a response that
 * comes too late (R9: valid while now <= issued + ttl) or is wrong counts
 * toward the lockout (R8); a right one lets the caller apply what it was
 * asked for, taking the challenge in the same transaction. An online card's
 * activation indexes (R27) are the exception: they have no lifetime of
 * their own and stay after a wrong answer. */
#ifndef SLS_CORE_CHALLENGE_ANSWER_H
#define SLS_CORE_CHALLENGE_ANSWER_H

#include <stdbool.h>

#include "device.h"
#include "lockout.h"
#include "time.h"

enum sls_challenge_outcome {
    SLS_CHALLENGE_RIGHT = 0, /* apply the request, take the challenge */
    SLS_CHALLENGE_LOCKED,    /* 403 locked; nothing counted, the challenge kept */
    SLS_CHALLENGE_NOT_TYPED, /* 409: a push, approved in the app */
    SLS_CHALLENGE_MALFORMED, /* 400: not shaped as the device's answers */
    SLS_CHALLENGE_EXPIRED,   /* 403 verification_failed, counted, consumed */
    SLS_CHALLENGE_WRONG,     /* 403 verification_failed, counted, consumed */
    SLS_CHALLENGE_DENIED,    /* a push denied in the app: as wrong */
};

struct sls_challenge_facts {
    sls_time now;
    const struct sls_lockout_state *lockout; /* the user's (R8) */
    enum sls_challenge_kind kind;            /* of the challenge waiting */
    sls_time issued_at;                      /* of the challenge waiting */
    sls_time ttl;                            /* its lifetime (sls_challenge_answer_ttl) */
    bool well_formed;                        /* the response is shaped as the device's answers */
    bool right;                              /* the response is right: read only when checkable */
    /* An online card's activation indexes (R27): they wait as long as the
     * card, and a wrong answer leaves them (still counted). */
    bool lifelong;
};

struct sls_challenge_verdict {
    enum sls_challenge_outcome outcome;
    int err;                   /* SLS_OK when right, else the error to answer */
    const char *audit_outcome; /* a counted failure: "expired", "wrong_response", "denied" */
    const char *hint;          /* the hint to answer with (NULL: the error's own) */
    bool counts;               /* a failure toward the lockout (R8) */
    bool consume;              /* the challenge (and its code) is used up */
};

/* The lifetime of a challenge of `kind`: an SMS code lives sms_code_ttl,
 * every other challenge challenge_ttl (R9). */
sls_time sls_challenge_answer_ttl(enum sls_challenge_kind kind, sls_time challenge_ttl,
                                  sls_time sms_code_ttl);

/* Whether the verdict on f depends on f->right: only then does the caller
 * need to check the response against the device (or its code). */
bool sls_challenge_answer_checkable(const struct sls_challenge_facts *f);

/* The verdict on the response described by f. */
struct sls_challenge_verdict sls_challenge_answer_decide(const struct sls_challenge_facts *f);

/* The verdict on a push for the challenge denied in the app (R34): a failed
 * verification, counted. */
struct sls_challenge_verdict sls_challenge_answer_denied(void);

#endif
