/* The token stock of SPEC §10.4 on the store's side; see stock_tx.h. */
#include "server/flows/stock_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/stock_fit.h"
#include "crypto/seal.h"
#include "crypto/secmem.h"
#include "server/flows/audit_event.h"
#include "server/flows/notice.h"

/* ---- importing ---- */

struct import {
    struct sls_stock_import *t;
    struct sls_stock_rec *recs; /* nkeys, sealed; recs[i].serial "" when not sealed */
};

static enum sls_stock_algorithm stock_algorithm(enum sls_pskc_algorithm a)
{
    switch (a) {
    case SLS_PSKC_TOTP:
        return SLS_STOCK_TOTP;
    case SLS_PSKC_OCRA:
        return SLS_STOCK_OCRA;
    case SLS_PSKC_HOTP:
    default:
        return SLS_STOCK_HOTP;
    }
}

/* Fills r from k, its key sealed. Returns NULL, or why k is skipped. */
static const char *seal_key(const struct sls_app *app, const struct sls_pskc_key *k, sls_time now,
                            struct sls_stock_rec *r)
{
    memset(r, 0, sizeof(*r));
    if (k->counter > (uint64_t)INT64_MAX)
        return SLS_STOCK_SKIP_BAD_VALUE;
    snprintf(r->serial, sizeof(r->serial), "%s", k->serial);
    r->algorithm = stock_algorithm(k->algorithm);
    if (k->algorithm == SLS_PSKC_OCRA)
        snprintf(r->suite, sizeof(r->suite), "%s", k->suite);
    r->digits = k->digits;
    r->counter = (int64_t)k->counter;
    r->period = k->algorithm == SLS_PSKC_TOTP ? k->period : 0;
    r->imported_at = now;
    if (sls_seal(&app->key, k->secret, k->secret_len, r->secret, sizeof(r->secret),
                 &r->secret_len) != 0) {
        memset(r, 0, sizeof(*r));
        return SLS_STOCK_SKIP_BAD_VALUE;
    }
    return NULL;
}

static int import_fn(struct sls_db *db, void *arg)
{
    struct import *im = arg;
    struct sls_stock_import *t = im->t;
    struct sls_stock_rec *held = NULL;
    char detail[96];
    size_t i, skipped = t->file_skipped;
    int rc = SLS_OK;

    /* Run again (a retried transaction): the outputs start over. */
    t->imported = 0;
    for (i = 0; i < t->nkeys; i++) {
        if (im->recs[i].serial[0] == '\0') {
            skipped++;
            continue;
        }
        t->skip[i] = NULL;
        rc = SLS_DB(db, stock_insert, &im->recs[i]);
        if (rc == SLS_OK) {
            t->imported++;
            continue;
        }
        if (rc != SLS_ERR_CONFLICT)
            break;
        if (held == NULL && (held = malloc(sizeof(*held))) == NULL) {
            rc = SLS_ERR_NOMEM;
            break;
        }
        rc = SLS_DB(db, stock_get, im->recs[i].serial, held);
        if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
            break;
        t->skip[i] = rc == SLS_OK ? SLS_STOCK_SKIP_IN_STOCK : SLS_STOCK_SKIP_ON_DEVICE;
        skipped++;
        rc = SLS_OK;
    }
    if (held != NULL) {
        sls_wipe(held, sizeof(*held));
        free(held);
    }
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "imported %zu skipped %zu", t->imported, skipped);
    return sls_audit_write(db, t->now, t->actor, "", "device_stock.import", "ok", detail);
}

int sls_stock_tx_import(const struct sls_app *app, struct sls_stock_import *t)
{
    struct import im = {t, NULL};
    size_t i;
    int rc;

    t->imported = 0;
    if (t->nkeys > 0) {
        im.recs = calloc(t->nkeys, sizeof(*im.recs));
        if (im.recs == NULL)
            return SLS_ERR_NOMEM;
    }
    for (i = 0; i < t->nkeys; i++)
        t->skip[i] = seal_key(app, &t->keys[i], t->now, &im.recs[i]);
    rc = sls_store_write(app->store, import_fn, &im);
    if (im.recs != NULL) {
        sls_wipe(im.recs, t->nkeys * sizeof(*im.recs));
        free(im.recs);
    }
    return rc;
}

/* ---- listing ---- */

static int list_fn(struct sls_db *db, void *arg)
{
    struct sls_stock_page *p = arg;
    int rc = SLS_DB(db, stock_list, p->after, p->tokens, p->limit, &p->n);

    if (rc != SLS_OK)
        return rc;
    return SLS_DB(db, stock_count, &p->total, &p->assigned);
}

int sls_stock_tx_list(const struct sls_app *app, struct sls_stock_page *p)
{
    if (p->limit > SLS_STOCK_PAGE_MAX)
        p->limit = SLS_STOCK_PAGE_MAX;
    return sls_store_read(app->store, list_fn, p);
}

/* ---- registering a device with a token from stock ---- */

static enum sls_stock_kind stock_kind(enum sls_stock_algorithm a)
{
    switch (a) {
    case SLS_STOCK_TOTP:
        return SLS_STOCK_KIND_TOTP;
    case SLS_STOCK_OCRA:
        return SLS_STOCK_KIND_OCRA;
    case SLS_STOCK_HOTP:
    default:
        return SLS_STOCK_KIND_HOTP;
    }
}

struct reg {
    struct sls_stock_register *t;
    struct sls_stock_rec token;
};

static int register_fn(struct sls_db *db, void *arg)
{
    struct reg *g = arg;
    struct sls_stock_register *t = g->t;
    struct sls_device_rec *d = &t->stored;
    struct sls_stock_token fit;
    char detail[160];
    int rc;

    t->taken = false;
    t->refusal = NULL;
    *d = *t->device;
    rc = SLS_DB(db, stock_get, t->serial, &g->token);
    if (rc != SLS_OK)
        return rc;
    if (g->token.device_id[0] != '\0') {
        t->taken = true;
        return SLS_ERR_CONFLICT;
    }
    fit.kind = stock_kind(g->token.algorithm);
    fit.suite = g->token.suite;
    fit.digits = g->token.digits;
    fit.period = g->token.period;
    fit.key_bytes =
        g->token.secret_len > SLS_SEAL_OVERHEAD ? g->token.secret_len - SLS_SEAL_OVERHEAD : 0;
    t->refusal = sls_stock_fit(d->type, &fit);
    if (t->refusal != NULL)
        return SLS_ERR_CONFLICT;
    if (g->token.secret_len > sizeof(d->secret))
        return SLS_ERR_INTERNAL;
    /* Sealed alike: the token's sealed key is the device's secret as is. */
    memcpy(d->secret, g->token.secret, g->token.secret_len);
    d->secret_len = g->token.secret_len;
    snprintf(d->serial, sizeof(d->serial), "%s", g->token.serial);
    rc = SLS_DB(db, stock_assign, t->serial, d->id, t->now);
    if (rc == SLS_ERR_CONFLICT)
        t->taken = true;
    if (rc != SLS_OK)
        return rc;
    rc = SLS_DB(db, device_insert, d);
    if (rc == SLS_OK && d->state == SLS_DEVSTATE_ACTIVE)
        rc = sls_notice_queue_id(db, d->user_id, SLS_NOTICE_DEVICE_ACTIVATED,
                                 sls_notice_device_name(d), t->now);
    if (rc != SLS_OK)
        return rc;
    snprintf(detail, sizeof(detail), "%s %s %s stock %s", d->id, sls_device_type_name(d->type),
             sls_device_state_name(d->state), d->serial);
    return sls_audit_write(db, t->now, t->actor, t->username, "device.add", "ok", detail);
}

int sls_stock_tx_register(const struct sls_app *app, struct sls_stock_register *t)
{
    struct reg *g = calloc(1, sizeof(*g));
    int rc;

    if (g == NULL)
        return SLS_ERR_NOMEM;
    g->t = t;
    if (strlen(t->serial) >= sizeof(g->token.serial))
        rc = SLS_ERR_NOT_FOUND;
    else
        rc = sls_store_write(app->store, register_fn, g);
    sls_wipe(g, sizeof(*g));
    free(g);
    return rc;
}
