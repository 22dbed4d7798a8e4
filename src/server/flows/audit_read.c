/* Reading the audit log; see audit_read.h. */
#include "server/flows/audit_read.h"

#include "core/error.h"

struct scan {
    int64_t after;
    const char *username;
    sls_time since;
    size_t limit;
    int (*each)(const struct sls_audit_rec *r, void *arg);
    void *arg;
};

static int scan_fn(struct sls_db *db, void *arg)
{
    struct scan *s = arg;
    return SLS_DB(db, audit_scan, s->after, s->username, s->since, s->limit, s->each, s->arg);
}

int sls_audit_read_scan(const struct sls_app *app, int64_t after, const char *username,
                        sls_time since, size_t limit,
                        int (*each)(const struct sls_audit_rec *r, void *arg), void *arg)
{
    struct scan s = {after, username, since, limit, each, arg};
    return sls_store_read(app->store, scan_fn, &s);
}

/* Records read per snapshot while checking the chain. */
#define VERIFY_PAGE 1000
#define VERIFY_STOP 1 /* from the scan callback: the chain is broken */

struct verify {
    struct sls_audit_chain *chain;
    size_t page_records;
};

static int verify_cb(const struct sls_audit_rec *r, void *arg)
{
    struct verify *v = arg;

    v->page_records++;
    if (sls_audit_chain_add(v->chain, r) != SLS_AUDIT_CHAIN_OK)
        return VERIFY_STOP;
    return 0;
}

static int verify_fn(struct sls_db *db, void *arg)
{
    struct verify *v = arg;
    int rc;

    v->page_records = 0;
    rc = SLS_DB(db, audit_scan, v->chain->last_seq, NULL, 0, VERIFY_PAGE, verify_cb, v);
    return rc == VERIFY_STOP ? SLS_OK : rc;
}

int sls_audit_read_verify(const struct sls_app *app, struct sls_audit_chain *chain)
{
    struct verify v = {chain, 0};
    int rc;

    do {
        rc = sls_store_read(app->store, verify_fn, &v);
    } while (rc == SLS_OK && sls_audit_chain_intact(chain) && v.page_records == VERIFY_PAGE);
    return rc;
}
