/* R27 online security cards: the shape of a card and the rules of its life.
 * A card is requested from a session opened with a temporary passcode (in
 * either of its windows), printed or saved, then activated by typing the
 * values at two indexes; it grants full access for 21 days from activation
 * (the window itself is decided by sls_access_for_factor). */
#ifndef SLS_CORE_ONLINE_CARD_H
#define SLS_CORE_ONLINE_CARD_H

#include <stdbool.h>
#include <stddef.h>

#include "access.h"
#include "device.h"
#include "time.h"

#define SLS_ONLINE_CARD_CELLS  100 /* indexes 1..100 */
#define SLS_ONLINE_CARD_DIGITS 3   /* each cell holds 3 digits */

/* Whether a session whose factor is `factor` may request, read or activate an
 * online card: only sessions opened with a temporary passcode. */
bool sls_online_card_session_may_manage(enum sls_device_type factor);

/* When an online card activated at `activated_at` stops working: it works
 * while now < the returned instant (the first refused second). */
sls_time sls_online_card_expires_at(sls_time activated_at, const struct sls_access_policy *p);

/* Whether two activation indexes are valid: both in 1..SLS_ONLINE_CARD_CELLS
 * and distinct. */
bool sls_online_card_indexes_valid(unsigned a, unsigned b);

/* Whether `cells` (SLS_ONLINE_CARD_CELLS * SLS_ONLINE_CARD_DIGITS characters,
 * cell i at offset 3 * (i - 1)) is a well-formed card: digits only. */
bool sls_online_card_cells_valid(const char *cells, size_t len);

#endif
