/* Six-digit codes sent by SMS or voice: the login code of an SMS device
 * (R25), the activation code of the mobile authenticator (R20) and the
 * enrolment code of an SMS device (R30). A code is kept sealed under its
 * key, sent through the outbox in the same transaction, and checked in
 * constant time. */
#ifndef SLS_SERVER_ONE_TIME_CODE_H
#define SLS_SERVER_ONE_TIME_CODE_H

#include <stdbool.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_CODE_DIGITS 6

struct sls_code_send {
    const char *key; /* e.g. "login:<login id>" */
    int64_t user_id;
    const char *data;    /* kept with the code ("" when nothing) */
    const char *to;      /* "+<country><number>" */
    const char *channel; /* "sms" or "voice" */
    const char *purpose; /* words of the message: "login code", "activation code" ... */
    sls_time ttl;        /* the code lives until now + ttl */
    /* A code already sent under key and still valid is sent again, with its
     * expiry and failure count kept, instead of a new one (resend, voice). */
    bool reuse;
    /* A device challenge kept in the same secret (its device_id, kind and
     * challenge are copied; the code is its answer, or goes beside it), or
     * NULL: the code alone. */
    const struct sls_secret_rec *challenge;
};

/* Inside a write transaction: writes the secret of s (a new code, or the
 * current one when s->reuse and it is still valid at now, with s->challenge
 * when given) and queues its message. *expires_at gets the code's expiry.
 * Returns SLS_OK or an error. */
int sls_code_send(const struct sls_app *app, struct sls_db *db, const struct sls_code_send *s,
                  sls_time now, sls_time *expires_at);

/* As sls_code_send, in a write transaction of its own that also audits the
 * sending for `username` as `event` "code_sent" (detail: the number) and,
 * when challenge is not NULL, keeps it in the code's secret (the
 * activation's device challenge, §10.3; s->challenge is ignored). Returns
 * SLS_OK with *expires_at, or an error. */
int sls_code_send_tx(const struct sls_app *app, const struct sls_code_send *s,
                     const struct sls_secret_rec *challenge, const char *username,
                     const char *event, sls_time now, sls_time *expires_at);

/* Whether typed is the code sealed in c (constant time). */
bool sls_code_matches(const struct sls_app *app, const struct sls_secret_rec *c, const char *typed);

/* Whether c can still be used at now (not expired, tries left; tries 0: no limit). */
bool sls_code_usable(const struct sls_secret_rec *c, int tries, sls_time now);

#endif
