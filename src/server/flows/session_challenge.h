/* A challenge from one of the user's devices asked for inside a session (R28
 * reactivation, R34 step-up, R30 opt-in, R32 sharing) or by a password reset
 * (R3). It is stored under a key bound to the session or the reset, lives as
 * long as a login challenge (R9), and is answered once: a wrong or expired
 * answer consumes it and counts toward the lockout (R8). The verdict on an
 * answer is core/challenge_answer.h's; this applies it. Nothing here answers
 * HTTP: server/api/session_challenge_reply.h renders the results.
 *
 * Every device kind takes part: challenge/response devices and cards get a
 * challenge to answer; an SMS device gets a 6-digit code by SMS (kept under
 * the same key, valid [policy] sms_code_ttl); the mobile authenticator gets a
 * push to approve in the app (purpose step_up), or with `manual` its
 * challenge/response fallback (also when the account's push cap is reached);
 * an authenticator app (SPEC §10.4) is answered by its current code, nothing
 * sent, and a right code spends its step (totp_check.h). */
#ifndef SLS_SERVER_SESSION_CHALLENGE_H
#define SLS_SERVER_SESSION_CHALLENGE_H

#include <stdbool.h>

#include "core/challenge_answer.h"
#include "server/app/app.h"
#include "store/store.h"

/* A challenge issued, as the user is to see it. */
struct sls_session_challenge_issued {
    enum sls_challenge_kind kind;
    char challenge[64]; /* the challenge, a push's id, or "sms" */
    int number;         /* a push's number to type (§10.3), 0: none */
    sls_time expires_at;
};

/* Issues a fresh challenge from device d of user u under key at `now`, for
 * session s, into out. s may be NULL (no session: a password reset) only
 * with manual set and d not an SMS device; `to` is where an SMS device's
 * code goes (NULL: nowhere known). Returns SLS_OK, SLS_ERR_CONFLICT when d
 * cannot be challenged (nothing written), or the store's error. */
int sls_session_challenge_issue(const struct sls_app *app, const char *key,
                                const struct sls_session_rec *s, const struct sls_user_rec *u,
                                const struct sls_device_rec *d, bool manual, const char *to,
                                sls_time now, struct sls_session_challenge_issued *out);

/* Reads the challenge waiting under key into c: SLS_OK, SLS_ERR_NOT_FOUND
 * when there is none, or the store's error. */
int sls_session_challenge_read(const struct sls_app *app, const char *key,
                               struct sls_secret_rec *c);

/* What answering (or failing) a challenge came to. */
struct sls_session_challenge_result {
    struct sls_challenge_verdict v;
    sls_time locked_until; /* v LOCKED, or a counted failure that locked: until when */
    bool locked;           /* the account is locked (before, or by this failure) */
};

/* Who answers and where a failure is counted. */
struct sls_session_challenge_who {
    const struct sls_user_rec *user;
    const char *event;             /* audit event of a failure */
    const char *client_token_hash; /* §10.3: the session's counter ("" or NULL: none) */
};

/* Decides response to challenge c of device d at `now` and applies the
 * verdict into out: a right answer deletes an SMS code (its challenge the
 * caller takes with sls_session_challenge_take in its own transaction); a
 * counted failure consumes the challenge and its code and counts toward the
 * lockout, audited. Returns SLS_OK (out->v says what it came to) or the
 * store's error. */
int sls_session_challenge_answer(struct sls_app *app, const struct sls_secret_rec *c,
                                 const struct sls_session_challenge_who *who,
                                 const struct sls_device_rec *d, const char *response, sls_time now,
                                 struct sls_session_challenge_result *out);

/* Applies the failure verdict v (counted) to challenge c at `now`: consumed,
 * its code deleted, the failure counted and audited with v's outcome.
 * Returns SLS_OK (out filled) or the store's error. */
int sls_session_challenge_fail(struct sls_app *app, const struct sls_secret_rec *c,
                               const struct sls_session_challenge_who *who,
                               const struct sls_challenge_verdict *v, sls_time now,
                               struct sls_session_challenge_result *out);

/* Inside a transaction: takes challenge c once, when the one stored under
 * its key is still c (same challenge, same device); *taken is set when it
 * was used or replaced meanwhile (nothing written then). Returns SLS_OK or
 * the store's error. */
int sls_session_challenge_take(struct sls_db *db, const struct sls_secret_rec *c, bool *taken);

#endif
