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

/* Online cards a user may be issued while one temporary passcode lasts. */
#define SLS_ONLINE_CARD_MAX_PER_PASSCODE 10

/* A device record of the user as the issue rule sees it. */
struct sls_online_card_held {
    enum sls_device_type type;
    sls_time created_at;
};

/* R27: whether another online card may be issued to a user whose device
 * records are devs[0..n), a user holding at most max records: fewer than
 * SLS_ONLINE_CARD_MAX_PER_PASSCODE online cards were created at or after
 * passcode_created_at (the temporary passcode of the session asking, so a
 * new passcode starts the count again), and n < max. */
bool sls_online_card_issue_allowed(sls_time passcode_created_at,
                                   const struct sls_online_card_held *devs, size_t n, size_t max);

/* What a request about one card of the user (read, activate) finds. */
enum sls_online_card_status {
    SLS_ONLINE_CARD_WAITING = 0,    /* shipped with its indexes kept: shown, activated */
    SLS_ONLINE_CARD_UNKNOWN,        /* not an online card of this user */
    SLS_ONLINE_CARD_ALREADY_ACTIVE, /* its values are not shown again */
    SLS_ONLINE_CARD_RETIRED,        /* replaced or revoked */
};

/* The status of a device record found under the card's id: mine when it is
 * an online card of the user asking, state its state, activation_kept when
 * its activation indexes are still kept. */
enum sls_online_card_status sls_online_card_status(bool mine, enum sls_device_state state,
                                                   bool activation_kept);

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
