/* The store side of a self-service password reset request; see
 * reset_request_tx.h. */
#include "server/flows/reset_request_tx.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/password_reset.h"
#include "server/app/metrics.h"
#include "server/flows/audit_event.h"
#include "server/flows/held_devices.h"
#include "server/flows/reset_code.h"
#include "server/flows/secret_key.h"

#define EVENT "password_reset.request"

struct request_tx {
    const struct sls_app *app;
    struct sls_reset_request_tx *t;
    /* Set by the callback's last run: the request came too soon. Counted in
     * the metrics only once the write succeeded, as a retried transaction
     * (PostgreSQL) runs the callback again. */
    bool too_soon;
};

static int send_code(struct sls_db *db, struct sls_reset_request_tx *t,
                     const struct sls_reset_request_decision *v)
{
    char until[SLS_TIME_TEXT], masked[160], detail[256];
    int rc;

    t->reset.attempts = v->attempts;
    rc = SLS_DB(db, secret_put, &t->reset);
    if (rc != SLS_OK)
        return rc;
    sls_time_text(t->reset.expires_at, until);
    snprintf(t->msg.to, sizeof(t->msg.to), "%s", t->user.email);
    snprintf(t->msg.channel, sizeof(t->msg.channel), "email");
    snprintf(t->msg.body, sizeof(t->msg.body),
             "Your password reset code for user %s is %s. It works once, until %s, together "
             "with a response from your security device. If you did not ask for it, ignore "
             "this message and keep your password.",
             t->user.username, t->code, until);
    snprintf(t->msg.code, sizeof(t->msg.code), "%s", t->code);
    snprintf(t->msg.kind, sizeof(t->msg.kind), "code.password_reset");
    t->msg.at = t->now;
    rc = SLS_DB(db, outbox_insert, &t->msg);
    if (rc != SLS_OK)
        return rc;
    sls_email_mask(t->user.email, masked, sizeof(masked));
    snprintf(detail, sizeof(detail), "sent_to=%s expires_at=%s attempts=%d", masked, until,
             v->attempts);
    return sls_audit_write_user(db, t->now, t->user.username, EVENT, v->audit_outcome, detail);
}

static int request_fn(struct sls_db *db, void *arg)
{
    struct request_tx *x = arg;
    struct sls_reset_request_tx *t = x->t;
    struct sls_reset_request_facts f;
    struct sls_reset_request_decision v;
    char key[128];
    size_t n = 0;
    int rc;

    x->too_soon = false;
    memset(&t->user, 0, sizeof(t->user));
    rc = t->username[0] != '\0' ? SLS_DB(db, user_get_by_name, t->username, &t->user)
                                : SLS_ERR_NOT_FOUND;
    /* The code is sealed for whoever asked (user id 0 when nobody), so an
     * unknown name costs the same work. */
    t->reset.user_id = t->user.id;
    if (sls_reset_code_seal(x->app, &t->reset, t->code) != SLS_OK)
        return SLS_ERR_INTERNAL;
    if (rc == SLS_ERR_NOT_FOUND)
        return sls_audit_write_user(db, t->now, t->username, EVENT, "unknown_user", NULL);
    if (rc == SLS_OK)
        rc = SLS_DB(db, device_list, t->user.id, t->devices, SLS_DEVICE_VIEW_MAX, &n);
    if (rc != SLS_OK)
        return rc == SLS_ERR_NOT_FOUND ? SLS_ERR_STORE : rc;
    sls_secret_key_user(key, sizeof(key), SLS_SECRET_RESET_CODE, t->user.id);
    rc = SLS_DB(db, secret_get, key, &t->prev);
    if (rc != SLS_OK && rc != SLS_ERR_NOT_FOUND)
        return rc;
    memset(&f, 0, sizeof(f));
    f.sls = t->user.sls;
    f.has_email = strchr(t->user.email, '@') != NULL;
    f.has_device = sls_devices_pick_default(t->devices, n, sls_reset_device_ok) >= 0;
    if (rc == SLS_OK) {
        f.prev.exists = true;
        f.prev.by_desk = strncmp(t->prev.issued_by, "agent:", 6) == 0;
        f.prev.expires_at = t->prev.expires_at;
        f.prev.attempts = t->prev.attempts;
        f.prev.issued_at = t->prev.issued_at;
    }
    switch (sls_reset_request_decide(&f, SLS_RESET_CODE_MAX_ATTEMPTS,
                                     x->app->cfg.throttle.reset_interval, t->now, &v)) {
    case SLS_RESET_REQUEST_SEND:
        return send_code(db, t, &v);
    case SLS_RESET_REQUEST_TOO_SOON:
        x->too_soon = true;
        break;
    default:
        break;
    }
    return sls_audit_write_user(db, t->now, t->user.username, EVENT, v.audit_outcome, v.why);
}

int sls_reset_request_tx_apply(const struct sls_app *app, struct sls_reset_request_tx *t)
{
    struct request_tx x = {app, t, false};
    int rc = sls_store_write(app->store, request_fn, &x);

    if (rc == SLS_OK && x.too_soon)
        sls_metrics_throttled(SLS_THROTTLED_RESET_INTERVAL);
    return rc;
}
