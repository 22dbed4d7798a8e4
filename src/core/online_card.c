/* R27 online security cards; see online_card.h. */
#include "online_card.h"

#include <stdint.h>

bool sls_online_card_session_may_manage(enum sls_device_type factor)
{
    return factor == SLS_DEVICE_TEMP_PASSCODE;
}

sls_time sls_online_card_expires_at(sls_time activated_at, const struct sls_access_policy *p)
{
    if (p->online_card_lifetime > 0 && activated_at > INT64_MAX - p->online_card_lifetime) {
        return INT64_MAX;
    }
    return activated_at + p->online_card_lifetime;
}

bool sls_online_card_indexes_valid(unsigned a, unsigned b)
{
    return a >= 1 && b >= 1 && a <= SLS_ONLINE_CARD_CELLS && b <= SLS_ONLINE_CARD_CELLS && a != b;
}

bool sls_online_card_cells_valid(const char *cells, size_t len)
{
    if (cells == NULL || len != (size_t)SLS_ONLINE_CARD_CELLS * SLS_ONLINE_CARD_DIGITS) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (cells[i] < '0' || cells[i] > '9') {
            return false;
        }
    }
    return true;
}

bool sls_online_card_issue_allowed(sls_time passcode_created_at,
                                   const struct sls_online_card_held *devs, size_t n, size_t max)
{
    size_t cards = 0;

    if (n >= max)
        return false;
    for (size_t i = 0; devs != NULL && i < n; i++)
        if (devs[i].type == SLS_DEVICE_ONLINE_CARD && devs[i].created_at >= passcode_created_at)
            cards++;
    return cards < SLS_ONLINE_CARD_MAX_PER_PASSCODE;
}

enum sls_online_card_status sls_online_card_status(bool mine, enum sls_device_state state,
                                                   bool activation_kept)
{
    if (!mine)
        return SLS_ONLINE_CARD_UNKNOWN;
    if (state == SLS_DEVSTATE_ACTIVE)
        return SLS_ONLINE_CARD_ALREADY_ACTIVE;
    if (state != SLS_DEVSTATE_SHIPPED || !activation_kept)
        return SLS_ONLINE_CARD_RETIRED;
    return SLS_ONLINE_CARD_WAITING;
}
