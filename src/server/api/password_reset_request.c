/* Asking for a password reset without the service desk (R3): POST
 * /v1/password-reset {username}. When the user takes part in SLS, holds an
 * active device that can answer a challenge and has an e-mail address on
 * record, an 8-digit code goes to that address through the outbox; it is kept
 * only as a sealed digest, marked as issued by the user, and completing the
 * reset with it also needs a response from that device.
 *
 * The answer is the same 202 whoever asks, and the work behind it is the
 * same too: a code is drawn and sealed and one store transaction runs,
 * whether or not the user exists or may reset. At most one code is sent per
 * user per [throttle] reset_interval (SPEC §10.2); a request sooner than that
 * sends nothing and is audited as too_soon. A request while a code is
 * still live replaces it but hands on its wrong guesses, and a usable code
 * the service desk sent is kept, so asking again never buys more guesses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/api/password_reset_request.h"
#include "server/app/app.h"
#include "server/flows/audit_event.h"
#include "server/http/arena.h"
#include "server/http/body.h"
#include "core/error.h"
#include "core/password_reset.h"
#include "core/username.h"
#include "crypto/random.h"
#include "crypto/secmem.h"
#include "server/flows/held_devices.h"
#include "server/app/metrics.h"
#include "server/flows/reset_code.h"

#define EVENT "password_reset.request"

struct request_tx {
    /* in */
    const struct sls_app *app;
    sls_time now;
    const char *username; /* as typed; "" when it cannot name a user */
    const char *code;
    /* scratch */
    struct sls_user_rec user;
    struct sls_device_rec devices[SLS_DEVICE_VIEW_MAX];
    struct sls_reset_rec prev;
    struct sls_reset_rec reset;
    struct sls_outbox_rec msg;
};

/* Why user u cannot reset by itself, or NULL when it can. */
static const char *not_eligible(struct sls_db *db, struct request_tx *t)
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

static int send_code(struct sls_db *db, struct request_tx *t, int attempts)
{
    char until[32], masked[160], detail[256];
    int rc;

    t->reset.attempts = attempts;
    rc = SLS_DB(db, reset_put, &t->reset);
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
             attempts);
    return sls_audit_write_user(db, t->now, t->user.username, EVENT, "sent", detail);
}

static int request_fn(struct sls_db *db, void *arg)
{
    struct request_tx *t = arg;
    struct sls_reset_previous prev;
    const char *why;
    int rc, attempts = 0;

    memset(&t->user, 0, sizeof(t->user));
    rc = t->username[0] != '\0' ? SLS_DB(db, user_get_by_name, t->username, &t->user)
                                : SLS_ERR_NOT_FOUND;
    /* The code is sealed for whoever asked (user id 0 when nobody), so an
     * unknown name costs the same work. */
    t->reset.user_id = t->user.id;
    if (sls_reset_code_seal(t->app, &t->reset, t->code) != SLS_OK)
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
    if (sls_reset_request_too_soon(&prev, t->app->cfg.throttle.reset_interval, t->now)) {
        sls_metrics_throttled(SLS_THROTTLED_RESET_INTERVAL);
        return sls_audit_write_user(db, t->now, t->user.username, EVENT, "too_soon", NULL);
    }
    return send_code(db, t, attempts);
}

void sls_api_password_reset_request(struct sls_req *rq, struct sls_resp *rs)
{
    struct request_tx *t;
    const char *username;
    char *code;
    size_t ulen;
    int rc;

    if (!sls_body_str(rq, rs, "username", true, 256, &username))
        return;
    ulen = strlen(username);
    if (sls_username_check_chars(username, ulen) != SLS_OK) {
        sls_resp_error(rs, SLS_ERR_BAD_CHARACTER, "User names hold letters and digits only");
        return;
    }
    t = sls_req_alloc(rq, sizeof(*t));
    code = sls_req_alloc(rq, SLS_RESET_CODE_LEN + 1); /* wiped with the arena */
    if (t == NULL || code == NULL) {
        sls_resp_error(rs, SLS_ERR_NOMEM, NULL);
        return;
    }
    sls_random_digits(code, SLS_RESET_CODE_LEN);
    t->app = rq->app;
    t->now = rq->now;
    t->username = sls_username_could_exist(username, ulen) ? username : "";
    t->code = code;
    snprintf(t->reset.issued_by, sizeof(t->reset.issued_by), "user");
    t->reset.issued_at = rq->now;
    t->reset.expires_at = rq->now + rq->app->cfg.password_reset_ttl;
    rc = sls_store_write(rq->app->store, request_fn, t);
    if (rc != SLS_OK)
        sls_resp_error(rs, SLS_ERR_STORE, NULL);
    else
        sls_resp_json(rs, 202,
                      json_pack("{s:s, s:s}", "status", "requested", "message",
                                "If the user can reset the password this way, a code is on its "
                                "way to the e-mail address on record"));
}
