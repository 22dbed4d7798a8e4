/* The login decided (SPEC §3, R5-R12, §10.3): from the plain facts of an
 * attempt to a verdict, for stage 1 (user name and password) and for the
 * end of stage 2 (a typed answer, or a push approved in the app and
 * completed by the next poll). The verdict says what the attempt comes to
 * (the error code and hint it answers with), whether it counts toward R8,
 * what becomes of the login and, for a success, the session's access and
 * factor. It decides everything but the lockout counter itself: whether
 * the counter is locked when the attempt is applied is re-read in the
 * transaction that applies the verdict (client_lockout.h), so concurrent
 * attempts are never lost.
 *
 * R12 at stage 2, on both paths alike: when the account's state refuses the
 * platform by the time the second factor was proved, the login ends with
 * 403 platform_not_allowed and its reason, and nothing counts toward R8 —
 * both factors were right, the refusal is the account's, not a guess. */
#ifndef SLS_CORE_LOGIN_H
#define SLS_CORE_LOGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "access.h"
#include "client_lockout.h"
#include "device.h"
#include "session_policy.h"
#include "time.h"

enum sls_login_decision {
    SLS_LOGIN_OUT_SESSION = 0,   /* open a session (access, factor) */
    SLS_LOGIN_OUT_SECOND_FACTOR, /* stage 1: challenge the device `device` */
    SLS_LOGIN_OUT_FAILED,        /* a failed attempt: err, hint; counted when `counts` */
    SLS_LOGIN_OUT_REFUSED,       /* refused, not about credentials: err, message; audited */
    SLS_LOGIN_OUT_REJECTED,      /* a request that does not fit the login: nothing happens */
};

/* What becomes of the login of a stage-2 attempt. */
enum sls_login_next {
    SLS_LOGIN_NEXT_KEEP = 0,      /* left as it is (stage 1, a rejected request) */
    SLS_LOGIN_NEXT_AUTHENTICATED, /* closed: the session was opened */
    SLS_LOGIN_NEXT_FAILED,        /* closed: failed or refused */
    SLS_LOGIN_NEXT_DENIED,        /* closed: the user denied the push */
};

struct sls_login_verdict {
    enum sls_login_decision outcome;
    int err;                   /* SLS_OK (session, second factor) or a core/error.h code */
    const char *message;       /* the message of err, NULL: its default */
    const char *hint;          /* NULL: none */
    bool counts;               /* a failed attempt toward R8 (§10.3: the attempt's counter) */
    const char *audit_event;   /* "login.failure", "login.refused"; NULL: none of its own */
    const char *audit_outcome; /* e.g. "wrong_password", "platform_not_allowed" */
    enum sls_login_next next;
    enum sls_access access;      /* a session: what it may do (R11, R12) */
    enum sls_device_type factor; /* a session: its factor (SLS_DEVICE_NONE: no device) */
    int device;                  /* second factor: index of the default device (R7) */
    char reason[96];             /* platform_not_allowed: why (message points here) */
};

/* Stage 1: the facts of a user name and password attempt. */
struct sls_login_stage1 {
    bool user_found;  /* the user name names a user */
    bool password_ok; /* the password is theirs */
    bool locked;      /* the counter of the attempt is locked now (R8, §10.3) */
    struct sls_account_view account;
    enum sls_platform platform;
    bool paper;                             /* paper: true was asked for */
    const struct sls_device_brief *devices; /* the devices the user holds (R32), n of them */
    size_t ndevices;
};

/* Decides stage 1 at `now`: an unknown user or a wrong password answers
 * invalid_credentials (only a known user's counts toward R8), a locked
 * counter too (counted, R8: refused attempts are failures); then R12
 * (platform_not_allowed, not counted); an account that needs no second
 * factor opens the session at once; else the strongest active device is
 * challenged (R7), and a user without one is refused (no_active_device).
 * Returns out->outcome. */
enum sls_login_decision sls_login_decide_stage1(const struct sls_login_stage1 *f,
                                                const struct sls_access_policy *p, sls_time now,
                                                struct sls_login_verdict *out);

/* A login switched to another device (R7), to the app's challenge instead
 * of its push (mode challenge_response), or to a voice call (channel). */
struct sls_login_switch {
    bool pending;        /* the login waits for its second factor */
    sls_time created_at; /* its stage 1 */
    bool device_held;    /* the device named exists and answers for the user (R32) */
    bool device_active;  /* it is active */
    enum sls_device_type type;
    bool manual;  /* mode challenge_response was asked for */
    bool channel; /* a channel (sms, voice) was asked for */
};

/* Decides a switch at `now`: a login no longer live (decided, or older than
 * login_ttl, R9) answers login_failed, not counted (no answer was given); a
 * device that is not the user's or not active, the manual mode of anything
 * but the app, a channel for anything but SMS are rejected (bad_request);
 * else the device is challenged (SLS_LOGIN_OUT_SECOND_FACTOR). Nothing is
 * audited. Returns out->outcome. */
enum sls_login_decision sls_login_decide_switch(const struct sls_login_switch *f,
                                                sls_time login_ttl, sls_time now,
                                                struct sls_login_verdict *out);

/* How the second factor of a login was given. */
enum sls_login_proof {
    SLS_LOGIN_PROOF_TYPED = 0, /* POST .../response: a typed answer */
    SLS_LOGIN_PROOF_PUSH,      /* a push the app approved, completed by a poll */
};

/* Stage 2: the facts of an answer to a login. */
struct sls_login_stage2 {
    enum sls_login_proof proof;
    bool pending;          /* the login waits for its second factor (not decided yet) */
    bool waits_for_push;   /* the login's challenge is a push (nothing to type) */
    sls_time created_at;   /* the login's stage 1 */
    sls_time challenge_at; /* its current challenge was issued */
    bool is_code;          /* the challenge is a one-time code (R25) */
    bool code_found;       /* its code is still there */
    sls_time code_expires_at;
    bool device_found;  /* the device of the login could be read */
    bool device_active; /* it is active (R29: not lost or revoked since) */
    bool answer_ok;     /* typed: the answer is right; push: it was approved */
    enum sls_device_type factor;
    sls_time factor_since;           /* R11: issue/activation time of a temporary factor */
    struct sls_account_view account; /* as it is now */
    enum sls_platform platform;
    bool paper;
};

/* The two lifetimes of a stage-2 answer (R9). */
struct sls_login_ttl {
    sls_time login;     /* a login from stage 1 */
    sls_time challenge; /* a challenge from its issue */
};

/* Whether the answer comes too late at `now`: the login or its challenge
 * has expired (R9), or its one-time code is gone or past its expiry (R25).
 * Push approvals are timed by the app's side and never expire here. */
bool sls_login_answer_expired(const struct sls_login_stage2 *f, const struct sls_login_ttl *ttl,
                              sls_time now);

/* Decides the end of stage 2 at `now`. A typed answer to a login already
 * decided fails with login_failed (R9: single use; counts says it would
 * count, but the transaction finds the login decided and counts nothing
 * again: each login counts at most once); to a push login it is rejected
 * (nothing to type). A wrong, expired answer, or one from a device that is
 * no longer active, fails with login_failed and the device's hint
 * (counted). A right answer re-checks R12 on the account as it is now:
 * refused, the login ends with platform_not_allowed, not counted; then R11:
 * a factor refused on the platform fails with login_failed and the
 * refusal's hint (counted); else the session opens with the factor's access.
 * Returns out->outcome. */
enum sls_login_decision sls_login_decide_stage2(const struct sls_login_stage2 *f,
                                                const struct sls_login_ttl *ttl,
                                                const struct sls_access_policy *p, sls_time now,
                                                struct sls_login_verdict *out);

/* A push of a login the user refused in the app (§10.3): denied, or
 * approved with the wrong number (then the push is denied too). Either ends
 * the login as denied and counts toward R8; the wrong number answers 403
 * wrong_number. (An approval decides nothing yet: the next poll completes
 * the login, sls_login_decide_stage2 with SLS_LOGIN_PROOF_PUSH.) Returns
 * out->outcome, SLS_LOGIN_OUT_FAILED. */
enum sls_login_decision sls_login_decide_push_refused(bool wrong_number,
                                                      struct sls_login_verdict *out);

#endif
