/* The write state every backend keeps for sls_store_health (write_state.h). */
#include <stdio.h>

#include "../core/error.h"
#include "write_state.h"

void sls_write_state_set(struct sls_write_state *w, bool unavailable, const char *reason)
{
    pthread_mutex_lock(&w->mu);
    w->unavailable = unavailable;
    if (unavailable)
        snprintf(w->reason, sizeof w->reason, "%s", reason ? reason : "");
    pthread_mutex_unlock(&w->mu);
}

bool sls_write_state_probe_due(struct sls_write_state *w, int64_t now)
{
    bool due;

    pthread_mutex_lock(&w->mu);
    due = w->unavailable && (!w->probed || now - w->probed_at >= SLS_WRITE_STATE_PROBE_SECONDS);
    if (due) {
        w->probed = true;
        w->probed_at = now;
    }
    pthread_mutex_unlock(&w->mu);
    return due;
}

int sls_write_state_report(struct sls_write_state *w, char *reason, size_t reasonlen)
{
    int ret;

    pthread_mutex_lock(&w->mu);
    ret = w->unavailable ? SLS_ERR_STORE_UNAVAILABLE : SLS_OK;
    if (reasonlen > 0)
        snprintf(reason, reasonlen, "%s", w->unavailable ? w->reason : "");
    pthread_mutex_unlock(&w->mu);
    return ret;
}
