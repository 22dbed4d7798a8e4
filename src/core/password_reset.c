/* R3, R29 password reset codes; see password_reset.h. */
#include "password_reset.h"

#include <stdio.h>
#include <string.h>

enum sls_reset_verdict sls_reset_code_check(sls_time expires_at, int attempts, int max_attempts,
                                            sls_time now)
{
    if (attempts >= max_attempts) {
        return SLS_RESET_EXHAUSTED;
    }
    if (now >= expires_at) {
        return SLS_RESET_EXPIRED;
    }
    return SLS_RESET_USABLE;
}

enum sls_reset_step sls_reset_complete_decide(const struct sls_reset_complete_facts *f,
                                              int max_attempts, sls_time now,
                                              struct sls_reset_complete_verdict *out)
{
    memset(out, 0, sizeof(*out));
    switch (sls_reset_code_check(f->expires_at, f->attempts, max_attempts, now)) {
    case SLS_RESET_EXPIRED:
        out->audit_outcome = "expired";
        break;
    case SLS_RESET_EXHAUSTED:
        out->audit_outcome = "too_many_attempts";
        break;
    default:
        if (!f->code_matches) {
            out->audit_outcome = "wrong_code";
            out->counts_code = true;
        }
        break;
    }
    if (out->audit_outcome != NULL) {
        out->step = SLS_RESET_STEP_REFUSE;
    } else if (!f->has_password) {
        out->step = f->by_desk ? SLS_RESET_STEP_DESK_PROVEN : SLS_RESET_STEP_CHALLENGE;
    } else if (f->by_desk) {
        out->step = SLS_RESET_STEP_SET;
    } else if (!f->has_response) {
        out->step = SLS_RESET_STEP_NEED_RESPONSE;
    } else {
        out->step = SLS_RESET_STEP_RESPONSE;
    }
    return out->step;
}

enum sls_reset_request_verdict sls_reset_request_check(const struct sls_reset_previous *prev,
                                                       int max_attempts, sls_time now,
                                                       int *attempts)
{
    bool live = prev != NULL && prev->exists && now < prev->expires_at;

    *attempts = 0;
    if (!live) {
        return SLS_RESET_REQUEST_ISSUE;
    }
    if (prev->by_desk && prev->attempts < max_attempts) {
        return SLS_RESET_REQUEST_KEEP_DESK;
    }
    *attempts = prev->attempts;
    return SLS_RESET_REQUEST_ISSUE;
}

bool sls_reset_request_too_soon(const struct sls_reset_previous *prev, sls_time interval,
                                sls_time now)
{
    return prev != NULL && prev->exists && now >= prev->issued_at &&
           now - prev->issued_at < interval;
}

enum sls_reset_request_outcome sls_reset_request_decide(const struct sls_reset_request_facts *f,
                                                        int max_attempts, sls_time interval,
                                                        sls_time now,
                                                        struct sls_reset_request_decision *out)
{
    memset(out, 0, sizeof(*out));
    out->why = !f->sls          ? "outside_sls"
               : !f->has_email  ? "no_email"
               : !f->has_device ? "no_device"
                                : NULL;
    if (out->why != NULL) {
        out->outcome = SLS_RESET_REQUEST_NOT_ELIGIBLE;
        out->audit_outcome = "not_eligible";
    } else if (sls_reset_request_check(&f->prev, max_attempts, now, &out->attempts) ==
               SLS_RESET_REQUEST_KEEP_DESK) {
        out->outcome = SLS_RESET_REQUEST_DESK_KEPT;
        out->audit_outcome = "desk_code_kept";
    } else if (sls_reset_request_too_soon(&f->prev, interval, now)) {
        out->outcome = SLS_RESET_REQUEST_TOO_SOON;
        out->audit_outcome = "too_soon";
    } else {
        out->outcome = SLS_RESET_REQUEST_SEND;
        out->audit_outcome = "sent";
    }
    if (out->outcome != SLS_RESET_REQUEST_SEND)
        out->attempts = 0;
    return out->outcome;
}

bool sls_reset_device_ok(enum sls_device_type type, enum sls_device_state state)
{
    enum sls_challenge_kind k = sls_device_challenge_kind(type);

    /* A challenge the user can type in: not the SMS code, which needs a
     * message of its own. */
    return state == SLS_DEVSTATE_ACTIVE && sls_device_is_permanent(type) &&
           (k == SLS_CHALLENGE_RESPONSE || k == SLS_CHALLENGE_CARD || k == SLS_CHALLENGE_PUSH);
}

void sls_email_mask(const char *email, char *out, size_t outlen)
{
    const char *at = email != NULL ? strchr(email, '@') : NULL;
    int n;

    if (outlen == 0) {
        return;
    }
    out[0] = '\0';
    if (at == NULL || at == email) {
        return;
    }
    n = snprintf(out, outlen, "%c***%s", email[0], at);
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
    }
}
