/* RADIUS mapped onto the login (SPEC §10.4): an authentic Access-Request
 * without State is stage 1 (User-Name, User-Password, the client's
 * platform); a second factor answers Access-Challenge with a State naming
 * the login (state.h) and the challenge in Reply-Message; the next request
 * with that State carries the response as User-Password (for a push, any
 * password polls the approval). The end is Access-Accept with
 * Session-Timeout, or Access-Reject with the reason and the hint in
 * Reply-Message, the words of the HTTP API. Every step is the one of
 * server/flows/login_step.h, so R5-R12, the lockout and the audit are those
 * of POST /v1/login; the audit detail names the RADIUS client. */
#ifndef SLS_SERVER_RADIUS_EXCHANGE_H
#define SLS_SERVER_RADIUS_EXCHANGE_H

#include <stdbool.h>

#include "core/time.h"
#include "server/app/app.h"
#include "server/radius/packet.h"
#include "server/radius/state.h"

/* Whether answering p costs a password hash (stage 1: no State), to be
 * admitted by the throttle of SPEC §10.2 first. */
bool sls_radius_exchange_hashes(const struct sls_radius_packet *p);

/* Answers the authentic Access-Request p of client at now into b
 * (finished, signed with the client's secret). Returns true with the
 * answer in b, false when the request is to be dropped (the store failed:
 * the client will ask again). */
bool sls_radius_exchange(struct sls_app *app, const uint8_t state_key[SLS_RADIUS_STATE_KEY],
                         const struct sls_radius_client *client, const struct sls_radius_packet *p,
                         sls_time now, struct sls_radius_builder *b);

/* Answers p with Access-Reject and message (and hint, when not NULL) into
 * b: a request refused before its login is looked at (throttled). Returns
 * false when b could not be finished. */
bool sls_radius_exchange_reject(const struct sls_radius_client *client,
                                const struct sls_radius_packet *p, const char *message,
                                const char *hint, struct sls_radius_builder *b);

#endif
