/* R33 withdrawal limits as the server sees them: the row of the session's
 * user, what was used today and in the 5-business-day window, read inside a
 * store transaction so that a withdrawal checks and records in one step. */
#ifndef SLS_SERVER_WITHDRAWAL_LIMITS_H
#define SLS_SERVER_WITHDRAWAL_LIMITS_H

#include <jansson.h>

#include "server/app/app.h"
#include "core/limits.h"
#include "store/store.h"

struct sls_limits_state {
    /* in */
    int64_t user_id;
    enum sls_device_type factor; /* the session's */
    sls_time now;
    const struct sls_holidays *holidays;
    const struct sls_limit_policy *policy; /* the configured table */
    /* out */
    struct sls_limit_row row;
    int64_t business_day; /* the business day `now` counts for */
    int64_t window_start; /* the first business day of its 5-day window */
    int64_t used_today;
    int64_t used_5_days;
};

/* Fills the out fields of st through db (the user's SLS flag and devices are
 * read here, in the caller's transaction). Returns a store result. */
int sls_limits_read(struct sls_db *db, struct sls_limits_state *st);

#endif
