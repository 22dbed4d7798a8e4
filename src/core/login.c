/* The login decided: stage 1 and the end of stage 2 from plain facts to a
 * verdict (see login.h). */
#include "login.h"

#include <stdio.h>
#include <string.h>

#include "challenge.h"
#include "error.h"

#define HINT_CALL_DESK "Please call the service desk"

static void verdict_init(struct sls_login_verdict *v)
{
    memset(v, 0, sizeof(*v));
    v->device = -1;
    v->access = SLS_ACCESS_REFUSED;
    v->factor = SLS_DEVICE_NONE;
}

static enum sls_login_decision fail(struct sls_login_verdict *v, int err, const char *hint,
                                    bool counts, const char *outcome, enum sls_login_next next)
{
    v->outcome = SLS_LOGIN_OUT_FAILED;
    v->err = err;
    v->hint = hint;
    v->counts = counts;
    v->audit_event = "login.failure";
    v->audit_outcome = outcome;
    v->next = next;
    return v->outcome;
}

/* R12: the account refuses the platform; the reason goes with the answer. */
static enum sls_login_decision refuse_platform(struct sls_login_verdict *v, const char *reason,
                                               enum sls_login_next next)
{
    v->outcome = SLS_LOGIN_OUT_REFUSED;
    v->err = SLS_ERR_PLATFORM_NOT_ALLOWED;
    snprintf(v->reason, sizeof(v->reason), "%s", reason);
    v->message = v->reason;
    v->audit_event = "login.refused";
    v->audit_outcome = "platform_not_allowed";
    v->next = next;
    return v->outcome;
}

static enum sls_login_decision session(struct sls_login_verdict *v, enum sls_access access,
                                       enum sls_device_type factor, enum sls_login_next next)
{
    v->outcome = SLS_LOGIN_OUT_SESSION;
    v->err = SLS_OK;
    v->access = access;
    v->factor = factor;
    v->next = next;
    return v->outcome;
}

enum sls_login_decision sls_login_decide_stage1(const struct sls_login_stage1 *f,
                                                const struct sls_access_policy *p, sls_time now,
                                                struct sls_login_verdict *out)
{
    struct sls_platform_verdict gate;
    int dflt;

    verdict_init(out);
    /* R5: one answer for an unknown user and a wrong password. */
    if (!f->user_found)
        return fail(out, SLS_ERR_INVALID_CREDENTIALS, NULL, false, "unknown_user",
                    SLS_LOGIN_NEXT_KEEP);
    /* R8: attempts refused during the lock are failed attempts too. */
    if (!f->password_ok || f->locked)
        return fail(out, SLS_ERR_INVALID_CREDENTIALS, NULL, true,
                    f->password_ok ? "locked" : "wrong_password", SLS_LOGIN_NEXT_KEEP);
    /* R12: account state, approval cut-off, paper trading. */
    if (sls_access_platform(&f->account, f->platform, f->paper, p, now, &gate) != SLS_OK)
        return refuse_platform(out, gate.message, SLS_LOGIN_NEXT_KEEP);
    /* Closed accounts and SLS opt-out (R30): no device to ask. */
    if (!gate.second_factor)
        return session(out, gate.access, SLS_DEVICE_NONE, SLS_LOGIN_NEXT_KEEP);
    /* R7: the strongest active device by default. */
    dflt = sls_device_pick_default(f->devices, f->ndevices);
    if (dflt < 0) {
        out->outcome = SLS_LOGIN_OUT_REFUSED;
        out->err = SLS_ERR_NO_ACTIVE_DEVICE;
        out->hint = HINT_CALL_DESK;
        out->audit_event = "login.refused";
        out->audit_outcome = "no_active_device";
        return out->outcome;
    }
    out->outcome = SLS_LOGIN_OUT_SECOND_FACTOR;
    out->device = dflt;
    return out->outcome;
}

static enum sls_login_decision reject(struct sls_login_verdict *v, const char *message)
{
    v->outcome = SLS_LOGIN_OUT_REJECTED;
    v->err = SLS_ERR_BAD_REQUEST;
    v->message = message;
    return v->outcome;
}

enum sls_login_decision sls_login_decide_switch(const struct sls_login_switch *f,
                                                sls_time login_ttl, sls_time now,
                                                struct sls_login_verdict *out)
{
    verdict_init(out);
    if (!f->pending || !sls_challenge_valid(f->created_at, login_ttl, now)) {
        fail(out, SLS_ERR_LOGIN_FAILED, sls_response_hint(SLS_DEVICE_NONE), false, NULL,
             SLS_LOGIN_NEXT_KEEP);
        out->audit_event = NULL;
        return out->outcome;
    }
    if (!f->device_held || !f->device_active || f->type == SLS_DEVICE_NONE)
        return reject(out, "Unknown device for this login");
    if ((f->manual && f->type != SLS_DEVICE_IBKEY) || (f->channel && f->type != SLS_DEVICE_SMS))
        return reject(out, f->manual ? "Only the mobile authenticator has a challenge_response mode"
                                     : "Only SMS devices take a channel");
    out->outcome = SLS_LOGIN_OUT_SECOND_FACTOR;
    return out->outcome;
}

bool sls_login_answer_expired(const struct sls_login_stage2 *f, const struct sls_login_ttl *ttl,
                              sls_time now)
{
    if (f->proof == SLS_LOGIN_PROOF_PUSH)
        return false;
    if (!sls_challenge_valid(f->created_at, ttl->login, now) ||
        !sls_challenge_valid(f->challenge_at, ttl->challenge, now))
        return true;
    return f->is_code && (!f->code_found || now > f->code_expires_at);
}

enum sls_login_decision sls_login_decide_stage2(const struct sls_login_stage2 *f,
                                                const struct sls_login_ttl *ttl,
                                                const struct sls_access_policy *p, sls_time now,
                                                struct sls_login_verdict *out)
{
    struct sls_platform_verdict gate;
    enum sls_access access;
    const char *hint = sls_response_hint(f->factor);
    bool expired;

    verdict_init(out);
    /* R9: single use. A decided login answers as failed (counted once only:
     * the transaction finds it decided). */
    if (!f->pending)
        return fail(out, SLS_ERR_LOGIN_FAILED, hint, true, "reused", SLS_LOGIN_NEXT_FAILED);
    if (f->proof == SLS_LOGIN_PROOF_TYPED && f->waits_for_push) {
        /* Nothing to type: the app approves, or the user asks for the fallback. */
        out->outcome = SLS_LOGIN_OUT_REJECTED;
        out->err = SLS_ERR_BAD_REQUEST;
        out->message = "This login waits for approval in the app";
        out->hint = "If no notification arrives, ask for a challenge (mode challenge_response)";
        return out->outcome;
    }
    expired = sls_login_answer_expired(f, ttl, now);
    if (expired || !f->device_found || !f->device_active || !f->answer_ok)
        /* R29: a device marked lost (or revoked) since stage 1 fails the login. */
        return fail(out, SLS_ERR_LOGIN_FAILED, hint, true,
                    expired                                ? "expired"
                    : f->device_found && !f->device_active ? "device_not_active"
                                                           : "wrong_response",
                    SLS_LOGIN_NEXT_FAILED);
    /* R12 again: the account may have changed since stage 1. Both factors
     * were right: the refusal is the account's, not counted (login.h). */
    if (sls_access_platform(&f->account, f->platform, f->paper, p, now, &gate) != SLS_OK)
        return refuse_platform(out, gate.message, SLS_LOGIN_NEXT_FAILED);
    /* R11: what this factor grants on this platform now. */
    access = sls_access_for_factor(f->factor, f->platform, f->factor_since, p, now);
    if (access == SLS_ACCESS_REFUSED)
        return fail(out, SLS_ERR_LOGIN_FAILED,
                    sls_access_refusal_hint(f->factor, f->platform, f->factor_since, p, now), true,
                    "factor_refused", SLS_LOGIN_NEXT_FAILED);
    return session(out, access, f->factor, SLS_LOGIN_NEXT_AUTHENTICATED);
}

enum sls_login_decision sls_login_decide_push_refused(bool wrong_number,
                                                      struct sls_login_verdict *out)
{
    verdict_init(out);
    if (wrong_number)
        return fail(out, SLS_ERR_WRONG_NUMBER,
                    "Type the two digits shown where the login or "
                    "verification started",
                    true, "wrong_number", SLS_LOGIN_NEXT_DENIED);
    return fail(out, SLS_OK, NULL, true, "denied", SLS_LOGIN_NEXT_DENIED);
}
