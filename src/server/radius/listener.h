/* The RADIUS listener of slsd (SPEC §10.4): one UDP socket ([radius]
 * listen), a thread that receives, and a few workers that answer. A request
 * is answered only when it comes from the address range of a configured
 * client ([radius.client NAME]), is a well-formed Access-Request and
 * carries a valid Message-Authenticator under that client's secret (RFC
 * 3579, as the BlastRADIUS advisory asks); anything else is dropped
 * unanswered and counted in sls_radius_dropped_total. A retransmission gets
 * the stored answer (retransmit.h). Stage 1 costs an Argon2id hash and is
 * admitted by the same throttle as the HTTP routes that hash (SPEC §10.2):
 * the client's address takes a token of [throttle] per_ip_per_minute, and
 * the hashing itself takes one of the [throttle] hashing slots. */
#ifndef SLS_SERVER_RADIUS_LISTENER_H
#define SLS_SERVER_RADIUS_LISTENER_H

#include <stddef.h>

#include "server/app/app.h"
#include "server/app/throttle.h"

/* Workers answering requests, and requests waiting for one. */
#define SLS_RADIUS_WORKERS 4
#define SLS_RADIUS_QUEUE   256

struct sls_radius;

/* Starts the listener of app->cfg.radius with the throttle t (shared with
 * the HTTP listener). Returns 0 with *out set (NULL when [radius] listen is
 * unset: nothing to start), or -1 with a message in err. */
int sls_radius_start(struct sls_app *app, struct sls_throttle *t, struct sls_radius **out,
                     char *err, size_t errlen);
/* Stops it, answering no more; NULL is fine. */
void sls_radius_stop(struct sls_radius *r);

#endif
