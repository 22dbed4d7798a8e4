/* The --dev clock kept in the store's meta values; see dev_clock.h. */
#include "server/flows/dev_clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "server/app/clock.h"

#define KEY "dev_clock"

static struct sls_store *shared;

struct clock_tx {
    bool frozen;
    sls_time at, delta, wall;
    bool advance;
};

/* The stored instant: *frozen false when there is none. */
static int read_instant(struct sls_db *db, bool *frozen, sls_time *at)
{
    char value[32], *end;
    long long v;
    int rc = SLS_DB(db, meta_get, KEY, value, sizeof(value));

    *frozen = false;
    if (rc == SLS_ERR_NOT_FOUND)
        return SLS_OK;
    if (rc != SLS_OK)
        return rc;
    v = strtoll(value, &end, 10);
    if (end == value || *end != '\0')
        return SLS_ERR_STORE;
    *frozen = true;
    *at = (sls_time)v;
    return SLS_OK;
}

static int get_fn(struct sls_db *db, void *arg)
{
    struct clock_tx *t = arg;
    return read_instant(db, &t->frozen, &t->at);
}

static int set_fn(struct sls_db *db, void *arg)
{
    struct clock_tx *t = arg;
    char value[32];

    if (t->advance) {
        bool frozen;
        sls_time at = 0;
        int rc = read_instant(db, &frozen, &at);

        if (rc != SLS_OK)
            return rc;
        t->at = (frozen ? at : t->wall) + t->delta;
    }
    snprintf(value, sizeof(value), "%" PRId64, (int64_t)t->at);
    return SLS_DB(db, meta_set, KEY, value);
}

static int get(bool *frozen, sls_time *at)
{
    struct clock_tx t = {0};

    if (sls_store_read(shared, get_fn, &t) != SLS_OK)
        return -1;
    *frozen = t.frozen;
    *at = t.at;
    return 0;
}

static int set(sls_time at)
{
    struct clock_tx t = {.at = at};
    return sls_store_write(shared, set_fn, &t);
}

static int advance(sls_time delta, sls_time wall)
{
    struct clock_tx t = {.advance = true, .delta = delta, .wall = wall};
    return sls_store_write(shared, set_fn, &t);
}

static const struct sls_clock_keeper keeper = {get, set, advance};

void sls_dev_clock_share(struct sls_store *store)
{
    shared = store;
    sls_clock_keep_in(&keeper);
}
