/* Passkeys (SPEC §10.5) on the server side: what a ceremony must match
 * ([webauthn] rp_id and origins), the browser's credential (its
 * PublicKeyCredential as JSON, base64url fields) read and checked with
 * intake/passkey.h, the registration (a single-use challenge sealed under
 * "passkey-enrol:<session hash>", valid SLS_PASSKEY_ENROL_TTL, taken in the
 * transaction that creates the device), and an assertion checked against a
 * passkey device, its signature counter moved forward by compare-and-swap.
 * A counter that went back refuses the answer and is audited. */
#ifndef SLS_SERVER_FLOWS_PASSKEY_H
#define SLS_SERVER_FLOWS_PASSKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intake/passkey.h"
#include "server/app/app.h"
#include "store/store.h"

#define SLS_PASSKEY_EVENT     "passkey.register"
#define SLS_PASSKEY_ENROL_TTL (5 * 60)
#define SLS_PASSKEY_ORIGINS   16
/* The longest credential JSON text taken. */
#define SLS_PASSKEY_CREDENTIAL_MAX SLS_PASSKEY_RESPONSE_MAX
/* A challenge in base64url: 32 bytes are 43 characters. */
#define SLS_PASSKEY_CHALLENGE_TEXT 48

/* The origins a ceremony may come from: [webauthn] origins, else
 * "https://<rp_id>" and, with --dev, "http://localhost:<listen port>". */
struct sls_passkey_origins {
    char text[1100];
    const char *list[SLS_PASSKEY_ORIGINS];
    size_t n;
};
void sls_passkey_origins_of(const struct sls_app *app, struct sls_passkey_origins *o);

/* A new challenge: 32 random bytes into raw, base64url into text. */
void sls_passkey_challenge_new(uint8_t raw[SLS_PASSKEY_CHALLENGE_BYTES],
                               char text[SLS_PASSKEY_CHALLENGE_TEXT]);

/* POST /v1/me/passkeys/options: keeps a new challenge sealed for session
 * token_hash of user u until now + SLS_PASSKEY_ENROL_TTL (a new one
 * replaces it), audits it, and reads the user's devices (the passkeys to
 * exclude) into devices (at most SLS_DEVICE_VIEW_MAX, *ndevices). */
int sls_passkey_enrol_begin(const struct sls_app *app, const char *token_hash,
                            const struct sls_user_rec *u, sls_time now,
                            char challenge[SLS_PASSKEY_CHALLENGE_TEXT],
                            struct sls_device_rec *devices, size_t *ndevices);

enum sls_passkey_register_outcome {
    SLS_PASSKEY_REGISTERED = 0, /* the device is active */
    SLS_PASSKEY_NO_CHALLENGE,   /* none waits for this session (never, expired, used) */
    SLS_PASSKEY_REFUSED,        /* the ceremony failed a check (r->verdict); challenge used */
    SLS_PASSKEY_TAKEN,          /* the credential id is registered already; challenge used */
};

struct sls_passkey_register {
    /* in */
    const struct sls_user_rec *user;
    const char *token_hash; /* the session's */
    const char *credential; /* the credential JSON text */
    const char *label;
    sls_time now;
    /* out */
    enum sls_passkey_register_outcome outcome;
    enum sls_passkey_verdict verdict;
    struct sls_device_rec device; /* registered: the device created */
};

/* POST /v1/me/passkeys. Returns SLS_OK (r->outcome says what it came to),
 * or the store's error. */
int sls_passkey_register(const struct sls_app *app, struct sls_passkey_register *r);

/* The checks of an assertion (credential JSON text) answering challenge
 * (base64url) with passkey device d, without the store: *verdict, and the
 * authenticator's counter in *count (on SLS_PASSKEY_OK and
 * SLS_PASSKEY_COUNTER_BACK). Moving the counter is the caller's: the login's
 * own transaction (login_tx.h), or sls_passkey_answer_check. Returns SLS_OK
 * or SLS_ERR_NOMEM. */
int sls_passkey_assertion_verify(const struct sls_app *app, const struct sls_device_rec *d,
                                 const char *challenge, const char *credential,
                                 enum sls_passkey_verdict *verdict, uint32_t *count);

/* An assertion (credential JSON text) answering challenge (base64url) with
 * passkey device d at now, for a step-up or a vouching: *right when its
 * checks pass and the counter moved forward (or both are zero), in a small
 * transaction of its own before the caller's. A counter that went back is
 * audited ("passkey.counter") and answers wrong. Returns SLS_OK or the
 * store's error. */
int sls_passkey_answer_check(const struct sls_app *app, const struct sls_device_rec *d,
                             const char *challenge, const char *credential, sls_time now,
                             bool *right);

#endif
