/* R33 withdrawal limits read in the caller's transaction; see
 * withdrawal_limits.h. */
#include "server/flows/withdrawal_limits.h"

#include "core/error.h"
#include "server/flows/held_devices.h"

int sls_limits_read(struct sls_db *db, struct sls_limits_state *st)
{
    struct sls_user_rec *u = malloc(sizeof(*u));
    struct sls_device_rec *devs = calloc(SLS_DEVICE_VIEW_MAX, sizeof(*devs));
    struct sls_device_brief briefs[SLS_DEVICE_VIEW_MAX];
    size_t n = 0, i;
    int rc = SLS_ERR_NOMEM;

    if (u == NULL || devs == NULL)
        goto out;
    rc = SLS_DB(db, user_get_by_id, st->user_id, u);
    if (rc == SLS_OK)
        rc = sls_devices_held(db, st->user_id, devs, SLS_DEVICE_VIEW_MAX, &n);
    if (rc != SLS_OK)
        goto out;
    for (i = 0; i < n; i++) {
        briefs[i].type = devs[i].type;
        briefs[i].state = devs[i].state;
    }
    st->row = sls_limit_row_of(st->policy, sls_limit_device(u->sls, st->factor, briefs, n));
    st->business_day = sls_business_day_of(st->now, st->holidays);
    st->window_start =
        sls_business_day_back(st->business_day, SLS_WINDOW_BUSINESS - 1, st->holidays);
    rc = SLS_DB(db, withdrawal_sum, st->user_id, st->business_day, st->business_day,
                &st->used_today);
    if (rc == SLS_OK)
        rc = SLS_DB(db, withdrawal_sum, st->user_id, st->window_start, st->business_day,
                    &st->used_5_days);
out:
    free(u);
    free(devs);
    return rc;
}
