/* The store side of an e-mail change; see email_change_tx.h. */
#include "server/flows/email_change_tx.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "crypto/random.h"
#include "server/flows/audit_event.h"
#include "server/flows/field_write.h"
#include "server/flows/notice.h"
#include "server/flows/review_request.h"
#include "server/flows/sealed_digest.h"
#include "server/flows/settings_tx.h"
#include "server/flows/secret_key.h"

#define EVENT "email.change"

static void code_key(char *out, size_t len, int64_t user_id)
{
    sls_secret_key_user(out, len, SLS_SECRET_EMAIL_CONFIRM, user_id);
}

static void binding(char *out, size_t len, int64_t user_id, const char *new_email)
{
    snprintf(out, len, "email:%lld:%s", (long long)user_id, new_email);
}

static int confirm_send_fn(struct sls_db *db, void *arg)
{
    struct sls_email_confirm_tx *t = arg;
    char body[640];
    int rc = SLS_DB(db, secret_put, &t->rec);

    if (rc != SLS_OK)
        return rc;
    snprintf(body, sizeof(body),
             "Your confirmation number to change the e-mail address of user %s to %s is %s. If "
             "you did not ask for this, call our service desk.",
             t->user->username, t->new_email, t->code);
    rc = sls_settings_mail(db, t->now, t->user->email, "code.email_confirmation", body, t->code);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, "email.confirmation", "sent",
                                t->new_email);
}

int sls_email_confirm_send(const struct sls_app *app, struct sls_email_confirm_tx *t, sls_time ttl)
{
    char bound[320];

    sls_random_digits(t->code, SLS_RESET_CODE_LEN);
    code_key(t->rec.key, sizeof(t->rec.key), t->user->id);
    t->rec.user_id = t->user->id;
    snprintf(t->rec.data, sizeof(t->rec.data), "%s", t->new_email);
    t->rec.issued_at = t->now;
    t->rec.expires_at = t->now + ttl;
    binding(bound, sizeof(bound), t->user->id, t->new_email);
    if (sls_sealed_digest_make(&app->key, bound, t->code, t->rec.code, sizeof(t->rec.code),
                               &t->rec.code_len) != 0)
        return SLS_ERR_INTERNAL;
    return sls_store_write(app->store, confirm_send_fn, t);
}

struct confirm_read {
    char key[sizeof(((struct sls_secret_rec *)0)->key)];
    struct sls_secret_rec *rec;
};

static int confirm_read_fn(struct sls_db *db, void *arg)
{
    struct confirm_read *r = arg;
    return SLS_DB(db, secret_get, r->key, r->rec);
}

int sls_email_confirm_read(const struct sls_app *app, int64_t user_id, struct sls_secret_rec *rec)
{
    struct confirm_read r;

    r.rec = rec;
    code_key(r.key, sizeof(r.key), user_id);
    return sls_store_read(app->store, confirm_read_fn, &r);
}

bool sls_email_confirm_ok(const struct sls_app *app, const struct sls_secret_rec *rec,
                          int64_t user_id, const char *new_email, const char *typed, sls_time now)
{
    char bound[320];

    binding(bound, sizeof(bound), user_id, new_email);
    return sls_reset_code_check(rec->expires_at, rec->attempts, SLS_RESET_CODE_MAX_ATTEMPTS, now) ==
               SLS_RESET_USABLE &&
           strcmp(rec->data, new_email) == 0 &&
           sls_sealed_digest_matches(&app->key, bound, typed, rec->code, rec->code_len);
}

static int confirm_fail_fn(struct sls_db *db, void *arg)
{
    const struct sls_secret_rec *rec = arg;
    int rc = SLS_DB(db, secret_fail_cas, rec->key, rec->attempts);
    return rc == SLS_ERR_CONFLICT ? SLS_OK : rc;
}

int sls_email_confirm_fail(const struct sls_app *app, const struct sls_secret_rec *rec)
{
    return sls_store_write(app->store, confirm_fail_fn, (void *)rec);
}

/* Takes confirmation c when it is still the number stored; *taken when not. */
static int confirm_take(struct sls_db *db, const struct sls_secret_rec *c, bool *taken)
{
    struct sls_secret_rec cur;
    int rc = SLS_DB(db, secret_get, c->key, &cur);

    if (rc == SLS_OK &&
        (cur.code_len != c->code_len || memcmp(cur.code, c->code, cur.code_len) != 0))
        rc = SLS_ERR_NOT_FOUND;
    if (rc == SLS_OK)
        rc = SLS_DB(db, secret_take, c->key);
    *taken = rc == SLS_ERR_NOT_FOUND;
    return *taken ? SLS_OK : rc;
}

static int change_fn(struct sls_db *db, void *arg)
{
    struct sls_email_change_tx *t = arg;
    struct sls_user_rec w;
    json_t *payload;
    int rc;

    t->taken = false;
    if (t->confirm != NULL) {
        rc = confirm_take(db, t->confirm, &t->taken);
        if (rc != SLS_OK || t->taken)
            return rc;
    }
    if (t->outside_sls) {
        payload = json_pack("{s:s, s:s}", "new_email", t->new_email, "old_email", t->user->email);
        rc = sls_review_request(db, t->now, t->user, "email", payload, NULL, 0, EVENT, t->new_email,
                                &t->review);
        json_decref(payload);
        return rc;
    }
    w = *t->user;
    rc = sls_field_write_text(w.email, sizeof(w.email), t->new_email);
    if (rc == SLS_OK)
        rc = sls_field_write_user(db, &w, SLS_USER_SET_EMAIL);
    if (rc != SLS_OK)
        return rc;
    /* To the old address: the one an attacker could not read. */
    rc = sls_notice_queue_to(db, t->user->email, SLS_NOTICE_EMAIL_CHANGED, t->new_email, t->now);
    if (rc != SLS_OK)
        return rc;
    return sls_audit_write_user(db, t->now, t->user->username, EVENT, "ok", t->new_email);
}

int sls_email_change_tx_apply(const struct sls_app *app, struct sls_email_change_tx *t)
{
    return sls_store_write(app->store, change_fn, t);
}
