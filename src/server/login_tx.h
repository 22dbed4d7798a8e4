/* The transactions that decide a login attempt: recording a failure (R8),
 * and completing a login into a session. Each runs as one store transaction
 * that re-reads the user's lockout state inside it and writes it back by
 * compare-and-swap, so concurrent attempts are never lost. */
#ifndef SLS_SERVER_LOGIN_TX_H
#define SLS_SERVER_LOGIN_TX_H

#include <stdbool.h>

#include "app.h"
#include "http.h"
#include "store/store.h"

struct sls_attempt {
    /* in */
    int64_t user_id;
    const char *username;
    const char *event;               /* audit event of a failure; NULL: "login.failure" */
    const char *outcome;             /* audit outcome of a failure, e.g. "wrong_password" */
    const char *detail;              /* audit detail, may be NULL */
    struct sls_login_rec *login;     /* stage 2: the login to close (state set by the tx) */
    int login_seq;                   /* its expected seq */
    const char *challenge_key;       /* failure: a challenge consumed with it, or NULL */
    const char *code_key;            /* a one-time code consumed with it (either way), or NULL */
    bool denied;                     /* failure: close the login as denied (push denied) */
    const char *wrong_number_push;   /* failure: a push denied for a wrong number with it */
    struct sls_session_rec *session; /* success: the session to insert */
    /* out */
    bool counted; /* a failure was recorded against the account */
    bool reused;  /* the login had already been decided by another request */
    bool locked;  /* the account is locked after this attempt */
    sls_time locked_until;
};

/* Records a failed attempt at `now` (closing a->login as failed first, when
 * given; a login already decided is reported as reused and not counted
 * again; with a->wrong_number_push, that push is denied by CAS in the same
 * transaction, and a push decided meanwhile is reported as reused, nothing
 * counted). Returns SLS_OK or a store error. */
int sls_attempt_fail(struct sls_app *app, struct sls_attempt *a, sls_time now);

/* Completes a login at `now`: if the account is locked, this becomes a
 * counted failure (a->locked); otherwise the login (if any) is closed as
 * authenticated, the failure record cleared, a->session inserted and the
 * success audited. Returns SLS_OK or a store error. */
int sls_attempt_succeed(struct sls_app *app, struct sls_attempt *a, sls_time now);

/* Answers 403 locked with the instant the lock ends and a hint to call the
 * service desk. */
void sls_answer_locked(struct sls_resp *rs, sls_time until);

/* Records the failed attempt a at `now` (sls_attempt_fail) and answers it:
 * 403 locked when the account is locked now, else err with hint. */
void sls_attempt_fail_answer(struct sls_app *app, struct sls_resp *rs, struct sls_attempt *a,
                             sls_time now, int err, const char *hint);

#endif
