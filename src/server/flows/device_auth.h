/* How each security device is challenged and how its answer is checked:
 * OCRA for challenge/response cards (R20-R23), two cells for code cards
 * (R24), the static code of a temporary passcode (R26), the current code of
 * an authenticator app (SPEC §10.4, totp_check.h). Secrets are unsealed
 * only for the check and wiped right after. */
#ifndef SLS_SERVER_DEVICE_AUTH_H
#define SLS_SERVER_DEVICE_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/app/app.h"
#include "store/store.h"

#define SLS_CARD_MAX_CELLS 100

/* Issues a fresh random challenge for device d into challenge (e.g.
 * "123456", or "12,47" for a card) and its kind. Returns SLS_OK, or
 * SLS_ERR_BAD_REQUEST when the device cannot be challenged this way. */
int sls_device_challenge_new(const struct sls_app *app, const struct sls_device_rec *d,
                             char *challenge, size_t len, enum sls_challenge_kind *kind);

/* As sls_device_challenge_new, but a device that answers by push (ibkey)
 * gets its manual fallback: a 6-digit challenge for its OCRA response. */
int sls_device_manual_challenge_new(const struct sls_app *app, const struct sls_device_rec *d,
                                    char *challenge, size_t len, enum sls_challenge_kind *kind);

/* True when response is exactly what device d shows for challenge. Always
 * false for an authenticator app, whose answer is used once and so is
 * checked by sls_device_answer_check only. */
bool sls_device_response_ok(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *challenge, const char *response);

/* The answer of any device to challenge at `now` into *right: as
 * sls_device_response_ok, and for an authenticator app its code, whose step
 * is then spent (sls_totp_check: its own transaction); for a passkey its
 * credential JSON, whose counter then moves (sls_passkey_answer_check).
 * Returns SLS_OK or the store's error. */
int sls_device_answer_check(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *challenge, const char *response, sls_time now, bool *right);

/* The API shape of a challenge: {kind, challenge}, {kind, indexes:[a,b]},
 * {kind:"push", push_id}, {kind:"code", channel} (an app's code: channel
 * "app"). */
json_t *sls_challenge_json(enum sls_challenge_kind kind, const char *challenge);

/* As sls_challenge_json for device d; a passkey's ({kind:"webauthn"}) gets
 * its request options too: publicKey {challenge, rpId, allowCredentials
 * (its credential), userVerification "required", timeout (ms)}. */
json_t *sls_device_challenge_json(const struct sls_app *app, const struct sls_device_rec *d,
                                  enum sls_challenge_kind kind, const char *challenge);

/* §10.3: the push challenge's number to type into the app, added to the
 * challenge object o as "number" when the push has one (number != 0). */
void sls_challenge_json_number(json_t *o, int number);

/* The API shape of a device: {id, type, label, state, strength}. */
json_t *sls_device_json(const struct sls_device_rec *d);

/* The key of an online card's activation challenge (R27). */
void sls_card_activation_key(char *out, size_t len, const char *card_id);

/* Seals plain into the device's secret (or pin when pin is true). Returns SLS_OK or an error. */
int sls_device_seal(const struct sls_app *app, struct sls_device_rec *d, bool pin,
                    const uint8_t *plain, size_t len);

/* Opens d's sealed secret into out (cap bytes); returns its length or -1.
 * The caller wipes out after use. */
long sls_device_secret_open(const struct sls_app *app, const struct sls_device_rec *d, uint8_t *out,
                            size_t cap);

/* True when pin is the PIN sealed in d (compared in constant time). False
 * when d keeps no PIN or it cannot be opened. */
bool sls_device_pin_matches(const struct sls_app *app, const struct sls_device_rec *d,
                            const char *pin);

/* R26: keeps only a sealed SHA-256 of the passcode (bound to d->id, which
 * must be set) in d's secret. Returns SLS_OK or an error. */
int sls_device_passcode_set(const struct sls_app *app, struct sls_device_rec *d,
                            const char *passcode);

#endif
