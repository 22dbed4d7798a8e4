/* The moves of a DSC+ order; see dsc_order_moves.h. */
#include "server/flows/dsc_order_moves.h"

#include <stdio.h>

#include "core/error.h"

int sls_dsc_order_ship(struct sls_db *db, const struct sls_dsc_order_rec *o, const char *device_id,
                       sls_time at)
{
    struct sls_dsc_order_rec next = *o;

    if (o->state != SLS_DSC_ORDER_ORDERED)
        return SLS_ERR_CONFLICT;
    next.state = SLS_DSC_ORDER_SHIPPED;
    snprintf(next.device_id, sizeof(next.device_id), "%s", device_id);
    next.shipped_at = at;
    return SLS_DB(db, dsc_order_update, &next, o->state, o->notices);
}

int sls_dsc_order_notices(struct sls_db *db, const struct sls_dsc_order_rec *o, unsigned notices)
{
    struct sls_dsc_order_rec next = *o;

    if (o->state != SLS_DSC_ORDER_SHIPPED)
        return SLS_ERR_CONFLICT;
    next.notices = notices;
    return SLS_DB(db, dsc_order_update, &next, o->state, o->notices);
}

int sls_dsc_order_settle(struct sls_db *db, const struct sls_dsc_order_rec *o, sls_time at)
{
    struct sls_dsc_order_rec next = *o;

    if (o->state != SLS_DSC_ORDER_SHIPPED)
        return SLS_ERR_CONFLICT;
    next.state = SLS_DSC_ORDER_SETTLED;
    next.settled_at = at;
    return SLS_DB(db, dsc_order_update, &next, o->state, o->notices);
}
