/* The deliverer thread: reads due messages from the outbox, sends each through
 * the configured command or webhook, and records the outcome of every attempt
 * in its own transaction. See delivery.h for the contract. */
#include "server/jobs/delivery.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/flows/audit_event.h"
#include "server/flows/dev_outbox.h"
#include "server/app/clock.h"
#include "core/delivery.h"
#include "core/error.h"
#include "crypto/secmem.h"
#include "server/jobs/delivery_command.h"
#include "server/jobs/delivery_webhook.h"
#include "server/app/metrics.h"

#define BATCH 16 /* messages read per pass */

struct sls_delivery {
    struct sls_store *store;
    const struct sls_delivery_config *cfg;
    struct sls_command command; /* when cfg->command is set */
    bool webhook;
    atomic_bool stop;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    struct sls_outbox_rec batch[BATCH];
    bool erased; /* secrets were erased since the last scrub */
};

char *sls_delivery_message_json(const struct sls_outbox_rec *m, size_t *len)
{
    char at[32];
    json_t *o;
    char *text = NULL;

    if (sls_time_format(m->at, at, sizeof(at)) != 0)
        return NULL;
    o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "to", m->to, "channel",
                  m->channel, "body", m->body, "at", at);
    if (o == NULL)
        return NULL;
    if (m->code[0] != '\0' && json_object_set_new(o, "code", json_string(m->code)) != 0)
        goto out;
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text != NULL)
        *len = strlen(text);
out:
    /* The body and code in the object are freed without wiping: jansson
     * offers no hook. The text handed out is wiped by the caller. */
    json_decref(o);
    return text;
}

/* ---- recording an outcome, one transaction each ---- */

struct outcome_tx {
    const struct sls_outbox_rec *m;
    enum sls_delivery_verdict verdict;
    bool delivered;
    sls_time now, next_at;
    const char *error;
};

static int record_fn(struct sls_db *db, void *arg)
{
    struct outcome_tx *t = arg;
    char detail[512];
    json_t *o;
    char *text;
    int rc;

    /* Settling erases body and code in the store; --dev keeps a copy (in
     * this same transaction) for the dev outbox of every node. */
    if (t->delivered || t->verdict == SLS_DELIVERY_GIVE_UP) {
        rc = sls_dev_outbox_keep(db, t->m);
        if (rc != SLS_OK)
            return rc;
    }
    if (t->delivered)
        return SLS_DB(db, outbox_settle, t->m->id, t->m->attempts, SLS_OUTBOX_DELIVERED, t->now,
                      "");
    if (t->verdict == SLS_DELIVERY_RETRY)
        return SLS_DB(db, outbox_settle, t->m->id, t->m->attempts, SLS_OUTBOX_PENDING, t->next_at,
                      t->error);
    rc = SLS_DB(db, outbox_settle, t->m->id, t->m->attempts, SLS_OUTBOX_FAILED, t->now, t->error);
    if (rc != SLS_OK)
        return rc;
    /* The recipient is not repeated in the audit log: the id leads to it. */
    o = json_pack("{s:I, s:s, s:i, s:s}", "message", (json_int_t)t->m->id, "channel", t->m->channel,
                  "attempts", t->m->attempts + 1, "error", t->error);
    text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    snprintf(detail, sizeof(detail), "%s", text ? text : "");
    free(text);
    json_decref(o);
    return sls_audit_write(db, t->now, "system", NULL, "message.delivery", "gave_up", detail);
}

/* Records what became of one attempt at m; logs failures. Returns the store's
 * answer (SLS_ERR_CONFLICT: the message changed meanwhile). */
static int record(struct sls_delivery *d, const struct sls_outbox_rec *m, bool delivered,
                  const char *error)
{
    struct outcome_tx t = {.m = m, .delivered = delivered, .error = error};
    int rc;

    t.now = sls_clock_now();
    if (!delivered)
        t.verdict = sls_delivery_after_failure(&d->cfg->retry, m->attempts + 1, t.now, &t.next_at);
    rc = sls_store_write(d->store, record_fn, &t);
    if (rc != SLS_OK) {
        fprintf(stderr, "slsd: message %lld: cannot record the delivery attempt (%s)\n",
                (long long)m->id, sls_err_code(rc));
        return rc;
    }
    if (delivered || t.verdict == SLS_DELIVERY_GIVE_UP)
        d->erased = true;
    if (delivered) {
        sls_metrics_delivery(SLS_METRIC_DELIVERED);
    } else if (t.verdict == SLS_DELIVERY_RETRY) {
        sls_metrics_delivery(SLS_METRIC_DELIVERY_RETRY);
        fprintf(stderr, "slsd: message %lld (%s): attempt %d failed: %s; next in %lld s\n",
                (long long)m->id, m->channel, m->attempts + 1, error,
                (long long)(t.next_at - t.now));
    } else {
        sls_metrics_delivery(SLS_METRIC_DELIVERY_GAVE_UP);
        fprintf(stderr, "slsd: message %lld (%s): gave up after %d attempts: %s\n",
                (long long)m->id, m->channel, m->attempts + 1, error);
    }
    return SLS_OK;
}

/* ---- the claim: one sender per attempt across nodes (SPEC §10.1) ---- */

struct claim_tx {
    const struct sls_outbox_rec *m;
    sls_time now, lease_until;
    bool release;
};

static int claim_fn(struct sls_db *db, void *arg)
{
    struct claim_tx *t = arg;

    if (t->release)
        return SLS_DB(db, outbox_release, t->m->id, t->m->attempts, t->lease_until, t->now);
    return SLS_DB(db, outbox_claim, t->m->id, t->m->attempts, t->now, t->lease_until);
}

/* ---- one attempt ---- */

/* Claims m (due at now), sends it once and records the outcome. Returns
 * SLS_OK (also when another deliverer claimed or recorded it first), or
 * another error to pause the pass. */
static int attempt(struct sls_delivery *d, const struct sls_outbox_rec *m, sls_time now)
{
    char error[SLS_SEND_ERROR_MAX] = "";
    struct claim_tx claim = {.m = m, .now = now};
    enum sls_send_outcome out;
    size_t len = 0;
    char *json;
    int rc;

    /* The lease outlasts the send (its timeout) and the record that follows. */
    claim.lease_until = now + d->cfg->timeout + SLS_DELIVERY_LEASE_MARGIN;
    rc = sls_store_write(d->store, claim_fn, &claim);
    if (rc == SLS_ERR_CONFLICT)
        return SLS_OK; /* another deliverer has it, or had it */
    if (rc != SLS_OK) {
        fprintf(stderr, "slsd: message %lld: cannot claim it for delivery (%s)\n", (long long)m->id,
                sls_err_code(rc));
        return rc;
    }
    json = sls_delivery_message_json(m, &len);
    if (json == NULL) {
        snprintf(error, sizeof(error), "cannot encode the message");
        out = SLS_SEND_FAILED;
    } else if (d->webhook) {
        out = sls_send_webhook(d->cfg->webhook, d->cfg->webhook_token, json, len, d->cfg->timeout,
                               &d->stop, error, sizeof(error));
    } else {
        out = sls_send_command(&d->command, json, len, d->cfg->timeout, &d->stop, error,
                               sizeof(error));
    }
    if (json != NULL) {
        sls_wipe(json, len);
        free(json);
    }
    if (out == SLS_SEND_STOPPED) {
        /* Not an attempt: given back, due again at once (on any node). */
        claim.release = true;
        (void)sls_store_write(d->store, claim_fn, &claim);
        return SLS_OK;
    }
    rc = record(d, m, out == SLS_SEND_DELIVERED, error);
    return rc == SLS_ERR_CONFLICT ? SLS_OK : rc;
}

/* ---- the thread ---- */

struct due_read {
    sls_time now;
    struct sls_outbox_rec *out;
    size_t n;
};

static int due_fn(struct sls_db *db, void *arg)
{
    struct due_read *r = arg;
    return SLS_DB(db, outbox_due, r->now, r->out, BATCH, &r->n);
}

/* ---- retention and scrubbing (SPEC §10.3) ---- */

struct purge_tx {
    sls_time cutoff;
    size_t n;
};

static int purge_fn(struct sls_db *db, void *arg)
{
    struct purge_tx *t = arg;
    return SLS_DB(db, outbox_purge, t->cutoff, &t->n);
}

/* Deletes the messages settled [delivery] retention ago or earlier (by the
 * app clock), then, when anything was erased or deleted since the last time,
 * scrubs the store's files so that no older copy of a body or code stays in
 * them; a scrub that fails (a long reader) is tried again next pass. */
static void purge_and_scrub(struct sls_delivery *d)
{
    struct purge_tx t = {.cutoff = sls_delivery_purge_cutoff(d->cfg->retention, sls_clock_now())};
    int rc = sls_store_write(d->store, purge_fn, &t);

    if (rc != SLS_OK)
        fprintf(stderr, "slsd: cannot delete old messages (%s)\n", sls_err_code(rc));
    else if (t.n > 0)
        d->erased = true;
    if (!d->erased)
        return;
    rc = sls_store_scrub(d->store);
    if (rc == SLS_OK)
        d->erased = false;
    else
        fprintf(stderr,
                "slsd: cannot scrub the store after erasing messages (%s); "
                "trying again\n",
                sls_err_code(rc));
}

/* Sleeps up to SLS_DELIVERY_POLL_SECONDS, or until stopped. */
static void pause_until_next_pass(struct sls_delivery *d)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += SLS_DELIVERY_POLL_SECONDS;
    pthread_mutex_lock(&d->mu);
    while (!atomic_load(&d->stop)) {
        if (pthread_cond_timedwait(&d->wake, &d->mu, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&d->mu);
}

static void *run(void *arg)
{
    struct sls_delivery *d = arg;
    struct due_read r = {.out = d->batch};
    bool full;
    int rc;

    while (!atomic_load(&d->stop)) {
        r.now = sls_clock_now();
        r.n = 0;
        rc = sls_store_read(d->store, due_fn, &r);
        if (rc != SLS_OK)
            fprintf(stderr, "slsd: cannot read the outbox (%s)\n", sls_err_code(rc));
        full = rc == SLS_OK && r.n == BATCH;
        for (size_t i = 0; rc == SLS_OK && i < r.n && !atomic_load(&d->stop); i++)
            rc = attempt(d, &d->batch[i], r.now);
        sls_wipe(d->batch, sizeof(d->batch));
        if (!full || rc != SLS_OK) {
            purge_and_scrub(d);
            pause_until_next_pass(d);
        }
    }
    return NULL;
}

/* The program of the command must be an executable regular file now: a typo
 * is found at start, not at the first message. */
static int check_program(const char *path, char *err, size_t errlen)
{
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        snprintf(err, errlen, "[delivery] command: %s is not an executable file", path);
        return -1;
    }
    return 0;
}

int sls_delivery_start(struct sls_store *store, const struct sls_delivery_config *cfg,
                       struct sls_delivery **out, char *err, size_t errlen)
{
    struct sls_delivery *d = NULL;
    pthread_condattr_t ca;
    bool locks = false;

    *out = NULL;
    if (cfg->command[0] == '\0' && cfg->webhook[0] == '\0')
        return 0;
    d = calloc(1, sizeof(*d));
    if (d == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    d->store = store;
    d->cfg = cfg;
    d->webhook = cfg->webhook[0] != '\0';
    atomic_init(&d->stop, false);
    if (!d->webhook) {
        if (sls_command_parse(&d->command, cfg->command) != 0) {
            snprintf(err, errlen, "[delivery] command: too many words");
            goto fail;
        }
        if (check_program(d->command.argv[0], err, errlen) != 0)
            goto fail;
    } else if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "cannot initialise libcurl");
        goto fail;
    }
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&d->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&d->mu, NULL);
    locks = true;
    if (pthread_create(&d->thread, NULL, run, d) != 0) {
        snprintf(err, errlen, "cannot start the delivery thread");
        goto fail;
    }
    *out = d;
    return 0;
fail:
    if (locks) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->mu);
    }
    if (d->webhook)
        curl_global_cleanup();
    free(d);
    return -1;
}

void sls_delivery_stop(struct sls_delivery *d)
{
    if (d == NULL)
        return;
    pthread_mutex_lock(&d->mu);
    atomic_store(&d->stop, true);
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->mu);
    if (d->webhook)
        curl_global_cleanup();
    sls_wipe(d->batch, sizeof(d->batch));
    free(d);
}
