/* What the app's answer to a push (R20, SPEC §10.3: POST
 * /v1/ibkey/approve) comes to, from plain facts: refused (no such push,
 * another app's, a bad signature, decided already, too late, no number
 * typed), or applied: the push decided, a login's denial and a wrong number
 * ending the login as a failed attempt (R8). The signature is checked by
 * the caller, and only when sls_push_answer_checkable says it matters. */
#ifndef SLS_CORE_PUSH_ANSWER_H
#define SLS_CORE_PUSH_ANSWER_H

#include <stdbool.h>
#include <stdint.h>

#include "push.h"
#include "time.h"

enum sls_push_answer_outcome {
    SLS_PUSH_ANSWER_DECIDE = 0,      /* approve, or deny a step-up: the push decided */
    SLS_PUSH_ANSWER_DENY_LOGIN,      /* a login's push denied: the login ends, counted */
    SLS_PUSH_ANSWER_WRONG_NUMBER,    /* an approval with the wrong number: as a denial */
    SLS_PUSH_ANSWER_UNKNOWN,         /* 404: no such push */
    SLS_PUSH_ANSWER_OTHER_APP,       /* 404 as unknown: the push went to another key */
    SLS_PUSH_ANSWER_BAD_SIGNATURE,   /* 401 */
    SLS_PUSH_ANSWER_ALREADY_DECIDED, /* 409 */
    SLS_PUSH_ANSWER_EXPIRED,         /* 409: the push, or its login, is over */
    SLS_PUSH_ANSWER_NUMBER_MISSING,  /* 400: an approval without the number */
};

struct sls_push_answer_facts {
    sls_time now;
    const struct sls_push_policy *policy; /* its ttl: a push lives while now <= created + ttl */
    sls_time login_ttl;                   /* a login lives while now <= created + login_ttl */
    bool found;                           /* the push, with the key of its device */
    bool same_key;                        /* that key is the asking app's */
    bool signature_ok;                    /* read only when checkable */
    enum sls_push_state state;
    enum sls_push_purpose purpose;
    sls_time created_at;
    int number; /* the push's (0: none) */
    /* A login push: its login was found, still waits on this very push
     * (pending, by push, this push its challenge), created then. */
    bool login_waits;
    sls_time login_created_at;
    /* The answer. */
    bool approve;
    bool number_given;
    int64_t number_typed;
};

struct sls_push_answer_verdict {
    enum sls_push_answer_outcome outcome;
    const char *audit_outcome; /* a refusal: as audited ("unknown_push", "expired" ...) */
};

/* Whether the verdict on f depends on f->signature_ok. */
bool sls_push_answer_checkable(const struct sls_push_answer_facts *f);

/* The verdict on f; refusals first first: unknown, other app, bad
 * signature, decided already, expired, number missing. */
struct sls_push_answer_verdict sls_push_answer_decide(const struct sls_push_answer_facts *f);

#endif
