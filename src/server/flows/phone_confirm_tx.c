/* Confirming a mobile number by its code; see phone_confirm_tx.h. */
#include "server/flows/phone_confirm_tx.h"

#include "core/error.h"
#include "core/notice.h"
#include "server/flows/audit_event.h"
#include "server/flows/device_auth.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"

/* Writes phones as the list of u, read in this transaction (a compare-and-swap
 * on its version); u itself keeps the list as read, which the answer uses. */
static int set_phones(struct sls_db *db, const struct sls_user_rec *u, const char *phones)
{
    struct sls_user_rec w = *u;
    int rc = sls_field_write_text(w.phones_json, sizeof(w.phones_json), phones);

    if (rc == SLS_OK)
        rc = SLS_DB(db, user_update, &w, SLS_USER_SET_PHONES, u->version);
    return rc;
}

/* R30: the SMS device, and its number on record unless it is already. */
static int with_device(struct sls_db *db, struct sls_phone_confirm_tx *t)
{
    char phones[SLS_JSON_FIELD_MAX];
    int rc = SLS_DB(db, device_insert, t->device);

    if (rc == SLS_OK && sls_phones_add(t->u.phones_json, &t->phone, phones, sizeof(phones)) == 1)
        rc = set_phones(db, &t->u, phones);
    if (rc == SLS_OK)
        rc = sls_notice_queue(db, &t->u, SLS_NOTICE_DEVICE_ACTIVATED,
                              sls_notice_device_name(t->device), t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->u.username, t->event, "ok", t->device->id);
}

/* §10.3: the number alone, checked again inside the transaction (the list
 * may have changed since the code was sent). */
static int number_alone(struct sls_db *db, struct sls_phone_confirm_tx *t)
{
    char masked[64];
    int rc;

    t->verdict = sls_phone_add_check(sls_phones_count(t->u.phones_json),
                                     sls_phone_is_on_record(t->u.phones_json, &t->phone));
    if (t->verdict != SLS_PHONE_ADD_OK)
        return sls_audit_write_user(db, t->now, t->u.username, t->event,
                                    t->verdict == SLS_PHONE_ADD_FULL ? "full" : "on_record",
                                    t->phone.e164);
    if (sls_phones_add(t->u.phones_json, &t->phone, t->phones, sizeof(t->phones)) != 1)
        return SLS_ERR_INTERNAL;
    rc = set_phones(db, &t->u, t->phones);
    if (rc != SLS_OK)
        return rc;
    /* A new number can receive activation codes; tell the holder. */
    sls_notice_mask(t->phone.e164, masked, sizeof(masked));
    rc = sls_notice_queue(db, &t->u, SLS_NOTICE_PHONE_ADDED, masked, t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->u.username, t->event, "ok", t->phone.e164);
}

static int apply_fn(struct sls_db *db, void *arg)
{
    struct sls_phone_confirm_tx *t = arg;
    int rc = SLS_DB(db, secret_take, t->key);

    t->taken = rc == SLS_ERR_NOT_FOUND;
    t->verdict = SLS_PHONE_ADD_OK;
    if (t->taken)
        return SLS_OK;
    if (rc == SLS_OK)
        rc = SLS_DB(db, user_get_by_id, t->user_id, &t->u);
    if (rc != SLS_OK)
        return rc;
    return t->device != NULL ? with_device(db, t) : number_alone(db, t);
}

int sls_phone_confirm_tx_apply(const struct sls_app *app, struct sls_phone_confirm_tx *t)
{
    return sls_store_write(app->store, apply_fn, t);
}
