/* R3, R29 password reset codes: a code sent to the e-mail on record lets the
 * user set a new password without the old one. A code issued by the service
 * desk (after an identity verification, R40) needs nothing more; one the user
 * asked for also needs a device response (R3). A code works until it expires,
 * once, and only while fewer than the allowed wrong guesses were made. */
#ifndef SLS_CORE_PASSWORD_RESET_H
#define SLS_CORE_PASSWORD_RESET_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"
#include "time.h"

#define SLS_RESET_CODE_LEN          8 /* digits */
#define SLS_RESET_CODE_MAX_ATTEMPTS 5 /* wrong codes before the code is void */

enum sls_reset_verdict {
    SLS_RESET_USABLE = 0,
    SLS_RESET_EXPIRED,   /* now >= expires_at */
    SLS_RESET_EXHAUSTED, /* attempts >= max_attempts */
};

/* Whether a code expiring at `expires_at` after `attempts` wrong guesses may
 * still be tried at `now`. Half-open: usable while now < expires_at. */
enum sls_reset_verdict sls_reset_code_check(sls_time expires_at, int attempts, int max_attempts,
                                            sls_time now);

/* Completing a reset (R3, R29), step by step: what a request with the code
 * comes to. */
enum sls_reset_step {
    SLS_RESET_STEP_REFUSE = 0,    /* 400 invalid_code, audited as audit_outcome */
    SLS_RESET_STEP_DESK_PROVEN,   /* a desk code proven, no new password: nothing more needed */
    SLS_RESET_STEP_CHALLENGE,     /* a self-service code proven, no new password: challenge */
    SLS_RESET_STEP_NEED_RESPONSE, /* a self-service code with a new password but no response */
    SLS_RESET_STEP_RESPONSE,      /* check the device response (a wrong one counts toward R8,
                                   * core/challenge_answer.h), then set the password */
    SLS_RESET_STEP_SET,           /* a desk code with a new password: set it */
};

/* The facts of a request completing a reset. */
struct sls_reset_complete_facts {
    sls_time expires_at; /* of the code on record */
    int attempts;        /* its wrong guesses so far */
    bool code_matches;   /* the code typed is the one on record */
    bool by_desk;        /* the code was issued by the service desk */
    bool has_password;   /* a new password was sent */
    bool has_response;   /* a device response was sent */
};

struct sls_reset_complete_verdict {
    enum sls_reset_step step;
    const char *audit_outcome; /* REFUSE: "expired", "too_many_attempts", "wrong_code" */
    bool counts_code;          /* REFUSE: a wrong guess, counted against the code */
};

/* Decides a request completing a reset at now. Every refusal of the code is
 * the same invalid_code: an exhausted code (before an expired one, as
 * sls_reset_code_check), an expired one, a wrong one (the only refusal that
 * counts against the code; never toward R8: the user is not proven yet).
 * Once the code is proven, a desk code needs nothing more; a self-service
 * code needs a device challenge answered (R3), and a wrong response counts
 * toward R8 like a wrong login answer. Returns out->step. */
enum sls_reset_step sls_reset_complete_decide(const struct sls_reset_complete_facts *f,
                                              int max_attempts, sls_time now,
                                              struct sls_reset_complete_verdict *out);

/* What a self-service request (R3) does about the user's previous code. */
enum sls_reset_request_verdict {
    SLS_RESET_REQUEST_ISSUE = 0, /* send a new code, replacing any previous one */
    SLS_RESET_REQUEST_KEEP_DESK, /* a usable code from the service desk stays; send nothing */
};

/* The previous code of a user, as far as a new request cares. */
struct sls_reset_previous {
    bool exists;
    bool by_desk; /* issued by an agent */
    sls_time expires_at;
    int attempts;
    sls_time issued_at;
};

/* Decides a self-service request at `now` given the previous code. On
 * SLS_RESET_REQUEST_ISSUE *attempts is the wrong-guess count the new code
 * starts with: a previous code still live (now < expires_at) hands on its
 * count, so asking again never buys more guesses; otherwise 0. */
enum sls_reset_request_verdict sls_reset_request_check(const struct sls_reset_previous *prev,
                                                       int max_attempts, sls_time now,
                                                       int *attempts);

/* SPEC §10.2 [throttle] reset_interval: true when a code was sent to the
 * user less than `interval` ago (now < issued_at + interval), so a new
 * request sends nothing. Whoever sent it, the user or the service desk. */
bool sls_reset_request_too_soon(const struct sls_reset_previous *prev, sls_time interval,
                                sls_time now);

/* What a self-service request (R3) comes to, as audited. */
enum sls_reset_request_outcome {
    SLS_RESET_REQUEST_SEND = 0,     /* "sent": a new code goes out */
    SLS_RESET_REQUEST_NOT_ELIGIBLE, /* "not_eligible", why in detail */
    SLS_RESET_REQUEST_DESK_KEPT,    /* "desk_code_kept" */
    SLS_RESET_REQUEST_TOO_SOON,     /* "too_soon": [throttle] reset_interval */
};

/* The facts of a self-service request by a known user. */
struct sls_reset_request_facts {
    bool sls;        /* the user takes part in SLS */
    bool has_email;  /* an e-mail address is on record */
    bool has_device; /* a device answers a reset (sls_reset_device_ok) */
    struct sls_reset_previous prev;
};

struct sls_reset_request_decision {
    enum sls_reset_request_outcome outcome;
    const char *audit_outcome; /* "sent", "not_eligible", "desk_code_kept", "too_soon" */
    const char *why;           /* NOT_ELIGIBLE: "outside_sls", "no_email", "no_device" */
    int attempts;              /* SEND: the wrong-guess count the new code starts with */
};

/* Decides a self-service request at now: a user outside SLS, without an
 * e-mail address or without a device that answers a reset is not eligible
 * (in that order); then a usable desk code is kept
 * (sls_reset_request_check); then nothing is sent within `interval` of the
 * previous code (sls_reset_request_too_soon); else a code is sent, handing
 * on the wrong guesses of a live previous one. Returns out->outcome. */
enum sls_reset_request_outcome sls_reset_request_decide(const struct sls_reset_request_facts *f,
                                                        int max_attempts, sls_time interval,
                                                        sls_time now,
                                                        struct sls_reset_request_decision *out);

/* R3: whether a device of this type in this state answers a self-service
 * reset: an active permanent device that is challenged with a challenge (a
 * challenge/response card, a code card, or the ibkey through its
 * challenge/response fallback). SMS codes, temporary passcodes and online
 * cards do not qualify. The reset asks the strongest such device. */
bool sls_reset_device_ok(enum sls_device_type type, enum sls_device_state state);

/* Masks an e-mail address for display to an agent or a caller:
 * "alice@example.com" -> "a***@example.com". Writes "" when the address has
 * no '@' or out is too small. */
void sls_email_mask(const char *email, char *out, size_t outlen);

#endif
