/* Reading the banking instructions on record (R4, GET
 * /v1/me/bank-instructions) as what may be shown: the sealed account number
 * never leaves this read, only its last 4 digits. */
#ifndef SLS_SERVER_BANK_READ_H
#define SLS_SERVER_BANK_READ_H

#include <stdint.h>

#include "core/time.h"
#include "server/app/app.h"

/* The banking instructions of a user without the account number. */
struct sls_bank_view {
    char bank_name[128];
    char routing_number[16];
    char account_last4[8];
    sls_time updated_at;
};

/* Reads user_id's banking instructions into out in a read of its own.
 * Returns SLS_OK, SLS_ERR_NOT_FOUND (none on record) or the store's error. */
int sls_bank_read(const struct sls_app *app, int64_t user_id, struct sls_bank_view *out);

#endif
