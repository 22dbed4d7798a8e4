/* The store side of confirming a mobile number by the 6-digit code sent to
 * it (one_time_code.h): POST /v1/me/phones/confirm adds the number to those
 * on record (§10.3); POST /v1/me/sms/confirm (R30) creates the SMS device
 * that sends its codes there and adds the number too. One transaction takes
 * the code, so a code confirms once. */
#ifndef SLS_SERVER_PHONE_CONFIRM_TX_H
#define SLS_SERVER_PHONE_CONFIRM_TX_H

#include <stdbool.h>

#include "core/phone.h"
#include "server/app/app.h"
#include "server/flows/phones_on_record.h"
#include "store/store.h"

struct sls_phone_confirm_tx {
    /* in */
    const char *key; /* the code checked, taken here */
    int64_t user_id;
    struct sls_phone phone;
    /* The SMS device to create with the number (R30), or NULL to add the
     * number alone, refused when on record or when the list is full. */
    const struct sls_device_rec *device;
    const char *event; /* audited as */
    sls_time now;
    /* out */
    bool taken;                         /* the code was used meanwhile: nothing written */
    struct sls_user_rec u;              /* the user as read */
    enum sls_phone_add_verdict verdict; /* the number alone: added, or why not (audited) */
    char phones[SLS_JSON_FIELD_MAX];    /* the number alone, added: the list now */
};

/* In one transaction: takes the code under t->key, adds t->phone to the
 * user's numbers on record (with t->device, the device too), queues the
 * notice (device activated, or number added) and audits. Returns SLS_OK
 * (see t->taken, t->verdict) or the store's error. */
int sls_phone_confirm_tx_apply(const struct sls_app *app, struct sls_phone_confirm_tx *t);

#endif
