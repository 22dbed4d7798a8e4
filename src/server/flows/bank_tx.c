/* The store side of a banking instructions change; see bank_tx.h. */
#include "server/flows/bank_tx.h"

#include <jansson.h>

#include "core/error.h"
#include "server/flows/audit_event.h"
#include "server/flows/notice.h"
#include "server/flows/review_request.h"

#define EVENT "bank.change"

static int bank_fn(struct sls_db *db, void *arg)
{
    struct sls_bank_tx *t = arg;
    json_t *payload;
    int rc;

    if (!t->outside_sls) {
        rc = SLS_DB(db, bank_put, &t->bank);
        if (rc == SLS_OK)
            rc = sls_notice_queue(db, t->user, SLS_NOTICE_BANK_CHANGED, NULL, t->now);
        if (rc != SLS_OK)
            return rc;
        return sls_audit_write_user(db, t->now, t->user->username, EVENT, "ok",
                                    t->bank.account_last4);
    }
    payload = json_pack("{s:s, s:s, s:s}", "bank_name", t->bank.bank_name, "routing_number",
                        t->bank.routing_number, "account_number_last4", t->bank.account_last4);
    rc = sls_review_request(db, t->now, t->user, "bank", payload, t->bank.account_sealed,
                            t->bank.account_sealed_len, EVENT, t->bank.account_last4, &t->review);
    json_decref(payload);
    return rc;
}

int sls_bank_tx_apply(const struct sls_app *app, struct sls_bank_tx *t)
{
    return sls_store_write(app->store, bank_fn, t);
}
