/* Adding an authenticator app (SPEC §10.4): POST /v1/me/totp keeps a new
 * secret, sealed, as the user's one pending enrolment (a secret under
 * "totp-enrol:<user id>", valid [policy] totp_enrol_ttl; a new enrolment
 * replaces it); POST /v1/me/totp/{id}/confirm checks the app's first code
 * and, in one transaction that takes the pending secret (so it confirms
 * once), creates the active device of type totp with the step of that
 * code already spent, queues the device-activated notice and audits.
 * [policy] code_tries wrong first codes end the enrolment. */
#ifndef SLS_SERVER_FLOWS_TOTP_ENROL_TX_H
#define SLS_SERVER_FLOWS_TOTP_ENROL_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_TOTP_EVENT "totp.enrol"

/* Keeps seed (seedlen bytes) sealed as user u's pending app device_id
 * (labelled label) at `now`, until now + [policy] totp_enrol_ttl, and
 * audits it. Returns SLS_OK or an error. */
int sls_totp_enrol_begin(const struct sls_app *app, const struct sls_user_rec *u,
                         const char *device_id, const char *label, const uint8_t *seed,
                         size_t seedlen, sls_time now);

enum sls_totp_confirm_outcome {
    SLS_TOTP_CONFIRMED = 0, /* the device is active */
    SLS_TOTP_NO_ENROLMENT,  /* none waiting for that id (never, expired, taken, replaced) */
    SLS_TOTP_WRONG_CODE,    /* not the app's code now: counted, the enrolment kept */
    SLS_TOTP_WRONG_LAST,    /* the last wrong code allowed: the enrolment is gone */
};

struct sls_totp_confirm {
    /* in */
    const struct sls_user_rec *user;
    const char *device_id;
    const char *code;
    sls_time now;
    /* out */
    enum sls_totp_confirm_outcome outcome;
    struct sls_device_rec device; /* confirmed: the device created */
};

/* Confirms the pending app t->device_id of t->user with t->code at t->now.
 * Returns SLS_OK (t->outcome says what it came to) or the store's error. */
int sls_totp_enrol_confirm(const struct sls_app *app, struct sls_totp_confirm *t);

#endif
