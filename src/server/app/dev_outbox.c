/* The --dev memory of settled messages; see dev_outbox.h. */
#include "server/app/dev_outbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_bool enabled;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct sls_outbox_rec ring[SLS_DEV_OUTBOX_KEPT];
static size_t next, used; /* next slot to write; slots in use */

void sls_dev_outbox_enable(void)
{
    atomic_store(&enabled, true);
}

void sls_dev_outbox_keep(const struct sls_outbox_rec *m)
{
    size_t i;

    if (!atomic_load(&enabled))
        return;
    pthread_mutex_lock(&mu);
    for (i = 0; i < used; i++) {
        if (ring[i].id == m->id) {
            ring[i] = *m; /* tried again: the newest copy */
            goto out;
        }
    }
    ring[next] = *m;
    next = (next + 1) % SLS_DEV_OUTBOX_KEPT;
    if (used < SLS_DEV_OUTBOX_KEPT)
        used++;
out:
    pthread_mutex_unlock(&mu);
}

static int by_id(const void *a, const void *b)
{
    const struct sls_outbox_rec *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

size_t sls_dev_outbox_kept(const char *to, struct sls_outbox_rec *out, size_t max)
{
    size_t i, n = 0;

    pthread_mutex_lock(&mu);
    for (i = 0; i < used && n < max; i++)
        if (to == NULL || strcmp(ring[i].to, to) == 0)
            out[n++] = ring[i];
    pthread_mutex_unlock(&mu);
    qsort(out, n, sizeof(*out), by_id);
    return n;
}
