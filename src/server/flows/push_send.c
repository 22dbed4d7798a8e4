/* Push requests and their notifications; see push_send.h. */
#include "server/flows/push_send.h"
#include "server/app/app.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/push.h"
#include "crypto/random.h"

int sls_push_send(const struct sls_app *app, struct sls_db *db, const struct sls_push_request *r,
                  sls_time now, struct sls_push_rec *out, bool *capped)
{
    const struct sls_push_policy *pol = &app->cfg.push;
    struct sls_outbox_rec m;
    size_t recent = 0;
    int rc;

    *capped = false;
    rc = SLS_DB(db, push_count_since, r->user->id, sls_push_window_start(pol, now), &recent);
    if (rc != SLS_OK)
        return rc;
    if (!sls_push_allowed(pol, recent)) {
        *capped = true;
        return SLS_OK;
    }
    memset(out, 0, sizeof(*out));
    sls_random_hex(out->id, SLS_ID_LEN / 2);
    out->purpose = r->purpose;
    snprintf(out->subject, sizeof(out->subject), "%s", r->subject);
    out->user_id = r->user->id;
    snprintf(out->device_id, sizeof(out->device_id), "%s", r->device->id);
    out->platform = r->platform;
    sls_random_digits(out->challenge, 6);
    /* §10.3: two digits shown where the login or step-up started. */
    out->number =
        pol->number_matching ? sls_push_number_from(sls_random_uniform(SLS_PUSH_NUMBER_COUNT)) : 0;
    out->state = SLS_PUSH_PENDING;
    out->auth_mode = SLS_AUTH_NONE;
    out->created_at = now;
    out->expires_at = now + pol->ttl;
    rc = SLS_DB(db, push_insert, out);
    if (rc != SLS_OK)
        return rc;
    memset(&m, 0, sizeof(m));
    snprintf(m.to, sizeof(m.to), "device:%s", r->device->id);
    snprintf(m.channel, sizeof(m.channel), "push");
    snprintf(m.body, sizeof(m.body), "%s request for user %s (%s): open the app to approve",
             r->purpose == SLS_PUSH_LOGIN ? "Login" : "Verification", r->user->username,
             sls_platform_name(r->platform));
    snprintf(m.kind, sizeof(m.kind), "push");
    m.at = now;
    return SLS_DB(db, outbox_insert, &m);
}
