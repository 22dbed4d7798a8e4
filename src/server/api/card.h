/* R27 online security cards, from the account holder's side: requesting a
 * card from a session opened with a temporary passcode, reading it (JSON, a
 * printable HTML page, an SVG image) until it is activated, and activating it
 * with the values at two indexes.
 *
 * A card is a device record of type online_card whose secret is the 300
 * sealed digits. It waits in state "shipped" until activated; its activation
 * indexes are a challenge kept under "activate:<card id>". Requesting a new
 * card retires one still waiting; activating a card retires the card that was
 * active before it, with its sessions. Wrong activation values count toward
 * the lockout (R8) like wrong login answers. */
#ifndef SLS_SERVER_API_CARD_H
#define SLS_SERVER_API_CARD_H

#include "server/http/http.h"

void sls_api_online_card_new(struct sls_req *rq, struct sls_resp *rs);

void sls_api_online_card_get(struct sls_req *rq, struct sls_resp *rs);

void sls_api_online_card_activate(struct sls_req *rq, struct sls_resp *rs);

#endif
