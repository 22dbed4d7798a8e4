/* The token stock of SPEC §10.4 on the store's side: the keys of a vendor's
 * PSKC file sealed with the master key and stocked in one transaction, the
 * stock listed, and a device registered with a token from stock (taken by
 * compare-and-swap in the device's own transaction). */
#ifndef SLS_SERVER_STOCK_TX_H
#define SLS_SERVER_STOCK_TX_H

#include <stdbool.h>
#include <stddef.h>

#include "intake/pskc.h"
#include "server/app/app.h"
#include "store/store.h"

/* Why a key the file delivered was not stocked (NULL: it was). */
#define SLS_STOCK_SKIP_IN_STOCK  "already_in_stock" /* its serial is in stock */
#define SLS_STOCK_SKIP_ON_DEVICE "serial_on_device" /* a registered device carries it */
#define SLS_STOCK_SKIP_BAD_VALUE "bad_value"        /* a counter past 2^63 - 1 */

struct sls_stock_import {
    /* in */
    const struct sls_pskc_key *keys; /* as read from the file */
    size_t nkeys;
    size_t file_skipped; /* entries the reading skipped (for the audit) */
    const char *actor;
    sls_time now;
    /* out: per key, NULL (stocked) or one of SLS_STOCK_SKIP_*; nkeys of them */
    const char **skip;
    size_t imported;
};

/* Seals every key of t with the master key and inserts them all in one
 * transaction, audited (event device_stock.import with the counts); a serial
 * in stock or on a device is skipped, never overwritten. Returns SLS_OK or
 * the store's error (nothing stocked then). */
int sls_stock_tx_import(const struct sls_app *app, struct sls_stock_import *t);

struct sls_stock_page {
    /* in */
    const char *after; /* list serials after this one; NULL or "" from the first */
    size_t limit;      /* at most this many, <= SLS_STOCK_PAGE_MAX */
    /* out */
    struct sls_stock_rec *tokens; /* limit of them, allocated by the caller */
    size_t n;
    int64_t total, assigned;
};

#define SLS_STOCK_PAGE_MAX 500

/* One page of the stock by serial, with the counts, in one read. */
int sls_stock_tx_list(const struct sls_app *app, struct sls_stock_page *p);

struct sls_stock_register {
    /* in */
    const char *serial;
    const struct sls_device_rec *device; /* all set but secret (and serial) */
    const char *actor;
    const char *username;
    sls_time now;
    /* out */
    struct sls_device_rec stored; /* the device as inserted */
    bool taken;                   /* the token is assigned already */
    const char *refusal;          /* why the token cannot be this type (core/stock_fit.h) */
};

/* Takes token t->serial from stock for a new device, in one transaction:
 * the token's sealed key becomes the device's secret, the token is marked
 * taken (compare-and-swap: of racing registrations one only wins), the
 * device inserted, its activation notice queued when active, audited.
 * Returns SLS_OK, SLS_ERR_NOT_FOUND (no such token in stock),
 * SLS_ERR_CONFLICT (t->taken, or t->refusal set), or the store's error. */
int sls_stock_tx_register(const struct sls_app *app, struct sls_stock_register *t);

#endif
