/* The DSC+ auto-activation scheduler; see dsc_plus_scheduler.h. */
#include "server/jobs/dsc_plus_scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/flows/audit_event.h"
#include "server/flows/dsc_order_moves.h"
#include "server/app/clock.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"
#include "core/error.h"
#include "crypto/secmem.h"

#define BATCH 32 /* shipped orders read per pass */

struct sls_dsc_plus_scheduler {
    struct sls_store *store;
    const struct sls_dsc_plus_policy *policy;
    atomic_bool stop;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
};

/* ---- one order, one transaction ---- */

struct tick_tx {
    const struct sls_dsc_plus_policy *policy;
    sls_time now;
    const char *order_id;
    struct sls_dsc_order_rec order;
    struct sls_device_rec device;
    struct sls_user_rec user;
};

/* Queues an e-mail to the user about their card. */
static int mail(struct sls_db *db, const struct tick_tx *t, const char *body)
{
    struct sls_outbox_rec m;

    memset(&m, 0, sizeof(m));
    snprintf(m.to, sizeof(m.to), "%s", t->user.email);
    snprintf(m.channel, sizeof(m.channel), "email");
    snprintf(m.body, sizeof(m.body), "%s", body);
    snprintf(m.kind, sizeof(m.kind), "dsc_plus.notice");
    m.at = t->now;
    return SLS_DB(db, outbox_insert, &m);
}

static int activate(struct sls_db *db, struct tick_tx *t)
{
    char about[200], detail[160];
    int rc = sls_field_write_device_state(db, t->device.id, SLS_DEVSTATE_ACTIVE, t->now);

    if (rc == SLS_OK)
        rc = sls_dsc_order_settle(db, &t->order, t->now);
    if (rc != SLS_OK)
        return rc;
    /* The security notice (§10.3) is the activation's only e-mail. */
    snprintf(about, sizeof(about),
             "Digital Security Card+, serial %s, activated by itself 21 days after shipment",
             t->device.serial);
    rc = sls_notice_queue(db, &t->user, SLS_NOTICE_DEVICE_ACTIVATED, about, t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s order=%s", t->device.id,
             sls_device_type_name(t->device.type), t->order.id);
    return sls_audit_write(db, t->now, "system", t->user.username, "device.auto_activate", "ok",
                           detail);
}

static int notify(struct sls_db *db, struct tick_tx *t, unsigned due)
{
    sls_time at = sls_dsc_plus_auto_activation_at(t->order.shipped_at, t->policy);
    unsigned settled =
        sls_dsc_plus_notices_settled(t->order.shipped_at, t->order.notices, t->policy, t->now);
    char when[32], body[512], detail[160];
    int rc;

    /* The CAS first: if another writer recorded these notices, send nothing. */
    rc = sls_dsc_order_notices(db, &t->order, settled);
    if (rc != SLS_OK)
        return rc;
    if (sls_time_format(at, when, sizeof(when)) != 0)
        return SLS_ERR_INTERNAL;
    snprintf(body, sizeof(body),
             "Your Digital Security Card+ (serial %s) activates by itself on %s%s. To activate "
             "it now, log in to the Client Portal and answer a challenge from it. If you did not "
             "receive it, call the service desk.",
             t->device.serial, when,
             (due & SLS_DSC_PLUS_NOTICE_LAST) ? " (tomorrow)" : " (in 3 days)");
    rc = mail(db, t, body);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s order=%s notice=%s", t->device.id, t->order.id,
             (due & SLS_DSC_PLUS_NOTICE_LAST) ? "last" : "first");
    return sls_audit_write(db, t->now, "system", t->user.username, "dsc_plus.notice", "ok", detail);
}

static int tick_fn(struct sls_db *db, void *arg)
{
    struct tick_tx *t = arg;
    unsigned due;
    int rc = SLS_DB(db, dsc_order_get, t->order_id, &t->order);

    if (rc != SLS_OK)
        return rc;
    if (t->order.state != SLS_DSC_ORDER_SHIPPED)
        return SLS_OK; /* settled meanwhile */
    rc = SLS_DB(db, device_get, t->order.device_id, &t->device);
    if (rc == SLS_ERR_NOT_FOUND || (rc == SLS_OK && t->device.state != SLS_DEVSTATE_SHIPPED))
        return sls_dsc_order_settle(db, &t->order, t->now);
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, t->order.user_id, &t->user);
    if (rc != SLS_OK)
        return rc;
    if (sls_dsc_plus_auto_activation_due(t->order.shipped_at, t->policy, t->now))
        return activate(db, t);
    due = sls_dsc_plus_notices_due(t->order.shipped_at, t->order.notices, t->policy, t->now);
    return due ? notify(db, t, due) : SLS_OK;
}

struct shipped_read {
    struct sls_dsc_order_rec orders[BATCH];
    size_t n;
};

static int shipped_fn(struct sls_db *db, void *arg)
{
    struct shipped_read *r = arg;
    return SLS_DB(db, dsc_order_list, 0, SLS_DSC_ORDER_SHIPPED, r->orders, BATCH, &r->n);
}

int sls_dsc_plus_scheduler_pass(struct sls_store *store, const struct sls_dsc_plus_policy *policy,
                                sls_time now)
{
    struct shipped_read *r = calloc(1, sizeof(*r));
    struct tick_tx *t = calloc(1, sizeof(*t));
    int rc = (r && t) ? SLS_OK : SLS_ERR_NOMEM;

    if (rc == SLS_OK)
        rc = sls_store_read(store, shipped_fn, r);
    for (size_t i = 0; rc == SLS_OK && i < r->n; i++) {
        memset(t, 0, sizeof(*t));
        t->policy = policy;
        t->now = now;
        t->order_id = r->orders[i].id;
        rc = sls_store_write(store, tick_fn, t);
        if (rc == SLS_ERR_CONFLICT)
            rc = SLS_OK; /* another writer handled it first */
    }
    if (r != NULL)
        sls_wipe(r, sizeof(*r));
    if (t != NULL)
        sls_wipe(t, sizeof(*t));
    free(r);
    free(t);
    return rc;
}

/* ---- the thread ---- */

static void pause_until_next_pass(struct sls_dsc_plus_scheduler *s)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += SLS_DSC_PLUS_POLL_SECONDS;
    pthread_mutex_lock(&s->mu);
    while (!atomic_load(&s->stop)) {
        if (pthread_cond_timedwait(&s->wake, &s->mu, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&s->mu);
}

static void *run(void *arg)
{
    struct sls_dsc_plus_scheduler *s = arg;
    int rc;

    while (!atomic_load(&s->stop)) {
        rc = sls_dsc_plus_scheduler_pass(s->store, s->policy, sls_clock_now());
        if (rc != SLS_OK)
            fprintf(stderr, "slsd: DSC+ scheduler pass failed (%s)\n", sls_err_code(rc));
        pause_until_next_pass(s);
    }
    return NULL;
}

int sls_dsc_plus_scheduler_start(struct sls_store *store, const struct sls_dsc_plus_policy *policy,
                                 struct sls_dsc_plus_scheduler **out, char *err, size_t errlen)
{
    struct sls_dsc_plus_scheduler *s = calloc(1, sizeof(*s));
    pthread_condattr_t ca;

    *out = NULL;
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->store = store;
    s->policy = policy;
    atomic_init(&s->stop, false);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->mu, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->mu);
        free(s);
        snprintf(err, errlen, "cannot start the DSC+ scheduler thread");
        return -1;
    }
    *out = s;
    return 0;
}

void sls_dsc_plus_scheduler_stop(struct sls_dsc_plus_scheduler *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->mu);
    atomic_store(&s->stop, true);
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
