/* The store side of a self-service password reset request; see
 * reset_request_tx.h. */
#include "server/flows/reset_request_tx.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/password_reset.h"
#include "server/app/metrics.h"
#include "server/flows/audit_event.h"
#include "server/flows/held_devices.h"
#include "server/flows/reset_code.h"

#define EVENT "password_reset.request"

struct request_tx {
    const struct sls_app *app;
    struct sls_reset_request_tx *t;
};

/* Why the user cannot reset by themselves, or NULL when they can. */
static const char *not_eligible(struct sls_db *db, struct sls_reset_request_tx *t)
{
    size_t n = 0;

    if (!t->user.sls)
        return "outside_sls";
    if (strchr(t->user.email, '@') == NULL)
        return "no_email";
    if (SLS_DB(db, device_list, t->user.id, t->devices, SLS_DEVICE_VIEW_MAX, &n) != SLS_OK)
        return "store";
    if (sls_devices_pick_default(t->devices, n, sls_reset_device_ok) < 0)
        return "no_device";
    return NULL;
}

static int send_code(struct sls_db *db, struct sls_reset_request_tx *t, int attempts)
{
    char until[32], masked[160], detail[256];
    int rc;

    t->reset.attempts = attempts;
    rc = SLS_DB(db, reset_put, &t->reset);
    if (rc != SLS_OK)
        return rc;
    /* RFC 3339, clamped as answers write it (cannot fail: the room is enough). */
    if (sls_time_format(sls_time_clamp(t->reset.expires_at), until, sizeof(until)) != 0)
        until[0] = '\0';
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
             attempts);
    return sls_audit_write_user(db, t->now, t->user.username, EVENT, "sent", detail);
}

static int request_fn(struct sls_db *db, void *arg)
{
    struct request_tx *x = arg;
    struct sls_reset_request_tx *t = x->t;
    struct sls_reset_previous prev;
    const char *why;
    int rc, attempts = 0;

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
    if (rc != SLS_OK)
        return rc;
    why = not_eligible(db, t);
    if (why != NULL && strcmp(why, "store") == 0)
        return SLS_ERR_STORE;
    if (why != NULL)
        return sls_audit_write_user(db, t->now, t->user.username, EVENT, "not_eligible", why);
    memset(&prev, 0, sizeof(prev));
    rc = SLS_DB(db, reset_get, t->user.id, &t->prev);
    if (rc == SLS_OK) {
        prev.exists = true;
        prev.by_desk = strncmp(t->prev.issued_by, "agent:", 6) == 0;
        prev.expires_at = t->prev.expires_at;
        prev.attempts = t->prev.attempts;
        prev.issued_at = t->prev.issued_at;
    } else if (rc != SLS_ERR_NOT_FOUND) {
        return rc;
    }
    if (sls_reset_request_check(&prev, SLS_RESET_CODE_MAX_ATTEMPTS, t->now, &attempts) ==
        SLS_RESET_REQUEST_KEEP_DESK)
        return sls_audit_write_user(db, t->now, t->user.username, EVENT, "desk_code_kept", NULL);
    if (sls_reset_request_too_soon(&prev, x->app->cfg.throttle.reset_interval, t->now)) {
        sls_metrics_throttled(SLS_THROTTLED_RESET_INTERVAL);
        return sls_audit_write_user(db, t->now, t->user.username, EVENT, "too_soon", NULL);
    }
    return send_code(db, t, attempts);
}

int sls_reset_request_tx_apply(const struct sls_app *app, struct sls_reset_request_tx *t)
{
    struct request_tx x = {app, t};
    return sls_store_write(app->store, request_fn, &x);
}
