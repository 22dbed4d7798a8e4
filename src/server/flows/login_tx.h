/* The transactions that decide a login attempt: recording a failure (R8),
 * a refusal that is not about credentials (R12), and completing a login
 * into a session; and applying a verdict of core/login.h with the one of
 * them it takes. Each runs as one store transaction
 * that re-reads the lockout state inside it and writes it back by
 * compare-and-swap, so concurrent attempts are never lost.
 *
 * SPEC §10.3 [lockout] mode client: the state is the counter the attempt
 * counts against (core/client_lockout.h): the valid client token presented
 * at stage 1 (kept with the login for stage 2), else the user's counter of
 * unknown clients. In mode account it is always the user's (R8 as written).
 *
 * They answer nothing: the handlers render what they report
 * (server/api/login_answer.h). */
#ifndef SLS_SERVER_LOGIN_TX_H
#define SLS_SERVER_LOGIN_TX_H

#include <stdbool.h>

#include "core/login.h"
#include "server/app/app.h"
#include "store/store.h"

/* §10.5: a passkey's assertion at stage 2, whose signature counter moves in
 * the login's own transaction: by compare-and-swap before the login closes
 * as authenticated. Lost to a concurrent move, the stored counter is read
 * again in the transaction: equal to count, it was this very assertion
 * racing with itself (the login's compare-and-swap lets one through);
 * otherwise the counter went back, and the success becomes a counted
 * failure (fail_event, fail_outcome) audited "passkey.counter went_back". */
struct sls_passkey_move {
    /* in */
    const char *device_id;
    int64_t count;            /* the assertion's counter */
    bool move;                /* false: both counters are zero (no counter) */
    bool went_back_before;    /* the checks found it back: audited with the failure */
    const char *fail_event;   /* a success turned into a failure: its audit event (NULL: */
    const char *fail_outcome; /* "login.failure") and outcome */
    /* out */
    bool went_back; /* found back in the transaction: the attempt failed, counted */
};

struct sls_attempt {
    /* in */
    int64_t user_id;
    const char *username;
    const char *event;           /* audit event of a failure; NULL: "login.failure" */
    const char *outcome;         /* audit outcome of a failure, e.g. "wrong_password" */
    const char *detail;          /* audit detail, may be NULL */
    struct sls_login_rec *login; /* stage 2: the login to close (state set by the tx) */
    int login_seq;               /* its expected seq */
    const char *challenge_key;   /* failure: a challenge's secret taken with it, or NULL */
    const char *code_key;        /* a one-time code's secret taken with it (either way), or NULL */
    bool denied;                 /* failure: close the login as denied (push denied) */
    const char *wrong_number_push;   /* failure: a push denied for a wrong number with it */
    const char *denied_push;         /* failure: a push the user denied, decided with it */
    struct sls_session_rec *session; /* success: the session to insert */
    /* §10.3 mode client: the SHA-256 hex of a valid client token presented
     * (NULL: none). With a login, the login's own client_token_hash is used. */
    const char *client_token_hash;
    /* §10.3 mode client, success: the new client token to issue (NULL: none).
     * The token presented, if any, is forgotten: each login gets a new one. */
    const struct sls_client_token_rec *issue;
    struct sls_passkey_move *passkey; /* §10.5: a passkey's counter (see above), or NULL */
    /* out */
    bool counted;      /* a failure was recorded against the account */
    bool reused;       /* the login had already been decided by another request */
    bool push_decided; /* the push to deny had been decided meanwhile (then reused too) */
    bool locked;       /* the counter of the attempt is locked after it */
    sls_time locked_until;
};

/* Records a failed attempt at `now` (closing a->login as failed first, when
 * given; a login already decided is reported as reused and not counted
 * again; with a->wrong_number_push or a->denied_push, that push is denied
 * by CAS in the same transaction (a denial audited as ibkey.push denied),
 * and a push decided meanwhile is reported as reused, nothing counted).
 * Returns SLS_OK or a store error. */
int sls_attempt_fail(struct sls_app *app, struct sls_attempt *a, sls_time now);

/* Completes a login at `now`: if its counter is locked, this becomes a
 * counted failure (a->locked); otherwise the login (if any) is closed as
 * authenticated, its counter cleared (a client token's by forgetting the
 * token), a->issue and a->session inserted and the success audited.
 * Returns SLS_OK or a store error. */
int sls_attempt_succeed(struct sls_app *app, struct sls_attempt *a, sls_time now);

/* Records a refusal that is not about credentials (R12, no active device)
 * at `now`, in one transaction: a->login (when given) closed as failed by
 * compare-and-swap (one decided meanwhile is reported as reused, and
 * nothing is written), and the audit record a->event (NULL:
 * "login.refused"), a->outcome, a->detail, of a->username (which may name
 * no user: an unknown user's failure). Nothing counts toward R8. Returns
 * SLS_OK or a store error. */
int sls_attempt_refuse(struct sls_app *app, struct sls_attempt *a, sls_time now);

/* Applies the login verdict v (core/login.h) to the attempt a at `now`:
 * its audit event (unless a->event is set) and outcome, the login's next state, and the one
 * transaction it takes — a counted failure (sls_attempt_fail), a refusal or
 * an uncounted failure (sls_attempt_refuse), or a session
 * (sls_attempt_succeed; a->session set). A rejected request or a second
 * factor to ask for writes nothing here. Returns SLS_OK or a store error. */
int sls_attempt_apply(struct sls_app *app, const struct sls_login_verdict *v, struct sls_attempt *a,
                      sls_time now);

#endif
